"""The change log: every write of a stored item is one `change_events` row, written in the same
transaction as the write (a transactional outbox), so there is an event exactly when the change
committed. It is the one source of history pages, of the events feed and of live updates.

A write records what it changed (`record`, with its `actor`); the session writes the events just
before its commit and forgets them on a rollback (`track`), then wakes the listeners (`Announcer`). Sequence ids are
committed in order, so a reader that follows `id > last seen` never skips one: SQLite has one
writer at a time anyway, and on PostgreSQL the writers queue on a transaction-level advisory lock
from their event insert to their commit — a short window, at the very end of the transaction.

The announcement is only a wake-up (PostgreSQL NOTIFY inside the transaction, Redis pub/sub and
in-process listeners after the commit): a lost one delays an update, the rows are the truth.
"""

import logging
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import (
    JSON,
    Column,
    DateTime,
    Index,
    String,
    bindparam,
    cast,
    event,
    func,
    insert,
    select,
    text,
    union_all,
)
from sqlalchemy.orm import Session, sessionmaker
from sqlmodel import Field

from .model import Row, table_of
from .timeutil import now

log = logging.getLogger(__name__)

CHANNEL = "planner_changes"  # PostgreSQL NOTIFY channel and Redis pub/sub channel: payload = last sequence id
# Any constant both sides agree on; pg_advisory_xact_lock is released by the commit or rollback.
_ORDER_LOCK = text("SELECT pg_advisory_xact_lock(7460211)")

CHUNK = 500  # events per INSERT on PostgreSQL (a delete that unlinks many rows records one each)

CREATED, UPDATED, DELETED = "created", "updated", "deleted"
# Bookkeeping a change carries in its own columns (version, etag, actor, time), not as a field.
_NOT_FIELDS = frozenset({"id", "etag", "version", "createdAt", "updatedAt", "updatedBy"})
# Never in a change, whatever a wire model grows (defence in depth: output models hold none of them).
_SECRET_MARKERS = ("password", "token", "hash", "secret", "sessionkey", "jti")


@dataclass(frozen=True)
class UserRef:
    """A user as others see them: `updatedBy` of an item, `actor` of a change."""

    id: int
    name: str


class ChangeEvent(Row, table=True):
    __tablename__ = "change_events"
    # AUTOINCREMENT on SQLite: a sequence id is never handed out twice, even after a cleanup.
    __table_args__ = (
        Index("ix_change_events_object", "resource", "object_id", "id"),
        {"sqlite_autoincrement": True},
    )

    resource: str = Field(max_length=40)  # the table, which is also the path: people, projects, …
    object_id: int
    action: str = Field(max_length=10)  # CREATED, UPDATED, DELETED
    version: int | None = None  # the item's version after the change; None once deleted
    etag: str = Field(default="", max_length=40)  # its ETag after the change
    # No foreign key: the log outlives the users it names (like the audit log), hence the copied name.
    actor_id: int | None = None
    actor_name: str = Field(default="", max_length=200)
    # users and sessions: the account the item belongs to, who may read the event besides admins.
    owner_id: int | None = None
    changes: list = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    created_at: datetime = Field(default_factory=now, sa_type=DateTime(timezone=True), nullable=False, index=True)


def diff(before: Mapping[str, Any] | None, after: Mapping[str, Any] | None) -> list[dict]:
    """The fields that differ between two wire objects, in the wire model's order, each as
    {field, old, new}; a create has only new values, a delete only old ones."""
    old, new = before or {}, after or {}
    return [
        {"field": field, "old": old.get(field), "new": new.get(field)}
        for field in dict.fromkeys([*new, *old])
        if field not in _NOT_FIELDS
        and not any(marker in field.lower() for marker in _SECRET_MARKERS)
        and old.get(field) != new.get(field)
    ]


def stamp(actor: UserRef | None) -> dict:
    """The `updated_by_*` columns of a row `actor` writes."""
    return {"updated_by_id": actor.id if actor else None, "updated_by_name": actor.name if actor else ""}


def acting_user(request) -> UserRef | None:
    """Who is making this request's changes: set by the security policy when it checked the
    session, which every writing view's permission check has done."""
    return request.environ.get("planner.user")


def record(
    db: Session,
    actor: UserRef | None,
    resource: str,
    object_id: int,
    action: str,
    *,
    version: int | None = None,
    etag: str = "",
    before: Mapping[str, Any] | None = None,
    after: Mapping[str, Any] | None = None,
    owner_id: int | None = None,
) -> None:
    """Note one change made in `db`'s transaction (`before` and `after`: the item's wire object,
    None for what did not exist; `version` and `etag`: the item's after the change). It is
    written with the transaction's commit (core/db.py), or not at all."""
    db.info.setdefault("changes", []).append(
        {
            "resource": resource,
            "object_id": object_id,
            "action": action,
            "version": version,
            "etag": etag,
            "actor_id": actor.id if actor else None,
            "actor_name": actor.name if actor else "",
            "owner_id": owner_id,
            "changes": diff(before, after),
            "created_at": now(),
        }
    )


def track(sessions: sessionmaker, announcer: "Announcer | None") -> None:
    """Every session of `sessions` writes the changes recorded in it with its commit — a
    request's, a script's, a test's alike — and announces them once committed."""
    event.listen(sessions, "before_commit", _write_pending)
    event.listen(sessions, "after_commit", lambda session: _announce(session, announcer))
    event.listen(sessions, "after_rollback", lambda session: session.info.pop("changes", None))


def _write_pending(session: Session) -> None:
    """Insert the recorded events in the committing transaction, last of all its statements."""
    pending = session.info.pop("changes", None)
    if not pending:
        return
    session.flush()  # the rows they describe first: the order lock is then held only to the commit
    conn = session.connection()
    if conn.dialect.name == "postgresql":
        conn.execute(_ORDER_LOCK)
        # The announcement in the insert's own statement (one round trip less for every write):
        # delivered by the server at commit, and only if it commits.
        columns = tuple(pending[0])
        for start in range(0, len(pending), CHUNK):  # within PostgreSQL's 65,535 parameters
            chunk = pending[start : start + CHUNK]
            bound = {f"{name}_{n}": event[name] for n, event in enumerate(chunk) for name in columns}
            last = conn.execute(_insert_and_notify(columns, len(chunk)), bound).scalar_one()
    else:
        table = table_of(ChangeEvent)
        last = max(conn.scalars(insert(table).returning(table.c.id), pending))
    session.info["last_change"] = last


@lru_cache(maxsize=32)
def _insert_and_notify(columns: tuple[str, ...], rows: int):
    """INSERT of `rows` events (values bound as `<column>_<row>`) and pg_notify of the last id, in
    one statement, built and compiled once per shape."""
    table = table_of(ChangeEvent)
    # INSERT … SELECT, as SQLAlchemy caches no multi-row VALUES (psycopg's dialect casts each
    # parameter to its column's type, which a bare parameter in a SELECT would not have).
    rows_ = [select(*(bindparam(f"{name}_{n}", type_=table.c[name].type) for name in columns)) for n in range(rows)]
    source = rows_[0] if rows == 1 else union_all(*rows_)
    inserted = insert(table).from_select(columns, source, include_defaults=False).returning(table.c.id).cte("inserted")
    last_id = func.max(inserted.c.id)
    return select(last_id, func.pg_notify(CHANNEL, cast(last_id, String)))


def _announce(session: Session, announcer: "Announcer | None") -> None:
    last = session.info.pop("last_change", None)
    if last is not None and announcer is not None:
        announcer.announce(last)


class Announcer:
    """Wakes whoever follows the change log once a transaction with changes committed: callbacks
    in this process (the embedded app) and, with Redis configured, every process subscribed to
    CHANNEL. Never fails a request: a wake-up that cannot be sent is only late (readers poll too)."""

    def __init__(self, redis_url: str | None = None):
        self._listeners: list[Callable[[int], None]] = []
        self._lock = threading.Lock()
        self._redis = None
        if redis_url:
            import redis

            self._redis = redis.Redis.from_url(redis_url, socket_connect_timeout=1, socket_timeout=1)

    def subscribe(self, listener: Callable[[int], None]) -> Callable[[], None]:
        """Call `listener(last sequence id)` after each commit with changes; returns the unsubscribe."""
        with self._lock:
            self._listeners.append(listener)
        return lambda: self._remove(listener)

    def _remove(self, listener) -> None:
        with self._lock:
            self._listeners.remove(listener)

    def announce(self, last: int) -> None:
        with self._lock:
            listeners = list(self._listeners)
        for listener in listeners:
            try:
                listener(last)
            except Exception:
                log.exception("a change listener failed")
        if self._redis is not None:
            try:
                self._redis.publish(CHANNEL, str(last))
            except Exception as error:  # redis down: the followers' polling catches up
                log.warning("change announcement not published to redis: %s", error)
