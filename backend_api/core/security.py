"""JWT tokens and the role permissions (the ACL). The Bearer policy that reads a token's
session and user is auth's (auth/policy.py): core knows no feature's tables."""

import hmac
import uuid
from datetime import timedelta

import jwt
from pyramid.authorization import Allow, Authenticated

from .permissions import Permission
from .timeutil import now

ALGORITHM = "HS256"


class TokenError(Exception):
    pass


def encode_token(
    secret: str,
    *,
    user_id: int,
    session_id: int,
    session_key: str,
    kind: str,
    lifetime: timedelta,
    jti: str | None = None,
) -> tuple[str, str]:
    issued = now()
    jti = jti or uuid.uuid4().hex
    claims = {
        "sub": str(user_id),
        "sid": session_id,
        "sk": session_key,
        "type": kind,
        "jti": jti,
        "iat": issued,
        "exp": issued + lifetime,
    }
    return jwt.encode(claims, secret, algorithm=ALGORITHM), jti


def decode_token(secret: str, token: str, kind: str) -> dict:
    """Verify signature, algorithm (pinned), expiry and that the token is of `kind`."""
    try:
        claims = jwt.decode(
            token,
            secret,
            algorithms=[ALGORITHM],
            options={"require": ["exp", "iat", "jti", "sub", "sid", "sk", "type"]},
        )
    except jwt.PyJWTError as exc:
        raise TokenError(str(exc)) from None
    if claims.get("type") != kind:
        raise TokenError(f"not an {kind} token")
    return claims


def names_session(claims: dict, user_id: int, session_key: str) -> bool:
    """The token was issued for this very session row: its user and its random key, not just
    ids a later row could have been given again."""
    return str(user_id) == claims["sub"] and hmac.compare_digest(session_key.encode(), str(claims["sk"]).encode())


class RootFactory:
    """Permissions by role: everyone signed in may view; managers and admins edit; admins administer."""

    __acl__ = [
        (Allow, Authenticated, Permission.VIEW),
        (Allow, Authenticated, Permission.SELF),
        (Allow, "role:manager", Permission.EDIT),
        (Allow, "role:admin", (Permission.EDIT, Permission.ADMIN)),
    ]

    def __init__(self, request):
        self.request = request
