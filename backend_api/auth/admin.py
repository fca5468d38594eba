"""What an admin may do to user accounts, and the guards around it.

Every change writes its audit row in the same transaction. The guards that keep at least one
active admin count admins under a lock (see `_locked`): without it, two admins demoting each
other at the same moment would both see two admins and both succeed, leaving none.
"""

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session
from sqlmodel import col

from backend_api.core import changes
from backend_api.core.concurrency import make_etag
from backend_api.core.error_codes import ErrorCode
from backend_api.core.errors import ApiError, not_found
from backend_api.core.timeutil import now

from . import services
from .audit import Actor, record
from .models import User
from .passwords import hash_password
from .schemas import user_out


def create_user(
    db: Session, actor: Actor, username: str, email: str, password: str, role: str, person_id: int | None
) -> User:
    user = services.create_user(db, username, password, email, role, person_id)
    user.updated_by_id, user.updated_by_name = actor.user_id, actor.name
    record(db, actor, "create_user", "user", user.id, username=user.username, role=user.role, personId=user.person_id)
    _changed(db, actor, user, changes.CREATED, None)
    return user


def delete_user(db: Session, actor: Actor, user_id: int) -> None:
    user, admins = _locked(db, user_id)
    if user.id == actor.user_id:
        raise ApiError(400, ErrorCode.INVALID, "You cannot delete your own account. Ask another admin to do it.")
    _refuse_last_admin(user, admins, "delete")
    record(db, actor, "delete_user", "user", user.id, username=user.username, role=user.role)
    changes.record(db, _ref(actor), "users", user.id, changes.DELETED, before=user_out(user), owner_id=user.id)
    # Its sessions go with it (ON DELETE CASCADE); audit rows it wrote keep its username.
    db.delete(user)
    db.flush()


def set_password(db: Session, actor: Actor, user_id: int, password: str) -> None:
    user, _ = _locked(db, user_id)
    services.check_password_policy(password, user.username)
    before = user_out(user)
    user.password_hash = hash_password(password)  # never in a change: user_out holds no hash
    _touch(db, actor, user, before)
    # Whoever might know the old password is signed out; an admin changing their own keeps the
    # session they are using.
    keep = actor.session_id if user.id == actor.user_id else None
    revoked = services.revoke_all(db, user.id, except_session=keep)
    record(db, actor, "set_password", "user", user.id, sessionsRevoked=revoked)


def toggle_active(db: Session, actor: Actor, user_id: int) -> User:
    user, admins = _locked(db, user_id)
    before = user_out(user)
    audited: dict = {"isActive": not user.is_active}
    if user.is_active:
        if user.id == actor.user_id:
            raise ApiError(400, ErrorCode.INVALID, "You cannot disable your own account. Ask another admin to do it.")
        _refuse_last_admin(user, admins, "disable")
        # At once, not when their access tokens expire: every request checks its session row.
        audited["sessionsRevoked"] = services.revoke_all(db, user.id)
    user.is_active = not user.is_active
    _touch(db, actor, user, before)
    record(db, actor, "toggle_active", "user", user.id, **audited)
    return user


def change_role(db: Session, actor: Actor, user_id: int, role: str) -> User:
    user, admins = _locked(db, user_id)
    if role == user.role:
        return user
    if role != "admin":
        _refuse_last_admin(user, admins, "demote")
    previous, before = user.role, user_out(user)
    user.role, user.is_staff = role, role == "admin"
    _touch(db, actor, user, before)
    record(db, actor, "change_role", "user", user.id, **{"from": previous, "to": role})
    return user


def _locked(db: Session, user_id: int) -> tuple[User, set[int]]:
    """The user and the ids of the active admins, with those rows locked until commit.

    PostgreSQL: SELECT … FOR UPDATE, in id order so two such requests cannot deadlock; a request
    that waited re-reads the rows it locks, so it counts the admins as the winner left them.
    SQLite ignores FOR UPDATE, but counts this SELECT as the transaction's first write: it takes
    the database write lock first (core/sqlite.py), which serialises these requests entirely.
    """
    active_admin = and_(col(User.role) == "admin", col(User.is_active).is_(True))
    rows = db.scalars(
        select(User)
        .where(or_(col(User.id) == user_id, active_admin))
        .order_by(col(User.id))
        .with_for_update()
        .execution_options(populate_existing=True)
    ).all()
    user = next((row for row in rows if row.id == user_id), None)
    if user is None:
        raise not_found("User")
    return user, {row.id for row in rows if row.role == "admin" and row.is_active}


def _refuse_last_admin(user: User, admins: set[int], verb: str) -> None:
    if admins == {user.id}:
        raise ApiError(
            400,
            ErrorCode.LAST_ADMIN,
            f"You cannot {verb} {user.username}: they are the last active admin. Make another user an admin first.",
        )


def _touch(db: Session, actor: Actor, user: User, before: dict) -> None:
    """Users are Editable rows: every write moves updated_at and the version and names its writer,
    like other resources, and is recorded in the change log (`before`: the user as it was)."""
    user.updated_at = now()
    user.version += 1
    user.updated_by_id, user.updated_by_name = actor.user_id, actor.name
    _changed(db, actor, user, changes.UPDATED, before)


def _changed(db: Session, actor: Actor, user: User, action: str, before: dict | None) -> None:
    changes.record(
        db,
        _ref(actor),
        "users",
        user.id,
        action,
        version=user.version,
        etag=make_etag(user),
        before=before,
        after=user_out(user),
        owner_id=user.id,
    )


def _ref(actor: Actor) -> changes.UserRef:
    return changes.UserRef(actor.user_id, actor.name)
