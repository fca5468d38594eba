from sqlalchemy import JSON, Column, ForeignKey, Integer
from sqlmodel import Field

from backend_api.core.model import Editable


class Assignment(Editable, table=True):
    __tablename__ = "assignments"

    # RESTRICT: deleting a person or project that still has assignments is refused, never cascaded.
    person_id: int = Field(
        sa_column=Column(Integer, ForeignKey("people.id", ondelete="RESTRICT"), nullable=False, index=True)
    )
    project_id: int = Field(
        sa_column=Column(Integer, ForeignKey("projects.id", ondelete="RESTRICT"), nullable=False, index=True)
    )
    role_on_project: str = Field(default="", max_length=200)
    # {"2026-11-23": 16, ...}: hours per ISO Monday.
    weekly_hours: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    notes: str = Field(default="")
