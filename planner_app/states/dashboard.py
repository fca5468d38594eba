"""Dashboard: the API's utilisation summary for a period; the period and department live in the URL."""

from __future__ import annotations

import dataclasses
from typing import ClassVar
from urllib.parse import urlencode

import reflex as rx

from planner_app import styles
from planner_app.planning import GRID_WEEKS, hours, short_date
from planner_app.services.client import ApiClient
from planner_app.services.models import Dashboard, Department, Page, TeamMember
from planner_app.states.auth import gated
from planner_app.states.calls import Failed
from planner_app.states.page import PagedMixin

# (value, label) of the periods the board can show: up to the grid's horizon, as the API allows.
WEEK_CHOICES = [(str(n), f"{n} week" + ("" if n == 1 else "s")) for n in range(1, GRID_WEEKS + 1)]
# Rows per page of the team overview: the API's default page (at most 200).
TEAM_PAGE = 50


@dataclasses.dataclass
class TeamRow:
    person_id: int
    name: str
    department: str
    allocated: str
    capacity: str
    percent: str
    band: str
    color: str
    peak: str


@dataclasses.dataclass
class AvailableRow:
    person_id: int
    name: str
    free_hours: str


@dataclasses.dataclass
class RecentRow:
    person: str
    project: str
    when: str


def percent_text(value: float | None) -> str:
    # The API sends null where hours are booked against no capacity at all.
    return "no capacity" if value is None else f"{value:.0f} %"


def _page_number(raw: str | None) -> int:
    return int(raw) if raw and raw.isdigit() and 0 < int(raw) < 1_000_000 else 1


def _clamp_weeks(raw: str | None) -> int:
    try:
        return min(GRID_WEEKS, max(1, int(raw or 4)))
    except ValueError:
        return 4


def team_rows(members: list[TeamMember]) -> list[TeamRow]:
    """The team overview's rows, in the API's order: over-allocated people first, then the busiest."""
    rows = []
    for m in members:
        # The API names each row's band (one set of thresholds, backend_api/dashboard/services.py).
        band = m.band if m.band in styles.BAND_COLORS else "underutilized"
        peak = f"{percent_text(m.peak_utilization_percent)} ({short_date(m.peak_week)})" if m.peak_week else ""
        rows.append(
            TeamRow(
                person_id=m.person_id,
                name=m.name,
                department=m.department_name or "—",
                allocated=hours(round(m.allocated_hours, 1)),
                capacity=hours(round(m.capacity, 1)),
                percent=percent_text(m.utilization_percent),
                band=styles.BAND_LABELS[band],
                color=styles.BAND_COLORS[band],
                peak=peak,
            )
        )
    return rows


class DashboardState(PagedMixin, rx.State):
    """The board and one page of its team overview (the API pages it: TEAM_PAGE rows). The
    period, department and page live in the URL, so Back from a person's page returns to the
    same page and a board can be shared."""

    _live_resources = frozenset({"assignments", "people", "timeoff", "projects", "departments"})

    page_size: ClassVar[int] = TEAM_PAGE
    weeks: str = "4"
    department_id: str = ""
    # The board without its team overview, which is `team`.
    data: Dashboard = Dashboard()
    department_options: list[tuple[str, str]] = []
    team: list[TeamRow] = []

    @rx.event
    @gated
    async def load(self):
        params = self.router.url.query_parameters
        self.weeks = str(_clamp_weeks(params.get("weeks")))
        self.department_id = params.get("department", "")
        self.page = _page_number(params.get("page"))
        self.loading = True
        self._clear_errors()
        yield

        async def fetch(api: ApiClient) -> tuple[Dashboard, Page[Department]]:
            board = await api.dashboard(
                int(self.weeks),
                int(self.department_id) if self.department_id.isdigit() else None,
                offset=(self.page - 1) * TEAM_PAGE,
                limit=TEAM_PAGE,
            )
            return board, await api.departments.list(page_size=200, ordering="name")

        fetched = await self._call(fetch)
        if isinstance(fetched, Failed):
            yield fetched.event
            return
        board, departments = fetched
        self.team, self.count = team_rows(board.team_overview), board.total
        self.data = board.model_copy(update={"team_overview": []})
        self.department_options = [(str(d.id), d.name) for d in departments.results]
        self.loading = False
        if board.total and not board.team_overview:  # a page past the end (fewer people now): the last one
            yield rx.redirect(self._url(self.weeks, self.department_id, self.page_count))

    def _url(self, weeks: str, department_id: str, page: int = 1) -> str:
        query = {"weeks": weeks, "department": department_id, "page": str(page) if page > 1 else ""}
        return "/?" + urlencode({key: value for key, value in query.items() if value})

    @rx.event
    def set_filter(self, name: str, value: str):
        """A filter control's change (components/filters.py), as FilterMixin's but through the URL:
        changing it re-runs on_load, so the filters are shareable and survive a reload. Either
        starts again from the first page."""
        if name == "weeks":
            return rx.redirect(self._url(value, self.department_id))
        if name == "department_id":
            return rx.redirect(self._url(self.weeks, value))
        return None

    # The pager's steps (components/lists.py) go through the URL too: each page is a history entry.
    @rx.event
    def next_page(self):
        return rx.redirect(self._url(self.weeks, self.department_id, min(self.page + 1, self.page_count)))

    @rx.event
    def previous_page(self):
        return rx.redirect(self._url(self.weeks, self.department_id, max(self.page - 1, 1)))

    @rx.event
    def go_to_page(self, page: int | str):
        try:
            wanted = min(max(1, int(page)), self.page_count)
        except (TypeError, ValueError):
            return None
        return rx.redirect(self._url(self.weeks, self.department_id, wanted))

    @rx.var
    def showing_text(self) -> str:
        """ "Showing 51–100 of 1,234 people" (the rows of this page, of everyone in view)."""
        if not self.team:
            return ""
        first = (self.page - 1) * TEAM_PAGE + 1
        noun = "person" if self.count == 1 else "people"
        return f"Showing {first:,}–{first + len(self.team) - 1:,} of {self.count:,} {noun}"

    @rx.var
    def distribution(self) -> list[dict]:
        dist = self.data.utilization_distribution
        return [
            {"band": styles.BAND_LABELS[key], "people": getattr(dist, key), "fill": styles.BAND_CHART_COLORS[key]}
            for key in styles.BAND_LABELS
        ]

    @rx.var
    def distribution_summary(self) -> str:
        """The chart in words, for screen readers: "… people per band: 12 under 70 %, 20 70–85 %, …"."""
        bands = ", ".join(f"{d['people']} {d['band'].lower()}" for d in self.distribution)
        return f"Utilisation distribution, people per band: {bands}"

    @rx.var
    def available(self) -> list[AvailableRow]:
        return [AvailableRow(p.person_id, p.name, hours(round(p.free_hours, 1))) for p in self.data.available_people]

    @rx.var
    def recent(self) -> list[RecentRow]:
        return [
            RecentRow(a.person_name, a.project_name, short_date(a.updated_at)) for a in self.data.recent_assignments
        ]

    @rx.var
    def avg_utilization(self) -> str:
        return percent_text(self.data.summary.avg_utilization)

    @rx.var
    def peak_utilization(self) -> str:
        return percent_text(self.data.summary.peak_utilization)
