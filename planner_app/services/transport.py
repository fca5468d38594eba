"""Where the API lives, and how this process reaches it.

- `PLANNER_API_URL` set (scale-out: the API served on its own, e.g. `http://api:6543/api`): plain HTTP.
- unset (the embedded default, `make run`): the very WSGI app that `planner_app` mounts at `/api`,
  called in process through an ASGI transport. Same requests, headers and status codes as over the
  network, without a loopback socket or having to know which port this process was started on.
"""

from __future__ import annotations

import functools

import httpx

from planner_app.settings import settings

TIMEOUT = httpx.Timeout(15.0, connect=5.0)


@functools.cache
def _embedded_transport() -> httpx.ASGITransport:
    # Imported here: with PLANNER_API_URL set the app never loads the backend package.
    from planner_app.embedded import embedded_api

    # A loopback client address (httpx's default, spelled out): the API trusts the browser's address
    # and user agent that this process forwards only from a trusted proxy (TRUSTED_PROXIES).
    return httpx.ASGITransport(app=embedded_api(), client=("127.0.0.1", 123))


def target() -> tuple[str, httpx.AsyncBaseTransport | None]:
    config = settings()
    if not config.embedded:
        return config.api_url, None
    return "http://embedded/api", _embedded_transport()
