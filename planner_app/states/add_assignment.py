"""The grid's "Add assignment" dialog: opened from a person's row (the person is given) or from
the page's button (a typeahead asks for the person). The new row joins the grid when its person
is on the page on screen; otherwise a notice says where it went."""

from __future__ import annotations

import reflex as rx

from planner_app.planning import parse_hours
from planner_app.states.assignments import AssignmentsState
from planner_app.states.calls import Failed
from planner_app.states.page import PageMixin
from planner_app.states.set_all_weeks import HOURS_MESSAGE
from planner_app.states.typeahead import choose_person

PERSON_BOX = "add-assignment-person"


class AddAssignmentState(PageMixin, rx.State):
    is_open: bool = False
    # Set when the dialog was opened from a person's row; 0 lets the dialog ask for the person.
    person_id: int = 0
    person_name: str = ""
    notice: str = ""
    saving: bool = False

    @rx.event
    def open(self, person_id: int, name: str):
        self._clear_errors()
        self.notice = ""
        self.person_id, self.person_name, self.is_open = person_id, name, True

    @rx.event
    async def open_for_anyone(self):
        self.open(0, "")
        await choose_person(self, PERSON_BOX)

    @rx.event
    def close(self):
        self.is_open = False

    @rx.event
    def open_change(self, is_open: bool):
        self.is_open = is_open

    def _body(self, form: dict, weeks: list[str]) -> dict:
        """The request body, or field errors (`field_errors`) and an empty body."""
        chosen = str(form.get("person_id", "")).strip()
        person = self.person_id or (int(chosen) if chosen.isdigit() else 0)
        errors = {}
        if not person:
            errors["person_id"] = "Choose a person."
        project = str(form.get("project_id", ""))
        if not project.isdigit():
            errors["project_id"] = "Choose a project."
        weekly: dict[str, float] = {}
        if str(form.get("hours", "")).strip():
            try:
                value = parse_hours(str(form["hours"]))
            except ValueError:
                errors["hours"] = HOURS_MESSAGE
            else:
                weekly = dict.fromkeys(weeks, value) if value else {}
        self.field_errors = errors
        if errors:
            return {}
        return {
            "person_id": person,
            "project_id": int(project),
            "role_on_project": str(form.get("role_on_project", "")).strip(),
            "weekly_hours": weekly,
        }

    @rx.event
    async def save(self, form: dict):
        grid = await self.get_state(AssignmentsState)
        body = self._body(form, grid._weeks)
        if not body:
            return
        self.saving = True
        self._clear_errors()
        yield
        created = await self._call(lambda api: api.assignments.create(body), busy="saving")
        if isinstance(created, Failed):
            yield created.event
            return
        self.saving, self.is_open = False, False
        if not grid._added(created):
            # Only this page of people is on screen: say where the new row went.
            self.notice = (
                f"Added {created.person_name} to {created.project_name}. They are on another page of the grid."
            )
