import secrets
from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, Column, DateTime, ForeignKey, Index, Integer, String
from sqlmodel import Field, SQLModel

from backend_api.core.model import Editable, Row
from backend_api.core.timeutil import now


class Role(StrEnum):
    """Who may do what (core/security.py's ACL); one name for API, app and CLI."""

    ADMIN = "admin"
    MANAGER = "manager"
    USER = "user"


def _when(**kw):
    return Field(sa_type=DateTime(timezone=True), **kw)


class User(Editable, table=True):
    __tablename__ = "users"

    username: str = Field(max_length=150, unique=True, nullable=False)
    # The name folded (auth/usernames.py): unique, so no two accounts differ only in case or width.
    username_key: str = Field(default="", sa_column=Column(String(300), nullable=False, server_default=""))
    email: str = Field(default="", max_length=254)
    password_hash: str = Field(nullable=False)
    role: str = Field(default="user", max_length=20)
    is_active: bool = Field(default=True, nullable=False)
    is_staff: bool = Field(default=False, nullable=False)  # true exactly for admins
    person_id: int | None = Field(
        default=None, sa_column=Column(Integer, ForeignKey("people.id", ondelete="SET NULL"), unique=True)
    )
    date_joined: datetime = _when(default_factory=now, nullable=False)
    last_login: datetime | None = _when(default=None, nullable=True)

    __table_args__ = (Index("ix_users_username_key", "username_key", unique=True),)


def new_session_key() -> str:
    return secrets.token_urlsafe(32)


class TokenSession(Row, table=True):
    """One row per sign-in. `refresh_jti` is the one live refresh token of the session; the
    ones it rotated away from are in RevokedRefreshToken, so a replay can be recognised.

    `session_key` is a random secret every token of the session carries (claim `sk`) and that is
    checked against this row: ids alone can be reused (SQLite hands a deleted row's id to the next
    insert), so a token naming only user and session ids could pass for a later user's session."""

    __tablename__ = "token_sessions"

    user_id: int = Field(
        sa_column=Column(Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True)
    )
    refresh_jti: str = Field(max_length=64, unique=True, nullable=False)
    session_key: str = Field(default_factory=new_session_key, max_length=64, nullable=False)
    issued_at: datetime = _when(default_factory=now, nullable=False)
    last_used_at: datetime = _when(default_factory=now, nullable=False)
    ip: str = Field(default="", max_length=64)
    user_agent: str = Field(default="", max_length=500)
    is_active: bool = Field(default=True, nullable=False)
    revoked_at: datetime | None = _when(default=None, nullable=True)


class RevokedRefreshToken(SQLModel, table=True):
    __tablename__ = "revoked_refresh_tokens"

    jti: str = Field(primary_key=True, max_length=64)
    session_id: int = Field(
        sa_column=Column(Integer, ForeignKey("token_sessions.id", ondelete="CASCADE"), nullable=False, index=True)
    )
    revoked_at: datetime = _when(default_factory=now, nullable=False)


class AuditLog(Row, table=True):
    __tablename__ = "audit_log"

    # SET NULL plus the copied username: audit rows outlive the users they mention.
    actor_id: int | None = Field(
        default=None, sa_column=Column(Integer, ForeignKey("users.id", ondelete="SET NULL"), index=True)
    )
    actor_username: str = Field(default="", max_length=150)
    action: str = Field(max_length=50, index=True)
    target_type: str = Field(max_length=50)
    target_id: int | None = Field(default=None, index=True)
    meta: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    created_at: datetime = _when(default_factory=now, nullable=False, index=True)


class GrantCode(SQLModel, table=True):
    """A one-time code of the browser grant (auth/grants.py): the browser obtains it with its refresh
    cookie and hands it to the app server, which trades it, with the PKCE verifier only it holds,
    for an access token. Only the code's hash is kept; the row is deleted when it is redeemed."""

    __tablename__ = "grant_codes"

    code_hash: str = Field(primary_key=True, max_length=64)
    session_id: int = Field(
        sa_column=Column(Integer, ForeignKey("token_sessions.id", ondelete="CASCADE"), nullable=False, index=True)
    )
    challenge: str = Field(max_length=128)
    expires_at: datetime = _when(nullable=False, index=True)
