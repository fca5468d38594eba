from datetime import datetime
from enum import StrEnum

from sqlalchemy import Column, DateTime, ForeignKey, Index, Integer
from sqlmodel import Field, SQLModel


class Watched(StrEnum):
    """What a tab can have open: an item of one of the six resources (their paths' names)."""

    PEOPLE = "people"
    DEPARTMENTS = "departments"
    PROJECTS = "projects"
    ASSIGNMENTS = "assignments"
    DELIVERABLES = "deliverables"
    TIMEOFF = "timeoff"


class Activity(StrEnum):
    VIEWING = "viewing"
    EDITING = "editing"


class Presence(SQLModel, table=True):
    """One browser tab of a session that has an item open, until `expires_at` unless its
    heartbeat moves that on. Keyed by the tab (named by the app server), not by an integer id:
    a tab's heartbeat overwrites its own row."""

    __tablename__ = "presence"
    __table_args__ = (Index("ix_presence_object", "resource", "object_id"),)

    session_id: int = Field(
        sa_column=Column(Integer, ForeignKey("token_sessions.id", ondelete="CASCADE"), primary_key=True)
    )
    tab: str = Field(primary_key=True, max_length=64)
    user_id: int = Field(
        sa_column=Column(Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True)
    )
    name: str = Field(max_length=200)  # as the user's changes show it (core/changes.acting_user)
    resource: str = Field(max_length=32)  # a Watched
    object_id: int
    activity: str = Field(max_length=16)  # an Activity
    detail: str = Field(default="", max_length=64)  # e.g. the week of the grid cell being typed in
    expires_at: datetime = Field(sa_type=DateTime(timezone=True), nullable=False, index=True)
