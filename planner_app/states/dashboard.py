"""Dashboard: the API's utilisation summary for a period; the period and department live in the URL."""

from __future__ import annotations

import dataclasses
import json
from urllib.parse import urlencode

import reflex as rx

from planner_app import styles
from planner_app.planning import GRID_WEEKS, hours, short_date
from planner_app.services.client import ApiClient
from planner_app.services.models import Dashboard, Department, Page, TeamMember
from planner_app.states.auth import gated
from planner_app.states.calls import Failed
from planner_app.states.page import WindowMixin

# (value, label) of the periods the board can show: up to the grid's horizon, as the API allows.
WEEK_CHOICES = [(str(n), f"{n} week" + ("" if n == 1 else "s")) for n in range(1, GRID_WEEKS + 1)]
# The team overview starts short (over-allocated people come first); "Show everyone" opens the rest.
TEAM_PREVIEW = 10


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


class DashboardState(WindowMixin, rx.State):
    """The API sends the whole team overview at once; it stays on the server (`_team`) and the
    browser gets a window of it (states/page.py WindowMixin), as for the server-paged lists."""

    weeks: str = "4"
    department_id: str = ""
    # The board without its team overview, which can be thousands of rows.
    data: Dashboard = Dashboard()
    department_options: list[tuple[str, str]] = []
    show_whole_team: bool = False
    team: list[TeamRow] = []
    team_size: int = 0
    _team: list[TeamRow] = []

    _window_var = "team"
    _noun = ("person", "people")

    async def _fetch_page(self, page: int, size: int) -> tuple[list, int]:
        shown = self._team if self.show_whole_team else self._team[:TEAM_PREVIEW]
        return shown[page * size : (page + 1) * size], len(shown)

    @rx.event
    async def toggle_whole_team(self):
        self.show_whole_team = not self.show_whole_team
        # In the URL, so Back from a person's page comes back to the whole team, scrolled where it
        # was; replaced in place, as a navigation would reload the board.
        url = self._url(self.weeks, self.department_id)
        yield rx.call_script(f"window.history.replaceState(window.history.state, '', {json.dumps(url)})")
        async for update in self._load_window(keep=False):
            yield update

    @rx.event
    @gated
    async def load(self):
        params = self.router.url.query_parameters
        self.weeks = str(_clamp_weeks(params.get("weeks")))
        self.department_id = params.get("department", "")
        self.show_whole_team = params.get("team") == "all"
        self.loading = True
        self._clear_errors()
        yield

        async def fetch(api: ApiClient) -> tuple[Dashboard, Page[Department]]:
            board = await api.dashboard(
                int(self.weeks), int(self.department_id) if self.department_id.isdigit() else None
            )
            return board, await api.departments.list(page_size=200, ordering="name")

        fetched = await self._call(fetch)
        if isinstance(fetched, Failed):
            yield fetched.event
            return
        board, departments = fetched
        self._team, self.team_size = team_rows(board.team_overview), len(board.team_overview)
        self.data = board.model_copy(update={"team_overview": []})
        self.department_options = [(str(d.id), d.name) for d in departments.results]
        self._restart_window()
        async for update in self._load_window(keep=False):
            yield update

    def _url(self, weeks: str, department_id: str) -> str:
        query = {"weeks": weeks, "department": department_id, "team": "all" if self.show_whole_team else ""}
        return "/?" + urlencode({key: value for key, value in query.items() if value})

    @rx.event
    def set_filter(self, name: str, value: str):
        """A filter control's change (components/filters.py), as FilterMixin's but through the URL:
        changing it re-runs on_load, so the filters are shareable and survive a reload."""
        if name == "weeks":
            return rx.redirect(self._url(value, self.department_id))
        if name == "department_id":
            return rx.redirect(self._url(self.weeks, value))
        return None

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
