"""Token sessions: rotation, reuse detection, logout, listing, revocation and disabling, which
all take effect on the very next request."""

import os
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import httpx
import jwt
import pytest
from sqlalchemy import update

from backend_api.auth.models import RevokedRefreshToken, TokenSession, User
from backend_api.core.timeutil import now
from tests.api.conftest import ApiClient
from tests.factories import PASSWORD, make_user


def login(testapp, username, **environ):
    return testapp.post_json(
        "/api/auth/token/", {"username": username, "password": PASSWORD}, extra_environ=environ or None, status="*"
    )


def me(testapp, access):
    return testapp.get("/api/auth/me/", headers={"Authorization": f"Bearer {access}"}, status="*")


def refresh(testapp, token):
    return testapp.post_json("/api/auth/token/refresh/", {"refresh": token}, status="*")


def _write(registry, statement):
    _, writer = registry.planner_sessions
    with writer() as session, session.begin():
        session.execute(statement)


def test_login_creates_a_session_listed_as_current(testapp, registry):
    user = make_user(registry)
    tokens = login(testapp, user.username, HTTP_USER_AGENT="Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0").json
    sessions = testapp.get("/api/auth/sessions/", headers={"Authorization": f"Bearer {tokens['access']}"}).json
    [session] = sessions["results"]
    assert session["current"] is True and session["isActive"] is True
    assert session["ip"] == "10.0.0.1" and "Firefox" in session["userAgent"]
    assert set(session) == {"id", "issuedAt", "lastUsedAt", "ip", "userAgent", "isActive", "current"}


def test_sessions_are_newest_first_and_only_my_own(testapp, registry):
    user, other = make_user(registry), make_user(registry)
    first = login(testapp, user.username).json
    second = login(testapp, user.username).json
    login(testapp, other.username)
    listed = testapp.get("/api/auth/sessions/", headers={"Authorization": f"Bearer {first['access']}"}).json["results"]
    assert len(listed) == 2
    assert listed[0]["id"] > listed[1]["id"]
    assert [s["current"] for s in listed] == [False, True]
    assert second


def test_refresh_rotates_and_the_old_token_then_revokes_the_session(testapp, registry):
    user = make_user(registry)
    tokens = login(testapp, user.username).json
    rotated = refresh(testapp, tokens["refresh"])
    assert rotated.status_int == 200 and rotated.json["refresh"] != tokens["refresh"]
    assert me(testapp, rotated.json["access"]).status_int == 200

    _age_rotations(registry, seconds=registry.planner_settings.refresh_reuse_grace_seconds + 1)
    replay = refresh(testapp, tokens["refresh"])  # a stolen, already-rotated token
    assert replay.status_int == 401 and replay.json["code"] == "session_revoked"
    # The whole session is gone: the newest tokens stop working too.
    assert refresh(testapp, rotated.json["refresh"]).json["code"] == "session_revoked"
    assert me(testapp, rotated.json["access"]).json["code"] == "session_revoked"


def _age_rotations(registry, seconds):
    _write(registry, update(RevokedRefreshToken).values(revoked_at=now() - timedelta(seconds=seconds)))


def test_two_tabs_refreshing_at_once_keep_the_session(testapp, registry):
    tokens = login(testapp, make_user(registry).username).json
    first = refresh(testapp, tokens["refresh"]).json
    second = refresh(testapp, tokens["refresh"])  # the other tab, a moment later, same old token
    assert second.status_int == 200
    # No fork: both tabs now hold the same live refresh token, and either can rotate it.
    assert decode(second.json["refresh"])["jti"] == decode(first["refresh"])["jti"]
    assert me(testapp, second.json["access"]).status_int == 200
    assert refresh(testapp, first["refresh"]).status_int == 200


def test_only_the_latest_rotation_gets_grace(testapp, registry):
    tokens = login(testapp, make_user(registry).username).json
    first = refresh(testapp, tokens["refresh"]).json
    refresh(testapp, first["refresh"])
    # The oldest token is two rotations behind: that is a replay even within the grace period.
    assert refresh(testapp, tokens["refresh"]).json["code"] == "session_revoked"


def decode(token):
    return jwt.decode(token, options={"verify_signature": False})


def test_access_token_is_not_a_refresh_token_and_vice_versa(testapp, registry):
    tokens = login(testapp, make_user(registry).username).json
    assert refresh(testapp, tokens["access"]).json["code"] == "token_invalid"
    assert me(testapp, tokens["refresh"]).json["code"] == "token_invalid"


def test_garbage_tokens_are_401_with_www_authenticate(testapp):
    response = me(testapp, "not-a-jwt")
    assert response.status_int == 401 and response.json["code"] == "token_invalid"
    assert response.headers["WWW-Authenticate"] == "Bearer"
    assert refresh(testapp, "nope").json["code"] == "token_invalid"
    anonymous = testapp.get("/api/auth/me/", status="*")
    assert anonymous.status_int == 401 and anonymous.json["code"] == "not_authenticated"


def test_logout_revokes_the_session_at_once(testapp, registry):
    tokens = login(testapp, make_user(registry).username).json
    assert testapp.post_json("/api/auth/logout/", {"refresh": tokens["refresh"]}, status="*").status_int == 204
    assert me(testapp, tokens["access"]).json["code"] == "session_revoked"
    assert refresh(testapp, tokens["refresh"]).json["code"] == "session_revoked"


def test_revoking_another_session_refuses_its_very_next_request(testapp, registry):
    user = make_user(registry)
    here = ApiClient(testapp, user.username)
    there = ApiClient(testapp, user.username)
    sessions = here.get("/api/auth/sessions/").json["results"]
    other = next(s for s in sessions if not s["current"])
    assert there.get("/api/people/").status_int == 200

    revoked = here.post("/api/auth/sessions/revoke/", {"sessionId": other["id"]})
    assert revoked.status_int == 200 and revoked.json["isActive"] is False and revoked.json["current"] is False
    answer = there.get("/api/people/")
    assert answer.status_int == 401 and answer.json["code"] == "session_revoked"
    assert refresh(testapp, there.refresh).json["code"] == "session_revoked"
    assert here.get("/api/people/").status_int == 200


def test_another_users_session_is_not_found(testapp, registry):
    mine = ApiClient(testapp, make_user(registry).username)
    theirs = ApiClient(testapp, make_user(registry).username)
    their_id = theirs.get("/api/auth/sessions/").json["results"][0]["id"]
    response = mine.post("/api/auth/sessions/revoke/", {"sessionId": their_id})
    assert response.status_int == 404 and response.json["code"] == "not_found"
    assert theirs.get("/api/auth/me/").status_int == 200
    assert mine.post("/api/auth/sessions/revoke/", {"sessionId": "x"}).status_int == 400


def test_disabled_user_is_refused_on_the_next_request_and_cannot_log_in(testapp, registry):
    user = make_user(registry)
    client = ApiClient(testapp, user.username)
    _write(registry, update(User).where(User.id == user.id).values(is_active=False))
    assert client.get("/api/people/").json["code"] == "account_disabled"
    assert refresh(testapp, client.refresh).json["code"] == "account_disabled"
    assert login(testapp, user.username).json["code"] == "account_disabled"
    # A wrong password still says only "invalid credentials": nothing is revealed to a guesser.
    wrong = testapp.post_json("/api/auth/token/", {"username": user.username, "password": "wrong password"}, status="*")
    assert wrong.json["code"] == "invalid_credentials"


def test_unknown_user_and_wrong_password_look_the_same(testapp, registry):
    user = make_user(registry)
    unknown = testapp.post_json("/api/auth/token/", {"username": "ghost", "password": "whatever1234"}, status="*")
    wrong = testapp.post_json("/api/auth/token/", {"username": user.username, "password": "whatever1234"}, status="*")
    assert unknown.status_int == wrong.status_int == 401
    assert (
        unknown.json
        == wrong.json
        == {"detail": "The username or password is incorrect.", "code": "invalid_credentials"}
    )


def test_login_is_throttled_per_username_with_retry_after(testapp, registry):
    user = make_user(registry)
    limit = registry.planner_settings.throttle_user_failures
    for _ in range(limit):
        bad = testapp.post_json("/api/auth/token/", {"username": user.username, "password": "nope nope"}, status="*")
        assert bad.status_int == 401
    throttled = login(testapp, user.username)  # even the right password waits
    assert throttled.status_int == 429 and throttled.json["code"] == "throttled"
    assert 0 < int(throttled.headers["Retry-After"]) <= registry.planner_settings.throttle_window_seconds
    # Other people behind the same office address are not locked out.
    assert login(testapp, make_user(registry).username).status_int == 200


def test_one_count_for_every_spelling_of_a_name(testapp, registry):
    user = make_user(registry, username="ana")
    spellings = ["Ana", "ANA", "ａｎａ", "ana", "AnA"]  # the fullwidth one folds to "ana" by NFKC
    for spelling in spellings:
        assert login_with(testapp, spelling, "nope nope").status_int == 401
    assert login(testapp, user.username).status_int == 429


def test_parallel_guesses_across_workers_get_exactly_the_limit(live_server, registry):
    """Through the real server with 4 workers: the count is shared and taken before the check."""
    user = make_user(registry)
    limit = registry.planner_settings.throttle_user_failures

    def guess(_):
        return httpx.post(
            f"{live_server}/api/auth/token/", json={"username": user.username, "password": "nope nope"}, timeout=60
        ).status_code

    with ThreadPoolExecutor(24) as pool:
        statuses = list(pool.map(guess, range(24)))
    assert statuses.count(401) == limit and statuses.count(429) == 24 - limit
    right = httpx.post(f"{live_server}/api/auth/token/", json={"username": user.username, "password": PASSWORD})
    assert right.status_code == 429 and int(right.headers["Retry-After"]) > 0


def test_the_unlock_command_lets_a_locked_out_admin_back_in(testapp, registry, database_url):
    admin = make_user(registry, "admin")
    for _ in range(registry.planner_settings.throttle_user_failures + 1):
        login_with(testapp, admin.username, "nope nope")
    assert login(testapp, admin.username).status_int == 429
    done = subprocess.run(
        [sys.executable, "-m", "backend_api", "unlock", "--username", admin.username.upper()],
        env={**os.environ, "DATABASE_URL": database_url},
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    assert login(testapp, admin.username).status_int == 200


def test_login_is_throttled_per_ip(testapp, registry):
    limit = registry.planner_settings.throttle_ip_failures
    for n in range(limit):
        testapp.post_json(
            "/api/auth/token/",
            {"username": f"spray{n}", "password": "nope nope"},
            extra_environ={"REMOTE_ADDR": "10.9.9.9"},
            status="*",
        )
    blocked = login(testapp, make_user(registry).username, REMOTE_ADDR="10.9.9.9")
    assert blocked.status_int == 429
    assert login(testapp, make_user(registry).username, REMOTE_ADDR="10.9.9.10").status_int == 200


def test_forwarded_for_is_trusted_only_from_a_trusted_proxy(testapp, registry):
    user = make_user(registry)
    proxied = login(testapp, user.username, REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.9").json
    spoofed = login(testapp, user.username, REMOTE_ADDR="10.0.0.7", HTTP_X_FORWARDED_FOR="203.0.113.9").json
    listed = testapp.get("/api/auth/sessions/", headers={"Authorization": f"Bearer {proxied['access']}"}).json
    ips = sorted(s["ip"] for s in listed["results"])
    assert ips == ["10.0.0.7", "203.0.113.9"]
    assert spoofed


def test_through_the_real_server_a_trusted_proxy_passes_on_the_client_address(live_server, registry):
    """The test client is on loopback, a trusted proxy by default: the address its
    X-Forwarded-For names is the one recorded, and the one counted by the throttle."""
    user = make_user(registry)
    body = {"username": user.username, "password": PASSWORD}
    tokens = httpx.post(f"{live_server}/api/auth/token/", json=body, headers={"X-Forwarded-For": "203.0.113.9"}).json()
    listed = httpx.get(f"{live_server}/api/auth/sessions/", headers={"Authorization": f"Bearer {tokens['access']}"})
    assert [s["ip"] for s in listed.json()["results"]] == ["203.0.113.9"]


def test_last_used_is_written_at_most_once_a_minute(testapp, registry, db):
    user = make_user(registry)
    client = ApiClient(testapp, user.username)
    before = db.query(TokenSession).one().last_used_at
    client.get("/api/auth/me/")
    db.expire_all()
    assert db.query(TokenSession).one().last_used_at == before


def test_passwords_are_taken_exactly_as_typed(testapp, registry):
    user = make_user(registry, password="  spaced passphrase  ")
    assert login_with(testapp, user.username, "  spaced passphrase  ").status_int == 200
    assert login_with(testapp, user.username, "spaced passphrase").status_int == 401


def login_with(testapp, username, password):
    return testapp.post_json("/api/auth/token/", {"username": username, "password": password}, status="*")


def test_revoking_an_impossible_session_id_is_a_clear_400(testapp, registry):
    client = ApiClient(testapp, make_user(registry).username)
    response = client.post("/api/auth/sessions/revoke/", {"sessionId": 2**31})
    assert response.status_int == 400 and "sessionId" in response.json["errors"]


def _delete_user(registry, user_id):
    _, writer = registry.planner_sessions
    with writer() as session, session.begin():
        session.delete(session.get(User, user_id))


def test_a_deleted_users_token_never_passes_for_the_next_user_created(testapp, registry):
    """SQLite used to give the next insert the highest deleted rowid, so the new user (here an
    admin) and their session got the old ids. Ids are never reused now (AUTOINCREMENT, 0005), and
    the token's session key would refuse it even if they were (next test)."""
    gone = make_user(registry, "user")
    old = login(testapp, gone.username).json
    _delete_user(registry, gone.id)
    admin = make_user(registry, "admin")
    new = login(testapp, admin.username).json
    sid = [jwt.decode(t["access"], options={"verify_signature": False})["sid"] for t in (old, new)]
    assert admin.id > gone.id and sid[1] > sid[0]
    assert me(testapp, old["access"]).status_int == 401
    assert me(testapp, old["access"]).json["code"] == "token_invalid"
    assert refresh(testapp, old["refresh"]).status_int == 401
    assert me(testapp, new["access"]).json["username"] == admin.username


def test_every_integer_id_on_sqlite_is_autoincrement(registry):
    """A later migration that rebuilds a table must keep AUTOINCREMENT, or ids are reused again."""
    engine = registry.planner_engine
    if engine.dialect.name != "sqlite":
        pytest.skip("PostgreSQL sequences never reuse ids")
    with engine.connect() as conn:
        tables = [
            (name, sql)
            for name, sql in conn.exec_driver_sql("SELECT name, sql FROM sqlite_master WHERE type = 'table'")
            if re.search(r"^\s*id INTEGER", sql, re.M)
        ]
    assert len(tables) == 10  # 0005's nine, and change_events (0008)
    assert [name for name, sql in tables if "AUTOINCREMENT" not in sql] == []


def test_a_token_with_the_right_ids_but_another_key_is_refused(testapp, registry):
    user = make_user(registry, "user")
    tokens = login(testapp, user.username).json
    claims = jwt.decode(tokens["access"], options={"verify_signature": False})
    secret = registry.planner_settings.jwt_secret
    forged = jwt.encode({**claims, "sk": "guessed" * 6}, secret, algorithm="HS256")
    assert me(testapp, forged).status_int == 401
    keyless = jwt.encode({k: v for k, v in claims.items() if k != "sk"}, secret, algorithm="HS256")
    assert me(testapp, keyless).status_int == 401
    assert me(testapp, tokens["access"]).status_int == 200


def test_trusted_proxies_may_be_networks(database_url, registry):
    from webtest import TestApp

    from backend_api import main
    from backend_api.core.settings import networks

    app = TestApp(main({}, database_url=database_url, trusted_proxies=networks("192.0.2.7, 10.0.0.0/8")))
    user = make_user(registry)
    for peer in ("10.20.30.40", "192.0.2.7", "192.0.2.8"):
        tokens = login(
            app,
            user.username,
            REMOTE_ADDR=peer,
            HTTP_X_FORWARDED_FOR="203.0.113.9",
            HTTP_X_CLIENT_USER_AGENT=f"browser via {peer}",
        ).json
    listed = app.get("/api/auth/sessions/", headers={"Authorization": f"Bearer {tokens['access']}"}).json["results"]
    assert sorted((s["ip"], s["userAgent"]) for s in listed) == [
        ("192.0.2.8", ""),
        ("203.0.113.9", "browser via 10.20.30.40"),
        ("203.0.113.9", "browser via 192.0.2.7"),
    ]
