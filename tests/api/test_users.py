"""Admin user management (/api/auth/users/…): who may call it, what each action does, the guards
that keep an active admin, and what disabling or a new password does to the user's sessions."""

import threading
import time

import pytest
from sqlalchemy import func, select, text

from backend_api.auth import admin
from backend_api.auth.audit import Actor
from backend_api.auth.models import User
from backend_api.core.errors import ApiError
from tests.api.conftest import ApiClient
from tests.factories import PASSWORD, make_person, make_user

NEW_PASSWORD = "a much longer secret"
USER_KEYS = {"id", "username", "email", "role", "isActive", "isStaff", "personId", "dateJoined", "lastLogin"}


def me(client) -> dict:
    return client.get("/api/auth/me/").json


def new_user(**kw) -> dict:
    return {"username": "newbie", "email": "newbie@example.com", "password": NEW_PASSWORD, "role": "user", **kw}


def sign_in(testapp, username, password=PASSWORD):
    return testapp.post_json("/api/auth/token/", {"username": username, "password": password}, status="*")


# ---- role matrix ------------------------------------------------------------------------------
ENDPOINTS = [
    ("GET", "/api/auth/users/", None, 200),
    ("POST", "/api/auth/users/", new_user(), 201),
    ("DELETE", "/api/auth/users/{id}/", None, 204),
    ("POST", "/api/auth/users/{id}/set_password/", {"password": NEW_PASSWORD}, 204),
    ("POST", "/api/auth/users/{id}/toggle_active/", None, 200),
    ("POST", "/api/auth/users/{id}/change_role/", {"role": "manager"}, 200),
    ("GET", "/api/auth/audit/", None, 200),
]


class Anonymous:
    """ApiClient's interface without a token."""

    def __init__(self, testapp):
        self.app = testapp

    def get(self, url):
        return self.app.get(url, status="*")

    def post(self, url, body=None):
        return self.app.post_json(url, body if body is not None else {}, status="*")

    def delete(self, url):
        return self.app.delete(url, status="*")


def _call(client, method, url, body):
    if method == "POST":
        return client.post(url, body)
    return client.get(url) if method == "GET" else client.delete(url)


@pytest.mark.parametrize("method,path,body,ok", ENDPOINTS, ids=[f"{m} {p}" for m, p, _, _ in ENDPOINTS])
@pytest.mark.parametrize("role,expected", [("anonymous", 401), ("user", 403), ("manager", 403), ("admin", None)])
def test_role_matrix(method, path, body, ok, role, expected, testapp, registry, client_for):
    target = make_user(registry, "user")
    client = Anonymous(testapp) if role == "anonymous" else client_for(role)
    response = _call(client, method, path.format(id=target.id), body)
    assert response.status_int == (expected or ok), response.body
    if expected == 401:
        assert response.json["code"] == "not_authenticated"
        assert response.headers["WWW-Authenticate"] == "Bearer"
    elif expected == 403:
        assert response.json["code"] == "permission_denied"


def test_actions_on_an_unknown_user_are_404(admin):
    for method, path, body, _ in ENDPOINTS:
        if "{id}" in path:
            for ident in ("999999", "abc"):
                response = _call(admin, method, path.format(id=ident), body)
                assert response.status_int == 404 and response.json["code"] == "not_found", (method, path)


# ---- list -------------------------------------------------------------------------------------
def test_list_is_paginated_and_searches_username_and_email(admin, registry):
    make_user(registry, "user", username="alice", email="ALICE@corp.example")
    make_user(registry, "manager", username="bob", email="bob@home.example")
    make_user(registry, "user", username="carol_x", email="carol@corp.example")
    names = lambda response: [u["username"] for u in response.json["results"]]  # noqa: E731

    everyone = admin.get("/api/auth/users/")
    assert everyone.json["count"] == 4 and set(everyone.json["results"][0]) == USER_KEYS
    assert names(admin.get("/api/auth/users/?search=CORP")) == ["alice", "carol_x"]
    assert names(admin.get("/api/auth/users/?search=bo")) == ["bob"]
    assert names(admin.get("/api/auth/users/?search=l_")) == ["carol_x"]  # `_` is literal, not a wildcard
    assert names(admin.get("/api/auth/users/?search=%25")) == []
    assert names(admin.get("/api/auth/users/?role=manager")) == ["bob"]

    page = admin.get("/api/auth/users/?pageSize=2&ordering=-username")
    assert page.json["count"] == 4 and len(page.json["results"]) == 2 and page.json["next"]
    assert names(page)[0] == "carol_x"


def test_list_filters_on_is_active(admin, registry):
    target = make_user(registry, "user", username="sleeper")
    admin.post(f"/api/auth/users/{target.id}/toggle_active/")
    inactive = admin.get("/api/auth/users/?isActive=false").json
    assert [u["username"] for u in inactive["results"]] == ["sleeper"]
    assert admin.get("/api/auth/users/?isActive=maybe").status_int == 400


# ---- create -----------------------------------------------------------------------------------
@pytest.mark.parametrize("role,staff", [("user", False), ("manager", False), ("admin", True)])
def test_create_user_can_then_sign_in(admin, testapp, role, staff):
    response = admin.post("/api/auth/users/", new_user(role=role, email="NewBie@Example.com"))
    assert response.status_int == 201
    user = response.json
    assert set(user) == USER_KEYS
    assert (user["username"], user["email"], user["role"], user["isStaff"], user["isActive"]) == (
        "newbie",
        "newbie@example.com",
        role,
        staff,
        True,
    )
    assert user["personId"] is None and user["lastLogin"] is None
    assert sign_in(testapp, "newbie", NEW_PASSWORD).status_int == 200


def test_duplicate_username_is_400_duplicate(admin, registry):
    make_user(registry, "user", username="taken")
    response = admin.post("/api/auth/users/", new_user(username="taken"))
    assert response.status_int == 400
    assert response.json["code"] == "duplicate" and "username" in response.json["errors"]


@pytest.mark.parametrize("spelling", ["Taken", "TAKEN", "ｔａｋｅｎ"])
def test_a_username_differing_only_in_case_or_width_is_taken(admin, registry, spelling):
    make_user(registry, "user", username="taken")
    response = admin.post("/api/auth/users/", new_user(username=spelling))
    assert response.status_int == 400 and response.json["code"] == "duplicate"
    assert response.json["errors"]["username"] == ["This username is already taken (as taken)."]


@pytest.mark.parametrize(
    "username,says",
    [
        ("\u0430dmin", "look-alike"),  # Cyrillic а, then Latin letters
        ("ad\u200bmin", "invisible"),  # zero-width space
        ("admin\u202e", "invisible"),  # right-to-left override
        ("ad\u200dmin", "invisible"),  # zero-width joiner
    ],
)
def test_usernames_that_could_pass_for_another_are_refused(admin, username, says):
    response = admin.post("/api/auth/users/", new_user(username=username))
    assert response.status_int == 400 and response.json["code"] == "invalid"
    assert says in response.json["errors"]["username"][0]


@pytest.mark.parametrize("username", ["José", "Ελένη", "李雷", "ana.costa-2"])
def test_names_in_one_alphabet_are_welcome(admin, testapp, username):
    assert admin.post("/api/auth/users/", new_user(username=username)).status_int == 201
    assert sign_in(testapp, username.upper(), NEW_PASSWORD).status_int == 200  # any case signs in


@pytest.mark.parametrize("password", ["short", "newbie", " NEWBIE "])
def test_password_policy_on_create(admin, password):
    response = admin.post("/api/auth/users/", new_user(password=password))
    assert response.status_int == 400
    assert response.json["code"] == "invalid" and response.json["errors"]["password"]


@pytest.mark.parametrize(
    "body,field",
    [
        (new_user(role="boss"), "role"),
        (new_user(email="not-an-email"), "email"),
        (new_user(username=""), "username"),
        ({"username": "newbie", "role": "user"}, "password"),
        (new_user(isSuperuser=True), "isSuperuser"),
    ],
)
def test_invalid_create_bodies_are_400_with_the_field(admin, body, field):
    response = admin.post("/api/auth/users/", body)
    assert response.status_int == 400
    assert response.json["code"] == "invalid" and field in response.json["errors"]


def test_person_link_must_exist_and_be_free(admin, registry):
    person = make_person(registry)
    missing = admin.post("/api/auth/users/", new_user(personId=person.id + 1000))
    assert missing.status_int == 400 and "personId" in missing.json["errors"]

    linked = admin.post("/api/auth/users/", new_user(personId=person.id))
    assert linked.status_int == 201 and linked.json["personId"] == person.id

    again = admin.post("/api/auth/users/", new_user(username="second", personId=person.id))
    assert again.status_int == 400
    assert again.json["code"] == "duplicate" and "personId" in again.json["errors"]


# ---- change role ------------------------------------------------------------------------------
def test_change_role_keeps_is_staff_for_admins_only(admin, registry):
    target = make_user(registry, "user")
    url = f"/api/auth/users/{target.id}/change_role/"
    promoted = admin.post(url, {"role": "admin"})
    assert promoted.status_int == 200
    assert (promoted.json["role"], promoted.json["isStaff"]) == ("admin", True)
    demoted = admin.post(url, {"role": "manager"})
    assert (demoted.json["role"], demoted.json["isStaff"]) == ("manager", False)


def test_unknown_role_is_400(admin, registry):
    target = make_user(registry, "user")
    response = admin.post(f"/api/auth/users/{target.id}/change_role/", {"role": "superuser"})
    assert response.status_int == 400
    assert response.json["code"] == "invalid" and "role" in response.json["errors"]


def test_the_last_active_admin_cannot_demote_themselves(admin):
    me_ = me(admin)
    response = admin.post(f"/api/auth/users/{me_['id']}/change_role/", {"role": "manager"})
    assert response.status_int == 400 and response.json["code"] == "last_admin"
    assert me(admin)["role"] == "admin"


def test_an_admin_may_step_down_while_another_remains(admin, registry):
    make_user(registry, "admin")
    response = admin.post(f"/api/auth/users/{me(admin)['id']}/change_role/", {"role": "user"})
    assert response.status_int == 200 and response.json["isStaff"] is False
    # The next request already runs with the new role.
    assert admin.get("/api/auth/users/").status_int == 403


def test_a_disabled_admin_does_not_count_as_the_remaining_admin(admin, registry):
    other = make_user(registry, "admin")
    admin.post(f"/api/auth/users/{other.id}/toggle_active/")
    response = admin.post(f"/api/auth/users/{me(admin)['id']}/change_role/", {"role": "user"})
    assert response.status_int == 400 and response.json["code"] == "last_admin"


# ---- disable, delete: self and last-admin guards -------------------------------------------------
def test_an_admin_cannot_disable_or_delete_themselves(admin, registry):
    make_user(registry, "admin")  # so the refusal is about "self", not about "last admin"
    own = me(admin)["id"]
    disabled = admin.post(f"/api/auth/users/{own}/toggle_active/")
    assert disabled.status_int == 400 and disabled.json["code"] == "invalid"
    assert "your own account" in disabled.json["detail"]
    deleted = admin.delete(f"/api/auth/users/{own}/")
    assert deleted.status_int == 400 and "your own account" in deleted.json["detail"]
    assert me(admin)["isActive"] is True


def _actor(user) -> Actor:
    return Actor(user.id, user.username, session_id=0, request_id="test", ip="127.0.0.1", name=user.username)


@pytest.mark.parametrize(
    "action",
    [
        lambda db, actor, target: admin.toggle_active(db, actor, target),
        lambda db, actor, target: admin.delete_user(db, actor, target),
        lambda db, actor, target: admin.change_role(db, actor, target, "user"),
    ],
    ids=["disable", "delete", "demote"],
)
def test_nobody_can_remove_the_last_active_admin(registry, action):
    # Over HTTP the caller is always an active admin other than the target, so this guard only
    # bites in a race (below); here the rule itself, called as any other caller (a script) would.
    only_admin = make_user(registry, "admin")
    somebody = make_user(registry, "manager")
    _, writer = registry.planner_sessions
    with writer() as db, pytest.raises(ApiError) as raised:
        with db.begin():
            action(db, _actor(somebody), only_admin.id)
    assert raised.value.code == "last_admin"


def _active_admins(registry) -> int:
    reader, _ = registry.planner_sessions
    with reader() as db:
        return db.scalar(select(func.count()).select_from(User).where(User.role == "admin", User.is_active.is_(True)))


def _wait_until_a_transaction_waits_for_a_lock(engine) -> None:
    """PostgreSQL shows a transaction blocked on a row lock in pg_stat_activity. SQLite cannot
    show that (the waiter sits in its busy handler), and needs no wait: its writers are serial."""
    if engine.dialect.name != "postgresql":
        return
    deadline = time.monotonic() + 10
    # Autocommit: pg_stat_activity is a per-transaction snapshot, so each poll must be its own.
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        query = text(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        while conn.scalar(query) == 0:
            assert time.monotonic() < deadline, "the second demotion never waited for the first one's lock"


def test_two_admins_demoting_each_other_at_once_leave_one_admin(registry):
    first_admin, second_admin = make_user(registry, "admin"), make_user(registry, "admin")
    _, writer = registry.planner_sessions
    outcome = {}

    def second_demotes_first():
        with writer() as db:
            try:
                with db.begin():
                    admin.change_role(db, _actor(second_admin), first_admin.id, "user")
                outcome["second"] = "demoted"
            except ApiError as error:
                outcome["second"] = error.code

    first = writer()
    first.begin()
    admin.change_role(first, _actor(first_admin), second_admin.id, "user")  # not committed yet
    thread = threading.Thread(target=second_demotes_first)
    thread.start()
    try:
        _wait_until_a_transaction_waits_for_a_lock(registry.planner_engine)
        first.commit()
    finally:
        first.close()
        thread.join(timeout=30)
    assert not thread.is_alive()
    assert outcome["second"] == "last_admin"
    assert _active_admins(registry) == 1


def test_delete_user_removes_them_and_their_sessions(admin, registry, testapp):
    target = make_user(registry, "user")
    signed_in = ApiClient(testapp, target.username)
    assert admin.delete(f"/api/auth/users/{target.id}/").status_int == 204
    assert target.username not in [u["username"] for u in admin.get("/api/auth/users/").json["results"]]
    assert me(signed_in) == {"detail": "The token is invalid or expired.", "code": "token_invalid"}
    assert admin.delete(f"/api/auth/users/{target.id}/").status_int == 404


def test_another_admin_can_be_deleted(admin, registry):
    other = make_user(registry, "admin")
    assert admin.delete(f"/api/auth/users/{other.id}/").status_int == 204
    assert _active_admins(registry) == 1


# ---- sessions ---------------------------------------------------------------------------------
def test_disabling_signs_the_user_out_at_once(admin, registry, testapp):
    target = make_user(registry, "user")
    signed_in = ApiClient(testapp, target.username)
    assert signed_in.get("/api/auth/me/").status_int == 200

    disabled = admin.post(f"/api/auth/users/{target.id}/toggle_active/")
    assert disabled.status_int == 200 and disabled.json["isActive"] is False
    response = signed_in.get("/api/auth/me/")
    assert response.status_int == 401 and response.json["code"] == "account_disabled"
    refreshed = testapp.post_json("/api/auth/token/refresh/", {"refresh": signed_in.refresh}, status="*")
    assert refreshed.status_int == 401
    assert sign_in(testapp, target.username).json["code"] == "account_disabled"

    # Enabling again does not bring the old sessions back: they were revoked, not just blocked.
    enabled = admin.post(f"/api/auth/users/{target.id}/toggle_active/")
    assert enabled.status_int == 200 and enabled.json["isActive"] is True
    assert signed_in.get("/api/auth/me/").json["code"] == "session_revoked"
    refreshed = testapp.post_json("/api/auth/token/refresh/", {"refresh": signed_in.refresh}, status="*")
    assert refreshed.status_int == 401 and refreshed.json["code"] == "session_revoked"
    assert sign_in(testapp, target.username).status_int == 200


def test_set_password_signs_the_user_out_everywhere(admin, registry, testapp):
    target = make_user(registry, "user")
    phone, laptop = ApiClient(testapp, target.username), ApiClient(testapp, target.username)
    response = admin.post(f"/api/auth/users/{target.id}/set_password/", {"password": NEW_PASSWORD})
    assert response.status_int == 204 and not response.body
    for client in (phone, laptop):
        assert client.get("/api/auth/me/").json["code"] == "session_revoked"
    assert sign_in(testapp, target.username, PASSWORD).json["code"] == "invalid_credentials"
    assert sign_in(testapp, target.username, NEW_PASSWORD).status_int == 200


def test_setting_your_own_password_keeps_this_session_only(registry, testapp):
    user = make_user(registry, "admin")
    here, elsewhere = ApiClient(testapp, user.username), ApiClient(testapp, user.username)
    response = here.post(f"/api/auth/users/{user.id}/set_password/", {"password": NEW_PASSWORD})
    assert response.status_int == 204
    assert here.get("/api/auth/me/").status_int == 200
    assert elsewhere.get("/api/auth/me/").json["code"] == "session_revoked"


@pytest.mark.parametrize("password", ["too short", "TARGET-USER-1"])
def test_password_policy_on_set_password(admin, registry, password):
    target = make_user(registry, "user", username="target-user-1")
    response = admin.post(f"/api/auth/users/{target.id}/set_password/", {"password": password})
    assert response.status_int == 400
    assert response.json["code"] == "invalid" and response.json["errors"]["password"]


def test_every_admin_endpoint_is_described_in_openapi_as_admin_only(testapp):
    paths = testapp.get("/api/openapi.json").json["paths"]
    for method, path, body, ok in ENDPOINTS:
        operation = paths[path][method.lower()]
        assert operation["x-permission"] == "admin", (method, path)
        assert str(ok) in operation["responses"], (method, path)
        assert ("requestBody" in operation) == (body is not None), (method, path)
