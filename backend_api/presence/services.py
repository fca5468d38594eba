"""Who has which item open. A tab says so with a heartbeat (`announce`) at least every
PRESENCE_SECONDS and takes it back when it closes (`leave`); a tab that stops (closed, offline,
its app server gone) drops out when its row expires. What a row says is recorded as a change of
resource "presence" when it starts, changes or ends: the events feed wakes the other tabs, and a
heartbeat that changes nothing stays out of the log."""

from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from sqlalchemy import case, delete, select, tuple_
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from backend_api.auth.models import TokenSession, User
from backend_api.core import changes
from backend_api.core.changes import UserRef
from backend_api.core.model import table_of
from backend_api.core.timeutil import now

from .models import Activity, Presence
from .schemas import PresenceIn

PRESENCE_SECONDS = 30  # a tab not heard from for this long has gone
MAX_LISTED = 200
RESOURCE = "presence"  # of its change events

PRESENCE, SESSIONS, USERS = table_of(Presence), table_of(TokenSession), table_of(User)


def _of_tab(session_id: int, tab: str) -> tuple:
    return PRESENCE.c.session_id == session_id, PRESENCE.c.tab == tab


def _wire(row: Mapping[Any, Any]) -> dict:
    """What a presence says, as its change events show it."""
    return {
        "resource": row["resource"],
        "objectId": row["object_id"],
        "activity": row["activity"],
        "detail": row["detail"],
    }


def _insert(db: Session) -> Any:
    """The engine's INSERT, which has ON CONFLICT (a tab's first two heartbeats may race)."""
    return (postgresql if db.get_bind().dialect.name == "postgresql" else sqlite).insert


def announce(db: Session, actor: UserRef, session_id: int, tab: str, watched: PresenceIn) -> None:
    """The tab of `session_id` has `watched` open for PRESENCE_SECONDS from now."""
    at = now()
    conn = db.connection()
    # Expired rows of every tab go first (a request purges for everyone: there is no cleanup job).
    # SKIP LOCKED (PostgreSQL; SQLite has one writer anyway): rows another request is purging are
    # left to it, so purges never wait on each other nor deadlock.
    expired = select(PRESENCE.c.session_id, PRESENCE.c.tab).where(PRESENCE.c.expires_at <= at)
    conn.execute(
        delete(PRESENCE).where(
            tuple_(PRESENCE.c.session_id, PRESENCE.c.tab).in_(expired.with_for_update(skip_locked=True))
        )
    )
    before = conn.execute(select(PRESENCE).where(*_of_tab(session_id, tab)).with_for_update()).mappings().first()
    values = {
        "user_id": actor.id,
        "name": actor.name,
        "resource": watched.resource.value,
        "object_id": watched.object_id,
        "activity": watched.activity.value,
        "detail": watched.detail,
        "expires_at": at + timedelta(seconds=PRESENCE_SECONDS),
    }
    upsert = _insert(db)(PRESENCE).values(session_id=session_id, tab=tab, **values)
    conn.execute(upsert.on_conflict_do_update(index_elements=[PRESENCE.c.session_id, PRESENCE.c.tab], set_=values))
    old, new = (_wire(before) if before else None), _wire(values)
    if old != new:  # a heartbeat only moves the expiry: no event
        action = changes.UPDATED if before else changes.CREATED
        changes.record(db, actor, RESOURCE, watched.object_id, action, before=old, after=new)


def leave(db: Session, actor: UserRef, session_id: int, tab: str) -> None:
    """The tab has nothing open any more (again: nothing happens)."""
    gone = (
        db.connection()
        .execute(delete(PRESENCE).where(*_of_tab(session_id, tab)).returning(*PRESENCE.c))
        .mappings()
        .first()
    )
    if gone is not None:
        changes.record(db, actor, RESOURCE, gone["object_id"], changes.DELETED, before=_wire(gone))


def present(db: Session, resource: str, object_id: int | None, session_id: int, tab: str | None) -> list[dict]:
    """Who has `object_id` of `resource` open (editing first, then by name), or any item of it
    (the MAX_LISTED heard from last, newest first): live rows of active sessions of active users,
    so a revoked session or a disabled user is gone at once, not at the row's expiry."""
    query = (
        select(PRESENCE)
        .join(SESSIONS, SESSIONS.c.id == PRESENCE.c.session_id)
        .join(USERS, USERS.c.id == PRESENCE.c.user_id)
        .where(PRESENCE.c.resource == resource, PRESENCE.c.expires_at > now(), SESSIONS.c.is_active, USERS.c.is_active)
        .limit(MAX_LISTED)
    )
    if object_id is None:
        query = query.order_by(PRESENCE.c.expires_at.desc())
    else:
        editing_first = case((PRESENCE.c.activity == Activity.EDITING.value, 0), else_=1)
        query = query.where(PRESENCE.c.object_id == object_id).order_by(editing_first, PRESENCE.c.name)
    # The tab's key breaks ties, so the order is stable from one poll to the next.
    query = query.order_by(PRESENCE.c.user_id, PRESENCE.c.session_id, PRESENCE.c.tab)
    return [
        {
            "user": {"id": row.user_id, "name": row.name},
            **_wire(row._mapping),
            "you": (row.session_id, row.tab) == (session_id, tab),
        }
        for row in db.connection().execute(query)
    ]
