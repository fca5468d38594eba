"""/projects and /projects/[id] (with its deliverables and team)."""

from __future__ import annotations

import dataclasses
import datetime as dt

import reflex as rx

from planner_app.planning import date_range, hours, long_date, week_keys
from planner_app.services.api import ApiClient, ApiError, Resource
from planner_app.services.models import Assignment, Deliverable, Project
from planner_app.states import payloads
from planner_app.states.auth import AuthState
from planner_app.states.page import PAGE_SIZE, CrudMixin, PageMixin

STATUS_OPTIONS = [
    ("planning", "Planning"),
    ("active", "Active"),
    ("on_hold", "On hold"),
    ("completed", "Completed"),
    ("cancelled", "Cancelled"),
]
STATUS_LABELS = dict(STATUS_OPTIONS)


@dataclasses.dataclass
class ProjectRow:
    id: int
    name: str
    project_number: str
    client: str
    status: str
    dates: str


class ProjectsState(CrudMixin, AuthState):
    projects: list[Project] = []
    status: str = ""
    search: str = ""
    draft: Project = Project()

    def _resource(self, api: ApiClient) -> Resource:
        return api.projects

    def _payload(self, form: dict) -> dict:
        return payloads.project(form)

    def _fill_draft(self, item_id: int) -> None:
        self.draft = next((p for p in self.projects if p.id == item_id), Project())

    @rx.event
    async def load(self):
        self.loading = True
        yield
        try:
            async with self.api() as api:
                result = await api.projects.list(
                    page=self.page, page_size=PAGE_SIZE, ordering="name", status=self.status, search=self.search
                )
        except ApiError as err:
            yield await self._fail(err)
            return
        await self._forget_etags([f"/projects/{item.id}/" for item in result.results])
        self.projects, self.count, self.loading = result.results, result.count, False

    @rx.var
    def rows(self) -> list[ProjectRow]:
        return [
            ProjectRow(p.id, p.name, p.project_number or "", p.client, p.status, date_range(p.start_date, p.end_date))
            for p in self.projects
        ]

    @rx.event
    async def set_filter(self, name: str, value: str):
        if name not in ("status", "search"):
            return
        setattr(self, name, value)
        self.page = 1
        async for update in self.load():
            yield update


@dataclasses.dataclass
class ProjectMember:
    person_id: int
    name: str
    role: str
    planned: str


@dataclasses.dataclass
class DeliverableRow:
    id: int
    date: str
    description: str
    percentage: str
    is_completed: bool


class ProjectState(PageMixin, AuthState):
    project: Project = Project()
    deliverables: list[Deliverable] = []
    team: list[Assignment] = []
    dialog_open: bool = False
    saving: bool = False
    confirm_open: bool = False
    # The version the edit form was filled from: a save is checked against it, whatever else
    # this tab has read of the project since.
    _etag: str = ""
    deliverable_open: bool = False
    delete_deliverable_id: int = 0

    @rx.event
    async def load(self):
        self.loading = True
        self._clear_errors()
        if self.project.id != self._route_id():
            self.project, self.deliverables, self.team = Project(), [], []
        yield
        try:
            async with self.api() as api:
                self.project = await api.projects.get(self._route_id())
                self._etag = api.etags[api.projects.detail_path(self.project.id)]
                deliverables = await api.deliverables.list(project_id=self.project.id, page_size=100, ordering="date")
                team = await api.assignments.list(project_id=self.project.id, page_size=100, ordering="personId")
        except ApiError as err:
            yield await self._fail(err)
            return
        self.deliverables, self.team, self.loading = deliverables.results, team.results, False

    @rx.var
    def status_label(self) -> str:
        return STATUS_LABELS.get(self.project.status, self.project.status)

    @rx.var
    def dates(self) -> str:
        return date_range(self.project.start_date, self.project.end_date) or "Not set"

    @rx.var
    def deliverable_rows(self) -> list[DeliverableRow]:
        return [
            DeliverableRow(
                d.id,
                long_date(d.date),
                d.description or "",
                f"{d.percentage:g} %" if d.percentage is not None else "",
                d.is_completed,
            )
            for d in self.deliverables
        ]

    @rx.var
    def team_rows(self) -> list[ProjectMember]:
        weeks = week_keys(dt.date.today())
        return [
            ProjectMember(a.person_id, a.person_name, a.role_on_project or "", hours(sum(a.weekly_hours.get(w, 0) for w in weeks)))
            for a in self.team
        ]

    @rx.event
    def set_dialog_open(self, is_open: bool):
        self._clear_errors()
        self.dialog_open = is_open

    @rx.event
    async def save(self, form: dict):
        self.saving = True
        self._clear_errors()
        yield
        try:
            async with self.api() as api:
                self.project = await api.projects.update(self.project.id, payloads.project(form), if_match=self._etag)
                self._etag = api.etags[api.projects.detail_path(self.project.id)]
        except ApiError as err:
            self.saving = False
            yield await self._fail(err)
            return
        self.saving = False
        self.dialog_open = False

    @rx.event
    def set_confirm_open(self, is_open: bool):
        self.confirm_open = is_open

    @rx.event
    async def delete(self):
        self.confirm_open = False
        try:
            async with self.api() as api:
                await api.projects.delete(self.project.id)
        except ApiError as err:
            yield await self._fail(err)
            return
        yield rx.redirect("/projects")

    @rx.event
    def set_deliverable_open(self, is_open: bool):
        self._clear_errors()
        self.deliverable_open = is_open

    async def _reload_deliverables(self, api: ApiClient) -> None:
        result = await api.deliverables.list(project_id=self.project.id, page_size=100, ordering="date")
        self.deliverables = result.results

    @rx.event
    async def add_deliverable(self, form: dict):
        self.saving = True
        self._clear_errors()
        yield
        try:
            async with self.api() as api:
                await api.deliverables.create(payloads.deliverable(form, self.project.id))
                await self._reload_deliverables(api)
        except ApiError as err:
            self.saving = False
            yield await self._fail(err)
            return
        self.saving = False
        self.deliverable_open = False

    @rx.event
    async def toggle_deliverable(self, deliverable_id: int, completed: bool):
        self._clear_errors()
        try:
            async with self.api() as api:
                await api.deliverables.update(deliverable_id, {"is_completed": completed})
                await self._reload_deliverables(api)
        except ApiError as err:
            yield await self._fail(err)

    @rx.event
    def ask_delete_deliverable(self, deliverable_id: int):
        self.delete_deliverable_id = deliverable_id

    @rx.event
    def cancel_delete_deliverable(self):
        self.delete_deliverable_id = 0

    @rx.event
    async def delete_deliverable(self):
        deliverable_id, self.delete_deliverable_id = self.delete_deliverable_id, 0
        try:
            async with self.api() as api:
                await api.deliverables.delete(deliverable_id)
                await self._reload_deliverables(api)
        except ApiError as err:
            yield await self._fail(err)
