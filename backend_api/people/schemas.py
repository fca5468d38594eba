from datetime import date
from typing import ClassVar

from pydantic import Field, field_validator

from backend_api.core.schemas import OUTPUT, CamelModel, Email, Stored


class PersonIn(CamelModel):
    read_only: ClassVar = CamelModel.read_only | {"departmentName"}

    name: str = Field(min_length=1, max_length=200)
    email: Email = None
    phone: str = Field(default="", max_length=50)
    location: str = Field(default="", max_length=200)
    job_title: str = Field(default="", max_length=200)
    department_id: int | None = None
    # Each skill's bounds are checked by _clean_skills (with its own message) and stated here.
    skills: list[str] = Field(
        default_factory=list,
        max_length=50,
        json_schema_extra={"items": {"type": "string", "minLength": 1, "maxLength": 50}},
    )
    weekly_capacity: float = Field(default=36, ge=0, le=168)
    hire_date: date | None = None
    notes: str = Field(default="", max_length=10_000)
    is_active: bool = True

    @field_validator("skills")
    @classmethod
    def _clean_skills(cls, skills: list[str]) -> list[str]:
        cleaned: list[str] = []
        for skill in (s.strip() for s in skills):
            if not skill or len(skill) > 50:
                raise ValueError("Each skill must have 1 to 50 characters.")
            if skill.lower() not in (c.lower() for c in cleaned):
                cleaned.append(skill)
        return cleaned


class PersonOut(PersonIn, Stored):
    model_config = OUTPUT
    department_name: str | None = None


class PeopleSearchOut(CamelModel):
    model_config = OUTPUT
    results: list[PersonOut]
