"""The only code in the app that talks HTTP: a typed client of the REST API (API.md).

Where the API lives:
- `PLANNER_API_URL` set (scale-out: the API served on its own, e.g. `http://api:6543/api`): plain HTTP.
- unset (the embedded default, `make run`): the very WSGI app that `planner_app` mounts at `/api`,
  called in process through an ASGI transport. Same requests, headers and status codes as over the
  network, without a loopback socket or having to know which port this process was started on.

One `ApiClient` serves one event handler of one browser tab. It is built from that tab's
`Credentials` and ETag map and rotates the tokens in them when the access token has expired; the
caller (the tab's Reflex state) keeps whatever the client left there.

Across clients this process keeps one response cache (detail resources, revalidated with
If-None-Match) and shares GETs that are in flight at the same moment. One process serves every
user, so both are keyed by the user the access token belongs to (`uid:<id>|…`, `uid:anon`).
"""

from __future__ import annotations

import asyncio
import functools
import itertools
import os
import threading
import time
import uuid
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Mapping, MutableMapping
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

import httpx
import jwt
from pydantic import ValidationError
from pydantic.alias_generators import to_camel

from planner_app.services.models import (
    AccessToken,
    Assignment,
    AuditEntry,
    Dashboard,
    Deliverable,
    Department,
    Page,
    Person,
    PersonSearch,
    Project,
    Session,
    SessionList,
    TimeOff,
    TokenPair,
    User,
    Wire,
)

TIMEOUT = httpx.Timeout(15.0, connect=5.0)
# Refresh a little before expiry so a request never races the clock on the server.
EXPIRY_MARGIN_SECONDS = 15
# Detail responses kept per process (all users together), least recently used dropped first.
CACHE_MAX_ENTRIES = 2000
# 401 codes after which the tab must sign in again (refreshing cannot help).
SESSION_ENDED_CODES = frozenset({"session_revoked", "account_disabled"})

# What people read when a call fails. The API's own `detail` is used for codes not listed.
PLAIN_MESSAGES = {
    "invalid_credentials": "Wrong username or password.",
    "session_revoked": "You were signed out from another device.",
    "account_disabled": "Your account has been disabled. Ask an admin for help.",
    "not_authenticated": "Please sign in to continue.",
    "token_invalid": "Your sign-in has expired. Please sign in again.",
    "permission_denied": "You don't have permission to do that.",
    "not_found": "That item no longer exists.",
    "precondition_failed": "This item was updated by someone else.",
    "network": "The server can't be reached. Check your connection and try again.",
    "bad_response": "The server sent an answer this app does not understand. Please try again later.",
    "server_error": "Something went wrong on the server. Please try again.",
}


class ApiError(Exception):
    """A failed API call: HTTP status, machine code, human detail and per-field messages."""

    def __init__(
        self,
        status: int,
        code: str,
        detail: str = "",
        errors: Mapping[str, list[str]] | None = None,
        *,
        retry_after: int | None = None,
        body: Mapping[str, Any] | None = None,
        request_id: str = "",
    ):
        self.status = status
        self.code = code
        self.detail = detail
        self.errors = dict(errors or {})
        self.retry_after = retry_after
        # The whole error body: a 412 carries the current object and its ETag.
        self.body = dict(body or {})
        self.request_id = request_id
        super().__init__(f"{status} {code}: {detail}")

    @classmethod
    def from_response(cls, resp: httpx.Response) -> ApiError:
        try:
            body = resp.json()
        except ValueError:
            body = {}
        if not isinstance(body, dict):
            body = {}
        default_code = "server_error" if resp.status_code >= 500 else "error"
        retry = resp.headers.get("Retry-After")
        return cls(
            resp.status_code,
            str(body.get("code") or default_code),
            str(body.get("detail") or ""),
            body.get("errors") if isinstance(body.get("errors"), dict) else None,
            retry_after=int(retry) if retry and retry.isdigit() else None,
            body=body,
            request_id=resp.headers.get("X-Request-ID", ""),
        )

    @property
    def ends_session(self) -> bool:
        """True when the tab has to sign in again."""
        return self.status == 401

    @property
    def message(self) -> str:
        """One plain sentence for people, never a JSON dump."""
        if self.code == "throttled":
            wait = f" in {self.retry_after} seconds" if self.retry_after else " in a moment"
            return f"Too many attempts. Try again{wait}."
        if self.code == "invalid" and self.errors:
            return "Please correct the highlighted fields."
        if self.code in PLAIN_MESSAGES:
            return PLAIN_MESSAGES[self.code]
        return self.detail or PLAIN_MESSAGES["server_error"]

    def field_errors(self) -> dict[str, str]:
        """Per-field messages keyed by snake_case field name, for showing next to the inputs."""
        return {_to_snake(k): " ".join(v) if isinstance(v, list) else str(v) for k, v in self.errors.items()}


class ConcurrencyError(ApiError):
    """412 `precondition_failed`: someone saved the item since this form's version was read.
    `current` is the item as it is now (wire names, camelCase) and `etag` its ETag."""

    @property
    def current(self) -> dict[str, Any]:
        current = self.body.get("current")
        return dict(current) if isinstance(current, dict) else {}

    @property
    def etag(self) -> str:
        return str(self.body.get("etag") or "")


def error_from(resp: httpx.Response) -> ApiError:
    """The typed error of a failed response."""
    err = ApiError.from_response(resp)
    if err.status == 412 and err.code == "precondition_failed":
        return ConcurrencyError.from_response(resp)
    return err


@dataclass
class Credentials:
    """The tokens of one browser tab. The client updates them in place when it rotates them."""

    access: str = ""
    refresh: str = ""

    def access_expiring(self) -> bool:
        if not self.access:
            return True
        try:
            claims = jwt.decode(self.access, options={"verify_signature": False})
        except jwt.PyJWTError:
            return True
        # The signature is the server's business; the expiry only saves a doomed round trip.
        return float(claims.get("exp", 0)) - time.time() < EXPIRY_MARGIN_SECONDS

    def cache_scope(self) -> str:
        """`uid:<id>`: whose cached responses this tab may see. The token came from the API and
        never left the server, so its (unverified) subject is the signed-in user."""
        try:
            subject = jwt.decode(self.access, options={"verify_signature": False}).get("sub") if self.access else None
        except jwt.PyJWTError:
            subject = None
        return f"uid:{subject}" if subject else "uid:anon"


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


@functools.cache
def _embedded_transport() -> httpx.ASGITransport:
    # Imported here: with PLANNER_API_URL set the app never loads the backend package.
    from planner_app.embedded import embedded_api

    # A loopback client address (httpx's default, spelled out): the API trusts the browser's address
    # and user agent that this process forwards only from a trusted proxy (TRUSTED_PROXIES).
    return httpx.ASGITransport(app=embedded_api(), client=("127.0.0.1", 123))


def _target() -> tuple[str, httpx.AsyncBaseTransport | None]:
    url = os.environ.get("PLANNER_API_URL", "").strip()
    if url:
        return url.rstrip("/"), None
    return "http://embedded/api", _embedded_transport()


def _to_snake(name: str) -> str:
    return "".join(f"_{c.lower()}" if c.isupper() else c for c in name)


def _query(filters: Mapping[str, Any]) -> dict[str, str]:
    """snake_case filters → camelCase query parameters; empty ones are left out."""
    params = {}
    for key, value in filters.items():
        if value is None or value == "":
            continue
        if isinstance(value, bool):
            value = "true" if value else "false"
        params[to_camel(key)] = str(value)
    return params


M = TypeVar("M", bound=Wire)


def _parse(model: type[M], resp: httpx.Response) -> M:
    """The response as `model`; an answer of the wrong shape is an ApiError, not a crash of the page."""
    try:
        return model.model_validate(resp.json())
    except (ValueError, ValidationError) as exc:
        raise ApiError(502, "bad_response", str(exc), request_id=resp.headers.get("X-Request-ID", "")) from exc


class Resource(Generic[M]):
    """List/detail/create/update/delete of one API resource, typed by its model."""

    def __init__(self, client: ApiClient, name: str, model: type[M]):
        self._client = client
        self._path = f"/{name}/"
        self._model = model

    def detail_path(self, item_id: int) -> str:
        return f"{self._path}{item_id}/"

    async def list(self, page: int = 1, page_size: int = 50, **filters: Any) -> Page[M]:
        params = {"page": str(page), "pageSize": str(page_size), **_query(filters)}
        resp = await self._client.request("GET", self._path, params=params)
        result = _parse(Page[self._model], resp)
        # A row read now is the latest this tab has seen of that item. Only ETags the tab already
        # holds are refreshed: long lists (a form's choices) must not swell the tab's state.
        etags = self._client.etags
        for item in result.results:
            path = self.detail_path(item.id)
            if path in etags and item.etag:
                etags[path] = item.etag
        return result

    async def get(self, item_id: int) -> M:
        resp = await self._client.request("GET", self.detail_path(item_id))
        return _parse(self._model, resp)

    async def create(self, data: Mapping[str, Any]) -> M:
        resp = await self._client.request("POST", self._path, json=_wire(data))
        return _parse(self._model, resp)

    async def update(self, item_id: int, changes: Mapping[str, Any], *, if_match: str | None = None) -> M:
        """PATCH with If-Match: `if_match` when the caller pinned a version (a form keeps the ETag of
        what it was filled from), else the ETag this tab last saw of the item, fetched if it saw none."""
        path = self.detail_path(item_id)
        if if_match is None:
            if path not in self._client.etags:
                await self.get(item_id)
            if_match = self._client.etags[path]
        resp = await self._client.request("PATCH", path, json=_wire(changes), headers={"If-Match": if_match})
        return _parse(self._model, resp)

    async def delete(self, item_id: int) -> None:
        await self._client.request("DELETE", self.detail_path(item_id))
        self._client.etags.pop(self.detail_path(item_id), None)


def _wire(data: Mapping[str, Any]) -> dict[str, Any]:
    return {to_camel(k): v for k, v in data.items()}


_CALL_NUMBERS = itertools.count(1)


class ApiClient:
    """Async client for one event handler: `async with ApiClient(creds, etags=...) as api:`."""

    def __init__(
        self,
        credentials: Credentials,
        *,
        etags: MutableMapping[str, str] | None = None,
        client_ip: str = "",
        user_agent: str = "",
        request_id_prefix: str = "",
    ):
        self.credentials = credentials
        # Every call's X-Request-ID is `<prefix>-<n>`: the prefix names the user action (the Reflex
        # event, see states/auth.py), so the API's log lines of one action are found together; n
        # counts the process's calls, as one action may use several clients (sign-in does).
        prefix = request_id_prefix or uuid.uuid4().hex[:12]
        self._request_ids = (f"{prefix}-{n}" for n in _CALL_NUMBERS)
        # Keyed by detail path. The tab's state owns the map, so ETags are per tab (issue 5 builds on it).
        self.etags: MutableMapping[str, str] = etags if etags is not None else {}
        base_url, transport = _target()
        headers = {"Accept": "application/json"}
        # The API sees this process as its client; pass on who the person really is, for its
        # session list and throttling. It trusts these only from its TRUSTED_PROXIES: in process the
        # ASGI transport presents 127.0.0.1, over the network this host must be listed there.
        if user_agent:
            headers["X-Client-User-Agent"] = user_agent
        if client_ip:
            headers["X-Forwarded-For"] = client_ip
        self._http = httpx.AsyncClient(base_url=base_url, transport=transport, timeout=TIMEOUT, headers=headers)
        # Calls of one client may run concurrently (asyncio.gather); only one of them may rotate.
        self._refresh_lock = asyncio.Lock()
        self.people = Resource(self, "people", Person)
        self.departments = Resource(self, "departments", Department)
        self.projects = Resource(self, "projects", Project)
        self.assignments = Resource(self, "assignments", Assignment)
        self.deliverables = Resource(self, "deliverables", Deliverable)
        self.timeoff = Resource(self, "timeoff", TimeOff)
        # Admin only. Accounts change through the actions below, never by PATCH.
        self.users = Resource(self, "auth/users", User)

    async def __aenter__(self) -> ApiClient:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self._http.aclose()

    async def request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, str] | None = None,
        json: Any = None,
        headers: Mapping[str, str] | None = None,
        authenticated: bool = True,
    ) -> httpx.Response:
        if authenticated and self.credentials.access_expiring():
            await self._refresh_once(self.credentials.access)
        used = self.credentials.access
        resp = await self._exchange(method, path, params, json, headers, authenticated)
        if (
            resp.status_code == 401
            and authenticated
            and ApiError.from_response(resp).code not in SESSION_ENDED_CODES
        ):
            # The access token was refused although our clock thought it fine: refresh once, retry once.
            await self._refresh_once(used)
            resp = await self._exchange(method, path, params, json, headers, authenticated)
        if resp.status_code >= 400:
            err = error_from(resp)
            if isinstance(err, ConcurrencyError) and err.etag:
                # The newest version this tab has seen; forms keep their own pinned ETag.
                self.etags[path] = err.etag
            raise err
        etag = resp.headers.get("ETag")
        if etag and method in ("GET", "POST", "PATCH", "PUT"):
            self._remember(method, path, resp, etag)
        elif method == "DELETE":
            CACHE.drop(self._cache_key(path))
        return resp

    def _cache_key(self, path: str, params: Mapping[str, str] | None = None) -> str:
        query = f"?{httpx.QueryParams(params)}" if params else ""
        return f"{self.credentials.cache_scope()}|{path}{query}"

    def _remember(self, method: str, path: str, resp: httpx.Response, etag: str) -> None:
        if method == "POST":
            # A create answers on the list path; the ETag belongs to the new item's detail path.
            item_id = resp.json().get("id")
            path = f"{path}{item_id}/"
        self.etags[path] = etag
        if method != "GET":
            # What a write answers is the item's detail: the next GET revalidates it (304).
            CACHE.put(self._cache_key(path), resp)

    async def _exchange(
        self,
        method: str,
        path: str,
        params: Mapping[str, str] | None,
        json: Any,
        headers: Mapping[str, str] | None,
        authenticated: bool,
    ) -> httpx.Response:
        """One HTTP exchange; a signed-in GET goes through this user's cache and in-flight sharing."""
        if method != "GET" or not authenticated:
            return await self._send(method, path, params, json, headers, authenticated)
        key = self._cache_key(path, params)
        cached = CACHE.get(key)
        headers = dict(headers or {})
        cached_etag = dict(cached.headers).get("etag") if cached else None
        if cached_etag:
            headers["If-None-Match"] = cached_etag
        resp = await CACHE.shared(
            f"{key}|{cached_etag or ''}", lambda: self._send(method, path, params, json, headers, authenticated)
        )
        if resp.status_code == 304 and cached is not None:
            return cached.response(resp.request)
        if resp.status_code == 200 and resp.headers.get("ETag"):
            CACHE.put(key, resp)
        return resp

    def clear_caches(self) -> None:
        """Forget what this process cached for the signed-in user (and for nobody in particular)."""
        CACHE.clear(self.credentials.cache_scope())
        CACHE.clear("uid:anon")

    async def _send(
        self,
        method: str,
        path: str,
        params: Mapping[str, str] | None,
        json: Any,
        headers: Mapping[str, str] | None,
        authenticated: bool,
    ) -> httpx.Response:
        all_headers = {"X-Request-ID": next(self._request_ids), **(headers or {})}
        if authenticated:
            if not self.credentials.access:
                raise ApiError(401, "not_authenticated", PLAIN_MESSAGES["not_authenticated"])
            all_headers["Authorization"] = f"Bearer {self.credentials.access}"
        try:
            return await self._http.request(method, path, params=params, json=json, headers=all_headers)
        except httpx.TransportError as exc:
            raise ApiError(503, "network", str(exc)) from exc

    # --- auth -------------------------------------------------------------------------------

    async def login(self, username: str, password: str) -> TokenPair:
        resp = await self.request(
            "POST", "/auth/token/", json={"username": username, "password": password}, authenticated=False
        )
        pair = _parse(TokenPair, resp)
        self.credentials.access, self.credentials.refresh = pair.access, pair.refresh
        return pair

    async def redeem_grant(self, code: str, verifier: str) -> None:
        """The browser's sign-in (assets/auth.js) gave a one-time code; with the verifier of its
        challenge, which never left this process, it becomes this tab's access token. There is no
        refresh token here: the browser keeps it, in a cookie no script can read."""
        resp = await self.request(
            "POST", "/auth/token/access/", json={"code": code, "verifier": verifier}, authenticated=False
        )
        self.credentials.access = _parse(AccessToken, resp).access

    async def _refresh_once(self, stale_access: str) -> None:
        async with self._refresh_lock:
            # Another call of this client may have rotated while this one waited.
            if self.credentials.refresh and self.credentials.access == stale_access:
                await self.refresh()

    async def refresh(self) -> None:
        """Rotate the refresh token. On failure the tokens are dropped: the tab must sign in again."""
        try:
            resp = await self.request(
                "POST", "/auth/token/refresh/", json={"refresh": self.credentials.refresh}, authenticated=False
            )
        except ApiError as err:
            if err.status in (400, 401):
                self.credentials.access = self.credentials.refresh = ""
                raise ApiError(401, err.code if err.status == 401 else "token_invalid", err.detail) from err
            raise
        pair = _parse(TokenPair, resp)
        self.credentials.access, self.credentials.refresh = pair.access, pair.refresh

    async def logout(self) -> None:
        # Rotate first if need be, so the token sent below is the live one, not a blacklisted one.
        if self.credentials.access_expiring():
            await self.refresh()
        await self.request("POST", "/auth/logout/", json={"refresh": self.credentials.refresh})
        self.credentials.access = self.credentials.refresh = ""

    async def me(self) -> User:
        return _parse(User, await self.request("GET", "/auth/me/"))

    # --- read models ------------------------------------------------------------------------

    async def dashboard(self, weeks: int = 4, department_id: int | None = None, person_id: int | None = None) -> Dashboard:
        params = _query({"weeks": weeks, "department_id": department_id, "person_id": person_id})
        resp = await self.request("GET", "/dashboard/", params=params)
        return _parse(Dashboard, resp)

    async def sessions(self) -> list[Session]:
        return _parse(SessionList, await self.request("GET", "/auth/sessions/")).results

    async def revoke_session(self, session_id: int) -> Session:
        resp = await self.request("POST", "/auth/sessions/revoke/", json={"sessionId": session_id})
        return _parse(Session, resp)

    async def search_people(self, text: str, limit: int = 20) -> list[Person]:
        resp = await self.request("GET", "/people/search/", params={"q": text, "limit": str(limit)})
        return _parse(PersonSearch, resp).results

    # --- admin ------------------------------------------------------------------------------

    async def set_password(self, user_id: int, password: str) -> None:
        await self.request("POST", f"/auth/users/{user_id}/set_password/", json={"password": password})

    async def toggle_active(self, user_id: int) -> User:
        return _parse(User, await self.request("POST", f"/auth/users/{user_id}/toggle_active/"))

    async def change_role(self, user_id: int, role: str) -> User:
        return _parse(User, await self.request("POST", f"/auth/users/{user_id}/change_role/", json={"role": role}))

    async def audit(self, page: int = 1, page_size: int = 10) -> Page[AuditEntry]:
        resp = await self.request("GET", "/auth/audit/", params={"page": str(page), "pageSize": str(page_size)})
        return _parse(Page[AuditEntry], resp)
