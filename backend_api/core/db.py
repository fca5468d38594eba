"""Engine and the per-request session.

SQLite runs in WAL mode with foreign keys on. Requests that write open their transaction with
BEGIN IMMEDIATE: a deferred transaction that read first and then writes fails with SQLITE_BUSY
(not a wait) when another process committed in between, which would turn a lost race into a 500
instead of a clean 412.
"""

import sqlite3
from enum import StrEnum
from typing import Any, cast

from pyramid.tweens import EXCVIEW, MAIN
from sqlalchemy import create_engine, event
from sqlalchemy.engine import CursorResult, Engine, Result
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from . import metrics

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
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


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False})
        _configure_sqlite(engine)
    else:
        # pool_pre_ping: a pooled connection that died with a PostgreSQL restart is replaced on
        # checkout, so the first request after the restart works. connect_timeout: an unreachable
        # host answers 503 within seconds instead of holding a worker thread for minutes.
        engine = create_engine(
            url, pool_pre_ping=True, pool_size=10, max_overflow=10, connect_args={"connect_timeout": 5}
        )
    _count_errors(engine)
    return engine


def _count_errors(engine: Engine) -> None:
    # Every error of the driver, those a caller turns into a clean answer (a unique key taken by
    # a concurrent request) too: a rising count is worth a look either way.
    @event.listens_for(engine, "handle_error")
    def on_error(context):
        if not context.is_pre_ping:  # a dead pooled connection, replaced before anyone used it
            metrics.db_error(context.original_exception)


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection, _record):
        # Let SQLAlchemy's "begin" event emit BEGIN itself (pysqlite's own handling is lazy).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(conn):
        immediate = conn.get_execution_options().get("sqlite_immediate", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


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


def session_factories(engine: Engine) -> tuple[sessionmaker, sessionmaker]:
    """(reader, writer) session factories; the writer takes SQLite's write lock up front."""
    reader = sessionmaker(bind=engine, expire_on_commit=False)
    writer = sessionmaker(bind=engine.execution_options(sqlite_immediate=True), expire_on_commit=False)
    return reader, writer


def request_session(request) -> Session:
    """The request's session, opened on first use; the transaction tween ends it."""
    reader, writer = request.registry.planner_sessions
    return (reader if request.method in SAFE_METHODS else writer)()


def transaction_tween_factory(handler, registry):
    """Commit before the response leaves (so a 200 is never sent for a write that then fails);
    roll back on any error status or exception."""

    def tween(request):
        try:
            response = handler(request)
        except BaseException:
            _end(request, commit=False)
            raise
        _end(request, commit=response.status_code < 400)
        return response

    return tween


def _end(request, commit: bool) -> None:
    session = request.__dict__.pop("db", None)  # only if the request opened one
    if session is None:
        return
    try:
        # A view may insist on keeping its writes even when it answers with an error
        # (revoking a session whose refresh token was replayed).
        if commit or session.info.get("commit_on_error"):
            session.commit()
        else:
            session.rollback()
    finally:
        session.close()


def includeme(config):
    config.add_request_method(request_session, "db", reify=True)
    config.add_tween("backend_api.core.db.transaction_tween_factory", under=EXCVIEW, over=MAIN)


def rows_changed(result: Result[Any]) -> int:
    """How many rows an UPDATE or DELETE matched. `Session.execute` is typed as answering a
    `Result`; for those statements it is a `CursorResult`, which counts them."""
    return cast(CursorResult[Any], result).rowcount
