"""What one request costs the database, counted with SQLAlchemy's events: a signed-in read is one
connection checkout and one transaction, its session and user checked by one query inside it, no
pre-ping; a write on SQLite takes the write lock only at its first write; a request that finds
its connection dead before it wrote is run once more."""

import contextlib
from datetime import timedelta

import pytest
from sqlalchemy import event, update
from sqlalchemy.exc import DBAPIError

from backend_api.auth.models import TokenSession
from backend_api.core.timeutil import now
from backend_api.dashboard import views
from tests.conftest import ENGINE
from tests.factories import make_department, make_person


@contextlib.contextmanager
def recorded(engine, monkeypatch):
    """Checkouts, pre-pings, transactions begun and ended, and every statement (whitespace folded)."""
    seen = {"checkout": 0, "ping": 0, "begin": 0, "end": 0, "statements": []}

    def count(name):
        def listener(*_args):
            seen[name] += 1

        return listener

    def statement(_conn, _cursor, sql, _parameters, _context, _executemany):
        seen["statements"].append(" ".join(sql.split()))

    ping = engine.dialect.do_ping
    monkeypatch.setattr(
        engine.dialect, "do_ping", lambda conn: seen.__setitem__("ping", seen["ping"] + 1) or ping(conn)
    )
    listeners = [
        ("checkout", count("checkout")),
        ("begin", count("begin")),
        ("commit", count("end")),
        ("rollback", count("end")),
        ("before_cursor_execute", statement),
    ]
    for name, listener in listeners:
        event.listen(engine, name, listener)
    try:
        yield seen
    finally:
        for name, listener in listeners:
            event.remove(engine, name, listener)


def _of(statements, verb):
    return [s for s in statements if s.upper().startswith(verb)]


def test_a_signed_in_detail_read_is_one_checkout_one_transaction_and_one_session_query(admin, registry, monkeypatch):
    person = make_person(registry, department_id=make_department(registry).id)
    with recorded(registry.planner_engine, monkeypatch) as seen:
        response = admin.get(f"/api/people/{person.id}/")
    assert response.status_int == 200
    assert (seen["checkout"], seen["ping"], seen["begin"], seen["end"]) == (1, 0, 1, 1)
    selects = _of(seen["statements"], "SELECT")
    session_checks = [s for s in selects if "token_sessions" in s]
    assert len(session_checks) == 1 and "JOIN users" in session_checks[0]
    assert selects[0] == session_checks[0]  # the first statement of the request's transaction
    assert not [s for s in seen["statements"] if s.upper().startswith(("INSERT", "UPDATE", "DELETE"))]


def test_a_sessions_last_use_is_written_in_the_same_transaction_at_its_end(admin, registry, db, monkeypatch):
    _, writer = registry.planner_sessions
    with writer() as session, session.begin():
        session.execute(update(TokenSession).values(last_used_at=now() - timedelta(minutes=5)))
    with recorded(registry.planner_engine, monkeypatch) as seen:
        assert admin.get("/api/auth/me/").status_int == 200
    assert (seen["checkout"], seen["begin"], seen["end"]) == (1, 1, 1)
    writes = [s for s in seen["statements"] if s.upper().startswith("UPDATE")]
    assert len(writes) == 1 and writes[0].startswith("UPDATE token_sessions SET last_used_at")
    assert seen["statements"][-1] == writes[0]  # after the view's reads
    assert now() - db.query(TokenSession).one().last_used_at.replace(tzinfo=now().tzinfo) < timedelta(minutes=1)


@pytest.mark.skipif(ENGINE != "sqlite", reason="SQLite's write lock")
def test_on_sqlite_a_write_takes_the_write_lock_at_its_update_not_at_its_first_read(admin, registry, monkeypatch):
    person = make_person(registry)
    etag = admin.get(f"/api/people/{person.id}/").headers["ETag"]
    traced: list[str] = []  # what SQLite itself ran, the BEGIN IMMEDIATE sent past SQLAlchemy too

    def trace(dbapi_connection, _record, _proxy):
        dbapi_connection.set_trace_callback(lambda sql: traced.append(" ".join(sql.split())))

    def untrace(dbapi_connection, _record):
        dbapi_connection.set_trace_callback(None)

    engine = registry.planner_engine
    event.listen(engine, "checkout", trace)
    event.listen(engine, "checkin", untrace)
    try:
        response = admin.patch(f"/api/people/{person.id}/", {"notes": "locked late"}, headers={"If-Match": etag})
    finally:
        event.remove(engine, "checkout", trace)
        event.remove(engine, "checkin", untrace)
    assert response.status_int == 200
    immediate = traced.index("BEGIN IMMEDIATE")
    assert traced[0] == "BEGIN"
    before = traced[:immediate]
    assert any("token_sessions" in s for s in before) and any(s.startswith("SELECT people.") for s in before)
    assert traced[immediate + 1].startswith("UPDATE people SET")
    assert not [s for s in before if s.startswith(("INSERT", "UPDATE", "DELETE"))]


def _dead_connection():
    return DBAPIError("SELECT 1", {}, Exception("server closed the connection"), connection_invalidated=True)


def test_a_read_that_lost_its_connection_is_run_once_more(admin, monkeypatch):
    calls = []

    def flaky(db, *_args, **_kw):
        calls.append(1)
        if len(calls) == 1:
            raise _dead_connection()
        return {"weeks": []}

    monkeypatch.setattr(views, "dashboard", flaky)
    assert admin.get("/api/dashboard/").status_int == 200
    assert len(calls) == 2


def test_a_request_that_wrote_before_losing_its_connection_is_not_repeated(admin, monkeypatch):
    calls = []

    def wrote_then_lost(db, *_args, **_kw):
        calls.append(1)
        db.execute(update(TokenSession).values(ip="10.0.0.2"))
        raise _dead_connection()

    monkeypatch.setattr(views, "dashboard", wrote_then_lost)
    response = admin.get("/api/dashboard/")
    assert response.status_int == 503 and response.json["code"] == "unavailable"
    assert len(calls) == 1
