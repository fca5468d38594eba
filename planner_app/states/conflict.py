"""Saving against the version a form was filled from, and what happens when someone else saved first.

Every edit form (person, project, department, time off) and the planning grid go through here:
- a form is filled from one version of an item and keeps that version's ETag (`_form_etag`),
  whatever else this tab reads of the item afterwards (a list refresh, another panel);
- a save sends If-Match with it; a 412 leaves the typed values on screen and shows the conflict
  banner, with the server's current version (from the 412 body) to compare with;
- "Reload latest" re-reads the item and refills the form; "Keep my changes" applies only the
  fields this person changed (against the version the form was filled from) on top of the latest
  version and saves again with its ETag.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import reflex as rx
from pydantic.alias_generators import to_snake

from planner_app.planning import ago
from planner_app.services.client import ApiClient, Resource
from planner_app.services.errors import ApiError, ConcurrencyError
from planner_app.services.models import FeedEvent, Stored, UserRef, Wire
from planner_app.states.calls import Failed
from planner_app.states.hooks import HooksMixin, hook

CONFLICT_TEXT = "This item was updated by someone else. Reload latest."
LIVE_TEXT = "This item was just changed by someone else. Reload latest, or review the changes."


def conflict_message(latest: Stored | None, viewer_id: int = 0) -> str:
    """The banner's sentence after a refused save, naming who saved the version that won and when,
    where it is known: "Ana Costa updated this item 2 minutes ago. Reload latest." """
    if latest is None or latest.updated_by is None or not latest.updated_by.name:
        return CONFLICT_TEXT
    when = ago(latest.updated_at) or "just now"
    if viewer_id and latest.updated_by.id == viewer_id:
        return f"You updated this item {when} in another tab. Reload latest."
    return f"{latest.updated_by.name} updated this item {when}. Reload latest."


def live_message(latest: Stored, viewer_id: int = 0) -> str:
    """The banner's sentence the moment someone else saves the item of an open form."""
    author = latest.updated_by
    if author is None or not author.name:
        return LIVE_TEXT
    if viewer_id and author.id == viewer_id:
        return "You just changed this in another tab. Reload latest, or review the changes."
    return f"{author.name} just changed this. Reload latest, or review the changes."


def deleted_message(author: UserRef | None, viewer_id: int = 0) -> str:
    if author is None or not author.name:
        return "Deleted by someone else. It can no longer be saved."
    if viewer_id and author.id == viewer_id:
        return "You deleted this in another tab. It can no longer be saved."
    return f"Deleted by {author.name}. It can no longer be saved."


def _normal(value: Any) -> Any:
    """Compare as a person would: a blank field and a missing value are the same, 8 and 8.0 too."""
    if value in (None, "", []):
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    return value


def same(a: Any, b: Any) -> bool:
    return _normal(a) == _normal(b)


def changed_fields(base: dict[str, Any], mine: dict[str, Any]) -> dict[str, Any]:
    """The fields of `mine` that differ from the version the form was filled from: only these are
    applied on top of the latest version, so nobody else's change to another field is undone."""
    return {field: value for field, value in mine.items() if not same(value, base.get(field))}


def snake_fields(wire: dict[str, Any]) -> dict[str, Any]:
    """An item from a 412 body (camelCase) with the field names the forms use."""
    return {to_snake(key): value for key, value in wire.items()}


@dataclasses.dataclass
class FieldChange:
    """One line of "Review changes": the saved value and the one in this form."""

    label: str
    theirs: str
    yours: str
    # Who changed it since the form was filled: "you", "them" or "both".
    changed_by: str


def as_text(value: Any, choices: dict[str, str] | None = None) -> str:
    if _normal(value) is None:
        return "—"
    if choices and str(value) in choices:
        return choices[str(value)]
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def review_lines(
    base: dict[str, Any],
    mine: dict[str, Any],
    theirs: dict[str, Any],
    labels: dict[str, str],
    choices: dict[str, dict[str, str]],
) -> list[FieldChange]:
    """The fields where the saved version and this form now differ, in the form's order."""
    lines = []
    for field, label in labels.items():
        if field not in mine or same(mine[field], theirs.get(field)):
            continue
        you, them = not same(mine[field], base.get(field)), not same(theirs.get(field), base.get(field))
        changed_by = "both" if you and them else "you" if you else "them"
        lines.append(
            FieldChange(
                label,
                as_text(theirs.get(field), choices.get(field)),
                as_text(mine[field], choices.get(field)),
                changed_by,
            )
        )
    return lines


class ConflictMixin(HooksMixin, mixin=True):
    """What the conflict banner shows (components/conflict.py); the page state says how to reload
    and how to keep one's changes."""

    conflict: bool = False
    conflict_text: str = CONFLICT_TEXT
    # Shown because someone saved while this form was open, before any Save: nothing typed has
    # been refused yet, so there is nothing to "keep" until the person saves (and is asked then).
    live_conflict: bool = False
    # The item was deleted while on screen: what it says instead of the item ("" while it exists).
    deleted_text: str = ""
    review_open: bool = False
    changes: list[FieldChange] = []
    resolving: bool = False

    @rx.event
    def toggle_review(self):
        self.review_open = not self.review_open

    def _show_conflict(self, lines: list[FieldChange], latest: Stored | None, viewer_id: int = 0) -> None:
        """Show the banner for the saved version `latest` (who and when), with its review lines."""
        self.conflict, self.changes, self.live_conflict = True, lines, False
        self.conflict_text = conflict_message(latest, viewer_id)

    def _end_conflict(self) -> None:
        self.conflict, self.review_open, self.changes, self.resolving = False, False, [], False
        self.live_conflict = False


class EditFormMixin(ConflictMixin, mixin=True):
    """One edit form of one item, pinned to the version it was filled from.

    The state defines `_form_resource(api)`, `_show_item(item)` (put a version into the form and
    on the page), `_form_labels()` (field → label, in the form's order) and may define
    `_form_choices()` (field → {value: label}), `_prepare_dialog()` and `_form_saved(item)` (what
    follows a save: close a dialog, reload a list; may return an event)."""

    # Remounts the form's uncontrolled inputs when it is refilled, even where a value is unchanged.
    form_revision: int = 0

    _form_id: int = 0
    # The change log's name for the item's resource (people, projects, ...), once filled.
    _form_kind: str = ""
    _form_etag: str = ""
    # The version the form was filled from, and what this person tried to save over it.
    _form_base: dict[str, Any] = {}
    _form_mine: dict[str, Any] = {}
    # The version that is saved now (from the 412) and its ETag.
    _form_latest: dict[str, Any] = {}
    _form_latest_etag: str = ""

    @hook
    def _form_resource(self, api: ApiClient) -> Resource:
        """The API resource the form's item belongs to."""

    @hook
    def _show_item(self, item: Wire) -> None:
        """Put a version of the item into the form and on the page."""

    @hook
    def _form_labels(self) -> dict[str, str]:
        """Field → label, in the form's order (the conflict review lists them so)."""

    def _form_choices(self) -> dict[str, dict[str, str]]:
        return {}

    def _form_saved(self, item: Wire) -> Any:
        return None

    async def _prepare_dialog(self) -> None:
        """After the form is filled: set up what lives outside this state (a person typeahead)."""

    def _pin(self, item: Wire) -> None:
        """The form now shows `item`: saves are checked against its ETag (which it carries)."""
        self._form_id = item.id
        self._form_etag = item.etag
        self._form_base = item.model_dump()
        self._form_mine = {}
        self._end_conflict()
        self.deleted_text = ""
        self._show_item(item)
        self.form_revision += 1

    async def _fill_form(self, api: ApiClient, item_id: int) -> None:
        resource = self._form_resource(api)
        self._form_kind = resource.name
        self._pin(await resource.get(item_id))
        await self._prepare_dialog()

    async def _save_typed(self, api: ApiClient, payload: dict[str, Any]) -> Wire | None:
        """A Save of the form as typed, against the version it was filled from."""
        return await self._save_form(api, payload, if_match=self._form_etag, mine=payload)

    async def _conflicted(self, err: ConcurrencyError, mine: dict[str, Any]) -> None:
        self._form_mine = mine
        self._form_latest, self._form_latest_etag = snake_fields(err.current), err.etag
        self._show_conflict(
            review_lines(self._form_base, mine, self._form_latest, self._form_labels(), self._form_choices()),
            Stored.model_validate(err.current),
            (await self._auth()).user.id,
        )

    def _changes_to_form(self, events: list[FeedEvent]) -> list[FeedEvent]:
        """The events of others' saves of the item this form is pinned to (none once deleted)."""
        if not self._form_id or self.deleted_text:
            return []
        return [
            e
            for e in events
            if e.resource == self._form_kind and e.object_id == self._form_id and e.etag != self._form_etag
        ]

    async def _form_changed(self, api: ApiClient, theirs: list[FeedEvent], *, editing: bool) -> None:
        """Someone saved or deleted the item this form shows (`theirs`, from _changes_to_form;
        live updates, states/live.py): say so at once. The form stays pinned to the version it was
        filled from, with what was typed in it; a Save then asks what to keep, as after any
        refused save. While nobody is `editing`, only a deletion is of interest (the page is read
        again for the rest)."""
        viewer = (await self._auth()).user.id
        if theirs[-1].action == "deleted":
            self.deleted_text = deleted_message(theirs[-1].actor, viewer)
            return
        if not editing or theirs[-1].etag == self._form_latest_etag:
            return  # shown already
        try:
            latest = await self._form_resource(api).get(self._form_id)
        except ApiError as err:
            if err.status == 404:
                return  # deleted since: its own event follows
            raise
        self._form_latest, self._form_latest_etag = latest.model_dump(), latest.etag
        labels, choices = self._form_labels(), self._form_choices()
        self.conflict, self.live_conflict, self.review_open = True, True, False
        self.changes = review_lines(self._form_base, self._form_base, self._form_latest, labels, choices)
        self.conflict_text = live_message(latest, viewer)

    async def _save_form(
        self, api: ApiClient, changes: dict[str, Any], *, if_match: str, mine: dict[str, Any]
    ) -> Wire | None:
        """PATCH the form's item; None when someone else saved first (the banner then shows).
        `mine` is everything the form holds, for the review and a later "Keep my changes"."""
        try:
            item = await self._form_resource(api).update(self._form_id, changes, if_match=if_match)
        except ConcurrencyError as err:
            await self._conflicted(err, mine)
            return None
        self._pin(item)
        return item

    @rx.event
    async def reload_latest(self):
        """Re-read the item and refill the form with it; what was typed is dropped."""
        self.resolving = True
        yield
        done = await self._call(lambda api: self._fill_form(api, self._form_id), busy="resolving")
        if isinstance(done, Failed):
            yield done.event

    @rx.event
    async def keep_my_changes(self):
        """Only the fields changed in this form, on top of the latest version, with its ETag."""
        mine = changed_fields(self._form_base, self._form_mine)
        self.resolving = True
        yield
        # The base stays the version the form was filled from: if yet another save comes
        # first, the review again compares what this person typed, not what was sent.
        item = await self._call(
            lambda api: self._save_form(api, mine, if_match=self._form_latest_etag, mine=self._form_mine),
            busy="resolving",
        )
        if isinstance(item, Failed):
            yield item.event
            return
        self.resolving = False
        if item is not None:
            yield self._form_saved(item)
