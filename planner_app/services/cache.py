"""The process-wide response cache: detail responses (revalidated with If-None-Match) and GETs in
flight at the same moment, shared. One process serves every user, so both are keyed by the user
the access token belongs to (`uid:<id>|…`, `uid:anon`).
"""

from __future__ import annotations

import asyncio
import threading
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import httpx

# Detail responses kept per process (all users together), least recently used dropped first.
CACHE_MAX_ENTRIES = 2000

_ENCODING_HEADERS = frozenset({"content-encoding", "content-length", "transfer-encoding"})


@dataclass(frozen=True)
class _Cached:
    status: int
    headers: tuple[tuple[str, str], ...]
    content: bytes

    @classmethod
    def of(cls, resp: httpx.Response) -> _Cached:
        # The content is kept decoded, so the headers that describe the encoding go.
        headers = tuple((k, v) for k, v in resp.headers.multi_items() if k.lower() not in _ENCODING_HEADERS)
        return cls(resp.status_code, headers, resp.content)

    def response(self, request: httpx.Request) -> httpx.Response:
        return httpx.Response(self.status, headers=list(self.headers), content=self.content, request=request)


class ResponseCache:
    """The process-wide cache of detail responses and of GETs in flight, keyed `uid:<id>|<url>`.

    Bounded (LRU). Safe for concurrent event handlers: entries are read and written under a lock
    with no await in between, and a GET in flight is one shared request per key, so two tabs of one
    user asking for the same URL at the same moment cause one request — and two users never share
    one, because their keys differ."""

    def __init__(self, max_entries: int = CACHE_MAX_ENTRIES):
        self.max_entries = max_entries
        self._entries: OrderedDict[str, _Cached] = OrderedDict()
        self._in_flight: dict[str, asyncio.Future[httpx.Response]] = {}
        # Held for a few dict operations, never across an await. Not an asyncio.Lock: that one is
        # bound to one event loop, and this cache outlives loops (tests, worker restarts).
        self._lock = threading.Lock()

    def get(self, key: str) -> _Cached | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None:
                self._entries.move_to_end(key)
            return entry

    def put(self, key: str, resp: httpx.Response) -> None:
        with self._lock:
            self._entries[key] = _Cached.of(resp)
            self._entries.move_to_end(key)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)

    def drop(self, key: str) -> None:
        with self._lock:
            self._entries.pop(key, None)

    def clear(self, scope: str | None = None) -> None:
        """Forget one user's entries (`uid:7`), or everything."""
        with self._lock:
            if scope is None:
                self._entries.clear()
            else:
                for key in [k for k in self._entries if k.startswith(f"{scope}|")]:
                    del self._entries[key]

    def keys(self) -> list[str]:
        with self._lock:
            return list(self._entries)

    async def shared(self, key: str, fetch: Callable[[], Awaitable[httpx.Response]]) -> httpx.Response:
        """Run `fetch`, or join the identical request already running under `key`."""
        running = self._in_flight.get(key)
        if running is not None and not running.done():
            resp = await asyncio.shield(running)
            # Only a success is shared: an error may be about the other tab's own session.
            if resp.status_code < 400:
                return resp
            return await fetch()
        future: asyncio.Future[httpx.Response] = asyncio.get_running_loop().create_future()
        self._in_flight[key] = future
        try:
            resp = await fetch()
        except BaseException as exc:
            future.set_exception(exc)
            # Nobody may be waiting: do not let the event loop warn about an unread exception.
            future.exception()
            raise
        else:
            future.set_result(resp)
            return resp
        finally:
            if self._in_flight.get(key) is future:
                del self._in_flight[key]


CACHE = ResponseCache()
