"""The audit log (/api/auth/audit/): one row per admin action, written with the change, saying who,
what changed and from where, never a secret, and outliving the users it mentions."""

import json

from tests.api.conftest import ApiClient
from tests.factories import PASSWORD, make_user

NEW_PASSWORD = "a much longer secret"
ENTRY_KEYS = {"id", "actor", "action", "targetType", "targetId", "meta", "createdAt"}


def me(client) -> dict:
    return client.get("/api/auth/me/").json


def audit(client, query: str = "") -> list[dict]:
    response = client.get(f"/api/auth/audit/{query}")
    assert response.status_int == 200, response.json
    return response.json["results"]


def test_every_action_is_recorded_with_actor_change_request_id_and_ip(admin, registry):
    actor = me(admin)
    created = admin.post(
        "/api/auth/users/",
        {"username": "newbie", "email": "n@example.com", "password": NEW_PASSWORD, "role": "user"},
        headers={"X-Request-ID": "req-create_user"},
    )
    target = created.json["id"]
    url = f"/api/auth/users/{target}"
    changes = [
        admin.post(f"{url}/set_password/", {"password": NEW_PASSWORD}, headers={"X-Request-ID": "req-set_password"}),
        admin.post(f"{url}/change_role/", {"role": "manager"}, headers={"X-Request-ID": "req-change_role"}),
        admin.post(f"{url}/toggle_active/", headers={"X-Request-ID": "req-toggle_active"}),
        admin.delete(f"{url}/", headers={"X-Request-ID": "req-delete_user"}),
    ]
    assert [r.status_int for r in [created, *changes]] == [201, 204, 200, 200, 204]

    entries = audit(admin)
    assert [e["action"] for e in entries] == [
        "delete_user",
        "toggle_active",
        "change_role",
        "set_password",
        "create_user",
    ]  # newest first
    for entry in entries:
        assert set(entry) == ENTRY_KEYS
        assert entry["actor"] == {"id": actor["id"], "username": actor["username"]}
        assert (entry["targetType"], entry["targetId"]) == ("user", target)
        assert entry["meta"]["requestId"] == f"req-{entry['action']}"
        assert entry["meta"]["ip"] == "10.0.0.1"
        assert entry["createdAt"].endswith("Z")
    meta = {e["action"]: e["meta"] for e in entries}
    assert meta["create_user"]["username"] == "newbie" and meta["create_user"]["role"] == "user"
    assert meta["change_role"]["from"] == "user" and meta["change_role"]["to"] == "manager"
    assert meta["toggle_active"]["isActive"] is False
    assert meta["delete_user"]["username"] == "newbie"


def test_meta_never_holds_a_password_or_a_token(admin, registry, testapp):
    target = make_user(registry, "user")
    signed_in = ApiClient(testapp, target.username)
    admin.post("/api/auth/users/", {"username": "newbie", "password": NEW_PASSWORD, "role": "admin"})
    admin.post(f"/api/auth/users/{target.id}/set_password/", {"password": "another long secret"})
    admin.post(f"/api/auth/users/{target.id}/toggle_active/")
    entries = audit(admin)
    assert len(entries) == 3
    text = json.dumps([e["meta"] for e in entries]).lower()
    for secret in (
        NEW_PASSWORD,
        "another long secret",
        PASSWORD,
        signed_in.access,
        signed_in.refresh,
        admin.access,
        admin.refresh,
        "password",
        "token",
        "$2b$",
    ):
        assert secret.lower() not in text


def test_a_refused_change_leaves_no_audit_row(admin):
    own = me(admin)["id"]
    assert admin.post(f"/api/auth/users/{own}/change_role/", {"role": "user"}).json["code"] == "last_admin"
    assert admin.post(f"/api/auth/users/{own}/toggle_active/").status_int == 400
    assert admin.post("/api/auth/users/", {"username": "x", "password": "short"}).status_int == 400
    assert audit(admin) == []


def test_a_role_change_to_the_same_role_changes_and_records_nothing(admin, registry):
    target = make_user(registry, "manager")
    response = admin.post(f"/api/auth/users/{target.id}/change_role/", {"role": "manager"})
    assert response.status_int == 200 and response.json["role"] == "manager"
    assert audit(admin) == []


def test_rows_outlive_the_users_they_mention(admin, registry, testapp):
    deputy = make_user(registry, "admin", username="deputy")
    deputy_client = ApiClient(testapp, "deputy")
    created = deputy_client.post("/api/auth/users/", {"username": "newbie", "password": NEW_PASSWORD})
    assert created.status_int == 201
    assert admin.delete(f"/api/auth/users/{created.json['id']}/").status_int == 204
    assert admin.delete(f"/api/auth/users/{deputy.id}/").status_int == 204

    entries = audit(admin)
    by_deputy = [e for e in entries if e["actor"]["username"] == "deputy"]
    assert [e["action"] for e in by_deputy] == ["create_user"]
    assert by_deputy[0]["actor"] == {"id": None, "username": "deputy"}
    deleted = [e for e in entries if e["action"] == "delete_user"]
    assert {(e["targetId"], e["meta"]["username"]) for e in deleted} == {
        (created.json["id"], "newbie"),
        (deputy.id, "deputy"),
    }


def test_filters_and_pagination(admin, client_for, registry):
    other_admin = client_for("admin")
    first, second = make_user(registry, "user"), make_user(registry, "user")
    admin.post(f"/api/auth/users/{first.id}/toggle_active/")
    admin.post(f"/api/auth/users/{second.id}/change_role/", {"role": "manager"})
    other_admin.post(f"/api/auth/users/{first.id}/change_role/", {"role": "manager"})

    assert [e["targetId"] for e in audit(admin, "?action=change_role")] == [first.id, second.id]
    assert [e["action"] for e in audit(admin, f"?targetId={first.id}")] == ["change_role", "toggle_active"]
    other_id = me(other_admin)["id"]
    assert [e["actor"]["id"] for e in audit(admin, f"?actorId={other_id}")] == [other_id]
    bad = admin.get("/api/auth/audit/?actorId=nobody")
    assert bad.status_int == 400 and "actorId" in bad.json["errors"]
    page = admin.get("/api/auth/audit/?pageSize=2").json
    assert page["count"] == 3 and len(page["results"]) == 2 and page["next"] and page["previous"] is None
    last = admin.get("/api/auth/audit/?pageSize=2&page=2").json
    assert [e["action"] for e in last["results"]] == ["toggle_active"]
