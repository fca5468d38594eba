"""/timeoff."""

from __future__ import annotations

import dataclasses

import reflex as rx

from planner_app.planning import date_range
from planner_app.services.client import ApiClient, Resource
from planner_app.services.models import TimeOff
from planner_app.states import payloads
from planner_app.states.auth import gated
from planner_app.states.calls import Failed
from planner_app.states.page import PAGE_SIZE, CrudMixin
from planner_app.states.typeahead import choose_person

PERSON_BOX = "timeoff-person"

KIND_OPTIONS = [("vacation", "Vacation"), ("holiday", "Holiday"), ("sick", "Sick"), ("other", "Other")]

# The form's fields and their labels, in the form's order (the page and the conflict review use them).
TIME_OFF_FIELDS = {
    "person_id": "Person",
    "start_date": "Start date",
    "end_date": "End date",
    "kind": "Kind",
    "notes": "Notes",
}


@dataclasses.dataclass
class TimeOffRow:
    id: int
    person_id: int
    person_name: str
    dates: str
    kind: str
    notes: str


class TimeOffState(CrudMixin, rx.State):
    _live_resources = frozenset({"timeoff", "people"})

    entries: list[TimeOff] = []
    draft: TimeOff = TimeOff()

    def _form_resource(self, api: ApiClient) -> Resource:
        return api.timeoff

    def _payload(self, form: dict) -> dict:
        return payloads.timeoff(form)

    def _blank(self) -> TimeOff:
        return TimeOff()

    def _show_item(self, item: TimeOff) -> None:
        self.draft = item

    def _form_labels(self) -> dict[str, str]:
        return TIME_OFF_FIELDS

    def _form_choices(self) -> dict[str, dict[str, str]]:
        # The names this state knows: of the version the form was filled from, and of the latest.
        people = {
            str(v["person_id"]): v.get("person_name", "")
            for v in (self._form_base, self._form_latest)
            if v.get("person_id")
        }
        return {"person_id": people, "kind": dict(KIND_OPTIONS)}

    async def _prepare_dialog(self) -> None:
        await choose_person(self, PERSON_BOX, self.draft.person_id, self.draft.person_name)

    @rx.event
    @gated
    async def load(self):
        self.loading = True
        yield
        result = await self._call(
            lambda api: api.timeoff.list(page=self.page, page_size=PAGE_SIZE, ordering="-startDate")
        )
        if isinstance(result, Failed):
            yield result.event
            return
        self.entries, self.count, self.loading = result.results, result.count, False

    @rx.var
    def rows(self) -> list[TimeOffRow]:
        kinds = dict(KIND_OPTIONS)
        return [
            TimeOffRow(
                t.id,
                t.person_id,
                t.person_name,
                date_range(t.start_date, t.end_date),
                kinds.get(t.kind, t.kind),
                t.notes or "",
            )
            for t in self.entries
        ]
