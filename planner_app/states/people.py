"""/people and /people/[id]."""

from __future__ import annotations

import dataclasses
import datetime as dt

import reflex as rx

from planner_app import styles
from planner_app.planning import hours, long_date, short_date, week_keys
from planner_app.services.client import ApiClient, Resource
from planner_app.services.models import Assignment, Dashboard, Page, Person, WeekFigure
from planner_app.states import payloads
from planner_app.states.auth import gated
from planner_app.states.calls import Failed
from planner_app.states.filters import FilterMixin
from planner_app.states.options import department_options
from planner_app.states.page import DetailPageMixin, EditableListMixin, WindowMixin

PERSON_FIELDS = {
    "name": "Name",
    "email": "Email",
    "job_title": "Job title",
    "department_id": "Department",
    "weekly_capacity": "Weekly capacity",
    "phone": "Phone",
    "location": "Location",
    "hire_date": "Hire date",
    "skills": "Skills",
    "notes": "Notes",
    "is_active": "Active",
}


class PeopleState(EditableListMixin, WindowMixin, FilterMixin, rx.State):
    """/people: a window of the list sorted by name (states/page.py WindowMixin), and its filters."""

    _live_resources = frozenset({"people", "departments"})
    _rows_resource = "people"
    # Its filters (search: name or email), its order (name), and the department's name it shows.
    _placing_fields = frozenset({"name", "email", "departmentId", "skills", "isActive"})

    people: list[Person] = []
    search: str = ""
    department_id: str = ""
    skill: str = ""
    active: str = "true"
    department_options: list[tuple[str, str]] = []
    draft: Person = Person()

    _filters = ("search", "department_id", "skill", "active")
    _window_var = "people"
    _noun = ("person", "people")

    def _form_resource(self, api: ApiClient) -> Resource:
        return api.people

    def _payload(self, form: dict) -> dict:
        return payloads.person(form)

    def _blank(self) -> Person:
        return Person()

    def _show_item(self, item: Person) -> None:
        self.draft = item

    def _form_labels(self) -> dict[str, str]:
        return PERSON_FIELDS

    def _form_choices(self) -> dict[str, dict[str, str]]:
        return {"department_id": dict(self.department_options)}

    async def _fetch_page(self, page: int, size: int) -> tuple[list, int]:
        async with self.api() as api:
            result = await api.people.list(
                page=page + 1,
                page_size=size,
                ordering="name",
                search=self.search,
                department_id=self.department_id,
                skill=self.skill,
                is_active={"true": True, "false": False}.get(self.active),
            )
        return result.results, result.count

    @rx.event
    @gated
    async def load(self):
        self.loading = True
        yield
        if not self.department_options:
            options = await self._call(department_options)
            if isinstance(options, Failed):
                yield options.event
                return
            self.department_options = options
        async for update in self._load_window(keep=False):
            yield update

    @rx.event
    async def clear_filters(self):
        self.search, self.department_id, self.skill, self.active = "", "", "", ""
        self._restart_window()
        async for update in self.load():
            yield update

    @rx.var
    def filtered(self) -> bool:
        return bool(self.search or self.department_id or self.skill or self.active)


@dataclasses.dataclass
class WeekLoad:
    week: str
    hours: str
    percent: str
    color: str


@dataclasses.dataclass
class PersonAssignment:
    id: int
    project_id: int
    project: str
    role: str
    total: str


class PersonState(DetailPageMixin, rx.State):
    _live_resources = frozenset({"people", "assignments", "timeoff"})

    person: Person = Person()
    assignments: list[Assignment] = []
    weeks: list[WeekFigure] = []
    department_options: list[tuple[str, str]] = []

    def _form_resource(self, api: ApiClient) -> Resource:
        return api.people

    def _show_item(self, item: Person) -> None:
        self.person = item

    def _form_labels(self) -> dict[str, str]:
        return PERSON_FIELDS

    def _form_choices(self) -> dict[str, dict[str, str]]:
        return {"department_id": dict(self.department_options)}

    def _payload(self, form: dict) -> dict:
        return payloads.person(form)

    def _list_route(self) -> str:
        return "/people"

    @rx.event
    @gated
    async def load(self):
        self.loading = True
        self._clear_errors()
        if self.person.id != self._route_id():
            # Another person's page: never show the previous one while this one loads.
            self.person, self.assignments, self.weeks = Person(), [], []
            self.history, self.history_count = [], 0
        yield

        async def fetch(api: ApiClient) -> tuple[Page[Assignment], Dashboard]:
            # The departments first: the history names them, as the form does.
            self.department_options = await department_options(api)
            await self._fill_form(api, self._route_id())
            result = await api.assignments.list(person_id=self.person.id, page_size=100, ordering="id")
            # The API's own figures: capacity net of time off, the same as the dashboard's.
            board = await api.dashboard(weeks=12, person_id=self.person.id)
            return result, board

        fetched = await self._call(fetch)
        if isinstance(fetched, Failed):
            yield fetched.event
            return
        result, board = fetched
        self.weeks = board.team_overview[0].weekly if board.team_overview else []
        self.assignments, self.loading = result.results, False

    @rx.var
    def weekly_load(self) -> list[WeekLoad]:
        """Planned hours and utilisation of the next GRID_WEEKS weeks, time off taken into account."""
        return [
            WeekLoad(
                short_date(w.week),
                hours(w.hours),
                "no capacity" if w.utilization_percent is None else f"{round(w.utilization_percent)} %",
                styles.BAND_COLORS[w.band or "underutilized"],
            )
            for w in self.weeks
        ]

    @rx.var
    def assignment_rows(self) -> list[PersonAssignment]:
        weeks = week_keys(dt.date.today())
        return [
            PersonAssignment(
                a.id,
                a.project_id,
                a.project_name,
                a.role_on_project or "",
                hours(sum(a.weekly_hours.get(w, 0) for w in weeks)),
            )
            for a in self.assignments
        ]

    @rx.var
    def skills_text(self) -> str:
        return ", ".join(self.person.skills)

    @rx.var
    def hire_date_text(self) -> str:
        return long_date(self.person.hire_date)
