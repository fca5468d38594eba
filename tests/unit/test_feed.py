"""The process's reader of the change log (planner_app/services/feed.py), against a log in a list."""

import asyncio
import concurrent.futures
import time

import pytest

from planner_app.services.errors import ApiError
from planner_app.services.feed import CHANNEL, HIDDEN, Feed, Reader
from planner_app.services.models import EventsPage, FeedEvent

ADMIN = Reader("admin-token", 1, True)
STAFF = Reader("staff-token", 2, False)


class Log:
    """GET /api/events/ over a list: `hidden` seqs are other people's sessions (skipped, as the API
    skips them for a reader who may not see them, while `last` moves past them)."""

    def __init__(self):
        self.events: list[FeedEvent] = []
        self.hidden: set[int] = set()
        self.floor = 0  # retention removed everything up to here
        self.refused: set[str] = set()
        self.reads: list[tuple[str, int | None]] = []

    def write(self, resource: str = "people", object_id: int = 1, *, hidden: bool = False) -> int:
        seq = len(self.events) + 1
        self.events.append(FeedEvent(seq=seq, resource=resource, object_id=object_id, action="updated", etag=f"e{seq}"))
        if hidden:
            self.hidden.add(seq)
        return seq

    async def fetch(self, access: str, after: int | None) -> EventsPage:
        self.reads.append((access, after))
        if access in self.refused:
            raise ApiError(401, "session_revoked")
        last = len(self.events)
        if after is None:
            return EventsPage(last=last)
        if after < self.floor:
            return EventsPage(last=last, reset=True)
        shown = [e for e in self.events[after:][:2] if e.seq not in self.hidden]
        end = min(last, after + 2)
        return EventsPage(results=shown, last=end, has_more=end < last)


def run(coroutine):
    """The scenario on an event loop of its own thread: the browser tests' Playwright keeps a loop
    running in this one for the whole session."""
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, asyncio.wait_for(coroutine, 5)).result()


def test_a_tab_gets_what_follows_its_position_paged_and_in_order():
    log = Log()
    log.write()

    async def scenario():
        feed = Feed(log.fetch, poll=0.01)
        feed.offer("tab", STAFF)
        start = await feed.position()
        log.write(object_id=2), log.write(object_id=3)
        third = log.write(object_id=4)
        feed.wake()
        batch = await feed.after(start, timeout=2)
        while batch.last < third:  # pages of two: the rest comes in the same round or the next
            more = await feed.after(batch.last, timeout=2)
            batch = type(batch)(batch.events + more.events, more.last)
        return start, batch

    start, batch = run(scenario())
    assert start == 1
    assert [e.seq for e in batch.events] == [2, 3, 4] and not batch.reset


def test_waiting_ends_at_the_timeout_with_nothing():
    async def scenario():
        feed = Feed(Log().fetch, poll=0.01)
        feed.offer("tab", STAFF)
        position = await feed.position()
        return await feed.after(position, timeout=0.05)

    batch = run(scenario())
    assert batch.events == () and batch.last == 0 and not batch.reset


def test_a_tab_behind_what_is_kept_is_told_to_reload():
    log = Log()

    async def scenario():
        feed = Feed(log.fetch, keep=2, poll=0.01)
        feed.offer("tab", STAFF)
        start = await feed.position()
        for n in range(4):
            log.write(object_id=n)
        feed.wake()
        await feed.after(3, timeout=2)  # everything read
        return await feed.after(start, timeout=0), await feed.after(2, timeout=0)

    behind, kept = run(scenario())
    assert behind.reset and behind.last == 4
    assert [e.seq for e in kept.events] == [3, 4] and not kept.reset


def test_a_reset_from_the_api_tells_every_tab_behind_it():
    log = Log()

    async def scenario():
        feed = Feed(log.fetch, poll=0.01)
        feed.offer("tab", STAFF)
        start = await feed.position()
        log.write(), log.write()
        log.floor = 2  # retention ran while the reader was away
        feed.wake()
        return await feed.after(start, timeout=2)

    batch = run(scenario())
    assert batch.reset and batch.last == 2


def test_events_the_reader_may_not_see_still_reach_tabs_as_a_cue():
    log = Log()

    async def scenario():
        feed = Feed(log.fetch, poll=0.01)
        feed.offer("tab", STAFF)
        start = await feed.position()
        log.write("sessions", 9, hidden=True)
        feed.wake()
        return await feed.after(start, timeout=2)

    batch = run(scenario())
    assert [(e.seq, e.resource) for e in batch.events] == [(1, HIDDEN)]


def test_an_admin_reads_for_everyone_and_a_refused_token_is_dropped():
    log = Log()
    log.refused.add(ADMIN.access)

    async def scenario():
        feed = Feed(log.fetch, poll=0.01)
        feed.offer("staff-tab", STAFF)
        feed.offer("admin-tab", ADMIN)
        return await feed.position()

    assert run(scenario()) == 0
    assert [access for access, _ in log.reads] == ["admin-token", "staff-token"]


@pytest.mark.parametrize("tabs", [0, 1])
def test_without_a_signed_in_tab_nothing_is_read(tabs):
    log = Log()

    async def scenario():
        feed = Feed(log.fetch, poll=0.01)
        if tabs:
            feed.offer("tab", STAFF)
            feed.withdraw("tab")
        feed.wake()
        await asyncio.sleep(0.05)

    run(scenario())
    assert log.reads == []


def test_the_app_listens_where_the_api_announces():
    from backend_api.core.changes import CHANNEL as API_CHANNEL

    assert CHANNEL == API_CHANNEL


def test_an_announcement_on_redis_wakes_the_reader_before_its_next_poll():
    redis = pytest.importorskip("redis")
    url = "redis://127.0.0.1:6379/9"
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.RedisError as error:
        pytest.skip(f"no Redis at {url}: {error}")
    log = Log()

    client = redis.Redis.from_url(url)

    def subscribers() -> int:
        return client.pubsub_numsub(CHANNEL)[0][1]

    async def scenario():
        others = subscribers()
        feed = Feed(log.fetch, poll=60, redis_url=url)
        feed.offer("tab", STAFF)
        start = await feed.position()
        # Pub/sub keeps nothing for later: publish only once the reader has subscribed (a fixed
        # 0.3 s was too short under CI's load).
        deadline = time.monotonic() + 10
        while subscribers() <= others:
            assert time.monotonic() < deadline, "the reader never subscribed"
            await asyncio.sleep(0.01)
        seq = log.write()
        client.publish(CHANNEL, str(seq))
        return await feed.after(start, timeout=3)

    batch = run(scenario())
    assert [e.seq for e in batch.events] == [1]


def test_a_tab_whose_token_is_refused_is_told_even_when_no_reader_is_left():
    """Signing out ends the session of every tab of that browser: their tokens were the only
    readers, so nobody can read the event saying so. The refusal itself tells each tab."""
    log = Log()

    async def scenario():
        feed = Feed(log.fetch, poll=0.01)
        feed.offer("tab", STAFF)
        start = await feed.position()
        log.refused.add(STAFF.access)
        log.write("sessions", 1, hidden=True)
        feed.wake()
        told = await feed.after(start, timeout=2, tab="tab")
        again = await feed.after(told.last, timeout=0.05, tab="tab")
        return told, again

    told, again = run(scenario())
    assert told.check and told.events == ()
    assert not again.check  # told once
