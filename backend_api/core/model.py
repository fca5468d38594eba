"""Columns every editable table has: id, created_at, updated_at and the write counter `version`."""

from datetime import datetime

from sqlalchemy import DateTime
from sqlmodel import Field, SQLModel

from .timeutil import now


class Editable(SQLModel):
    # None only between construction and the first flush, when no code reads it: typed as the int
    # every row read or written has, so callers need no None checks.
    id: int = Field(default=None, primary_key=True)
    created_at: datetime = Field(default_factory=now, sa_type=DateTime(timezone=True), nullable=False)
    updated_at: datetime = Field(default_factory=now, sa_type=DateTime(timezone=True), nullable=False)
    version: int = Field(default=1, nullable=False)
