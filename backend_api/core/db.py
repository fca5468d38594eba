"""Engine and the per-request session: one session, one connection, one transaction per request.

On SQLite (set up in core/sqlite.py) a transaction takes the write lock only at its first write,
so writers queue for their write statements and the commit, not for the whole request.
"""

import sqlite3
from contextvars import ContextVar
from enum import StrEnum
from typing import Any, cast

from pyramid.tweens import EXCVIEW, MAIN
from sqlalchemy import create_engine, event
from sqlalchemy.engine import CursorResult, Engine, Result
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from . import changes, metrics, sqlite
from .statements import writes

# PostgreSQL states that mean "not reachable now": connection exceptions (class 08), too many
# connections, and the server shutting down, crashed or starting up.
_PG_UNAVAILABLE = ("08", "53300", "57P01", "57P02", "57P03")
# SQLite (its extended error names): the file (or its directory) is missing or unreadable, or the
# 30 s busy timeout ran out.
_SQLITE_UNAVAILABLE = ("SQLITE_CANTOPEN", "SQLITE_BUSY")


class Violation(StrEnum):
    """The constraint an IntegrityError broke."""

    FOREIGN_KEY = "foreign_key"
    UNIQUE = "unique"


# By the drivers' codes, never their message text (it changes with versions and locales).
_PG_VIOLATIONS = {"23503": Violation.FOREIGN_KEY, "23505": Violation.UNIQUE}
_SQLITE_VIOLATIONS = {
    "SQLITE_CONSTRAINT_FOREIGNKEY": Violation.FOREIGN_KEY,
    "SQLITE_CONSTRAINT_UNIQUE": Violation.UNIQUE,
    "SQLITE_CONSTRAINT_PRIMARYKEY": Violation.UNIQUE,
}


# Whether the current request has sent a write to the database (any connection: the sign-in
# throttle writes on its own): after that, a request that lost its connection is not repeated.
_wrote: ContextVar[bool] = ContextVar("planner_db_wrote", default=False)


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False})
        sqlite.configure(engine)
    else:
        # No pre-ping (a round trip on every checkout): connections are replaced after 30 minutes,
        # before a server or proxy drops them as idle, and a request that finds its connection
        # dead (a PostgreSQL restart) before it wrote anything is run once more on a new one
        # (transaction_tween_factory). connect_timeout: an unreachable host answers 503 within
        # seconds instead of holding a worker thread for minutes.
        engine = create_engine(
            url, pool_recycle=1800, pool_size=10, max_overflow=10, connect_args={"connect_timeout": 5}
        )
    _count_errors(engine)
    _track_writes(engine)
    return engine


def _count_errors(engine: Engine) -> None:
    # Every error of the driver, those a caller turns into a clean answer (a unique key taken by
    # a concurrent request) too: a rising count is worth a look either way.
    @event.listens_for(engine, "handle_error")
    def on_error(context):
        metrics.db_error(context.original_exception)


def _track_writes(engine: Engine) -> None:
    @event.listens_for(engine, "after_cursor_execute")  # only once the write went through
    def on_statement(conn, cursor, statement, parameters, context, executemany):
        if not _wrote.get() and writes(statement, context):
            _wrote.set(True)


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


def database_unavailable(error: DBAPIError) -> bool:
    """Whether a database error means the database cannot be reached right now (a retry later may
    work), rather than a fault of the request or of the code."""
    if error.connection_invalidated:  # SQLAlchemy saw the connection drop mid-use
        return True
    if not isinstance(error, OperationalError):
        return False
    if isinstance(error.orig, sqlite3.OperationalError):
        return (getattr(error.orig, "sqlite_errorname", None) or "").startswith(_SQLITE_UNAVAILABLE)
    # psycopg reports a failed connection attempt (refused, unknown host, timeout) without a state.
    sqlstate = getattr(error.orig, "sqlstate", None)
    return sqlstate is None or sqlstate.startswith(_PG_UNAVAILABLE)


def violation(error: DBAPIError) -> Violation | None:
    """Which constraint a database error broke (SQLSTATE on PostgreSQL, the extended error name
    on SQLite); None for any other error."""
    if isinstance(error.orig, sqlite3.Error):
        return _SQLITE_VIOLATIONS.get(getattr(error.orig, "sqlite_errorname", ""))
    return _PG_VIOLATIONS.get(getattr(error.orig, "sqlstate", ""))


def session_factories(engine: Engine, announcer: changes.Announcer | None = None) -> tuple[sessionmaker, sessionmaker]:
    """(reader, writer) session factories. The reader's transaction takes SQLite's write lock at
    its first write (requests); the writer's up front (scripts and tests arranging data). Both
    commit the change events recorded in them and announce them with `announcer`."""
    reader = sessionmaker(bind=engine, expire_on_commit=False)
    writer = sessionmaker(bind=engine.execution_options(sqlite_immediate=True), expire_on_commit=False)
    for sessions in (reader, writer):
        changes.track(sessions, announcer)
    return reader, writer


def request_session(request) -> Session:
    """The request's session, opened on first use (the security policy's session check is
    usually that use); the transaction tween ends it."""
    reader, _ = request.registry.planner_sessions
    session = reader()
    # Also closed when the request is finished: a session opened after the tween ended (an
    # exception view reading it) must not keep its connection.
    request.add_finished_callback(lambda _request: session.close())
    return session


def defer_write(request, statement) -> None:
    """Run a bookkeeping write (a session's last use) at the end of the request, just before its
    commit, so SQLite's write lock is held for it only that long; it is kept even when the request
    fails (then in a transaction of its own)."""
    request.db.info.setdefault("deferred", []).append(statement)


def transaction_tween_factory(handler, registry):
    """Commit before the response leaves (so a 200 is never sent for a write that then fails),
    with the change events the request recorded (core/changes.track); roll back on any error
    status or exception. A request that found its pooled connection dead
    before it wrote anything is run once more on a new connection (the pool drops the dead ones)."""

    def tween(request):
        for attempt in (1, 2):
            _wrote.set(False)
            try:
                response = handler(request)
            except DBAPIError as error:
                again = attempt == 1 and error.connection_invalidated and not _wrote.get()
                _end(request, commit=False, deferred=not again)
                if not again:
                    raise
                _forget(request)
                continue
            except BaseException:
                _end(request, commit=False)
                raise
            _end(request, commit=response.status_code < 400)
            return response

    return tween


def _forget(request) -> None:
    """Drop what the failed attempt cached on the request: its response, and the request-scoped
    values kept in the environ under `planner.` (the identity the session check found)."""
    request.__dict__.pop("response", None)
    for key in [k for k in request.environ if k.startswith("planner.")]:
        del request.environ[key]


def _end(request, commit: bool, deferred: bool = True) -> None:
    session = request.__dict__.pop("db", None)  # only if the request opened one
    if session is None:
        return
    try:
        # A view may insist on keeping its writes even when it answers with an error
        # (revoking a session whose refresh token was replayed).
        if commit or session.info.get("commit_on_error"):
            _run_deferred(session)
            session.commit()
            return
        session.rollback()
        if deferred and session.info.get("deferred"):
            try:
                _run_deferred(session)
                session.commit()
            except DBAPIError:  # only bookkeeping, written again by the next request
                session.rollback()
    finally:
        session.close()


def _run_deferred(session: Session) -> None:
    for statement in session.info.pop("deferred", ()):
        session.execute(statement)


def includeme(config):
    config.add_request_method(request_session, "db", reify=True)
    config.add_request_method(defer_write, "defer_write")
    config.add_tween("backend_api.core.db.transaction_tween_factory", under=EXCVIEW, over=MAIN)


def rows_changed(result: Result[Any]) -> int:
    """How many rows an UPDATE or DELETE matched. `Session.execute` is typed as answering a
    `Result`; for those statements it is a `CursorResult`, which counts them."""
    return cast(CursorResult[Any], result).rowcount
