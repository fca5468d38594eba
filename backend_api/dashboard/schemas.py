"""The dashboard's answer, for the OpenAPI document (services.py builds it as plain dicts)."""

from datetime import date

from pydantic import Field

from backend_api.core.schemas import OUTPUT, CamelModel, UtcDateTime

from .bands import Band

# Percentages are null where hours are booked against no capacity at all (no finite figure).
Percent = float | None


class WeekFigure(CamelModel):
    model_config = OUTPUT
    week: date
    hours: float
    capacity: float
    utilization_percent: Percent
    band: Band


class TeamRow(CamelModel):
    model_config = OUTPUT
    person_id: int
    name: str
    department_name: str | None
    allocated_hours: float
    capacity: float
    utilization_percent: Percent
    band: Band
    is_overallocated: bool
    peak_utilization_percent: Percent
    peak_week: date | None
    weekly: list[WeekFigure]


class AvailablePerson(TeamRow):
    free_hours: float


class Summary(CamelModel):
    """Over everyone in view, not only the page."""

    model_config = OUTPUT
    total_people: int
    avg_utilization: float = Field(description="The mean of the people's finite utilisation figures.")
    peak_utilization: Percent
    peak_person: str | None
    total_assignments: int
    overallocated_count: int


class Distribution(CamelModel):
    """People per band of their utilisation over the period."""

    model_config = OUTPUT
    underutilized: int
    optimal: int
    high: int
    overallocated: int


class RecentAssignment(CamelModel):
    model_config = OUTPUT
    id: int
    person_id: int
    project_id: int
    person_name: str | None
    project_name: str | None
    role_on_project: str
    weekly_hours: dict[str, float]
    updated_at: UtcDateTime


class DashboardOut(CamelModel):
    model_config = OUTPUT
    weeks: list[date]
    summary: Summary
    utilization_distribution: Distribution
    total: int = Field(description="People in the team overview (all pages).")
    offset: int = Field(description="Rows of the team overview before this page.")
    limit: int = Field(description="The most rows this page could hold.")
    team_overview: list[TeamRow] = Field(
        description="One page: over-allocated people first, then by utilisation (no finite figure highest), "
        "then by name."
    )
    available_people: list[AvailablePerson] = Field(description="The people with most free hours, at most 5.")
    recent_assignments: list[RecentAssignment] = Field(description="The 10 changed last, newest first.")
