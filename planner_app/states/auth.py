"""Who is signed in, in this browser tab, and the API client built from it.

The browser holds the session: its refresh token is an HttpOnly cookie (backend_api/auth/cookies.py)
that no script can read, this app's included. The tab's access token lives here, server-side, in
a backend-only var (never sent to the browser). It comes from a grant (backend_api/auth/grants.py):
this state makes a PKCE verifier and keeps it; the browser (assets/auth.js, run by rx.call_script)
presents its cookie with the verifier's challenge and gets a one-time code; this state trades code
and verifier for the access token. A tab asks for a grant when it has no usable access token (a new
tab, a reload after it expired) and, while a page is open, a timer in the page renews it before
it expires.

Tabs share one sign-in: the cookie is the browser's, and `planner_signed_in` in localStorage (a
flag, no token) is synced between tabs, so signing out in one tab signs out all of them.
"""

from __future__ import annotations

import base64
import contextlib
import functools
import hashlib
import inspect
import json
import secrets
import time
from collections.abc import AsyncIterator
from urllib.parse import quote

import jwt
import reflex as rx
from reflex.state import OnLoadInternalState
from reflex_base.event.context import EventContext

from planner_app.planning import long_date
from planner_app.services.client import ApiClient, Credentials
from planner_app.services.errors import MESSAGES, SESSION_ENDED_CODES, ApiError
from planner_app.services.models import User

LOGIN_ROUTE = "/login"
# Grants asked of the browser and not answered yet whose verifiers a tab keeps (a page left
# before its grant came back never answers).
PENDING_GRANTS = 4
# Renew this long before the access token expires (or half-way, for tokens shorter than twice that).
RENEW_MARGIN_SECONDS = 60


def safe_next(path: str | None) -> str:
    """Only same-site paths: `next` comes from the URL, anyone can write it."""
    if not path or not path.startswith("/") or path.startswith("//") or path.startswith(LOGIN_ROUTE):
        return "/"
    return path


def challenge_of(verifier: str) -> str:
    """RFC 7636 S256, as the API checks it."""
    return base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()


def gated(load):
    """For a page's on_load handler: it runs only once the tab is signed in. Until then the gate
    (`require_login`, the first on_load handler of every page) is getting an access token through
    the browser, and runs the page's on_load handlers again when it has one."""
    if inspect.isasyncgenfunction(load):

        @functools.wraps(load)
        async def run_updates(self):
            if (await self._auth()).signed_in:
                async for update in load(self):
                    yield update

        return run_updates

    @functools.wraps(load)
    async def run(self):
        if (await self._auth()).signed_in:
            return await load(self)
        return None

    return run


def _result(result) -> dict:
    """What assets/auth.js answered: a plain object, or nothing if the page failed to run it."""
    return result if isinstance(result, dict) else {}


def _error_of(result: dict) -> ApiError:
    retry = result.get("retryAfter")
    return ApiError(
        int(result.get("status") or 503),
        str(result.get("code") or "network"),
        str(result.get("detail") or ""),
        retry_after=int(retry) if isinstance(retry, int | float) else None,
    )


def event_request_id() -> str:
    """The id Reflex gives the event being handled (its transaction id): the prefix of the
    X-Request-ID of every API call the event makes, so one user action can be followed through
    the API's logs and error reports. Empty outside an event (the client makes one up)."""
    try:
        return EventContext.get().txid
    except LookupError:
        return ""


class AuthState(rx.State):
    # A flag, never a token: "1" while this browser is signed in (see the module's docstring).
    signed_in_flag: str = rx.LocalStorage("", name="planner_signed_in", sync=True)
    user: User = User()
    login_error: str = ""
    login_notice: str = ""
    signing_in: bool = False

    _access: str = ""
    # Challenge → verifier of the grants this tab asked the browser for.
    _verifiers: dict[str, str] = {}
    # ETag of each detail resource this tab has seen, keyed by its API path (see services/client.py).
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

    @rx.var
    def initials(self) -> str:
        return (self.user.username[:2] or "?").upper()

    @rx.var
    def joined(self) -> str:
        return long_date(self.user.date_joined)

    @rx.var
    def last_login(self) -> str:
        return long_date(self.user.last_login) or "—"

    async def _auth(self) -> AuthState:
        return self

    async def _forget_session(self) -> None:
        """Nothing of a session survives it in this tab: this state and every page state of the app
        go back to their defaults (page states are AuthState's siblings; see UsesAuth)."""
        self.reset()
        for page_state in app_states():
            (await self.get_state(page_state)).reset()

    def _client(self, creds: Credentials, etags: dict[str, str] | None = None) -> ApiClient:
        return ApiClient(
            creds,
            etags=etags,
            client_ip=self.router.session.client_ip,
            user_agent=self.router.headers.user_agent,
            request_id_prefix=event_request_id(),
        )

    @contextlib.asynccontextmanager
    async def api(self) -> AsyncIterator[ApiClient]:
        """An API client carrying this tab's access token and ETags; the ETags it saw are kept."""
        auth = await self._auth()
        etags = dict(auth._etags)
        try:
            async with self._client(Credentials(auth._access), etags) as client:
                yield client
        finally:
            if etags != auth._etags:
                auth._etags = etags

    # --- the grant --------------------------------------------------------------------------

    def _ready(self) -> bool:
        """Signed in here, with an access token that is not about to expire."""
        return bool(self.signed_in_flag) and self.signed_in and not Credentials(self._access).access_expiring()

    def _new_challenge(self) -> str:
        verifier = secrets.token_urlsafe(48)
        kept = list(self._verifiers.items())[-(PENDING_GRANTS - 1) :]
        self._verifiers = {**dict(kept), challenge_of(verifier): verifier}
        return challenge_of(verifier)

    def _grant(self, callback) -> rx.event.EventSpec:
        return rx.call_script(f"plannerAuth.grant({json.dumps(self._new_challenge())})", callback=callback)

    def _renewal(self) -> rx.event.EventSpec:
        """The page renews the access token before it expires (a timer in assets/auth.js). Always
        the last event of a handler: the page holds the events after it until the timer fires."""
        try:
            expires = float(jwt.decode(self._access, options={"verify_signature": False})["exp"])
        except (jwt.PyJWTError, KeyError, ValueError):
            expires = time.time()
        remaining = max(0.0, expires - time.time())
        delay = max(remaining / 2, remaining - RENEW_MARGIN_SECONDS)
        challenge = json.dumps(self._new_challenge())
        return rx.call_script(f"plannerAuth.renewAfter({challenge}, {int(delay * 1000)})", callback=AuthState.renewed)

    async def _redeem(self, result: dict) -> ApiError | None:
        """Trade the code of the browser's grant for this tab's access token."""
        if result.get("status") != 200:
            return _error_of(result)
        verifiers = dict(self._verifiers)
        verifier = verifiers.pop(str(result.get("challenge", "")), None)
        self._verifiers = verifiers
        if verifier is None:
            # This tab's bookkeeping, not the browser's session: no reason to sign anyone out.
            return ApiError(409, "grant_unknown", "This sign-in step was superseded by a newer one.")
        creds = Credentials()
        try:
            async with self._client(creds) as api:
                await api.redeem_grant(str(result.get("code", "")), verifier)
        except ApiError as err:
            return err
        self._access = creds.access
        return None

    async def _signed_in_user(self) -> ApiError | None:
        try:
            async with self.api() as api:
                self.user = await api.me()
        except ApiError as err:
            return err
        return None

    def _on_login_page(self) -> bool:
        return self.router.url.path.rstrip("/") == LOGIN_ROUTE

    # --- after a failure ----------------------------------------------------------------------

    def _current_path(self) -> str:
        url = self.router.url
        return f"{url.path}?{url.query}" if url.query else url.path

    async def _sign_in_again(self, reason: str = "") -> rx.event.EventSpec:
        auth = await self._auth()
        # Revoked or disabled, the session is over for every tab of this browser (they share it);
        # otherwise (an expired token) whether the browser is still signed in is its cookie's
        # business, and the sign-in page asks.
        flag = "" if reason in SESSION_ENDED_CODES else auth.signed_in_flag
        if flag and reason == "token_invalid":
            reason = ""  # an access token that expired unrenewed: the sign-in page's grant may well mend it
        # Forget everything of the old session, page data included, before anyone else signs in here.
        await auth._forget_session()
        auth.signed_in_flag = flag
        target = f"{LOGIN_ROUTE}?next={quote(self._current_path(), safe='')}"
        return rx.redirect(f"{target}&reason={reason}" if reason else target)

    async def _after_error(self, err: ApiError) -> rx.event.EventSpec | None:
        """The follow-up of a failed call: back to the sign-in page when the session is over."""
        if err.ends_session:
            return await self._sign_in_again(err.code)
        return None

    async def _grant_failed(self, err: ApiError):
        if err.status in (401, 403):
            # The browser's session is over (signed out, revoked, expired): in every tab.
            self.signed_in_flag = ""
        if self._on_login_page():
            # The form is on screen anyway; it says why only when more than "not signed in" is wrong.
            if err.code in SESSION_ENDED_CODES or err.status >= 500:
                self.login_notice = self.login_notice or err.message
            return None
        return await self._sign_in_again(err.code if err.code in SESSION_ENDED_CODES or err.status >= 500 else "")

    # --- events -------------------------------------------------------------------------------

    @rx.event
    async def require_login(self):
        """First on_load handler of every page behind login (see template.py): the gate."""
        if not self.signed_in_flag:
            # Signed out in this browser, maybe in another tab: nothing of that session stays here.
            return await self._sign_in_again()
        if self._ready():
            return self._renewal()
        # A new tab, a reload after the token expired: the page's loader (@gated) waits, hidden.
        self.user = User()
        return self._grant(AuthState.granted)

    @rx.event
    async def granted(self, result: dict):
        """The browser's answer to the gate's grant (or the sign-in page's)."""
        result = _result(result)
        err = await self._redeem(result) or await self._signed_in_user()
        if err is not None:
            return await self._grant_failed(err)
        if self._on_login_page():
            return rx.redirect(safe_next(self.router.url.query_parameters.get("next")))
        # The page's on_load again, now signed in; the page stays hidden until it has run.
        self.is_hydrated = False
        return OnLoadInternalState.on_load_internal

    @rx.event
    async def renewed(self, result: dict):
        err = await self._redeem(_result(result))
        if err is None:
            return self._renewal()
        if err.status in (401, 403):
            self.signed_in_flag = ""
            return await self._sign_in_again(err.code if err.code in SESSION_ENDED_CODES else "")
        # Not reachable now: the next page load, or the next call's 401, tries again.
        return None

    @rx.event
    def open_login(self):
        params = self.router.url.query_parameters
        # Only known codes are put into words; anything else in the URL is ignored.
        self.login_notice = MESSAGES.get(params.get("reason", ""), "")
        self.login_error = ""
        self.signing_in = False
        if self._ready():
            return rx.redirect(safe_next(params.get("next")))
        if self.signed_in_flag:
            # Signed in in this browser (another tab, an expired token): the cookie may do without the form.
            return self._grant(AuthState.granted)
        return None

    @rx.event
    def sign_in(self, form: dict):
        if not str(form.get("username", "")).strip() or not str(form.get("password", "")):
            self.login_error = "Enter your username and password."
            return None
        self.signing_in = True
        self.login_error = ""
        # The browser posts the form's fields itself (the cookie must be set on it); the password
        # is never sent back to it.
        return rx.call_script(
            f"plannerAuth.signIn({json.dumps(self._new_challenge())})", callback=AuthState.finish_sign_in
        )

    @rx.event
    async def finish_sign_in(self, result: dict):
        err = await self._redeem(_result(result))
        if err is None:
            try:
                async with self.api() as api:
                    # Nothing cached for this user by an earlier sign-in is trusted to be current.
                    api.clear_caches()
                    user = await api.me()
            except ApiError as failed:
                err = failed
        if err is not None:
            self.login_error = err.message
            self.signing_in = False
            return None
        next_path = safe_next(self.router.url.query_parameters.get("next"))
        access = self._access
        # A fresh start: nothing of a previous user's pages or ETags survives a sign-in.
        await self._forget_session()
        self._access, self.user, self.signed_in_flag = access, user, "1"
        return rx.redirect(next_path)

    @rx.event
    def sign_out(self):
        return rx.call_script("plannerAuth.signOut()", callback=AuthState.signed_out)

    @rx.event
    async def signed_out(self, result: dict):
        # Whatever the API answered (the session may be over already), this browser is signed out:
        # the flag's reset reaches every tab.
        async with self.api() as api:
            api.clear_caches()
        await self._forget_session()
        return rx.redirect(LOGIN_ROUTE)


class UsesAuth(rx.State, mixin=True):
    """A state that calls the API as this tab's user. The tab's token and ETags are AuthState's,
    reached with get_state: page states are AuthState's siblings, not its children, so an event of
    one page loads that page's state and AuthState, not every page's."""

    async def _auth(self) -> AuthState:
        return await self.get_state(AuthState)

    @contextlib.asynccontextmanager
    async def api(self) -> AsyncIterator[ApiClient]:
        async with (await self._auth()).api() as api:
            yield api

    async def _after_error(self, err: ApiError) -> rx.event.EventSpec | None:
        return await (await self._auth())._after_error(err)


def app_states() -> list[type[rx.State]]:
    """The app's own states below the root (Reflex's internal ones left out), AuthState aside."""
    return [
        cls for cls in rx.State.get_substates() if cls.__module__.startswith("planner_app.") and cls is not AuthState
    ]
