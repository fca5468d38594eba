"""Auth basics through the WSGI app: obtaining tokens, /me, refresh rotation, and the 400/401
answers of the auth endpoints. (Sessions, reuse detection, revocation and throttling in depth:
test_sessions.py.)"""

import jwt
import pytest
from sqlalchemy import update

from backend_api.auth.models import User
from tests.factories import PASSWORD, make_user

SECRET = "test-secret-" + "x" * 40


def _token(testapp, username, password=PASSWORD):
    return testapp.post_json("/api/auth/token/", {"username": username, "password": password}, status="*")


def _bearer(token):
    return {"Authorization": f"Bearer {token}"}


def test_token_obtain_gives_an_access_and_a_refresh_token_of_one_session(testapp, registry):
    user = make_user(registry, "manager", username="mia")
    response = _token(testapp, "mia")
    assert response.status_int == 200
    assert set(response.json) == {"access", "refresh"}
    access = jwt.decode(response.json["access"], SECRET, algorithms=["HS256"])
    refresh = jwt.decode(response.json["refresh"], SECRET, algorithms=["HS256"])
    assert (access["type"], refresh["type"]) == ("access", "refresh")
    assert access["sub"] == refresh["sub"] == str(user.id)
    assert access["sid"] == refresh["sid"]
    assert 0 < access["exp"] - access["iat"] <= 5 * 60


@pytest.mark.parametrize("role", ["admin", "manager", "user"])
def test_me_is_the_signed_in_user(testapp, registry, role):
    user = make_user(registry, role, username=f"the-{role}", email=f"{role}@example.com")
    access = _token(testapp, user.username).json["access"]
    me = testapp.get("/api/auth/me/", headers=_bearer(access)).json
    assert set(me) == {"id", "username", "email", "role", "isActive", "isStaff", "personId", "dateJoined", "lastLogin"}
    assert (me["id"], me["username"], me["email"], me["role"]) == (user.id, f"the-{role}", f"{role}@example.com", role)
    assert me["isActive"] is True and me["isStaff"] is (role == "admin")
    assert me["lastLogin"] is not None and me["lastLogin"].endswith("Z")


def test_unknown_user_and_wrong_password_get_the_same_401(testapp, registry):
    make_user(registry, "user", username="ann")
    unknown, wrong = _token(testapp, "nobody"), _token(testapp, "ann", "not the password")
    assert unknown.status_int == wrong.status_int == 401
    assert (
        unknown.json
        == wrong.json
        == {"detail": "The username or password is incorrect.", "code": "invalid_credentials"}
    )
    assert unknown.headers["WWW-Authenticate"] == wrong.headers["WWW-Authenticate"] == "Bearer"


def test_disabled_account_cannot_log_in(testapp, registry):
    user = make_user(registry, "manager", username="gone")
    _, writer = registry.planner_sessions
    with writer() as session, session.begin():
        session.execute(update(User).where(User.id == user.id).values(is_active=False))
    response = _token(testapp, "gone")
    assert response.status_int == 401
    assert response.json["code"] == "account_disabled"
    assert "access" not in response.json
    assert _token(testapp, "gone", "wrong password").json["code"] == "invalid_credentials"


def test_refresh_rotates_and_the_new_access_token_works(testapp, registry):
    make_user(registry, "user", username="rae")
    first = _token(testapp, "rae").json
    rotated = testapp.post_json("/api/auth/token/refresh/", {"refresh": first["refresh"]}, status="*")
    assert rotated.status_int == 200 and set(rotated.json) == {"access", "refresh"}
    assert rotated.json["refresh"] != first["refresh"]
    old, new = (jwt.decode(t, SECRET, algorithms=["HS256"]) for t in (first["refresh"], rotated.json["refresh"]))
    assert old["sid"] == new["sid"] and old["jti"] != new["jti"]
    assert testapp.get("/api/auth/me/", headers=_bearer(rotated.json["access"])).json["username"] == "rae"
    again = testapp.post_json("/api/auth/token/refresh/", {"refresh": rotated.json["refresh"]}, status="*")
    assert again.status_int == 200


def test_refresh_token_is_not_an_access_token(testapp, registry):
    make_user(registry, "admin", username="ref")
    tokens = _token(testapp, "ref").json
    for url in ("/api/auth/me/", "/api/people/", "/api/dashboard/"):
        response = testapp.get(url, headers=_bearer(tokens["refresh"]), status="*")
        assert response.status_int == 401
        assert response.json["code"] == "token_invalid"
        assert response.headers["WWW-Authenticate"] == "Bearer"


def test_access_token_cannot_refresh(testapp, registry):
    make_user(registry, "user", username="acc")
    tokens = _token(testapp, "acc").json
    response = testapp.post_json("/api/auth/token/refresh/", {"refresh": tokens["access"]}, status="*")
    assert response.status_int == 401 and response.json["code"] == "token_invalid"


@pytest.mark.parametrize(
    "header, code",
    [
        (None, "not_authenticated"),
        ("Bearer", "not_authenticated"),
        ("Basic dXNlcjpwYXNz", "not_authenticated"),
        ("Bearer not.a.jwt", "token_invalid"),
        (
            "Bearer "
            + jwt.encode(
                {"sub": "1", "sid": 1, "type": "access", "jti": "j", "iat": 0, "exp": 9999999999},
                "some other secret of a decent length, 32+ bytes",
                algorithm="HS256",
            ),
            "token_invalid",
        ),
    ],
)
def test_401_carries_the_reason_and_www_authenticate(testapp, header, code):
    response = testapp.get("/api/auth/me/", headers={"Authorization": header} if header else {}, status="*")
    assert response.status_int == 401
    assert response.json["code"] == code
    assert response.headers["WWW-Authenticate"] == "Bearer"


@pytest.mark.parametrize("url", ["/api/auth/token/", "/api/auth/token/refresh/", "/api/auth/logout/"])
@pytest.mark.parametrize("body", ["{not json", "[]", '"x"', "{}", '{"username": 5, "password": []}'])
def test_malformed_or_incomplete_bodies_are_400(testapp, url, body):
    response = testapp.post(url, body, content_type="application/json", status="*")
    assert response.status_int == 400
    assert response.json["code"] == "invalid"
    assert response.content_type == "application/json"


def test_malformed_body_on_an_authenticated_auth_endpoint_is_400(staff, testapp):
    response = testapp.post(
        "/api/auth/sessions/revoke/",
        "{oops",
        content_type="application/json",
        headers=_bearer(staff.access),
        status="*",
    )
    assert response.status_int == 400 and response.json["code"] == "invalid"
    response = staff.post("/api/auth/sessions/revoke/", {"sessionId": "first"})
    assert response.status_int == 400 and list(response.json["errors"]) == ["sessionId"]


def test_logout_is_204_and_the_refresh_token_then_fails(testapp, registry):
    make_user(registry, "user", username="lou")
    tokens = _token(testapp, "lou").json
    response = testapp.post_json("/api/auth/logout/", {"refresh": tokens["refresh"]}, status="*")
    assert response.status_int == 204 and response.body == b""
    after = testapp.post_json("/api/auth/token/refresh/", {"refresh": tokens["refresh"]}, status="*")
    assert after.status_int == 401 and after.json["code"] == "session_revoked"
    assert testapp.get("/api/auth/me/", headers=_bearer(tokens["access"]), status="*").json["code"] == "session_revoked"


def test_login_throttle_is_429_with_retry_after(testapp, registry):
    make_user(registry, "user", username="tom")
    for _ in range(5):
        assert _token(testapp, "tom", "wrong").status_int == 401
    response = _token(testapp, "tom")  # even the right password waits
    assert response.status_int == 429
    assert response.json["code"] == "throttled"
    assert int(response.headers["Retry-After"]) > 0
