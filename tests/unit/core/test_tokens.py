from datetime import timedelta

import jwt
import pytest

from backend_api.core.security import ALGORITHM, TokenError, decode_token, encode_token, names_session

SECRET = "s" * 64


def token(kind="access", lifetime=timedelta(minutes=5), **kw):
    return encode_token(SECRET, user_id=7, session_id=3, session_key=KEY, kind=kind, lifetime=lifetime, **kw)[0]


KEY = "k" * 43


def test_round_trip_carries_user_session_type_and_jti():
    claims = decode_token(SECRET, token(), "access")
    assert claims["sub"] == "7" and claims["sid"] == 3 and claims["type"] == "access" and claims["jti"]
    assert claims["exp"] > claims["iat"]


def test_a_token_names_its_session_by_user_and_random_key_not_by_ids_alone():
    claims = decode_token(SECRET, token(), "access")
    assert claims["sk"] == KEY and names_session(claims, 7, KEY)
    assert not names_session(claims, 7, "another session's key")
    assert not names_session(claims, 8, KEY)


def test_refresh_token_is_never_an_access_token():
    with pytest.raises(TokenError):
        decode_token(SECRET, token("refresh"), "access")


def test_expired_token_is_refused():
    with pytest.raises(TokenError):
        decode_token(SECRET, token(lifetime=timedelta(seconds=-1)), "access")


def test_wrong_secret_is_refused():
    with pytest.raises(TokenError):
        decode_token("other" * 10, token(), "access")


def test_algorithm_is_pinned():
    claims = jwt.decode(token(), SECRET, algorithms=[ALGORITHM])
    forged = jwt.encode(claims, SECRET, algorithm="HS512")
    with pytest.raises(TokenError):
        decode_token(SECRET, forged, "access")
    unsigned = jwt.encode(claims, None, algorithm="none")
    with pytest.raises(TokenError):
        decode_token(SECRET, unsigned, "access")


def test_missing_claims_are_refused():
    bare = jwt.encode({"sub": "7", "type": "access"}, SECRET, algorithm=ALGORITHM)
    with pytest.raises(TokenError):
        decode_token(SECRET, bare, "access")


def test_explicit_jti_is_kept():
    assert decode_token(SECRET, token("refresh", jti="abc"), "refresh")["jti"] == "abc"
