from sqlalchemy import Column, ForeignKey, Integer
from sqlmodel import Field

from backend_api.core.model import Editable


class Department(Editable, table=True):
    __tablename__ = "departments"

    name: str = Field(max_length=200, unique=True, nullable=False)
    parent_id: int | None = Field(
        default=None, sa_column=Column(Integer, ForeignKey("departments.id", ondelete="SET NULL"))
    )
    manager_id: int | None = Field(
        default=None, sa_column=Column(Integer, ForeignKey("people.id", ondelete="SET NULL"))
    )
    description: str = Field(default="")
