"""What every page state has: a loading flag, the last error in words, and API field errors."""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable
from typing import Any, ClassVar, TypeVar

import reflex as rx

from planner_app.services.client import ApiClient
from planner_app.services.errors import ApiError
from planner_app.services.models import FeedEvent, Presence, Stored, Wire
from planner_app.states.auth import UsesAuth
from planner_app.states.calls import Failed
from planner_app.states.confirm_delete import ConfirmDeleteMixin
from planner_app.states.conflict import EditFormMixin
from planner_app.states.history import HistoryMixin
from planner_app.states.hooks import HooksMixin, hook
from planner_app.states.live import share_presence
from planner_app.states.presence import PresenceLine, Watching, lines

PAGE_SIZE = 25
# A virtualised list (components/virtual_list.py) holds at most WINDOW_PAGES pages of
# WINDOW_PAGE rows, and loads WINDOW_MARGIN rows beyond each edge of what is on screen.
WINDOW_PAGE = 25
WINDOW_PAGES = 4
WINDOW_MARGIN = 10

T = TypeVar("T")


class PageMixin(UsesAuth, HooksMixin, mixin=True):
    loading: bool = False
    error: str = ""
    # API validation messages by snake_case field name, shown under the matching input.
    field_errors: dict[str, str] = {}
    # The ids of the rows the last live update changed: highlighted for a moment.
    live_changed: list[int] = []
    # Who else has this page's item open (states/live.py keeps it current).
    present: list[PresenceLine] = []

    # What the page shows, by the change log's resource names (people, assignments, ...): a change
    # to one of them, saved anywhere, refreshes the page (states/live.py).
    _live_resources: ClassVar[frozenset[str]] = frozenset()

    async def _on_changes(self, events: list[FeedEvent]) -> list:
        """Changes saved since the page was read: read it again if they touch what it shows.
        Returns the follow-up events (sign in again, ...)."""
        touching = [e for e in events if e.resource in self._live_resources]
        if not touching:
            return []
        self.live_changed = sorted({e.object_id for e in touching})
        if self._patch_rows(touching):
            return []
        return await self._refresh()

    def _patch_rows(self, events: list[FeedEvent]) -> bool:
        """Apply `events` to what the page holds without reading it again, if they allow it;
        False: they do not, the page is read again."""
        return False

    def _watching(self) -> Watching | None:
        """What this tab has open, for others to see (states/presence.py); None: nothing."""
        return None

    def _presence_scope(self) -> tuple[str, int | None] | None:
        """Whose presence the page shows: an item's (its resource and id), or every item's of a
        resource (id None); by default what it has open itself."""
        watching = self._watching()
        return (watching.resource, watching.object_id) if watching else None

    def _show_presence(self, others: list[Presence], viewer_id: int) -> None:
        shown = lines(others, viewer_id)
        if shown != self.present:  # a heartbeat that changes nothing sends the browser nothing
            self.present = shown

    async def _refresh(self) -> list:
        """The page read again as its on_load reads it. Run under the tab's lock in one go, so the
        browser gets the end result only (no loading flicker)."""
        followups: list = []
        result = self.load()  # type: ignore[attr-defined]
        if inspect.isasyncgen(result):
            followups = [update async for update in result if update is not None]
        elif (update := await result) is not None:
            followups = [update]
        return followups

    async def _fail(self, err: ApiError):
        """Show a failed call in words; returns the follow-up event (sign in again) if any."""
        self.loading = False
        self.error = err.message
        self.field_errors = err.field_errors()
        return await self._after_error(err)

    async def _call(self, work: Callable[[ApiClient], Awaitable[T]], *, busy: str = "") -> T | Failed:
        """Run `work` with one API client of this tab. A failure is shown in words, the `busy`
        flag (saving, resolving; `loading` always) is cleared, and `Failed` is returned:

            result = await self._call(lambda api: api.people.get(1), busy="saving")
            if isinstance(result, Failed):
                yield result.event
                return
        """
        try:
            async with self.api() as api:
                return await work(api)
        except ApiError as err:
            if busy:
                setattr(self, busy, False)
            return Failed(await self._fail(err))

    def _route_id(self) -> int:
        """The [id] of a detail route such as /people/12 (0 when it is not a number)."""
        last = self.router.url.path.rstrip("/").rsplit("/", 1)[-1]
        return int(last) if last.isdigit() else 0

    def _clear_errors(self) -> None:
        self.error = ""
        self.field_errors = {}

    async def _share_presence(self) -> None:
        """Others see at once what this tab now has open (a form opened or closed); a failure
        only delays it to the next heartbeat."""
        try:
            await share_presence(self)
        except ApiError:
            pass


class PagedMixin(PageMixin, mixin=True):
    """Server-side pagination: only one page of a list is ever held in state."""

    # A state that asks the API for another page size says so here, so its page count is right.
    page_size: ClassVar[int] = PAGE_SIZE
    page: int = 1
    count: int = 0

    def _restart_list(self) -> None:
        self.page = 1

    @rx.var
    def page_count(self) -> int:
        return max(1, -(-self.count // self.page_size))

    @rx.var
    def has_previous(self) -> bool:
        return self.page > 1

    @rx.var
    def has_next(self) -> bool:
        return self.page < self.page_count

    @rx.event
    async def next_page(self):
        self.page += 1
        async for update in self.load():
            yield update

    @rx.event
    async def previous_page(self):
        self.page = max(1, self.page - 1)
        async for update in self.load():
            yield update

    @rx.event
    async def go_to_page(self, page: int | str):
        """Any page in one step (the pager's page picker, First and Last); out of range is clamped."""
        try:
            wanted = int(page)
        except (TypeError, ValueError):
            return
        self.page = min(max(1, wanted), self.page_count)
        async for update in self.load():
            yield update


def window_pages(first: int, last: int, count: int) -> range:
    """The pages (0-based, of WINDOW_PAGE rows) that cover rows first..last-1 plus the margin:
    at most WINDOW_PAGES of them, around the middle of those rows when they span more."""
    if count <= 0:
        return range(1)  # the first page tells how many there are
    last_page = (count - 1) // WINDOW_PAGE
    low = min(max(0, first - WINDOW_MARGIN) // WINDOW_PAGE, last_page)
    high = max(low, min(max(first + 1, last) + WINDOW_MARGIN - 1, count - 1) // WINDOW_PAGE)
    if high - low + 1 > WINDOW_PAGES:
        middle = (first + last) // 2 // WINDOW_PAGE
        low = max(0, min(middle - WINDOW_PAGES // 2, last_page - WINDOW_PAGES + 1))
        high = low + WINDOW_PAGES - 1
    return range(low, high + 1)


def patched(row: Stored, event: FeedEvent) -> Stored:
    """`row` as `event` left it: the changed fields' new values, its new ETag, who and when."""
    data = row.model_dump(by_alias=True)
    data.update({c.field: c.new for c in event.changes})
    data.update(etag=event.etag, updatedAt=event.at, updatedBy=event.actor.model_dump() if event.actor else None)
    return row.__class__.model_validate(data)  # __class__: the model's, through Reflex's state proxy


class WindowMixin(PageMixin, mixin=True):
    """A list of any length shown by components/virtual_list.py, with bounded state.

    The browser is sent the total `count` and one window of rows from `window_start` (whole
    pages, at most WINDOW_PAGES of them), never the whole list: a var change resends the whole
    var. The list reports the rows on screen (`show_range`); the window then becomes the pages
    that cover them, fetching the missing ones and dropping the rest. A state names its rows
    var in `_window_var` and fetches one page in `_fetch_page`."""

    count: int = 0
    window_start: int = 0
    # Bumped when the filters change: the list goes back to its top.
    list_version: int = 0
    # The rows the list last had on screen (backend only).
    _shown_first: int = 0
    _shown_last: int = WINDOW_PAGE

    _window_var: ClassVar[str] = ""
    _noun: ClassVar[tuple[str, str]] = ("item", "items")
    # The rows' resource, and the wire fields that place a row in the list (its filters, search
    # and ordering): an update that changes none of those is applied to the rows on screen from
    # the event itself. Every tab reading the list again for each change was, with 50 tabs on
    # the list, 50 reads per save.
    _rows_resource: ClassVar[str] = ""
    _placing_fields: ClassVar[frozenset[str]] = frozenset()

    @hook
    async def _fetch_page(self, page: int, size: int) -> tuple[list, int]:
        """Rows page*size.. of the list, and the list's count."""

    def _patch_rows(self, events: list[FeedEvent]) -> bool:
        in_place = self._rows_resource and all(
            e.resource == self._rows_resource
            and e.action == "updated"
            and not any(c.field in self._placing_fields for c in e.changes)
            for e in events
        )
        if not in_place:
            return False
        rows = list(getattr(self, self._window_var))
        at = {row.id: n for n, row in enumerate(rows)}
        for event in events:  # oldest first; a row not on screen keeps its place off it
            if event.object_id in at:
                rows[at[event.object_id]] = patched(rows[at[event.object_id]], event)
        setattr(self, self._window_var, rows)
        return True

    @rx.var
    def total_text(self) -> str:
        one, many = self._noun
        return f"{self.count:,} {one if self.count == 1 else many}"

    async def _fill_window(self, keep: bool) -> None:
        """Make the window the pages that cover the rows on screen. With `keep`, pages already
        held are reused; otherwise every one is read again (the list may have changed)."""
        held: dict[int, list] = {}
        if keep:
            rows, start = getattr(self, self._window_var), self.window_start // WINDOW_PAGE
            held = {
                start + n: rows[n * WINDOW_PAGE : (n + 1) * WINDOW_PAGE] for n in range(-(-len(rows) // WINDOW_PAGE))
            }
        wanted = window_pages(self._shown_first, self._shown_last, self.count)
        if all(page in held for page in wanted):
            return
        # Two rounds: when the count was not known yet, the first page read tells it.
        for _ in range(2):
            for page in wanted:
                if page not in held and (page == 0 or page * WINDOW_PAGE < self.count):
                    held[page], self.count = await self._fetch_page(page, WINDOW_PAGE)
            wanted = window_pages(self._shown_first, self._shown_last, self.count)
            if all(page in held for page in wanted):
                break
        # Whole pages in a row only, so that row k of the window is row window_start + k.
        window: list = []
        for page in wanted:
            if page not in held:
                break
            window.extend(held[page])
        setattr(self, self._window_var, window)
        self.window_start = wanted.start * WINDOW_PAGE

    async def _load_window(self, keep: bool):
        try:
            await self._fill_window(keep)
        except ApiError as err:
            yield await self._fail(err)
            return
        self.loading = False

    def _restart_list(self) -> None:
        self._restart_window()

    def _restart_window(self) -> None:
        """New filters: the list starts from its top again."""
        self._shown_first, self._shown_last = 0, WINDOW_PAGE
        self.window_start, self.count = 0, 0
        setattr(self, self._window_var, [])
        self.list_version += 1

    @rx.event
    async def show_range(self, first: int, last: int):
        """The rows first..last-1 are on screen (sent by the list once scrolling settles)."""
        self._shown_first, self._shown_last = max(0, int(first)), max(0, int(last))
        async for update in self._load_window(keep=True):
            yield update


class FormDialogMixin(EditFormMixin, PageMixin, mixin=True):
    """An edit form in a dialog that saves one item against the version it was filled from
    (EditFormMixin); a state supplies `_payload` (form to API fields)."""

    dialog_open: bool = False
    saving: bool = False

    @hook
    def _payload(self, form: dict) -> dict:
        """The request body of the dialog's form."""

    async def _write(self, api: ApiClient, body: dict) -> Wire | None:
        """Save the form's item: the saved version, or None when someone else saved it first
        (the conflict banner then says so)."""
        return await self._save_typed(api, body)

    def _watching(self) -> Watching | None:
        if not self._form_id or not self._form_kind or self.deleted_text:
            return None
        return Watching(self._form_kind, self._form_id, "editing" if self.dialog_open else "viewing")

    async def _live_form(self, events: list[FeedEvent]) -> list:
        """An open form hears at once that its item was saved or deleted elsewhere."""
        theirs = self._changes_to_form(events)
        if not theirs:
            return []
        try:
            async with self.api() as api:
                await self._form_changed(api, theirs, editing=self.dialog_open)
        except ApiError as err:
            return [await self._fail(err)]
        return []

    @rx.event
    async def save(self, form: dict):
        if self.deleted_text:
            self.error = self.deleted_text
            return
        self.saving = True
        self._clear_errors()
        yield
        saved = await self._call(lambda api: self._write(api, self._payload(form)), busy="saving")
        if isinstance(saved, Failed):
            yield saved.event
            return
        self.saving = False
        if saved is not None:
            yield self._form_saved(saved)


class EditableListMixin(ConfirmDeleteMixin, FormDialogMixin, mixin=True):
    """A list with a create/edit dialog and a confirmed delete (paged or windowed: see below).

    A state using it defines `load()`, `_payload(form)` (the request body), `_blank()` (what a
    new item's dialog starts from) and the edit form's hooks of EditFormMixin: the dialog edits
    the item as read when it opened, and saves against that version."""

    editing_id: int = 0

    @hook
    def _blank(self) -> Wire:
        """What a new item's dialog starts from."""

    def _form_saved(self, item: Wire) -> Any:
        self.dialog_open = False
        return type(self).load

    async def _on_changes(self, events: list[FeedEvent]) -> list:
        followups = await self._live_form(events) if self.dialog_open and self.editing_id else []
        return followups + await super()._on_changes(events)

    def _watching(self) -> Watching | None:
        # A list has nothing open of its own: only its dialog, while it edits an item.
        return super()._watching() if self.dialog_open and self.editing_id else None

    async def _write(self, api: ApiClient, body: dict) -> Wire | None:
        if self.editing_id:
            return await self._save_typed(api, body)
        return await self._form_resource(api).create(body)

    @rx.event
    async def open_create(self):
        self._clear_errors()
        self._end_conflict()
        self.editing_id, self.deleted_text = 0, ""
        self._show_item(self._blank())
        self.form_revision += 1
        await self._prepare_dialog()
        self.dialog_open = True

    @rx.event
    async def open_edit(self, item_id: int):
        """The dialog shows the item as it is now (the list may be older), and is pinned to it."""
        self._clear_errors()
        self.editing_id = item_id
        filled = await self._call(lambda api: self._fill_form(api, item_id))
        if isinstance(filled, Failed):
            yield filled.event
            return
        self.dialog_open = True
        yield
        await self._share_presence()

    @rx.event
    async def set_dialog_open(self, is_open: bool):
        if not is_open:
            self._end_conflict()
        self.dialog_open = is_open
        await self._share_presence()

    async def _delete(self, item_id: int):
        self._clear_errors()
        deleted = await self._call(lambda api: self._form_resource(api).delete(item_id))
        if isinstance(deleted, Failed):
            yield deleted.event
            return
        async for update in self.load():
            yield update


class CrudMixin(EditableListMixin, PagedMixin, mixin=True):
    """A paged list with a create/edit dialog and a confirmed delete."""


class DetailPageMixin(HistoryMixin, FormDialogMixin, mixin=True):
    """A detail page (/people/12, /projects/3): its edit dialog saves against the version the
    form was filled from, its History section lists the item's changes, and Delete goes back to
    the list. A state supplies `_payload` (form to API fields) and `_list_route`."""

    confirm_open: bool = False

    @hook
    def _list_route(self) -> str:
        """Where Delete goes back to."""

    def _form_saved(self, item: Wire) -> None:
        self.dialog_open = False

    async def _on_changes(self, events: list[FeedEvent]) -> list:
        """The open form keeps what was typed (the banner tells); otherwise the page is read again,
        unless its item is gone, which it then says."""
        followups = await self._live_form(events)
        if self.dialog_open or self.deleted_text:
            return followups
        return followups + await super()._on_changes(events)

    @rx.event
    async def set_dialog_open(self, is_open: bool):
        self._clear_errors()
        self._end_conflict()
        self.dialog_open = is_open
        yield
        await self._share_presence()

    @rx.event
    def set_confirm_open(self, is_open: bool):
        self.confirm_open = is_open

    @rx.event
    async def delete(self):
        self.confirm_open = False
        deleted = await self._call(lambda api: self._form_resource(api).delete(self._form_id))
        if isinstance(deleted, Failed):
            yield deleted.event
            return
        yield rx.redirect(self._list_route())
