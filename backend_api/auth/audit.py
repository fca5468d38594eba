"""The audit log: who changed which account, from where.

Rows are added to the caller's session, so they commit or roll back together with the change
they describe. The actor's username is copied into the row because the actor may be deleted
later (actor_id is then set to NULL by the foreign key), and target_id is a plain integer for
the same reason.
"""

from dataclasses import dataclass

from sqlalchemy.orm import Session

from .models import AuditLog


@dataclass(frozen=True)
class Actor:
    """The signed-in admin doing something, and the request it came in on."""

    user_id: int
    username: str
    session_id: int
    request_id: str
    ip: str
    name: str  # as others see them (core/changes.UserRef): their person's name, else the username


def record(db: Session, actor: Actor, action: str, target_type: str, target_id: int, **changes) -> None:
    """`changes` say what changed (camelCase keys: meta goes to clients as it is). Callers pass
    names and values, never a password or a token."""
    db.add(
        AuditLog(
            actor_id=actor.user_id,
            actor_username=actor.username,
            action=action,
            target_type=target_type,
            target_id=target_id,
            meta={**changes, "requestId": actor.request_id, "ip": actor.ip},
        )
    )
