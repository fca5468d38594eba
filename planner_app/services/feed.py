"""The change log as this process follows it: one reader per process, for all of its tabs.

The reader asks GET /api/events/ for what follows the last sequence id it holds whenever it is
woken (the embedded API's announcer in this process, or the API's announcements on Redis when
`REDIS_URL` is set) and at the latest every `poll` seconds (the
API on its own, or a lost wake-up): a notification only wakes it, the log is the truth, so a lost
one delays an update and never loses it.

It reads with the access token of a tab signed in here, an admin's when there is one: each tab
hands its current token in (`offer`). Borrowing one changes nothing of who sees what: an event only
tells a tab *that* an item changed, and the tab's page then reads the item with its own token (a
revoked session is refused there); events about accounts and sessions only make a tab check its own
session (states/live.py), unless it is an admin's.

Recent events are kept (`keep`), so that a tab that reconnects catches up from the last sequence id
it saw; a tab further behind than that is told to reload what it shows (`Batch.reset`).
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import dataclasses
import logging
from collections.abc import Awaitable, Callable

from planner_app.services.errors import ApiError
from planner_app.services.models import EventsPage, FeedEvent

log = logging.getLogger(__name__)

KEEP = 5000  # events held for tabs that catch up
POLL_SECONDS = 1.0  # the latest a change is read when no wake-up comes

# Where the API announces each commit's last sequence id on Redis (backend_api/core/changes.py).
CHANNEL = "planner_changes"
# A lost Redis connection is tried again after this long; meanwhile the reader polls.
REDIS_RETRY_SECONDS = 5.0

# Stands for events the reading token may not see (other people's accounts and sessions): tabs then
# check their own session.
HIDDEN = "hidden"

# (access token, after) → the page of events after it; raises ApiError.
Fetch = Callable[[str, "int | None"], Awaitable[EventsPage]]


@dataclasses.dataclass(frozen=True)
class Batch:
    """What a tab has not seen yet: the events after its sequence id, up to `last`. With `reset`,
    events it missed are gone: what it shows must be read again. With `check`, the API refused the
    tab's own token to the reader: its session may have ended (the event saying so may be one no
    remaining reader can fetch), so the tab must check it."""

    events: tuple[FeedEvent, ...] = ()
    last: int = 0
    reset: bool = False
    check: bool = False


@dataclasses.dataclass(frozen=True)
class Reader:
    """A tab's credentials as offered to the reader."""

    access: str
    user_id: int
    is_admin: bool


class Feed:
    def __init__(self, fetch: Fetch, *, keep: int = KEEP, poll: float = POLL_SECONDS, redis_url: str = ""):
        self._fetch = fetch
        self._poll = poll
        self._redis_url = redis_url
        self._events: collections.deque[FeedEvent] = collections.deque(maxlen=keep)
        # Everything after `_floor` up to `_last` is in `_events`; None until the first read.
        self._floor: int | None = None
        self._last: int | None = None
        self._readers: dict[str, Reader] = {}
        # Tabs whose token the API refused to the reader, until their loop hears of it (`after`).
        self._refused: set[str] = set()
        self._wake = asyncio.Event()
        self._news = asyncio.Condition()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._task: asyncio.Task | None = None

    # --- tabs ------------------------------------------------------------------------------

    def offer(self, tab: str, reader: Reader) -> None:
        """`tab` is signed in with these credentials (called again with each renewed token)."""
        self._readers[tab] = reader
        self._start()

    def withdraw(self, tab: str) -> None:
        self._readers.pop(tab, None)

    async def position(self) -> int:
        """The sequence id to follow from for a page read now."""
        self._start()
        while self._last is None:
            await self._read()
            if self._last is None:
                await asyncio.sleep(self._poll)
        return self._last

    async def after(self, seq: int, timeout: float, tab: str = "") -> Batch:
        """The events after `seq` (waiting up to `timeout` seconds for some), or a reset; for
        `tab`, also whether its token was refused meanwhile."""
        self._start()
        async with self._news:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._news.wait_for(lambda: self._beyond(seq) or tab in self._refused), timeout)
            check = tab in self._refused
            self._refused.discard(tab)
            if self._floor is not None and seq < self._floor:
                return Batch(last=self._last or 0, reset=True, check=check)
            return Batch(tuple(e for e in self._events if e.seq > seq), max(seq, self._last or 0), check=check)

    def _beyond(self, seq: int) -> bool:
        return self._last is not None and (self._last > seq or (self._floor is not None and seq < self._floor))

    # --- reading ---------------------------------------------------------------------------

    def wake(self) -> None:
        """Read now (callable from any thread: the embedded API announces from its worker's)."""
        if self._loop is not None:
            self._loop.call_soon_threadsafe(self._wake.set)

    def _start(self) -> None:
        if self._task is None or self._task.done():
            self._loop = asyncio.get_running_loop()
            self._task = self._loop.create_task(self._run(), name="planner-change-feed")
            if self._redis_url:
                self._loop.create_task(self._listen(self._redis_url), name="planner-change-wakeups")

    async def _listen(self, url: str) -> None:
        """Wake on the API's Redis announcements (the API in other processes, scale-out)."""
        import redis.asyncio as redis

        while True:
            try:
                client = redis.Redis.from_url(url)
                async with client.pubsub() as pubsub:
                    await pubsub.subscribe(CHANNEL)
                    async for message in pubsub.listen():
                        if message.get("type") == "message":
                            self._wake.set()
            except Exception as error:  # Redis down: polling carries on, try again later
                log.warning("change announcements from redis lost: %s", error)
                await asyncio.sleep(REDIS_RETRY_SECONDS)

    async def _run(self) -> None:
        while True:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), self._poll)
            self._wake.clear()
            try:
                await self._read()
            except Exception:  # never let the reader die: the next round tries again
                log.exception("reading the change log failed")

    def _reader(self) -> tuple[str, Reader] | None:
        if not self._readers:
            return None
        return max(self._readers.items(), key=lambda item: item[1].is_admin)

    async def _read(self) -> None:
        while (chosen := self._reader()) is not None:
            tab, reader = chosen
            try:
                page = await self._fetch(reader.access, self._last)
            except ApiError as err:
                if err.status in (401, 403):  # that tab's session ended: tell it, borrow another's
                    self.withdraw(tab)
                    async with self._news:
                        self._refused.add(tab)
                        self._news.notify_all()
                    continue
                raise
            await self._take(page)
            if not page.has_more:
                return

    async def _take(self, page: EventsPage) -> None:
        async with self._news:
            if self._last is None or page.reset:
                # Following from here: whoever is behind this point has missed something.
                self._events.clear()
                self._floor = page.last
            else:
                seen = max((event.seq for event in page.results), default=self._last)
                hidden = [FeedEvent(seq=page.last, resource=HIDDEN)] if page.last > seen else []
                for event in [*page.results, *hidden]:
                    if len(self._events) == self._events.maxlen:
                        self._floor = self._events[0].seq
                    self._events.append(event)
            self._last = page.last
            self._news.notify_all()
