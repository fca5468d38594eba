"""The events feed (`GET /api/events/`), who may read which events, the events of users, sessions
and unlinked rows, the transaction boundary, the announcements and retention (core/changes.py,
core/history.py)."""

import itertools
import select as selectors
from datetime import timedelta

import psycopg
import pytest
from sqlalchemy import select, update
from sqlalchemy.engine import make_url

from backend_api.core import changes, history
from backend_api.core.changes import ChangeEvent
from backend_api.core.timeutil import now
from tests.api.conftest import ApiClient
from tests.conftest import ENGINE
from tests.factories import make_department, make_person, make_user


def _seqs(page) -> list[int]:
    return [e["seq"] for e in page["results"]]


_names = itertools.count(1)


def _logged(registry) -> int:
    """How many events the log holds (the clients' sign-ins are events too)."""
    reader, _ = registry.planner_sessions
    with reader() as db:
        return len(db.scalars(select(ChangeEvent.id)).all())


def _write(manager, n: int) -> list[int]:
    """Create `n` departments: `n` events."""
    return [manager.post("/api/departments/", {"name": f"Team {next(_names)}"}).json["id"] for _ in range(n)]


def test_without_after_the_feed_gives_only_the_cursor(manager, staff):
    start = staff.get("/api/events/").json
    assert (start["results"], start["hasMore"], start["reset"]) == ([], False, False)
    _write(manager, 2)
    assert staff.get("/api/events/").json["last"] == staff.get("/api/events/?after=0").json["last"] > 0


def test_following_the_feed_sees_every_event_once_in_order(manager, staff):
    cursor = staff.get("/api/events/").json["last"]
    ids = _write(manager, 5)
    seen, pages = [], 0
    while True:
        page = staff.get(f"/api/events/?after={cursor}&limit=2").json
        seen += page["results"]
        cursor, pages = page["last"], pages + 1
        if not page["hasMore"]:
            break
    assert pages == 3 and [e["objectId"] for e in seen] == ids
    assert _seqs({"results": seen}) == sorted(_seqs({"results": seen}))
    assert {e["resource"] for e in seen} == {"departments"} and {e["action"] for e in seen} == {"created"}
    # Caught up: the next call answers nothing new and keeps the cursor.
    assert staff.get(f"/api/events/?after={cursor}").json == {
        "results": [],
        "last": cursor,
        "hasMore": False,
        "reset": False,
    }


@pytest.mark.parametrize("query", ["after=-1", "after=x", "limit=0", "limit=x", "after=1.5"])
def test_bad_parameters_are_400(staff, query):
    response = staff.get(f"/api/events/?{query}")
    assert response.status_int == 400 and response.json["code"] == "invalid"


def test_the_feed_needs_a_signed_in_user(testapp):
    assert testapp.get("/api/events/?after=0", status="*").status_int == 401


def test_a_cursor_past_removed_events_or_past_the_log_resets(manager, staff, registry):
    _write(manager, 3)
    last = staff.get("/api/events/").json["last"]
    assert staff.get(f"/api/events/?after={last + 10}").json == {
        "results": [],
        "last": last,
        "hasMore": False,
        "reset": True,
    }
    _, writer = registry.planner_sessions
    logged = _logged(registry)
    with writer() as db:
        assert history.prune(db, now() + timedelta(seconds=1)) == logged
    _write(manager, 1)
    page = staff.get(f"/api/events/?after={last - 2}").json
    assert page["reset"] is True and page["results"] == [] and page["last"] == last + 1
    assert staff.get(f"/api/events/?after={last}").json["reset"] is False  # nothing it missed was removed


def test_retention_removes_old_events_in_batches_and_keeps_new_ones(manager, registry):
    _write(manager, 7)
    _, writer = registry.planner_sessions
    with writer() as db, db.begin():
        db.execute(
            update(ChangeEvent)
            .where(
                ChangeEvent.id <= select(ChangeEvent.id).order_by(ChangeEvent.id).offset(4).limit(1).scalar_subquery()
            )
            .values(created_at=now() - timedelta(days=91))
        )
    logged = _logged(registry)
    with writer() as db:
        assert history.prune(db, now() - timedelta(days=90), batch=2) == 5
    assert _logged(registry) == logged - 5


def test_prune_command_uses_the_retention_setting(manager, registry, database_url, monkeypatch, capsys):
    from backend_api.__main__ import main

    _write(manager, 2)
    _, writer = registry.planner_sessions
    with writer() as db, db.begin():
        db.execute(update(ChangeEvent).values(created_at=now() - timedelta(days=40)))
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("CHANGE_RETENTION_DAYS", "60")
    main(["prune-changes"])
    assert "removed 0 changes older than 60 days" in capsys.readouterr().out
    logged = _logged(registry)
    main(["prune-changes", "--days", "30"])
    assert f"removed {logged} changes older than 30 days" in capsys.readouterr().out
    with pytest.raises(SystemExit, match="at least 1 day"):
        main(["prune-changes", "--days", "0"])


def test_deleting_a_row_records_the_unlinking_of_the_rows_that_pointed_at_it(manager, staff, registry):
    team = make_department(registry)
    person = make_person(registry, department_id=team.id)
    cursor = staff.get("/api/events/").json["last"]
    assert manager.delete(f"/api/departments/{team.id}/").status_int == 204
    unlinked, deleted = staff.get(f"/api/events/?after={cursor}").json["results"]
    assert (unlinked["resource"], unlinked["objectId"], unlinked["action"]) == ("people", person.id, "updated")
    assert unlinked["changes"] == [{"field": "departmentId", "old": team.id, "new": None}]
    assert unlinked["etag"] == staff.get(f"/api/people/{person.id}/").headers["ETag"]
    assert (deleted["resource"], deleted["objectId"], deleted["action"]) == ("departments", team.id, "deleted")


def test_user_and_session_events_are_read_by_their_owner_and_admins_only(testapp, admin, registry):
    bea = make_user(registry, "user", username="bea")
    cal = make_user(registry, "user", username="cal")
    bea_client, cal_client = ApiClient(testapp, "bea"), ApiClient(testapp, "cal")
    cursor = admin.get("/api/events/").json["last"]
    me = bea_client.get("/api/auth/sessions/").json["results"][0]
    assert bea_client.post("/api/auth/sessions/revoke/", {"sessionId": me["id"]}).status_int == 200
    assert admin.post(f"/api/auth/users/{cal.id}/change_role/", {"role": "manager"}).status_int == 200

    everything = admin.get(f"/api/events/?after={cursor}").json["results"]
    assert [(e["resource"], e["objectId"]) for e in everything] == [("sessions", me["id"]), ("users", cal.id)]
    assert everything[0]["changes"] == [{"field": "isActive", "old": True, "new": False}]
    assert {"field": "role", "old": "user", "new": "manager"} in everything[1]["changes"]
    # Bea's own session ended: she reads nothing any more. Cal reads his own change, not Bea's session.
    assert bea_client.get(f"/api/events/?after={cursor}").status_int == 401
    mine = cal_client.get(f"/api/events/?after={cursor}").json
    assert [(e["resource"], e["objectId"]) for e in mine["results"]] == [("users", cal.id)]
    assert mine["last"] == everything[-1]["seq"]
    assert bea.id != cal.id


def test_a_user_event_never_holds_a_secret(admin, registry):
    user = make_user(registry, "user")
    cursor = admin.get("/api/events/").json["last"]
    assert admin.post(f"/api/auth/users/{user.id}/set_password/", {"password": "another long secret 1"}).status_int in (
        200,
        204,
    )
    text = str(admin.get(f"/api/events/?after={cursor}").json)
    assert "another long secret" not in text and "$2b$" not in text and "password" not in text.lower()


def test_a_rolled_back_transaction_writes_no_event(registry):
    _, writer = registry.planner_sessions
    with writer() as db:
        db.begin()
        changes.record(db, None, "people", 1, changes.UPDATED)
        db.rollback()
        with db.begin():  # the session's next transaction starts clean
            pass
    reader, _ = registry.planner_sessions
    with reader() as db:
        assert db.scalars(select(ChangeEvent)).all() == []


def test_an_integrity_error_after_the_write_leaves_no_event(manager, registry):
    assert manager.post("/api/projects/", {"name": "A", "projectNumber": "P-1"}).status_int == 201
    assert manager.post("/api/projects/", {"name": "B", "projectNumber": "P-1"}).status_int == 400
    reader, _ = registry.planner_sessions
    with reader() as db:
        assert len(db.scalars(select(ChangeEvent).where(ChangeEvent.resource == "projects")).all()) == 1


def test_listeners_are_woken_after_the_commit_with_the_last_seq(manager, staff, registry):
    cursor = staff.get("/api/events/").json["last"]
    woken: list[int] = []
    unsubscribe = registry.planner_announcer.subscribe(woken.append)
    try:
        _write(manager, 2)
        manager.post("/api/departments/", {"name": ""})  # refused: no wake-up
    finally:
        unsubscribe()
    _write(manager, 1)  # after unsubscribing: not heard
    assert woken == _seqs(staff.get(f"/api/events/?after={cursor}&limit=2").json)


@pytest.mark.skipif(ENGINE != "postgres", reason="NOTIFY is PostgreSQL's")
def test_postgres_notifies_listeners_with_the_last_seq_at_commit(manager, staff, database_url):
    url = make_url(database_url).set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f"LISTEN {changes.CHANNEL}")
        _write(manager, 1)
        selectors.select([conn], [], [], 5)
        payloads = [n.payload for n in conn.notifies(timeout=1, stop_after=1)]
    assert payloads == [str(staff.get("/api/events/").json["last"])]


def test_a_commit_with_more_events_than_one_insert_holds_writes_them_all_in_order(registry):
    """A delete that unlinks thousands of rows records an event each: PostgreSQL's insert is
    chunked (changes.CHUNK) within its parameter limit; every event lands, in recording order."""
    woken: list[int] = []
    unsubscribe = registry.planner_announcer.subscribe(woken.append)
    count = 2 * changes.CHUNK + 3
    _, writer = registry.planner_sessions
    try:
        with writer() as db, db.begin():
            for n in range(count):
                changes.record(db, None, "people", n + 1, changes.UPDATED, before={"name": "a"}, after={"name": f"{n}"})
    finally:
        unsubscribe()
    reader, _ = registry.planner_sessions
    with reader() as db:
        written = db.scalars(select(ChangeEvent).order_by(ChangeEvent.id)).all()
    assert [e.object_id for e in written[-count:]] == list(range(1, count + 1))
    assert [e.changes[0]["new"] for e in written[-count:]] == [str(n) for n in range(count)]
    assert woken == [written[-1].id]


def test_a_sign_in_is_a_session_event_of_its_account(testapp, admin, registry):
    """So the account's other tabs list the new browser; only the owner and admins read it."""
    person = make_person(registry, name="Dee Lopes")
    dee = make_user(registry, "user", username="dee", person_id=person.id)
    make_user(registry, "user", username="eve")
    eve_client = ApiClient(testapp, "eve")
    cursor = admin.get("/api/events/").json["last"]
    dee_client = ApiClient(testapp, "dee")
    session = dee_client.get("/api/auth/sessions/").json["results"][0]
    [event] = admin.get(f"/api/events/?after={cursor}").json["results"]
    assert (event["resource"], event["objectId"], event["action"]) == ("sessions", session["id"], "created")
    assert (event["ownerId"], event["actor"]) == (dee.id, {"id": dee.id, "name": "Dee Lopes"})
    assert event["changes"] == [{"field": "isActive", "old": None, "new": True}]
    assert dee_client.get(f"/api/events/?after={cursor}").json["results"] == [event]
    assert eve_client.get(f"/api/events/?after={cursor}").json["results"] == []
