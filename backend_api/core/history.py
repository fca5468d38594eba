"""Reading the change log (core/changes.py): the history of one item, newest first, and the
events after a sequence id, oldest first (the feed live updates and other clients follow); and
its retention (`prune`).

Who may read what: every signed-in user reads the planning data, so its changes too; changes of
users and sessions (owner_id set) only their owner and admins — the same as the items themselves.
"""

from datetime import datetime
from typing import Any

from pydantic import Field
from sqlalchemy import ColumnElement, Select, bindparam, delete, func, or_, select
from sqlalchemy.orm import Session
from sqlmodel import col

from .changes import ChangeEvent
from .db import rows_changed
from .model import table_of
from .schemas import OUTPUT, CamelModel, UserRefOut, UtcDateTime, Wire

EVENTS = table_of(ChangeEvent)


class FieldChange(CamelModel):
    model_config = OUTPUT
    field: str
    old: Any = None
    new: Any = None


class ChangeOut(CamelModel):
    """One change: `seq` orders all changes (the feed's cursor), `etag` and `version` are the
    item's after it (None and "" once deleted), `changes` the fields with their old and new values."""

    model_config = OUTPUT
    seq: int
    resource: str
    object_id: int
    action: str = Field(json_schema_extra={"enum": ["created", "updated", "deleted"]})
    version: int | None
    etag: str
    actor: UserRefOut | None
    # The account a change of a user or a session belongs to (the one reader besides admins).
    owner_id: int | None
    at: UtcDateTime
    changes: list[FieldChange]


class HistoryPage(CamelModel):
    model_config = OUTPUT
    count: int
    next: str | None
    previous: str | None
    results: list[ChangeOut]


class EventsPage(CamelModel):
    """`last`: the cursor to pass as `after` next time. `hasMore`: more events follow at once.
    `reset`: events after `after` were removed by retention: reload what you show, then follow
    from `last`."""

    model_config = OUTPUT
    results: list[ChangeOut]
    last: int
    has_more: bool
    reset: bool


WIRE = Wire(ChangeOut)


def visible_to(user_id: int, is_admin: bool) -> list[ColumnElement]:
    """The conditions on change_events of what this user may read."""
    if is_admin:
        return []
    return [or_(EVENTS.c.owner_id.is_(None), EVENTS.c.owner_id == user_id)]


def records(rows) -> list[dict]:
    """ChangeOut records (WIRE.page, WIRE.python) of change_events rows."""
    return [
        WIRE.record(
            {
                "seq": row.id,
                "resource": row.resource,
                "object_id": row.object_id,
                "action": row.action,
                "version": row.version,
                "etag": row.etag,
                "actor": None if row.actor_id is None else {"id": row.actor_id, "name": row.actor_name},
                "owner_id": row.owner_id,
                "at": row.created_at,
                "changes": row.changes,
            }
        )
        for row in rows
    ]


# ---- one item's history -------------------------------------------------------------------------
_OF_ITEM = (EVENTS.c.resource == bindparam("resource"), EVENTS.c.object_id == bindparam("ident"))
_HISTORY_COUNT: Select = select(func.count()).select_from(EVENTS).where(*_OF_ITEM)
_HISTORY_PAGE: Select = (
    select(EVENTS)
    .where(*_OF_ITEM)
    .order_by(col(ChangeEvent.id).desc())
    .limit(bindparam("size"))
    .offset(bindparam("skip"))
)


def history(db, resource: str, ident: int, page: int, size: int) -> tuple[int, list[dict]]:
    """(how many changes the item has, the page of them, newest first)."""
    conn = db.connection()
    count = conn.scalar(_HISTORY_COUNT, {"resource": resource, "ident": ident}) or 0
    rows = conn.execute(_HISTORY_PAGE, {"resource": resource, "ident": ident, "size": size, "skip": (page - 1) * size})
    return count, records(rows)


# ---- the feed -----------------------------------------------------------------------------------
def last_seq(db) -> int:
    return db.connection().scalar(select(func.max(EVENTS.c.id))) or 0


def events_after(db, after: int, limit: int, conditions: list[ColumnElement]) -> dict:
    """The events with seq > `after` that `conditions` let through, oldest first, at most `limit`
    (an EventsPage, as JSON)."""
    conn = db.connection()
    # The ceiling first: an event committed between the two reads is then left to the next call,
    # instead of being skipped by a `last` read after the events.
    ceiling = last_seq(db)
    oldest = conn.scalar(select(func.min(EVENTS.c.id)))
    # Events the reader has not seen were removed (retention), or its cursor is from another log
    # (a restored backup): it cannot catch up event by event, so it reloads and follows from here.
    if after > ceiling or (after > 0 and oldest is not None and after + 1 < oldest):
        return feed([], ceiling, more=False, reset=True)
    rows = list(
        conn.execute(
            select(EVENTS)
            .where(EVENTS.c.id > after, EVENTS.c.id <= ceiling, *conditions)
            .order_by(EVENTS.c.id)
            .limit(limit + 1)
        )
    )
    more, rows = len(rows) > limit, rows[:limit]
    # Past the events this viewer may not read too, when all up to the ceiling were read.
    return feed(records(rows), rows[-1].id if more else ceiling, more=more, reset=False)


def feed(page: list[dict], last: int, *, more: bool, reset: bool) -> dict:
    """An EventsPage as JSON."""
    return {"results": [WIRE.python(record) for record in page], "last": last, "hasMore": more, "reset": reset}


# ---- retention ----------------------------------------------------------------------------------
def prune(db: Session, before: datetime, batch: int = 5000) -> int:
    """Delete the events older than `before`, `batch` at a time, each batch its own transaction
    (a long log never holds a lock for long); returns how many. `db` must not be in a transaction."""
    removed = 0
    while True:
        with db.begin():
            oldest = select(EVENTS.c.id).where(EVENTS.c.created_at < before).order_by(EVENTS.c.id).limit(batch)
            done = rows_changed(db.execute(delete(EVENTS).where(EVENTS.c.id.in_(oldest.scalar_subquery()))))
        removed += done
        if done < batch:
            return removed
