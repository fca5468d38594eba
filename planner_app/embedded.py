"""The embedded topology: the Pyramid API inside this process, mounted at /api.

`make run` serves the whole app from one process; `services/transport.py` calls the same WSGI app in
process. Built once per process and shared: it holds no per-user state.
"""

import functools

from a2wsgi import WSGIMiddleware


def _with_coroutine_receive(app):
    """a2wsgi reads request bodies with `run_coroutine_threadsafe(receive())`, which accepts only
    a real coroutine. Granian's `receive()` returns a native awaitable instead, so every POST with a
    body failed with "A coroutine object is required"; wrapping it in a coroutine fixes that."""

    async def asgi(scope, receive, send):
        async def coroutine_receive():
            return await receive()

        await app(scope, coroutine_receive, send)

    return asgi


@functools.cache
def _router():
    from backend_api import main
    from backend_api.core.logs import configure_logging

    # The API's lines in LOG_FORMAT with their request ids; Reflex keeps its own console output.
    # Metrics are served by the standalone API server only (`python -m backend_api serve`): the app
    # may run several worker processes, and a port in one of them would count that one alone.
    configure_logging("backend_api")
    return main({})


@functools.cache
def embedded_api():
    return _with_coroutine_receive(WSGIMiddleware(_router()))


def on_commit(listener) -> None:
    """Call `listener(last sequence id)` after each commit with changes (services/feed.py wakes)."""
    _router().registry.planner_announcer.subscribe(listener)
