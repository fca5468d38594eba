from datetime import date
from enum import StrEnum

from sqlmodel import Field

from backend_api.core.model import Editable


class ProjectStatus(StrEnum):
    PLANNING = "planning"
    ACTIVE = "active"
    ON_HOLD = "on_hold"
    COMPLETED = "completed"
    CANCELLED = "cancelled"


class Project(Editable, table=True):
    __tablename__ = "projects"

    name: str = Field(max_length=200, nullable=False, index=True)
    project_number: str | None = Field(default=None, max_length=50, unique=True)
    client: str = Field(default="Internal", max_length=200)
    status: str = Field(default="planning", max_length=20, index=True)
    start_date: date | None = None
    end_date: date | None = None
    estimated_hours: float | None = None
    description: str = Field(default="")
