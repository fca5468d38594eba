"""The History section of a detail page: who changed what and when, newest first, from
GET /api/<things>/{id}/history/ (the API's change log), ten at a time."""

from __future__ import annotations

import dataclasses
from typing import Any

import reflex as rx
from pydantic.alias_generators import to_snake

from planner_app.planning import ago, long_date
from planner_app.services.client import ApiClient
from planner_app.services.models import Change, Wire
from planner_app.states.calls import Failed
from planner_app.states.conflict import EditFormMixin, as_text

HISTORY_PAGE = 10
ACTIONS = {"created": "created this", "deleted": "deleted this", "updated": "changed"}


@dataclasses.dataclass
class HistoryLine:
    """One change as the page shows it: "Ana Costa changed Weekly capacity 36 → 32", "2 minutes ago"."""

    seq: int
    who: str
    summary: str
    fields: list[str]
    when: str  # "2 minutes ago"
    day: str  # "1 Dec 2026", its tooltip
    at: str  # the ISO time, for the <time> element


def describe(change: Change, labels: dict[str, str], choices: dict[str, dict[str, str]]) -> HistoryLine:
    """`labels` and `choices` are the edit form's (field → label, field → {value: label}): the
    history speaks the form's words; fields the form does not show (read-only names) are left out."""
    who = change.actor.name if change.actor else "The system"
    fields = []
    if change.action != "created":  # a create lists no fields: the page shows the values themselves
        for item in change.changes:
            field = to_snake(item.field)
            if field in labels:
                old, new = as_text(item.old, choices.get(field)), as_text(item.new, choices.get(field))
                fields.append(f"{labels[field]} {old} → {new}")
    summary = ACTIONS.get(change.action, change.action)
    if change.action == "updated" and not fields:
        summary = "saved it without changes"
    return HistoryLine(change.seq, who, summary, fields, ago(change.at), long_date(change.at), change.at)


class HistoryMixin(EditFormMixin, mixin=True):
    """The history of the item the page's form edits (`_form_resource`, `_form_id`)."""

    history: list[HistoryLine] = []
    history_count: int = 0
    history_loading: bool = False
    _history_page: int = 0

    async def _fill_form(self, api: ApiClient, item_id: int) -> None:
        """The page's item and the first page of its history, together (a reload refreshes both)."""
        await super()._fill_form(api, item_id)
        await self._load_history(api)

    async def _save_form(
        self, api: ApiClient, changes: dict[str, Any], *, if_match: str, mine: dict[str, Any]
    ) -> Wire | None:
        """A save on this page puts its own change on top of the history."""
        saved = await super()._save_form(api, changes, if_match=if_match, mine=mine)
        if saved is not None:
            await self._load_history(api)
        return saved

    async def _load_history(self, api: ApiClient, page: int = 1) -> None:
        result = await self._form_resource(api).history(self._form_id, page=page, page_size=HISTORY_PAGE)
        lines = [describe(c, self._form_labels(), self._form_choices()) for c in result.results]
        self.history = lines if page == 1 else self.history + lines
        self.history_count, self._history_page = result.count, page

    @rx.var
    def history_more(self) -> bool:
        return len(self.history) < self.history_count

    @rx.event
    async def more_history(self):
        self.history_loading = True
        yield
        done = await self._call(lambda api: self._load_history(api, self._history_page + 1), busy="history_loading")
        if isinstance(done, Failed):
            yield done.event
            return
        self.history_loading = False
