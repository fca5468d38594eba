from datetime import date
from enum import StrEnum

from sqlalchemy import Column, ForeignKey, Integer
from sqlmodel import Field

from backend_api.core.model import Editable


class TimeOffKind(StrEnum):
    VACATION = "vacation"
    HOLIDAY = "holiday"
    SICK = "sick"
    OTHER = "other"


class TimeOff(Editable, table=True):
    __tablename__ = "timeoff"

    person_id: int = Field(
        sa_column=Column(Integer, ForeignKey("people.id", ondelete="CASCADE"), nullable=False, index=True)
    )
    start_date: date = Field(nullable=False, index=True)
    end_date: date = Field(nullable=False)
    kind: str = Field(default="vacation", max_length=20)
    notes: str = Field(default="")
