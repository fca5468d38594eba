from datetime import date
from typing import ClassVar

from pydantic import Field, model_validator

from backend_api.core.schemas import OUTPUT, CamelModel, Stored, dates_in_order

from .models import TimeOffKind


class TimeOffIn(CamelModel):
    read_only: ClassVar = CamelModel.read_only | {"personName"}

    person_id: int
    start_date: date
    end_date: date
    kind: TimeOffKind = TimeOffKind.VACATION
    notes: str = Field(default="", max_length=10_000)

    @model_validator(mode="after")
    def _ordered(self):
        dates_in_order(self.start_date, self.end_date)
        return self


class TimeOffOut(TimeOffIn, Stored):
    model_config = OUTPUT
    person_name: str | None = None
