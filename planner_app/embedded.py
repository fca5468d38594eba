"""The embedded topology: the Pyramid API inside this process, mounted at /api.

`make run` serves the whole app from one process; `services/api.py` calls the same WSGI app in
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
def embedded_api():
    from backend_api import main

    return _with_coroutine_receive(WSGIMiddleware(main({})))
