import datetime as dt

from sqlalchemy import Column, ForeignKey, Integer
from sqlmodel import Field

from backend_api.core.model import Editable


class Deliverable(Editable, table=True):
    __tablename__ = "deliverables"

    project_id: int = Field(
        sa_column=Column(Integer, ForeignKey("projects.id", ondelete="CASCADE"), nullable=False, index=True)
    )
    date: dt.date | None = Field(default=None, index=True)
    description: str = Field(default="")
    percentage: int | None = None
    is_completed: bool = Field(default=False, nullable=False)
    notes: str = Field(default="")
