"""/assignments: the planning grid, people (rows) × the next GRID_WEEKS weeks (columns).

One page of people at a time (server pagination), each with their assignments. Cells are edited
in place; a save sends only the changed week (PATCH merges weeklyHours week by week), against the
version of the row on screen: when someone else saved the row since, the cell shows their value,
highlighted, with this person's value one click away (states/conflict.py has the banner's side).
The grid's dialogs have states of their own: states/add_assignment.py, states/set_all_weeks.py.
"""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
from typing import ClassVar

import reflex as rx

from planner_app.planning import hours, parse_hours, short_date, step_hours, week_keys
from planner_app.services.client import ApiClient
from planner_app.services.errors import ApiError, ConcurrencyError
from planner_app.services.models import Assignment, FeedEvent, Page, Person, Presence
from planner_app.states.auth import gated
from planner_app.states.calls import Failed
from planner_app.states.confirm_delete import ConfirmDeleteMixin
from planner_app.states.conflict import ConflictMixin, FieldChange
from planner_app.states.filters import FilterMixin
from planner_app.states.options import department_options, project_options
from planner_app.states.page import PagedMixin
from planner_app.states.presence import PresenceLine, Watching, line

GRID_PAGE_SIZE = 15


@dataclasses.dataclass
class Cell:
    # Carries its assignment's id and name: Reflex compiles the handlers of a nested foreach
    # where the outer loop variable is out of scope, so a cell must not need it.
    assignment_id: int
    week: str
    label: str
    value: str
    # What this person typed, when someone else saved the row first ("" otherwise).
    mine: str = ""
    # Someone else typing in this cell now (presence): their initials and "Ana Costa is editing".
    editor: str = ""
    editor_text: str = ""


@dataclasses.dataclass
class Row:
    id: int
    project_id: int
    project: str
    role: str
    cells: list[Cell]
    total: str


@dataclasses.dataclass
class WeekTotal:
    hours: str
    over: bool


@dataclasses.dataclass
class Block:
    person_id: int
    name: str
    capacity: str
    totals: list[WeekTotal]
    rows: list[Row]
    total: str  # planned hours over the weeks shown, against capacity: "270 / 432"
    over_weeks: int


# One cell of the grid: (assignment id, week).
CellKey = tuple[int, str]


def build_blocks(
    people: list[Person],
    assignments: dict[int, list[Assignment]],
    weeks: list[str],
    mine: dict[CellKey, float | None] | None = None,
    editors: dict[CellKey, PresenceLine] | None = None,
) -> list[Block]:
    """The grid's rows and totals: hours per week per assignment, summed per person against capacity.
    `mine`: the values typed into cells someone else saved first, by (assignment id, week);
    `editors`: who else is in a cell now."""
    mine, editors = mine or {}, editors or {}
    blocks = []
    for person in people:
        rows = []
        week_sums = dict.fromkeys(weeks, 0.0)
        for a in assignments.get(person.id, []):
            cells = []
            for week in weeks:
                value = a.weekly_hours.get(week)
                week_sums[week] += value or 0
                key = (a.id, week)
                typed = hours(mine[key]) or "0" if key in mine else ""
                editor = editors.get(key)
                cells.append(
                    Cell(
                        a.id,
                        week,
                        f"{person.name}, {a.project_name}, week of {short_date(week)}",
                        hours(value),
                        typed,
                        editor.initials if editor else "",
                        editor.text if editor else "",
                    )
                )
            rows.append(
                Row(
                    a.id,
                    a.project_id,
                    a.project_name,
                    a.role_on_project or "",
                    cells,
                    hours(sum(a.weekly_hours.get(w, 0) for w in weeks)),
                )
            )
        capacity = person.weekly_capacity or 0
        totals = [WeekTotal(hours(week_sums[w]), week_sums[w] > capacity) for w in weeks]
        blocks.append(
            Block(
                person.id,
                person.name,
                hours(capacity),
                totals,
                rows,
                f"{hours(sum(week_sums.values()))} / {hours(capacity * len(weeks))}",
                sum(t.over for t in totals),
            )
        )
    return blocks


class AssignmentsState(ConfirmDeleteMixin, ConflictMixin, PagedMixin, FilterMixin, rx.State):
    page_size: ClassVar[int] = GRID_PAGE_SIZE
    _live_resources = frozenset({"assignments", "people", "projects"})
    _filters = ("department_id", "project_id")
    department_id: str = ""
    project_id: str = ""
    week_labels: list[str] = []
    blocks: list[Block] = []
    department_options: list[tuple[str, str]] = []
    project_options: list[tuple[str, str]] = []
    # Bumped to put back what a cell showed before a refused entry (cell inputs are uncontrolled).
    grid_version: int = 0
    saving_cell: bool = False
    # The phone cards edit one week per assignment at a time: the week chosen, by assignment id
    # (kept apart from `blocks`, so choosing a week sends a few bytes, not the whole grid).
    selected_weeks: dict[str, str] = {}

    _weeks: list[str] = []
    _people: list[Person] = []
    _assignments: dict[int, list[Assignment]] = {}
    # Cells someone else saved first: (assignment id, week) → (the value the cell showed, the value typed).
    _conflicts: dict[CellKey, tuple[float | None, float | None]] = {}
    # The cell this person is in (focused), and rows kept at the version they were typed against
    # while a live update brought a newer one: leaving the cell saves against that version (a 412
    # then shows the conflict marker) or, with nothing typed, shows the newer one.
    _editing: tuple[int, str] | None = None
    _stale_rows: set[int] = set()
    # Who is looking (the banner says "You" for their own saves in another tab).
    _viewer_id: int = 0
    # Others in a cell now (presence), by (assignment id, week).
    _editors: dict[CellKey, PresenceLine] = {}

    def _rebuild(self) -> None:
        mine = {key: typed for key, (_, typed) in self._conflicts.items()}
        self.blocks = build_blocks(self._people, self._assignments, self._weeks, mine, self._editors)
        first = self._weeks[0] if self._weeks else ""
        self.selected_weeks = {
            str(a.id): self.selected_weeks.get(str(a.id), first) for rows in self._assignments.values() for a in rows
        }
        self._review_conflicts()

    def _review_conflicts(self) -> None:
        if not self._conflicts:
            self._end_conflict()
            return
        labels = {(c.assignment_id, c.week): c.label for b in self.blocks for r in b.rows for c in r.cells}
        lines = []
        for (assignment_id, week), (shown, typed) in self._conflicts.items():
            assignment = self._find(assignment_id)
            theirs = assignment.weekly_hours.get(week) if assignment else None
            changed_by = "you" if (theirs or 0) == (shown or 0) else "both"
            lines.append(
                FieldChange(
                    labels.get((assignment_id, week), f"{assignment_id}:{week}"),
                    hours(theirs) or "0",
                    hours(typed) or "0",
                    changed_by,
                )
            )
        # The banner names whoever saved last among the rows in conflict.
        rows = [row for row in (self._find(a) for a, _ in self._conflicts) if row is not None]
        self._show_conflict(lines, max(rows, key=lambda row: row.updated_at, default=None), self._viewer_id)

    @rx.event
    @gated
    async def load(self):
        self._weeks = week_keys(dt.date.today())
        self.week_labels = [short_date(w) for w in self._weeks]
        self._viewer_id = (await self._auth()).user.id
        self.loading = True
        yield

        async def fetch(api: ApiClient) -> tuple[Page[Person], list[Page[Assignment]]]:
            people = await api.people.list(
                page=self.page,
                page_size=GRID_PAGE_SIZE,
                ordering="name",
                is_active=True,
                department_id=self.department_id,
            )
            # Ordered by id: the API's default (latest change first) would move a row on every edit.
            pages = await asyncio.gather(
                *[
                    api.assignments.list(person_id=p.id, project_id=self.project_id, page_size=100, ordering="id")
                    for p in people.results
                ]
            )
            if not self.department_options:
                self.department_options = await department_options(api)
                self.project_options = await project_options(api)
            return people, pages

        fetched = await self._call(fetch)
        if isinstance(fetched, Failed):
            yield fetched.event
            return
        people, pages = fetched
        assignments = {p.id: page.results for p, page in zip(people.results, pages, strict=True)}
        # A reload shows the latest of every row: nothing is in conflict any more.
        self._conflicts, self._stale_rows = {}, set()
        # With a project filter only the people on that project are of interest.
        self._people = [p for p in people.results if assignments[p.id] or not self.project_id]
        self._assignments = assignments
        self.count = people.count
        self._rebuild()
        self.loading = False

    async def _on_changes(self, events: list[FeedEvent]) -> list:
        """Someone saved: the page is read again, but when they changed the very cell this person
        is in, its row keeps the version being typed against; cells already in conflict stay so."""
        if not any(e.resource in self._live_resources for e in events):
            return []
        editing = self._find(self._editing[0]) if self._editing else None
        conflicts, reviewing = self._conflicts, self.review_open
        followups = await super()._on_changes(events)
        if not followups:
            latest = self._find(editing.id) if editing is not None else None
            if editing is not None and latest is not None and self._editing is not None:
                week = self._editing[1]
                # Only a change to that very cell holds the row (a remount would drop what is typed);
                # other weeks merge with this person's save (PATCH merges week by week).
                if latest.weekly_hours.get(week) != editing.weekly_hours.get(week):
                    self._replace(editing)
                    self._stale_rows = {*self._stale_rows, editing.id}
            self._conflicts = {key: value for key, value in conflicts.items() if self._find(key[0]) is not None}
            self._rebuild()
            # A review the person opened stays open while its conflicts remain (the reload ended it).
            self.review_open = reviewing and bool(self._conflicts)
        return followups

    @rx.event
    async def enter_cell(self, assignment_id: int, week: str):
        """Typing in this cell (sent with each keystroke): a live update of it waits until the cell
        is left, and others see this person's initials on it."""
        if self._editing == (assignment_id, week):
            return
        self._editing = (assignment_id, week)
        await self._share_presence()

    def _watching(self) -> Watching | None:
        if self._editing is None:
            return None
        assignment_id, week = self._editing
        return Watching("assignments", assignment_id, "editing", week)

    def _presence_scope(self) -> tuple[str, int | None]:
        return ("assignments", None)

    def _show_presence(self, others: list[Presence], viewer_id: int) -> None:
        editors = {(p.object_id, p.detail): line(p, viewer_id) for p in others if p.activity == "editing" and not p.you}
        if editors != self._editors:
            self._editors = editors
            self._rebuild()

    async def _show_latest(self, assignment_id: int) -> ApiError | None:
        """A row kept at an older version while its cell was in use, nothing typed: the latest now."""
        self._stale_rows = self._stale_rows - {assignment_id}
        try:
            async with self.api() as api:
                self._replace(await api.assignments.get(assignment_id))
        except ApiError as err:
            return err
        self._rebuild()
        return None

    def _find(self, assignment_id: int) -> Assignment | None:
        for rows in self._assignments.values():
            for a in rows:
                if a.id == assignment_id:
                    return a
        return None

    def _replace(self, updated: Assignment) -> None:
        rows = self._assignments.get(updated.person_id, [])
        # Reassigned, not mutated in place, so the change is certainly persisted with the state.
        self._assignments = {
            **self._assignments,
            updated.person_id: [updated if a.id == updated.id else a for a in rows],
        }

    async def _patch_hours(self, assignment_id: int, weekly_hours: dict[str, float | None]) -> ApiError | None:
        """Save some weeks of one assignment; returns the error instead of raising it. When someone
        else saved the row first, the row shows their version and the typed weeks wait in conflict."""
        assignment = self._find(assignment_id)
        if assignment is None:
            return None
        # Either way the row shows a newer version next: the saved one or the one that won.
        self._stale_rows = self._stale_rows - {assignment_id}
        try:
            async with self.api() as api:
                # Against the version of the row on screen (list rows carry their ETag).
                updated = await api.assignments.update(
                    assignment_id, {"weekly_hours": weekly_hours}, if_match=assignment.etag
                )
        except ConcurrencyError as err:
            conflicts = dict(self._conflicts)
            for week, typed in weekly_hours.items():
                key = (assignment_id, week)
                # A cell already in conflict keeps what it showed first: "yours" is measured from there.
                shown = conflicts[key][0] if key in conflicts else assignment.weekly_hours.get(week)
                conflicts[key] = (shown, typed)
            self._conflicts = conflicts
            self._replace(Assignment.model_validate(err.current))
            # The cells are uncontrolled: remount them all, so each shows the saved value.
            self.grid_version += 1
            self._rebuild()
            return None
        except ApiError as err:
            return err
        saved = {(assignment_id, week) for week in weekly_hours}
        self._conflicts = {k: v for k, v in self._conflicts.items() if k not in saved}
        self._replace(updated)
        self._rebuild()
        return None

    @rx.event
    async def use_mine(self, assignment_id: int, week: str):
        """The value typed into a conflicting cell, saved over the row's latest version."""
        key = (assignment_id, week)
        if key not in self._conflicts:
            return
        self._clear_errors()
        self.saving_cell = True
        yield
        err = await self._patch_hours(assignment_id, {week: self._conflicts[key][1]})
        self.saving_cell = False
        if err is not None:
            yield await self._fail(err)

    @rx.event
    async def keep_my_changes(self):
        """Every conflicting cell's typed value, row by row, on top of the latest versions."""
        self.resolving = True
        yield
        by_row: dict[int, dict[str, float | None]] = {}
        for (assignment_id, week), (_, typed) in self._conflicts.items():
            by_row.setdefault(assignment_id, {})[week] = typed
        for assignment_id, weeks in by_row.items():
            err = await self._patch_hours(assignment_id, weeks)
            if err is not None:
                self.resolving = False
                yield await self._fail(err)
                return
        self.resolving = False

    @rx.event
    async def reload_latest(self):
        async for update in self.load():
            yield update

    @rx.event
    async def save_cell(self, assignment_id: int, week: str, text: str):
        """Leaving a cell (Tab, Enter or a click elsewhere): save the week if its value changed."""
        self._editing = None
        await self._share_presence()
        assignment = self._find(assignment_id)
        if assignment is None:
            return
        try:
            value = parse_hours(text)
        except ValueError:
            self.error = f"“{text}” is not a number of hours from 0 to 168."
            self.grid_version += 1
            return
        if value == assignment.weekly_hours.get(week) or (value in (None, 0) and not assignment.weekly_hours.get(week)):
            if assignment_id in self._stale_rows and (err := await self._show_latest(assignment_id)) is not None:
                yield await self._fail(err)
            return
        self._clear_errors()
        self.saving_cell = True
        yield
        err = await self._patch_hours(assignment_id, {week: value})
        self.saving_cell = False
        if err is not None:
            # Put the saved value back in the cell, and say why.
            self.grid_version += 1
            yield await self._fail(err)

    @rx.event
    def select_week(self, assignment_id: int, week: str):
        """A phone card's week chip: that week gets the steppers and the field."""
        if week in self._weeks:
            self.selected_weeks = {**self.selected_weeks, str(assignment_id): week}

    @rx.event
    async def step_cell(self, assignment_id: int, week: str, delta: float):
        """A phone stepper (−4, −1, +1, +4 h): the saved value moved by `delta`, kept within 0–168,
        saved as if typed into the desktop cell. Taps queue up, each from the value before it."""
        assignment = self._find(assignment_id)
        if assignment is None:
            return
        value = step_hours(assignment.weekly_hours.get(week), delta)
        async for update in self.save_cell(assignment_id, week, hours(value)):
            yield update

    def _added(self, created: Assignment) -> bool:
        """A new assignment (states/add_assignment.py) joins its person's rows, if that person
        is on this page of the grid; False when they are not."""
        if not any(p.id == created.person_id for p in self._people):
            return False
        self._assignments = {
            **self._assignments,
            created.person_id: [*self._assignments.get(created.person_id, []), created],
        }
        self._rebuild()
        return True

    async def _delete(self, assignment_id: int):
        self._clear_errors()
        done = await self._call(lambda api: api.assignments.delete(assignment_id))
        if isinstance(done, Failed):
            yield done.event
            return
        self._assignments = {pid: [a for a in rows if a.id != assignment_id] for pid, rows in self._assignments.items()}
        self._rebuild()
