"""The app's API client and states against the real API, in process (no server, no browser)."""

import asyncio

import httpx
import pytest
import reflex as rx
from a2wsgi import WSGIMiddleware

from planner_app.services import transport as api_transport
from planner_app.services.cache import CACHE
from planner_app.services.client import ApiClient, Credentials
from planner_app.settings import settings
from tests.factories import PASSWORD, make_user


@pytest.fixture(autouse=True)
def fresh_settings():
    """The app reads its environment once (planner_app/settings.py); a test that changes it reads it anew."""
    settings.cache_clear()
    yield
    settings.cache_clear()


@pytest.fixture(autouse=True)
def empty_response_cache():
    """Each test starts with an empty process cache (user ids repeat across test databases)."""
    CACHE.clear()
    yield
    CACHE.clear()


@pytest.fixture
def embedded_api(monkeypatch, wsgi_app):
    """Point services/api.py at the test database's WSGI app, as the embedded topology does."""
    transport = httpx.ASGITransport(app=WSGIMiddleware(wsgi_app))
    monkeypatch.delenv("PLANNER_API_URL", raising=False)
    monkeypatch.setattr(api_transport, "target", lambda: ("http://planner.test/api", transport))
    return transport


@pytest.fixture
def signed_in(embedded_api, registry):
    """Credentials of a freshly signed-in manager."""

    async def sign_in(role: str = "manager") -> Credentials:
        user = make_user(registry, role)
        creds = Credentials()
        async with ApiClient(creds) as client:
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


class Browser:
    """What assets/auth.js does in a real browser, against the API the client is pointed at: its
    own cookie jar (the HttpOnly refresh cookie, the CSRF cookie) and the same requests."""

    def __init__(self, username: str = "", password: str = PASSWORD):
        self.username, self.password = username, password
        self.cookies = httpx.Cookies()

    async def _post(self, path: str, body: dict | None = None) -> dict:
        base, transport = api_transport.target()
        headers = {"X-CSRF-Token": self.cookies.get("planner_csrf") or ""}
        async with httpx.AsyncClient(base_url=base, transport=transport, cookies=self.cookies) as http:
            resp = await http.post(path, json=body or {}, headers=headers)
            self.cookies = httpx.Cookies(http.cookies)  # the client's jar applies expiry (sign-out clears)
        data = resp.json() if resp.content else {}
        return {**data, "status": resp.status_code}

    async def sign_in(self, challenge: str) -> dict:
        signed_in = await self._post("/auth/token/cookie/", {"username": self.username, "password": self.password})
        return await self.grant(challenge) if signed_in["status"] == 200 else signed_in

    async def grant(self, challenge: str) -> dict:
        return {**await self._post("/auth/token/app/", {"challenge": challenge}), "challenge": challenge}

    async def sign_out(self) -> dict:
        return await self._post("/auth/logout/cookie/")


def last_challenge(auth) -> str:
    """The challenge of the grant the tab's state just asked the browser for."""
    return list(auth._verifiers)[-1]


def sign_in_tab(auth, username: str, password: str = PASSWORD, browser: Browser | None = None) -> Browser:
    """The sign-in form submitted in a tab: the state's handler, the browser's part, the callback."""
    browser = browser or Browser(username, password)
    auth.sign_in({"username": username, "password": password})
    result = asyncio.run(browser.sign_in(last_challenge(auth)))
    asyncio.run(auth.finish_sign_in(result))
    return browser
