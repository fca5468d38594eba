"""Who is signed in, in this browser tab, and the API client built from it.

Tokens live server-side in the tab's state: the access token is a backend-only var (never sent
to the browser). The refresh token is also kept in the browser's localStorage, synced between
tabs, so a reload or a new tab stays signed in and signing out in one tab clears it in all.

Refresh tokens rotate and the API treats a rotated one presented again as theft. So a tab only
refreshes lazily (when its access token is about to expire, at most once per call) and always
with the newest token: `refresh_token` follows localStorage, which every tab's rotation updates.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from urllib.parse import quote

import reflex as rx
from reflex_base.event.context import EventContext

from planner_app.services.api import PLAIN_MESSAGES, ApiClient, ApiError, Credentials
from planner_app.services.models import User

LOGIN_ROUTE = "/login"


def safe_next(path: str | None) -> str:
    """Only same-site paths: `next` comes from the URL, anyone can write it."""
    if not path or not path.startswith("/") or path.startswith("//") or path.startswith(LOGIN_ROUTE):
        return "/"
    return path


def event_request_id() -> str:
    """The id Reflex gives the event being handled (its transaction id): the prefix of the
    X-Request-ID of every API call the event makes, so one user action can be followed through
    the API's logs and error reports. Empty outside an event (the client makes one up)."""
    try:
        return EventContext.get().txid
    except LookupError:
        return ""


class AuthState(rx.State):
    refresh_token: str = rx.LocalStorage("", name="planner_refresh", sync=True)
    user: User = User()
    login_error: str = ""
    login_notice: str = ""
    signing_in: bool = False

    _access: str = ""
    # ETag of each detail resource this tab has seen, keyed by its API path (see services/api.py).
    _etags: dict[str, str] = {}

    @rx.var
    def signed_in(self) -> bool:
        return self.user.id != 0

    @rx.var
    def can_edit(self) -> bool:
        return self.user.role in ("admin", "manager")

    @rx.var
    def is_admin(self) -> bool:
        return self.user.role == "admin"

    async def _auth(self) -> AuthState:
        # Page states inherit from AuthState; their tokens live in the one AuthState instance.
        return self if type(self) is AuthState else await self.get_state(AuthState)

    @contextlib.asynccontextmanager
    async def api(self) -> AsyncIterator[ApiClient]:
        """An API client carrying this tab's tokens and ETags; what it rotates is kept afterwards."""
        auth = await self._auth()
        creds = Credentials(auth._access, auth.refresh_token)
        etags = dict(auth._etags)
        client = ApiClient(
            creds,
            etags=etags,
            client_ip=self.router.session.client_ip,
            user_agent=self.router.headers.user_agent,
            request_id_prefix=event_request_id(),
        )
        try:
            async with client:
                yield client
        finally:
            # Also after a failure: a refresh may have rotated the tokens before the call failed.
            if creds.access != auth._access:
                auth._access = creds.access
            if creds.refresh != auth.refresh_token:
                auth.refresh_token = creds.refresh
            if etags != auth._etags:
                auth._etags = etags

    def _current_path(self) -> str:
        url = self.router.url
        return f"{url.path}?{url.query}" if url.query else url.path

    async def _sign_in_again(self, reason: str = "") -> rx.event.EventSpec:
        auth = await self._auth()
        # Forget everything of the old session, page data included, before anyone else signs in here.
        auth.reset()
        target = f"{LOGIN_ROUTE}?next={quote(self._current_path(), safe='')}"
        return rx.redirect(f"{target}&reason={reason}" if reason else target)

    async def _after_error(self, err: ApiError) -> rx.event.EventSpec | None:
        """The follow-up of a failed call: back to the sign-in page when the session is over."""
        if err.ends_session:
            return await self._sign_in_again(err.code)
        return None

    @rx.event
    async def require_login(self):
        """First on_load handler of every page behind login (see template.py)."""
        if self._access and self.signed_in:
            return None
        if not self.refresh_token:
            return await self._sign_in_again()
        try:
            async with self.api() as api:
                self.user = await api.me()
        except ApiError as err:
            return await self._after_error(err)
        return None

    @rx.event
    def open_login(self):
        params = self.router.url.query_parameters
        # Only the API's own codes are put into words; anything else in the URL is ignored.
        self.login_notice = PLAIN_MESSAGES.get(params.get("reason", ""), "")
        self.login_error = ""
        self.signing_in = False
        if self._access and self.signed_in:
            return rx.redirect(safe_next(params.get("next")))
        return None

    @rx.event
    async def sign_in(self, form: dict):
        username = str(form.get("username", "")).strip()
        password = str(form.get("password", ""))
        if not username or not password:
            self.login_error = "Enter your username and password."
            return
        self.signing_in = True
        self.login_error = ""
        yield
        creds = Credentials()
        try:
            async with ApiClient(
                creds,
                client_ip=self.router.session.client_ip,
                user_agent=self.router.headers.user_agent,
                request_id_prefix=event_request_id(),
            ) as api:
                await api.login(username, password)
                # Nothing cached for this user by an earlier sign-in is trusted to be current.
                api.clear_caches()
                user = await api.me()
        except ApiError as err:
            self.login_error = err.message
            self.signing_in = False
            return
        next_path = safe_next(self.router.url.query_parameters.get("next"))
        # A fresh start: nothing of a previous user's pages or ETags survives a sign-in.
        self.reset()
        self._access, self.refresh_token, self.user = creds.access, creds.refresh, user
        yield rx.redirect(next_path)

    @rx.event
    async def sign_out(self):
        if self.refresh_token:
            try:
                async with self.api() as api:
                    api.clear_caches()
                    await api.logout()
            except ApiError:
                # The session may already be over on the server; this tab is signed out either way.
                pass
        self.reset()
        return rx.redirect(LOGIN_ROUTE)
