"""Typed shapes of the REST API (API.md): one place for the wire names.

The wire is camelCase and Python is snake_case; the alias generator maps one to the other, so a
field is spelled once. Unknown fields are ignored (the API may grow), and every field has a
default so the models can also serve as empty Reflex state values.
Dates and timestamps stay ISO strings: the UI formats them, the API validates them.
"""

from __future__ import annotations

from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ConfigDict
from pydantic.alias_generators import to_camel


class Wire(BaseModel):
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="ignore")


class Item(Wire):
    """A row of a resource (services/client.Resource): its id names its detail URL."""

    id: int = 0


class UserRef(Wire):
    """A user as others see them: who last changed an item, who made a change."""

    id: int = 0
    name: str = ""


class Stored(Item):
    """A row of the six planning resources: every stored item carries its ETag (the one of its
    detail URL), lists' rows too, and who saved that version (None: a script or the demo seed).
    Users do not: their writes are actions, not conditional PATCHes."""

    etag: str = ""
    updated_at: str = ""
    updated_by: UserRef | None = None


class TokenPair(Wire):
    access: str = ""
    refresh: str = ""


class AccessToken(Wire):
    access: str = ""


class User(Item):
    username: str = ""
    email: str = ""
    role: str = ""
    is_active: bool = True
    is_staff: bool = False
    person_id: int | None = None
    date_joined: str = ""
    last_login: str | None = None


class Session(Wire):
    """One sign-in of the current user (GET /api/auth/sessions/)."""

    id: int = 0
    issued_at: str = ""
    last_used_at: str = ""
    ip: str = ""
    user_agent: str = ""
    is_active: bool = True
    current: bool = False


class SessionList(Wire):
    results: list[Session] = []


class AuditActor(Wire):
    id: int | None = None
    username: str = ""


class AuditEntry(Wire):
    id: int = 0
    actor: AuditActor = AuditActor()
    action: str = ""
    target_type: str = ""
    target_id: int | None = None
    meta: dict = {}
    created_at: str = ""


class Person(Stored):
    name: str = ""
    email: str | None = None
    phone: str | None = None
    location: str | None = None
    job_title: str | None = None
    department_id: int | None = None
    department_name: str | None = None
    skills: list[str] = []
    weekly_capacity: float = 36
    hire_date: str | None = None
    notes: str | None = None
    is_active: bool = True
    created_at: str = ""


class Department(Stored):
    name: str = ""
    parent_id: int | None = None
    manager_id: int | None = None
    description: str | None = None
    created_at: str = ""


class Project(Stored):
    name: str = ""
    project_number: str | None = None
    client: str = "Internal"
    status: str = "planning"
    start_date: str | None = None
    end_date: str | None = None
    estimated_hours: float | None = None
    description: str | None = None
    created_at: str = ""


class Assignment(Stored):
    person_id: int = 0
    project_id: int = 0
    person_name: str = ""
    project_name: str = ""
    role_on_project: str | None = None
    # Keyed by the ISO date of the week's Monday.
    weekly_hours: dict[str, float] = {}
    notes: str | None = None
    created_at: str = ""


class Deliverable(Stored):
    project_id: int = 0
    project_name: str = ""
    date: str | None = None
    description: str | None = None
    percentage: float | None = None
    is_completed: bool = False
    notes: str | None = None
    created_at: str = ""


class TimeOff(Stored):
    person_id: int = 0
    person_name: str = ""
    start_date: str = ""
    end_date: str = ""
    kind: str = "vacation"
    notes: str | None = None
    created_at: str = ""


class DashboardSummary(Wire):
    total_people: int = 0
    # Percentages are null where someone has hours booked but no capacity at all (no finite figure).
    avg_utilization: float | None = 0
    peak_utilization: float | None = 0
    peak_person: str | None = None
    total_assignments: int = 0
    overallocated_count: int = 0


class UtilizationDistribution(Wire):
    underutilized: int = 0
    optimal: int = 0
    high: int = 0
    overallocated: int = 0


class WeekFigure(Wire):
    """One week of one person: hours against capacity net of time off (API.md, utilisation)."""

    week: str = ""
    hours: float = 0
    capacity: float = 0
    utilization_percent: float | None = 0
    band: str = ""


class TeamMember(Wire):
    person_id: int = 0
    name: str = ""
    department_name: str | None = None
    allocated_hours: float = 0
    capacity: float = 0
    utilization_percent: float | None = 0
    band: str = ""
    is_overallocated: bool = False
    peak_utilization_percent: float | None = 0
    peak_week: str | None = None
    weekly: list[WeekFigure] = []


class AvailablePerson(TeamMember):
    free_hours: float = 0


class Dashboard(Wire):
    summary: DashboardSummary = DashboardSummary()
    utilization_distribution: UtilizationDistribution = UtilizationDistribution()
    # The team overview is one page: `limit` rows from `offset` of `total`.
    total: int = 0
    offset: int = 0
    limit: int = 0
    team_overview: list[TeamMember] = []
    available_people: list[AvailablePerson] = []
    recent_assignments: list[Assignment] = []


T = TypeVar("T", bound=Wire)


class ChangedField(Wire):
    field: str = ""  # the wire (camelCase) name
    old: Any = None
    new: Any = None


class Change(Wire):
    """One entry of an item's history (GET /api/<things>/{id}/history/), newest first."""

    seq: int = 0
    action: str = ""  # created, updated, deleted
    actor: UserRef | None = None
    at: str = ""
    changes: list[ChangedField] = []


class FeedEvent(Change):
    """One change as GET /api/events/ has it: which item, and its new ETag ("" once deleted)."""

    resource: str = ""  # the API path's name: people, projects, assignments, auth/users, ...
    object_id: int = 0
    etag: str = ""
    owner_id: int | None = None  # whose account a change of a user or a session is


class EventsPage(Wire):
    """What follows a sequence id, oldest first; `reset`: the changes after it are gone."""

    results: list[FeedEvent] = []
    last: int = 0
    has_more: bool = False
    reset: bool = False


class Presence(Wire):
    """Someone's tab with an item open (GET /api/presence/); `you`: the asking tab itself."""

    user: UserRef = UserRef()
    resource: str = ""
    object_id: int = 0
    activity: str = ""  # viewing, editing
    detail: str = ""  # what in the item: the week of a grid cell
    you: bool = False


class PresenceList(Wire):
    results: list[Presence] = []


class PersonSearch(Wire):
    results: list[Person] = []


class Page(Wire, Generic[T]):
    count: int = 0
    next: str | None = None
    previous: str | None = None
    results: list[T] = []
