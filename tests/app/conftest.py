"""The app's API client and states against the real API, in process (no server, no browser)."""

import httpx
import pytest
import reflex as rx
from a2wsgi import WSGIMiddleware

from planner_app.services import api
from tests.factories import PASSWORD, make_user


@pytest.fixture(autouse=True)
def empty_response_cache():
    """Each test starts with an empty process cache (user ids repeat across test databases)."""
    api.CACHE.clear()
    yield
    api.CACHE.clear()


@pytest.fixture
def embedded_api(monkeypatch, wsgi_app):
    """Point services/api.py at the test database's WSGI app, as the embedded topology does."""
    transport = httpx.ASGITransport(app=WSGIMiddleware(wsgi_app))
    monkeypatch.delenv("PLANNER_API_URL", raising=False)
    monkeypatch.setattr(api, "_target", lambda: ("http://planner.test/api", transport))
    return transport


@pytest.fixture
def signed_in(embedded_api, registry):
    """Credentials of a freshly signed-in manager."""

    async def sign_in(role: str = "manager") -> api.Credentials:
        user = make_user(registry, role)
        creds = api.Credentials()
        async with api.ApiClient(creds) as client:
            await client.login(user.username, PASSWORD)
        return creds

    return sign_in


@pytest.fixture
def root_state():
    """A fresh Reflex state tree of one browser tab (Reflex allows building it under pytest)."""
    return rx.State()


async def drain(events):
    """Run an event handler that yields (an async generator) to its end; returns what it yielded."""
    return [event async for event in events]
