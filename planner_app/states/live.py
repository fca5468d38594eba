"""Live updates: each tab follows the change log (services/feed.py) while it is open, and the page
it shows applies what changed (PageMixin._on_changes and the pages' own versions of it).

`follow` runs in the background, one loop per tab: every page's on_load starts it again (a newer
loop ends the older one), and it carries on from the last sequence id the tab saw, so a tab that
reconnects after a drop, or moves to another page, misses nothing. A page is changed only under
the tab's state lock (`async with self`), like any event, and what it reads it reads with the
tab's own token: a revoked session is refused there and signed out, as on any request.
"""

from __future__ import annotations

import asyncio
import functools
import time

import reflex as rx
from reflex.utils import prerequisites

from planner_app.services.client import ApiClient, Credentials
from planner_app.services.errors import ApiError
from planner_app.services.feed import HIDDEN, Batch, Feed, Reader
from planner_app.services.models import EventsPage, FeedEvent
from planner_app.settings import settings
from planner_app.states.auth import AuthState
from planner_app.states.presence import Watching, tab_id

# Accounts and sessions: admins and their owner see their changes (the Profile page follows them).
PRIVATE = frozenset({"users", "sessions"})
# How long a loop waits for changes before it renews the tab's presence (the API keeps it 30 s)
# and looks whether its tab is still there.
HEARTBEAT_SECONDS = 10.0
# A tab whose socket is gone this long is closed: its loop ends (a reconnect starts a new one).
GONE_SECONDS = 60.0
# A tab takes changes at most this often: faster ones come together in its next batch, so that a
# flood of saves never sends a tab (a phone, a busy machine) more screens than it can show.
PACE_SECONDS = 0.2


async def _fetch(access: str, after: int | None) -> EventsPage:
    async with ApiClient(Credentials(access)) as api:
        return await api.events(after)


@functools.cache
def process_feed() -> Feed:
    """The one reader of this process; in the embedded topology woken by each commit."""
    config = settings()
    feed = Feed(_fetch, redis_url=config.redis_url)
    if config.embedded:
        from planner_app.embedded import on_commit

        on_commit(lambda _last: feed.wake())
    return feed


@functools.cache
def _app() -> rx.App:
    # Looked up once: Reflex's lookup puts the working directory on sys.path again at each call.
    return prerequisites.get_and_validate_app().app


def _connected(tab: str) -> bool:
    namespace = _app().event_namespace
    return namespace is None or tab in namespace.token_to_sid


def for_viewer(events: tuple[FeedEvent, ...], user_id: int, is_admin: bool) -> tuple[list[FeedEvent], bool]:
    """The events a page may be told of: the planning data's, the accounts' and sessions' to
    admins and to their owner, and HIDDEN ones (a change the feed's reader could not read, maybe
    of the viewer's own account). And whether the tab should check its own session: a change of
    an account or a session, or a hidden one, may have ended it (a new one never does)."""
    shown = [e for e in events if e.resource not in PRIVATE or is_admin or e.owner_id == user_id]
    check = any(e.resource == HIDDEN or (e.resource in PRIVATE and e.action != "created") for e in events)
    return shown, check


class LiveState(rx.State):
    # The loop that is current for this tab; older ones end when they see a newer number.
    _generation: int = 0
    # The last sequence id this tab has applied.
    _seq: int = 0
    # The page state the tab shows, by full name.
    _page: str = ""
    # What this tab last told the API it has open, and when the next heartbeat is due (monotonic):
    # its presence renewed, the others' read again.
    _shared: Watching | None = None
    _shared_until: float = 0.0

    @rx.event(background=True)
    async def follow(self, page: str):
        """Started by every page's on_load (template.py): follow the log for the page `page`."""
        async with self:
            auth = await self.get_state(AuthState)
            if not auth.signed_in:
                return
            self._generation += 1
            generation, tab = self._generation, self.router.session.client_token
            self._page = page
            feed = process_feed()
            feed.offer(tab, Reader(auth._access, auth.user.id, auth.is_admin))
            seq = self._seq
        if not seq:
            seq = await feed.position()
            async with self:
                self._seq = self._seq or seq
        batch: Batch | None = None  # the first round only says who else is here
        gone_since: float | None = None
        while True:
            async with self:
                if self._generation != generation:
                    return
                auth = await self.get_state(AuthState)
                if not auth.signed_in:
                    feed.withdraw(tab)
                    return
                # The token is renewed every few minutes: hand the reader the current one.
                feed.offer(tab, Reader(auth._access, auth.user.id, auth.is_admin))
                page_state = await self.get_state(rx.State.get_class_substate(self._page))
                followups = await self._apply(batch, page_state, auth) if batch else []
                followups += await self._presence_round(page_state, batch)
                if batch:
                    seq = self._seq = batch.last
            for followup in followups:
                yield followup
            if batch and batch.events:
                await asyncio.sleep(PACE_SECONDS)
            batch = await feed.after(seq, HEARTBEAT_SECONDS, tab)
            if _connected(tab):
                gone_since = None
            elif (gone_since := gone_since or time.monotonic()) < time.monotonic() - GONE_SECONDS:
                feed.withdraw(tab)
                return

    async def _apply(self, batch: Batch, page, auth: AuthState) -> list:
        """Hand the batch to the page shown, under the lock; returns its follow-up events."""
        if batch.reset:
            return await page._refresh()
        events, check = for_viewer(batch.events, auth.user.id, auth.is_admin)
        if check or batch.check:
            try:
                async with auth.api() as api:
                    await api.me()
            except ApiError as err:
                return [await auth._after_error(err)]
        return await page._on_changes(events) if events else []

    async def _presence_round(self, page, batch: Batch | None) -> list:
        """Keep this tab's presence alive, and read the others' when someone's changed (or at
        the heartbeat: a closed tab's presence just expires)."""
        heartbeat = time.monotonic() >= self._shared_until
        try:
            await share_presence(page)
            if heartbeat or batch is None or any(e.resource == "presence" for e in batch.events):
                await read_presence(page)
        except ApiError as err:
            # Presence is a courtesy: only an ended session is worth a follow-up.
            return [await page._after_error(err)] if err.ends_session else []
        return []


async def share_presence(page) -> None:
    """Tell the API what this tab has open now (page._watching()), if that changed or is about
    to expire there; called by the loop's heartbeat and by events that change it (a dialog)."""
    live = await page.get_state(LiveState)
    watching, now = page._watching(), time.monotonic()
    if watching == live._shared and (watching is None or now < live._shared_until):
        if now >= live._shared_until:  # nothing open, nothing to take back: only the clock moves on
            live._shared_until = now + HEARTBEAT_SECONDS
        return
    tab = tab_id(page.router.session.client_token)
    async with page.api() as api:
        if watching is not None:
            await api.announce_presence(tab, *watching)
        else:
            await api.leave_presence(tab)
    live._shared, live._shared_until = watching, now + HEARTBEAT_SECONDS


async def read_presence(page) -> None:
    """Who else has what the page shows open (page._presence_scope()), for the page to show."""
    scope = page._presence_scope()
    if scope is None:
        page._show_presence([], 0)
        return
    async with page.api() as api:
        others = await api.presence(*scope, tab=tab_id(page.router.session.client_token))
    page._show_presence(others, (await page._auth()).user.id)
