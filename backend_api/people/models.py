from datetime import date

from sqlalchemy import JSON, Column, ForeignKey, Integer
from sqlmodel import Field

from backend_api.core.model import Editable


class Person(Editable, table=True):
    __tablename__ = "people"

    name: str = Field(max_length=200, nullable=False)
    email: str | None = Field(default=None, max_length=254, unique=True)
    phone: str = Field(default="", max_length=50)
    location: str = Field(default="", max_length=200)
    job_title: str = Field(default="", max_length=200)
    department_id: int | None = Field(
        default=None,
        sa_column=Column(Integer, ForeignKey("departments.id", ondelete="SET NULL", use_alter=True,
                                             name="fk_people_department_id"), index=True))
    skills: list = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    weekly_capacity: float = Field(default=36, nullable=False)
    hire_date: date | None = None
    notes: str = Field(default="")
    is_active: bool = Field(default=True, nullable=False)
