"""Presence (`/api/presence/`): a tab's heartbeat, who else has an item open, the change events that
tell the other tabs, expiry, revoked sessions and disabled users, and the checks of the input
(backend_api/presence)."""

from datetime import timedelta

import pytest
from sqlalchemy import select, update

from backend_api.core.timeutil import as_utc, now
from backend_api.presence.models import Presence
from backend_api.presence.services import PRESENCE_SECONDS
from tests.api.conftest import ApiClient
from tests.factories import make_person, make_user

VIEWING = {"resource": "people", "objectId": 12, "activity": "viewing"}
EDITING = {**VIEWING, "activity": "editing", "detail": "2026-12-07"}
WHO = "/api/presence/?resource=people&objectId=12"


@pytest.fixture
def ana(testapp, registry):
    """A user linked to a person: her presence carries the person's name, as her changes do."""
    person = make_person(registry, name="Ana Costa")
    user = make_user(registry, "manager", username="ana", person_id=person.id)
    return ApiClient(testapp, "ana"), user


@pytest.fixture
def bea(testapp, registry):
    """A plain user (role user), no person: her username is her name."""
    user = make_user(registry, "user", username="bea")
    return ApiClient(testapp, "bea"), user


def rows(registry) -> list[Presence]:
    reader, _ = registry.planner_sessions
    with reader() as db:
        return list(db.scalars(select(Presence).order_by(Presence.tab)))


def presence_events(client: ApiClient, after: int) -> list[dict]:
    return [e for e in client.get(f"/api/events/?after={after}").json["results"] if e["resource"] == "presence"]


def seen(user, activity="viewing", detail="", you=False, object_id=12) -> dict:
    name = "Ana Costa" if user.username == "ana" else user.username
    return {
        "user": {"id": user.id, "name": name},
        "resource": "people",
        "objectId": object_id,
        "activity": activity,
        "detail": detail,
        "you": you,
    }


def test_put_get_delete_round_trip(ana):
    client, user = ana
    assert client.put("/api/presence/tab-1/", VIEWING).status_int == 204
    assert client.get(f"{WHO}&tab=tab-1").json == {"results": [seen(user, you=True)]}
    assert client.get(WHO).json == {"results": [seen(user)]}  # no tab: nothing is `you`
    assert client.get("/api/presence/?resource=people&objectId=13").json == {"results": []}
    assert client.get("/api/presence/?resource=projects&objectId=12").json == {"results": []}
    assert client.delete("/api/presence/tab-1/").status_int == 204
    assert client.get(WHO).json == {"results": []}


def test_two_users_see_each_other_editing_first_then_by_name(ana, bea, registry):
    (a, ana_user), (b, bea_user) = ana, bea
    assert a.put("/api/presence/a1/", VIEWING).status_int == 204
    assert b.put("/api/presence/b1/", EDITING).status_int == 204
    assert a.get(f"{WHO}&tab=a1").json["results"] == [
        seen(bea_user, "editing", "2026-12-07"),
        seen(ana_user, you=True),
    ]
    assert b.put("/api/presence/b1/", VIEWING).status_int == 204
    assert b.get(f"{WHO}&tab=b1").json["results"] == [seen(ana_user), seen(bea_user, you=True)]
    # The same user's other tab is listed too, and is not `you`.
    assert a.put("/api/presence/a2/", EDITING).status_int == 204
    assert a.get(f"{WHO}&tab=a1").json["results"] == [
        seen(ana_user, "editing", "2026-12-07"),
        seen(ana_user, you=True),
        seen(bea_user),
    ]
    assert [(r.tab, r.user_id, r.name) for r in rows(registry)] == [
        ("a1", ana_user.id, "Ana Costa"),
        ("a2", ana_user.id, "Ana Costa"),
        ("b1", bea_user.id, "bea"),
    ]


def test_a_heartbeat_records_nothing_and_a_change_records_one_event(ana, bea, registry):
    (a, ana_user), (b, _) = ana, bea
    cursor = b.get("/api/events/").json["last"]
    assert a.put("/api/presence/tab-1/", VIEWING).status_int == 204
    [created] = presence_events(b, cursor)  # every signed-in user hears of it through the feed
    assert (created["objectId"], created["action"], created["actor"]) == (
        12,
        "created",
        {"id": ana_user.id, "name": "Ana Costa"},
    )
    assert created["changes"] == [
        {"field": "resource", "old": None, "new": "people"},
        {"field": "objectId", "old": None, "new": 12},
        {"field": "activity", "old": None, "new": "viewing"},
        {"field": "detail", "old": None, "new": ""},
    ]

    _, writer = registry.planner_sessions
    with writer() as db, db.begin():  # nearly expired: the heartbeat moves the expiry on
        db.execute(update(Presence).values(expires_at=now() + timedelta(seconds=2)))
    assert a.put("/api/presence/tab-1/", VIEWING).status_int == 204
    assert as_utc(rows(registry)[0].expires_at) > now() + timedelta(seconds=PRESENCE_SECONDS - 5)
    assert len(presence_events(b, cursor)) == 1

    assert a.put("/api/presence/tab-1/", EDITING).status_int == 204
    assert a.put("/api/presence/tab-1/", EDITING).status_int == 204
    assert a.put("/api/presence/tab-1/", {**EDITING, "objectId": 13}).status_int == 204
    _, typing, moved = presence_events(b, cursor)
    assert (typing["action"], typing["objectId"]) == ("updated", 12)
    assert typing["changes"] == [
        {"field": "activity", "old": "viewing", "new": "editing"},
        {"field": "detail", "old": "", "new": "2026-12-07"},
    ]
    # Another item: the event is the new item's, and says which one the tab left.
    assert (moved["action"], moved["objectId"]) == ("updated", 13)
    assert moved["changes"] == [{"field": "objectId", "old": 12, "new": 13}]


def test_delete_records_one_event_and_a_second_delete_none(ana, registry):
    client, _ = ana
    assert client.put("/api/presence/tab-1/", EDITING).status_int == 204
    cursor = client.get("/api/events/").json["last"]
    assert client.delete("/api/presence/tab-1/").status_int == 204
    assert client.delete("/api/presence/tab-1/").status_int == 204
    assert client.delete("/api/presence/never-was/").status_int == 204
    [deleted] = presence_events(client, cursor)
    assert (deleted["action"], deleted["objectId"]) == ("deleted", 12)
    assert {c["field"]: c["old"] for c in deleted["changes"]} == {
        "resource": "people",
        "objectId": 12,
        "activity": "editing",
        "detail": "2026-12-07",
    }
    assert rows(registry) == []


def test_an_expired_presence_is_hidden_and_the_next_heartbeat_purges_it(ana, bea, registry):
    (a, _), (b, bea_user) = ana, bea
    assert a.put("/api/presence/a1/", VIEWING).status_int == 204
    _, writer = registry.planner_sessions
    with writer() as db, db.begin():
        db.execute(update(Presence).values(expires_at=now() - timedelta(seconds=1)))
    assert b.get(WHO).json == {"results": []}
    assert [r.tab for r in rows(registry)] == ["a1"]  # a read writes nothing
    cursor = b.get("/api/events/").json["last"]
    assert b.put("/api/presence/b1/", {**VIEWING, "objectId": 99}).status_int == 204
    assert [r.tab for r in rows(registry)] == ["b1"]  # anyone's expired rows go, without events
    assert [(e["action"], e["objectId"]) for e in presence_events(b, cursor)] == [("created", 99)]
    assert b.get("/api/presence/?resource=people&objectId=99").json["results"] == [seen(bea_user, object_id=99)]


def test_a_tab_coming_back_after_expiry_is_new_again(ana, registry):
    client, _ = ana
    assert client.put("/api/presence/tab-1/", VIEWING).status_int == 204
    _, writer = registry.planner_sessions
    with writer() as db, db.begin():
        db.execute(update(Presence).values(expires_at=now() - timedelta(seconds=1)))
    cursor = client.get("/api/events/").json["last"]
    assert client.put("/api/presence/tab-1/", VIEWING).status_int == 204
    assert [e["action"] for e in presence_events(client, cursor)] == ["created"]


def test_a_revoked_session_and_a_disabled_user_disappear_at_once(testapp, ana, bea, admin):
    (a, _), (b, bea_user) = ana, bea
    other_device = ApiClient(testapp, "ana")  # a second session of Ana's
    assert other_device.put("/api/presence/phone/", VIEWING).status_int == 204
    assert a.put("/api/presence/laptop/", VIEWING).status_int == 204
    assert b.put("/api/presence/b1/", VIEWING).status_int == 204
    assert len(admin.get(WHO).json["results"]) == 3

    phone = next(s for s in other_device.get("/api/auth/sessions/").json["results"] if s["current"])
    assert a.post("/api/auth/sessions/revoke/", {"sessionId": phone["id"]}).status_int == 200
    assert [r["user"]["name"] for r in admin.get(WHO).json["results"]] == ["Ana Costa", "bea"]

    assert admin.post(f"/api/auth/users/{bea_user.id}/toggle_active/").status_int == 200
    assert [r["user"]["name"] for r in admin.get(WHO).json["results"]] == ["Ana Costa"]


def test_a_deleted_user_takes_their_presence_along(bea, admin, registry):
    b, bea_user = bea
    assert b.put("/api/presence/b1/", VIEWING).status_int == 204
    assert admin.delete(f"/api/auth/users/{bea_user.id}/").status_int == 204
    assert rows(registry) == []


def test_without_object_id_every_presence_on_the_resource_newest_first(ana, bea):
    (a, ana_user), (b, bea_user) = ana, bea
    assert a.put("/api/presence/a1/", VIEWING).status_int == 204
    assert b.put("/api/presence/b1/", {**EDITING, "objectId": 13}).status_int == 204
    assert a.put("/api/presence/a2/", {**VIEWING, "resource": "projects"}).status_int == 204
    assert b.get("/api/presence/?resource=people&tab=b1").json["results"] == [
        seen(bea_user, "editing", "2026-12-07", you=True, object_id=13),
        seen(ana_user),
    ]
    assert [r["resource"] for r in b.get("/api/presence/?resource=projects").json["results"]] == ["projects"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({**VIEWING, "resource": "users"}, "resource"),
        ({**VIEWING, "resource": None}, "resource"),
        ({"objectId": 12, "activity": "viewing"}, "resource"),
        ({**VIEWING, "activity": "typing"}, "activity"),
        ({**VIEWING, "objectId": 0}, "objectId"),
        ({**VIEWING, "objectId": "12"}, "objectId"),
        ({**VIEWING, "objectId": 1.5}, "objectId"),
        ({**VIEWING, "objectId": True}, "objectId"),
        ({**VIEWING, "objectId": 2**31}, "objectId"),
        ({**VIEWING, "detail": "x" * 65}, "detail"),
        ({**VIEWING, "detail": "a\x00b"}, "detail"),
        ({**VIEWING, "tab": "other"}, "tab"),  # unknown keys are refused
    ],
)
def test_a_bad_body_is_400_on_its_field_and_writes_nothing(ana, registry, body, field):
    client, _ = ana
    cursor = client.get("/api/events/").json["last"]
    response = client.put("/api/presence/tab-1/", body)
    assert response.status_int == 400 and response.json["code"] == "invalid"
    assert field in response.json["errors"], response.json
    assert rows(registry) == [] and presence_events(client, cursor) == []


def test_a_body_that_is_no_json_object_is_400(ana):
    client, _ = ana
    for body in ([VIEWING], "viewing"):
        response = client.put("/api/presence/tab-1/", body)
        assert (response.status_int, response.json["code"]) == (400, "invalid")


@pytest.mark.parametrize("tab", ["x" * 65, "a.b", "a%20b", "%C3%A9t%C3%A9", "a:b"])
def test_a_bad_tab_is_400(ana, tab):
    client, _ = ana
    for response in (client.put(f"/api/presence/{tab}/", VIEWING), client.delete(f"/api/presence/{tab}/")):
        assert response.status_int == 400 and response.json["errors"] == {
            "tab": ["Use 1 to 64 letters, digits, - or _."]
        }
    response = client.get(f"{WHO}&tab={tab}")
    assert response.status_int == 400 and "tab" in response.json["errors"]


def test_a_tab_of_64_characters_is_fine_and_a_slash_matches_no_route(ana):
    client, _ = ana
    assert client.put(f"/api/presence/{'A-z_9' * 12}abcd/", VIEWING).status_int == 204
    assert client.put("/api/presence/a/b/", VIEWING).status_int == 404


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("objectId=12", "resource"),
        ("resource=", "resource"),
        ("resource=users&objectId=12", "resource"),
        ("resource=people&objectId=0", "objectId"),
        ("resource=people&objectId=x", "objectId"),
        ("resource=people&objectId=2147483648", "objectId"),
    ],
)
def test_bad_query_parameters_are_400(ana, query, field):
    client, _ = ana
    response = client.get(f"/api/presence/?{query}")
    assert response.status_int == 400 and field in response.json["errors"], response.json


def test_presence_needs_a_signed_in_user(testapp):
    assert testapp.put_json("/api/presence/tab-1/", VIEWING, status="*").status_int == 401
    assert testapp.delete("/api/presence/tab-1/", status="*").status_int == 401
    response = testapp.get(WHO, status="*")
    assert response.status_int == 401 and response.json["code"] == "not_authenticated"


def test_the_operations_are_in_the_openapi_document(testapp):
    paths = testapp.get("/api/openapi.json").json["paths"]
    tab = paths["/api/presence/{tab}/"]
    assert set(tab) == {"put", "delete"} and set(paths["/api/presence/"]) == {"get"}
    [param] = tab["put"]["parameters"]
    assert param == {
        "name": "tab",
        "in": "path",
        "required": True,
        "schema": {"type": "string", "pattern": "^[A-Za-z0-9_-]{1,64}$"},
        "description": "The browser tab (the app's id).",
    }
    assert "204" in tab["put"]["responses"] and "400" in tab["put"]["responses"]
    query = {p["name"]: p for p in paths["/api/presence/"]["get"]["parameters"]}
    assert query["resource"]["required"] is True and query["objectId"]["required"] is False
    assert query["resource"]["schema"]["enum"] == [
        "people",
        "departments",
        "projects",
        "assignments",
        "deliverables",
        "timeoff",
    ]
