from datetime import date
from typing import ClassVar

from pydantic import Field, field_validator

from backend_api.core.schemas import OUTPUT, CamelModel, Stored

MAX_WEEKS = 520  # ten years of weeks on one assignment is plenty


class AssignmentIn(CamelModel):
    read_only: ClassVar = CamelModel.read_only | {"personName", "projectName"}

    person_id: int
    project_id: int
    role_on_project: str = Field(default="", max_length=200)
    # Keys and hours are checked by _mondays (with its own messages) and stated here; that a key is
    # a Monday the schema cannot say.
    weekly_hours: dict[str, float] = Field(
        default_factory=dict,
        json_schema_extra={
            "propertyNames": {"format": "date"},
            "maxProperties": MAX_WEEKS,
            "additionalProperties": {"type": "number", "minimum": 0, "maximum": 168},
        },
    )
    notes: str = Field(default="", max_length=10_000)

    @field_validator("weekly_hours")
    @classmethod
    def _mondays(cls, weeks: dict[str, float]) -> dict[str, float]:
        if len(weeks) > MAX_WEEKS:
            raise ValueError(f"At most {MAX_WEEKS} weeks per assignment.")
        for key, hours in weeks.items():
            try:
                day = date.fromisoformat(key)
            except ValueError:
                raise ValueError(f"{key} is not a date (use YYYY-MM-DD).") from None
            if day.weekday() != 0 or key != day.isoformat():
                raise ValueError(f"{key} is not a Monday; weeks are keyed by their Monday.")
            if not 0 <= hours <= 168:
                raise ValueError(f"{key}: hours must be between 0 and 168.")
        return dict(sorted(weeks.items()))


class AssignmentOut(AssignmentIn, Stored):
    model_config = OUTPUT
    person_name: str | None = None
    project_name: str | None = None
