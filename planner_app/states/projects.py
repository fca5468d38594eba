"""/projects and /projects/[id] (with its deliverables and team)."""

from __future__ import annotations

import dataclasses
import datetime as dt

import reflex as rx

from planner_app.planning import date_range, hours, long_date, week_keys
from planner_app.services.client import ApiClient, Resource
from planner_app.services.models import Assignment, Deliverable, Page, Project
from planner_app.states import payloads
from planner_app.states.auth import gated
from planner_app.states.calls import Failed
from planner_app.states.confirm_delete import ConfirmDeleteMixin
from planner_app.states.conflict import EditFormMixin
from planner_app.states.filters import FilterMixin
from planner_app.states.page import DetailPageMixin, EditableListMixin, PageMixin, WindowMixin

STATUS_OPTIONS = [
    ("planning", "Planning"),
    ("active", "Active"),
    ("on_hold", "On hold"),
    ("completed", "Completed"),
    ("cancelled", "Cancelled"),
]
STATUS_LABELS = dict(STATUS_OPTIONS)
PROJECT_FIELDS = {
    "name": "Name",
    "client": "Client",
    "status": "Status",
    "project_number": "Project number",
    "estimated_hours": "Estimated hours",
    "start_date": "Start date",
    "end_date": "End date",
    "description": "Description",
}


class ProjectFormMixin(EditFormMixin, mixin=True):
    """The project form's fields, shared by the list's dialog and the project page."""

    def _form_resource(self, api: ApiClient) -> Resource:
        return api.projects

    def _form_labels(self) -> dict[str, str]:
        return PROJECT_FIELDS

    def _form_choices(self) -> dict[str, dict[str, str]]:
        return {"status": STATUS_LABELS}


@dataclasses.dataclass
class ProjectRow:
    id: int
    name: str
    project_number: str
    client: str
    status: str
    dates: str


class ProjectsState(ProjectFormMixin, EditableListMixin, WindowMixin, FilterMixin, rx.State):
    """/projects: a window of the list sorted by name (states/page.py WindowMixin), and its filters."""

    _live_resources = frozenset({"projects", "departments"})

    projects: list[Project] = []
    status: str = ""
    search: str = ""
    draft: Project = Project()

    _filters = ("status", "search")
    _window_var = "projects"
    _noun = ("project", "projects")

    def _payload(self, form: dict) -> dict:
        return payloads.project(form)

    def _blank(self) -> Project:
        return Project()

    def _show_item(self, item: Project) -> None:
        self.draft = item

    async def _fetch_page(self, page: int, size: int) -> tuple[list, int]:
        async with self.api() as api:
            result = await api.projects.list(
                page=page + 1, page_size=size, ordering="name", status=self.status, search=self.search
            )
        return result.results, result.count

    @rx.event
    @gated
    async def load(self):
        self.loading = True
        yield
        async for update in self._load_window(keep=False):
            yield update

    @rx.var
    def rows(self) -> list[ProjectRow]:
        return [
            ProjectRow(p.id, p.name, p.project_number or "", p.client, p.status, date_range(p.start_date, p.end_date))
            for p in self.projects
        ]


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


class ProjectState(ProjectFormMixin, DetailPageMixin, rx.State):
    _live_resources = frozenset({"projects", "assignments", "deliverables"})

    project: Project = Project()
    team: list[Assignment] = []

    def _show_item(self, item: Project) -> None:
        self.project = item

    def _payload(self, form: dict) -> dict:
        return payloads.project(form)

    def _list_route(self) -> str:
        return "/projects"

    @rx.event
    @gated
    async def load(self):
        self.loading = True
        self._clear_errors()
        if self.project.id != self._route_id():
            self.project, self.team = Project(), []
            self.history, self.history_count = [], 0
            (await self.get_state(DeliverablesState)).deliverables = []
        yield

        async def fetch(api: ApiClient) -> tuple[Page[Deliverable], Page[Assignment]]:
            await self._fill_form(api, self._route_id())
            deliverables = await api.deliverables.list(project_id=self.project.id, page_size=100, ordering="date")
            return deliverables, await api.assignments.list(
                project_id=self.project.id, page_size=100, ordering="personId"
            )

        fetched = await self._call(fetch)
        if isinstance(fetched, Failed):
            yield fetched.event
            return
        deliverables, team = fetched
        (await self.get_state(DeliverablesState)).deliverables = deliverables.results
        self.team, self.loading = team.results, False

    @rx.var
    def status_label(self) -> str:
        return STATUS_LABELS.get(self.project.status, self.project.status)

    @rx.var
    def dates(self) -> str:
        return date_range(self.project.start_date, self.project.end_date) or "Not set"

    @rx.var
    def team_rows(self) -> list[ProjectMember]:
        weeks = week_keys(dt.date.today())
        return [
            ProjectMember(
                a.person_id, a.person_name, a.role_on_project or "", hours(sum(a.weekly_hours.get(w, 0) for w in weeks))
            )
            for a in self.team
        ]


class DeliverablesState(ConfirmDeleteMixin, EditFormMixin, PageMixin, rx.State):
    """The project page's deliverables. Ticking one off is a one-field edit form: saved against the
    row on screen, and when someone else changed the row first it shows their version and the
    conflict banner (states/conflict.py)."""

    deliverables: list[Deliverable] = []
    add_open: bool = False
    saving: bool = False

    def _form_resource(self, api: ApiClient) -> Resource:
        return api.deliverables

    def _show_item(self, item: Deliverable) -> None:
        self.deliverables = [item if d.id == item.id else d for d in self.deliverables]

    def _form_labels(self) -> dict[str, str]:
        return {"is_completed": f"{self._form_base.get('description') or 'Deliverable'}: completed"}

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

    @rx.event
    def set_add_open(self, is_open: bool):
        self._clear_errors()
        self.add_open = is_open

    async def _reload(self, api: ApiClient) -> None:
        result = await api.deliverables.list(project_id=self._route_id(), page_size=100, ordering="date")
        self.deliverables = result.results

    @rx.event
    async def add(self, form: dict):
        self.saving = True
        self._clear_errors()
        yield

        async def add(api: ApiClient) -> None:
            await api.deliverables.create(payloads.deliverable(form, self._route_id()))
            await self._reload(api)

        added = await self._call(add, busy="saving")
        if isinstance(added, Failed):
            yield added.event
            return
        self.saving = False
        self.add_open = False

    @rx.event
    async def toggle(self, deliverable_id: int, completed: bool):
        self._clear_errors()
        shown = next((d for d in self.deliverables if d.id == deliverable_id), None)
        if shown is None:
            return
        self._pin(shown)
        saved = await self._call(lambda api: self._save_typed(api, {"is_completed": completed}))
        if isinstance(saved, Failed):
            yield saved.event
            return
        if saved is None:
            # The row shows the saved version; the banner offers to keep the tick.
            self._show_item(Deliverable.model_validate(self._form_latest))

    async def _delete(self, deliverable_id: int):
        self._end_conflict()

        async def delete(api: ApiClient) -> None:
            await api.deliverables.delete(deliverable_id)
            await self._reload(api)

        deleted = await self._call(delete)
        if isinstance(deleted, Failed):
            yield deleted.event


class ProjectPreviewState(PageMixin, rx.State):
    """The details sheet over /projects (components/url_sheet.py): the project the URL's
    #project-ID names, read fresh when the sheet opens."""

    preview: Project = Project()
    preview_open: bool = False

    @rx.event
    async def open_preview(self, project_id: int):
        self._clear_errors()
        if self.preview.id != project_id:
            self.preview = Project()
        self.preview_open = True
        self.loading = True
        yield
        preview = await self._call(lambda api: api.projects.get(project_id))
        if isinstance(preview, Failed):
            yield preview.event
            return
        self.preview = preview
        self.loading = False

    @rx.event
    def preview_closed(self):
        """The URL no longer names a project (Back, or the sheet was closed)."""
        self.preview_open = False

    @rx.event
    def close_preview(self, is_open: bool = False):
        """Close, Escape or a tap outside: the URL goes back to the list, which then closes it."""
        if not is_open:
            self.preview_open = False
            return rx.call_script("window.plannerCloseSheet && window.plannerCloseSheet()")

    @rx.var
    def preview_dates(self) -> str:
        return date_range(self.preview.start_date, self.preview.end_date)
