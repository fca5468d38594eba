"""The grid's "Set all weeks" dialog: one number of hours for every week the grid shows, saved
as one PATCH of the row against the version on screen (AssignmentsState._patch_hours)."""

from __future__ import annotations

import reflex as rx

from planner_app.planning import parse_hours
from planner_app.states.assignments import AssignmentsState
from planner_app.states.page import PageMixin

HOURS_MESSAGE = "Enter a number of hours from 0 to 168."


class SetAllWeeksState(PageMixin, rx.State):
    # The assignment the dialog is open for (0: closed) and how the dialog names it.
    assignment_id: int = 0
    label: str = ""
    saving: bool = False

    @rx.event
    def open(self, assignment_id: int, label: str):
        self._clear_errors()
        self.assignment_id, self.label = assignment_id, label

    @rx.event
    def close(self):
        self.assignment_id = 0

    @rx.event
    def open_change(self, is_open: bool):
        if not is_open:
            self.assignment_id = 0

    @rx.event
    async def save(self, form: dict):
        try:
            value = parse_hours(str(form.get("hours", "")))
        except ValueError:
            self.field_errors = {"hours": HOURS_MESSAGE}
            return
        self._clear_errors()
        self.saving = True
        yield
        grid = await self.get_state(AssignmentsState)
        # A conflict is not a failure here: the grid shows it (banner, highlighted cells).
        err = await grid._patch_hours(self.assignment_id, dict.fromkeys(grid._weeks, value))
        self.saving = False
        if err is not None:
            yield await self._fail(err)
            return
        self.assignment_id = 0
