"""Columns tables share: the integer id of every row (`Row`), and created_at, updated_at, the
write counter `version` and the last writer of every editable one (`Editable`)."""

from datetime import datetime

from sqlalchemy import DateTime, Table
from sqlmodel import Field, SQLModel

from .timeutil import now


class Row(SQLModel):
    # None only between construction and the first flush, when no code reads it: typed as the int
    # every row read or written has, so callers need no None checks.
    id: int = Field(default=None, primary_key=True)


class Editable(Row):
    created_at: datetime = Field(default_factory=now, sa_type=DateTime(timezone=True), nullable=False)
    updated_at: datetime = Field(default_factory=now, sa_type=DateTime(timezone=True), nullable=False)
    version: int = Field(default=1, nullable=False)
    # Who wrote the row last (core/changes.py stamp): copied, not linked, like the change log's actor.
    updated_by_id: int | None = Field(default=None)
    updated_by_name: str = Field(default="", max_length=200)


def table_of(model: type[SQLModel]) -> Table:
    """A table model's Table: SQLModel sets `__table__` on `table=True` classes without declaring it."""
    return model.__table__  # type: ignore[attr-defined]
