"""The browser's session in an HttpOnly cookie: sign-in, the app server's grant, CSRF and
cross-site refusals, rotation and reuse, sign-out everywhere (issue 9). Each browser is a webtest
app with its own cookie jar."""

import dataclasses
import secrets

import pytest
from webtest import TestApp

from backend_api.auth.grants import challenge_of
from tests.factories import PASSWORD, make_user


def browser(wsgi_app, **environ) -> TestApp:
    return TestApp(wsgi_app, extra_environ={"REMOTE_ADDR": "10.0.0.1", **environ})


def cookie(app: TestApp, name: str) -> str | None:
    return next((c.value.strip('"') for c in app.cookiejar if c.name == name), None)


def set_cookies(response, name: str) -> list[str]:
    return [h for h in response.headers.getall("Set-Cookie") if h.startswith(f"{name}=")]


def sign_in(app, username, password=PASSWORD, headers=None):
    return app.post_json(
        "/api/auth/token/cookie/", {"username": username, "password": password}, headers=headers, status="*"
    )


def grant(app, challenge, csrf="from-cookie", headers=None):
    sent = {"X-CSRF-Token": cookie(app, "planner_csrf") if csrf == "from-cookie" else csrf} if csrf else {}
    return app.post_json(
        "/api/auth/token/app/", {"challenge": challenge}, headers={**sent, **(headers or {})}, status="*"
    )


def redeem(app, code, verifier, headers=None):
    return app.post_json("/api/auth/token/access/", {"code": code, "verifier": verifier}, headers=headers, status="*")


def access_of(app) -> str:
    """What the app server does for a tab: a verifier of its own, the browser's grant, the trade."""
    verifier = secrets.token_urlsafe(48)
    code = grant(app, challenge_of(verifier)).json["code"]
    return redeem(app, code, verifier).json["access"]


def me(app, access):
    return app.get("/api/auth/me/", headers={"Authorization": f"Bearer {access}"}, status="*")


@pytest.fixture
def user(registry):
    return make_user(registry, "user")


def test_sign_in_sets_an_http_only_strict_cookie_and_answers_no_token(wsgi_app, user):
    app = browser(wsgi_app)
    response = sign_in(app, user.username)
    assert response.status_int == 200
    assert set(response.json) == {"csrf"} and response.json["csrf"] == cookie(app, "planner_csrf")
    [refresh] = set_cookies(response, "planner_refresh")
    attributes = {part.strip().lower() for part in refresh.split(";")[1:]}
    assert {"httponly", "path=/api/auth/", "samesite=strict"} <= attributes
    assert "secure" not in attributes  # COOKIE_SECURE=auto, and this request was plain http
    [csrf] = set_cookies(response, "planner_csrf")
    assert "httponly" not in csrf.lower() and "Path=/;" in csrf


def test_cookie_secure_follows_the_setting_and_https(wsgi_app, registry, user, monkeypatch):
    def secure(app, **headers) -> bool:
        return "; secure" in set_cookies(sign_in(app, user.username, headers=headers), "planner_refresh")[0].lower()

    assert secure(browser(wsgi_app, **{"wsgi.url_scheme": "https"}))
    # A TLS proxy says so in X-Forwarded-Proto, believed only from TRUSTED_PROXIES.
    assert secure(browser(wsgi_app, REMOTE_ADDR="127.0.0.1"), **{"X-Forwarded-Proto": "https"})
    assert not secure(browser(wsgi_app), **{"X-Forwarded-Proto": "https"})
    monkeypatch.setattr(
        registry, "planner_settings", dataclasses.replace(registry.planner_settings, cookie_secure="true")
    )
    assert secure(browser(wsgi_app))


def test_the_grant_gives_the_app_server_an_access_token_and_rotates_the_cookie(wsgi_app, user):
    app = browser(wsgi_app)
    sign_in(app, user.username)
    first_cookie, csrf = cookie(app, "planner_refresh"), cookie(app, "planner_csrf")
    access = access_of(app)
    assert me(app, access).json["username"] == user.username
    assert cookie(app, "planner_refresh") != first_cookie  # rotated by the browser's call
    assert cookie(app, "planner_csrf") == csrf  # one per session


def test_a_grant_code_is_spent_once_and_only_with_its_verifier(wsgi_app, user):
    app = browser(wsgi_app)
    sign_in(app, user.username)
    verifier = secrets.token_urlsafe(48)
    code = grant(app, challenge_of(verifier)).json["code"]
    wrong = redeem(app, code, secrets.token_urlsafe(48))
    assert wrong.status_int == 401 and wrong.json["code"] == "token_invalid"
    assert redeem(app, code, verifier).status_int == 401  # the failed try spent it

    code = grant(app, challenge_of(verifier)).json["code"]
    assert redeem(app, code, verifier).status_int == 200
    again = redeem(app, code, verifier)
    assert again.status_int == 401 and again.json["code"] == "token_invalid"


def test_a_browser_may_not_redeem_a_code_itself(wsgi_app, user):
    """Even a script that got a code and made its own verifier: browsers always send Origin and Sec-Fetch-*."""
    app = browser(wsgi_app)
    sign_in(app, user.username)
    verifier = secrets.token_urlsafe(48)
    code = grant(app, challenge_of(verifier)).json["code"]
    for headers in ({"Origin": "http://localhost"}, {"Sec-Fetch-Site": "same-origin"}, {"Sec-Fetch-Mode": "cors"}):
        refused = redeem(app, code, verifier, headers=headers)
        assert refused.status_int == 403 and refused.json["code"] == "server_only"
    assert redeem(app, code, verifier).status_int == 200


@pytest.mark.parametrize("csrf", [None, "", "0" * 64])
def test_refresh_and_logout_without_the_right_csrf_token_are_403(wsgi_app, user, csrf):
    app = browser(wsgi_app)
    sign_in(app, user.username)
    refused = grant(app, challenge_of(secrets.token_urlsafe(48)), csrf=csrf)
    assert refused.status_int == 403 and refused.json["code"] == "csrf_failed"
    headers = {"X-CSRF-Token": csrf} if csrf is not None else {}
    logout = app.post("/api/auth/logout/cookie/", headers=headers, status="*")
    assert logout.status_int == 403 and logout.json["code"] == "csrf_failed"
    assert access_of(app)  # still signed in


def test_another_sessions_csrf_token_does_not_pass(wsgi_app, registry, user):
    """Double submit alone would take any value the attacker also put in the cookie; the token
    must be this session's."""
    mine, theirs = browser(wsgi_app), browser(wsgi_app)
    sign_in(mine, user.username)
    sign_in(theirs, make_user(registry, "user").username)
    foreign = cookie(theirs, "planner_csrf")
    mine.set_cookie("planner_csrf", foreign)
    refused = grant(mine, challenge_of(secrets.token_urlsafe(48)), csrf=foreign)
    assert refused.status_int == 403 and refused.json["code"] == "csrf_failed"


@pytest.mark.parametrize(
    "headers", [{"Sec-Fetch-Site": "cross-site"}, {"Origin": "https://evil.example"}, {"Origin": "null"}]
)
def test_cross_site_requests_are_refused(wsgi_app, user, headers):
    app = browser(wsgi_app)
    refused = sign_in(app, user.username, headers=headers)
    assert refused.status_int == 403 and refused.json["code"] == "cross_site"
    assert cookie(app, "planner_refresh") is None
    sign_in(app, user.username)
    refused = grant(app, challenge_of(secrets.token_urlsafe(48)), headers=headers)
    assert refused.status_int == 403 and refused.json["code"] == "cross_site"
    refused = app.post(
        "/api/auth/logout/cookie/", headers={"X-CSRF-Token": cookie(app, "planner_csrf"), **headers}, status="*"
    )
    assert refused.status_int == 403 and refused.json["code"] == "cross_site"


def test_the_apps_own_origin_passes(wsgi_app, user):
    app = browser(wsgi_app)
    own = {"Origin": "http://localhost:80", "Sec-Fetch-Site": "same-origin"}
    assert sign_in(app, user.username, headers=own).status_int == 200
    assert grant(app, challenge_of(secrets.token_urlsafe(48)), headers=own).status_int == 200
    # Behind a proxy that rewrites Host, the browser's host is the forwarded one.
    proxied = browser(wsgi_app, REMOTE_ADDR="127.0.0.1")
    headers = {"Origin": "https://planner.example", "X-Forwarded-Host": "planner.example"}
    assert sign_in(proxied, user.username, headers=headers).status_int == 200


def test_a_replayed_old_cookie_revokes_the_session(wsgi_app, registry, user, monkeypatch):
    monkeypatch.setattr(
        registry, "planner_settings", dataclasses.replace(registry.planner_settings, refresh_reuse_grace_seconds=0)
    )
    app = browser(wsgi_app)
    sign_in(app, user.username)
    stolen = cookie(app, "planner_refresh")
    access = access_of(app)
    thief = browser(wsgi_app)
    thief.set_cookie("planner_refresh", stolen)
    thief.set_cookie("planner_csrf", cookie(app, "planner_csrf"))
    replay = grant(thief, challenge_of(secrets.token_urlsafe(48)))
    assert replay.status_int == 401 and replay.json["code"] == "session_revoked"
    assert me(app, access).json["code"] == "session_revoked"
    assert grant(app, challenge_of(secrets.token_urlsafe(48))).status_int == 401


def test_two_tabs_granting_at_once_share_the_session(wsgi_app, user):
    """Two tabs of one browser send the same cookie before either answer arrives: the slower one
    is within the reuse grace and gets the session's current cookie, not a revocation."""
    app = browser(wsgi_app)
    sign_in(app, user.username)
    same = cookie(app, "planner_refresh")
    assert access_of(app)
    app.set_cookie("planner_refresh", same)
    assert me(app, access_of(app)).status_int == 200


def test_sign_out_in_one_tab_signs_out_every_tab(wsgi_app, user):
    app = browser(wsgi_app)  # the tabs of one browser share its cookies
    sign_in(app, user.username)
    first_tab, second_tab = access_of(app), access_of(app)
    logout = app.post("/api/auth/logout/cookie/", headers={"X-CSRF-Token": cookie(app, "planner_csrf")}, status="*")
    assert logout.status_int == 204
    assert any("Max-Age=0" in h for h in set_cookies(logout, "planner_refresh"))
    assert cookie(app, "planner_refresh") is None and cookie(app, "planner_csrf") is None
    assert me(app, first_tab).json["code"] == "session_revoked"
    assert me(app, second_tab).json["code"] == "session_revoked"
    gone = grant(app, challenge_of(secrets.token_urlsafe(48)), csrf="x")
    assert gone.status_int == 401 and gone.json["code"] == "not_authenticated"


def test_the_cookie_sign_in_is_throttled_with_the_json_one(wsgi_app, registry, user):
    app = browser(wsgi_app)
    failures = registry.planner_settings.throttle_user_failures
    for n in range(failures):
        if n % 2:
            assert sign_in(app, user.username, "wrong password").status_int == 401
        else:
            app.post_json("/api/auth/token/", {"username": user.username, "password": "wrong"}, status=401)
    throttled = sign_in(app, user.username)
    assert throttled.status_int == 429 and throttled.json["code"] == "throttled"
    assert (
        app.post_json("/api/auth/token/", {"username": user.username, "password": PASSWORD}, status="*").status_int
        == 429
    )


def test_a_wrong_password_sets_no_cookie(wsgi_app, user):
    app = browser(wsgi_app)
    assert sign_in(app, user.username, "wrong password").json["code"] == "invalid_credentials"
    assert not app.cookiejar


@pytest.mark.parametrize(
    "path, body",
    [
        ("/api/auth/token/app/", {"challenge": "short"}),
        ("/api/auth/token/app/", {"challenge": "a" * 43, "extra": 1}),
        ("/api/auth/token/access/", {"code": "x", "verifier": "not a verifier"}),
        ("/api/auth/token/access/", {"verifier": "a" * 43}),
        ("/api/auth/token/cookie/", {"username": "x"}),
    ],
)
def test_bad_bodies_are_400(wsgi_app, user, path, body):
    app = browser(wsgi_app)
    sign_in(app, user.username)
    response = app.post_json(path, body, headers={"X-CSRF-Token": cookie(app, "planner_csrf")}, status="*")
    assert response.status_int == 400 and response.json["code"] == "invalid"


def test_the_json_flow_for_scripts_is_unchanged(wsgi_app, user):
    app = browser(wsgi_app)
    tokens = app.post_json("/api/auth/token/", {"username": user.username, "password": PASSWORD}).json
    assert set(tokens) == {"access", "refresh"} and not app.cookiejar
    rotated = app.post_json("/api/auth/token/refresh/", {"refresh": tokens["refresh"]}).json
    assert app.post_json("/api/auth/logout/", {"refresh": rotated["refresh"]}, status="*").status_int == 204


def test_a_cookie_secure_value_other_than_auto_true_false_stops_the_start():
    from backend_api.core.settings import load_settings

    assert load_settings({"cookie_secure": "true"}).cookie_secure == "true"
    with pytest.raises(RuntimeError, match="COOKIE_SECURE"):
        load_settings({"cookie_secure": "yes"})
