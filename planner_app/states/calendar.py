"""/calendar: four weeks, Monday first, of deliverables and time off."""

from __future__ import annotations

import dataclasses
import datetime as dt

import reflex as rx

from planner_app.planning import monday_of
from planner_app.services.client import ApiClient
from planner_app.services.models import Deliverable, Page, TimeOff
from planner_app.states.auth import gated
from planner_app.states.calls import Failed
from planner_app.states.page import PageMixin

WEEKS_SHOWN = 4
DAY_NAMES = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]


@dataclasses.dataclass
class Entry:
    kind: str  # "deliverable" or "timeoff"
    text: str
    href: str
    done: bool


@dataclasses.dataclass
class Day:
    iso: str
    label: str
    weekday: str
    today: bool
    weekend: bool
    events: list[Entry]


@dataclasses.dataclass
class Week:
    label: str
    days: list[Day]


class CalendarState(PageMixin, rx.State):
    _live_resources = frozenset({"timeoff", "deliverables", "projects"})

    start: str = ""
    weeks: list[Week] = []

    def _start(self) -> dt.date:
        return dt.date.fromisoformat(self.start) if self.start else monday_of(dt.date.today())

    @rx.event
    @gated
    async def load(self):
        first = self._start()
        last = first + dt.timedelta(days=7 * WEEKS_SHOWN - 1)
        self.start = first.isoformat()
        self.loading = True
        self._clear_errors()
        yield
        window = {"from": first.isoformat(), "to": last.isoformat()}

        async def fetch(api: ApiClient) -> tuple[Page[Deliverable], Page[TimeOff]]:
            deliverables = await api.deliverables.list(page_size=200, ordering="date", **window)
            return deliverables, await api.timeoff.list(page_size=200, ordering="startDate", **window)

        fetched = await self._call(fetch)
        if isinstance(fetched, Failed):
            yield fetched.event
            return
        deliverables, timeoff = fetched
        entries: dict[str, list[Entry]] = {}
        for d in deliverables.results:
            if d.date:
                text = f"{d.project_name}: {d.description or 'Deliverable'}"
                entries.setdefault(d.date, []).append(
                    Entry("deliverable", text, f"/projects/{d.project_id}", d.is_completed)
                )
        for t in timeoff.results:
            day = max(dt.date.fromisoformat(t.start_date), first)
            end = min(dt.date.fromisoformat(t.end_date), last)
            while day <= end:
                entries.setdefault(day.isoformat(), []).append(
                    Entry("timeoff", f"{t.person_name} ({t.kind})", f"/people/{t.person_id}", False)
                )
                day += dt.timedelta(days=1)
        today = dt.date.today()
        self.weeks = [
            Week(
                f"Week of {first + dt.timedelta(weeks=w):%-d %b}",
                [
                    Day(
                        day.isoformat(),
                        f"{day:%-d %b}",
                        DAY_NAMES[day.weekday()],
                        day == today,
                        day.weekday() >= 5,
                        entries.get(day.isoformat(), []),
                    )
                    for day in (first + dt.timedelta(days=7 * w + i) for i in range(7))
                ],
            )
            for w in range(WEEKS_SHOWN)
        ]
        self.loading = False

    async def _move(self, weeks: int | None):
        self.start = (self._start() + dt.timedelta(weeks=weeks)).isoformat() if weeks else ""
        async for update in self.load():
            yield update

    @rx.event
    async def previous(self):
        async for update in self._move(-WEEKS_SHOWN):
            yield update

    @rx.event
    async def next(self):
        async for update in self._move(WEEKS_SHOWN):
            yield update

    @rx.event
    async def today(self):
        async for update in self._move(None):
            yield update

    @rx.var
    def period(self) -> str:
        if not self.start:
            return ""
        first = dt.date.fromisoformat(self.start)
        last = first + dt.timedelta(days=7 * WEEKS_SHOWN - 1)
        return f"{first:%-d %b} – {last:%-d %b %Y}"
