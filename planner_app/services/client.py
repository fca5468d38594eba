"""The only code in the app that talks HTTP: a typed client of the REST API (API.md).

One `ApiClient` serves one event handler of one browser tab. It is built from that tab's
`Credentials` and ETag map and rotates the tokens in them when the access token has expired; the
caller (the tab's Reflex state) keeps whatever the client left there. Signed-in GETs go through
the process's response cache (services/cache.py); the transport is chosen by services/transport.py.
"""

from __future__ import annotations

import asyncio
import itertools
import time
import uuid
from collections.abc import Mapping, MutableMapping
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

import httpx
import jwt
from pydantic import ValidationError
from pydantic.alias_generators import to_camel

from planner_app.services import transport
from planner_app.services.cache import CACHE
from planner_app.services.errors import PLAIN_MESSAGES, SESSION_ENDED_CODES, ApiError, ConcurrencyError, error_from
from planner_app.services.models import (
    AccessToken,
    Assignment,
    AuditEntry,
    Change,
    Dashboard,
    Deliverable,
    Department,
    EventsPage,
    Item,
    Page,
    Person,
    PersonSearch,
    Presence,
    PresenceList,
    Project,
    Session,
    SessionList,
    Stored,
    TimeOff,
    TokenPair,
    User,
    Wire,
)

# Refresh a little before expiry so a request never races the clock on the server.
EXPIRY_MARGIN_SECONDS = 15


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
R = TypeVar("R", bound=Item)  # a resource's row


def _parse(model: type[M], resp: httpx.Response) -> M:
    """The response as `model`; an answer of the wrong shape is an ApiError, not a crash of the page."""
    try:
        return model.model_validate(resp.json())
    except (ValueError, ValidationError) as exc:
        raise ApiError(502, "bad_response", str(exc), request_id=resp.headers.get("X-Request-ID", "")) from exc


class Resource(Generic[R]):
    """List/detail/create/update/delete of one API resource, typed by its model."""

    def __init__(self, client: ApiClient, name: str, model: type[R]):
        self._client = client
        # The API path's name, which the change log calls the resource (services/feed.py).
        self.name = name
        self._path = f"/{name}/"
        self._model = model
        # pydantic parametrises a generic model at run time; mypy reads the subscript as a type.
        self._page: type[Page[R]] = Page[model]  # type: ignore[valid-type]

    def detail_path(self, item_id: int) -> str:
        return f"{self._path}{item_id}/"

    async def list(self, page: int = 1, page_size: int = 50, **filters: Any) -> Page[R]:
        params = {"page": str(page), "pageSize": str(page_size), **_query(filters)}
        resp = await self._client.request("GET", self._path, params=params)
        result = _parse(self._page, resp)
        # A row read now is the latest this tab has seen of that item. Only ETags the tab already
        # holds are refreshed: long lists (a form's choices) must not swell the tab's state.
        etags = self._client.etags
        for item in result.results:
            path = self.detail_path(item.id)
            if path in etags and isinstance(item, Stored) and item.etag:
                etags[path] = item.etag
        return result

    async def get(self, item_id: int) -> R:
        resp = await self._client.request("GET", self.detail_path(item_id))
        return _parse(self._model, resp)

    async def history(self, item_id: int, page: int = 1, page_size: int = 10) -> Page[Change]:
        """The item's changes, newest first."""
        params = {"page": str(page), "pageSize": str(page_size)}
        resp = await self._client.request("GET", f"{self.detail_path(item_id)}history/", params=params)
        return _parse(Page[Change], resp)

    async def create(self, data: Mapping[str, Any]) -> R:
        resp = await self._client.request("POST", self._path, json=_wire(data))
        return _parse(self._model, resp)

    async def update(self, item_id: int, changes: Mapping[str, Any], *, if_match: str | None = None) -> R:
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
        base_url, http_transport = transport.target()
        headers = {"Accept": "application/json"}
        # The API sees this process as its client; pass on who the person really is, for its
        # session list and throttling. It trusts these only from its TRUSTED_PROXIES: in process the
        # ASGI transport presents 127.0.0.1, over the network this host must be listed there.
        if user_agent:
            headers["X-Client-User-Agent"] = user_agent
        if client_ip:
            headers["X-Forwarded-For"] = client_ip
        self._http = httpx.AsyncClient(
            base_url=base_url, transport=http_transport, timeout=transport.TIMEOUT, headers=headers
        )
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
        if resp.status_code == 401 and authenticated and ApiError.from_response(resp).code not in SESSION_ENDED_CODES:
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

    async def dashboard(
        self,
        weeks: int = 4,
        department_id: int | None = None,
        person_id: int | None = None,
        offset: int = 0,
        limit: int | None = None,
    ) -> Dashboard:
        """The board; its team overview one page of `limit` rows (the API's default: 50) from `offset`."""
        params = _query(
            {"weeks": weeks, "department_id": department_id, "person_id": person_id, "offset": offset, "limit": limit}
        )
        resp = await self.request("GET", "/dashboard/", params=params)
        return _parse(Dashboard, resp)

    async def events(self, after: int | None, limit: int = 500) -> EventsPage:
        """The changes after sequence id `after`; None: none, only where the log ends now."""
        params = {} if after is None else {"after": str(after), "limit": str(limit)}
        return _parse(EventsPage, await self.request("GET", "/events/", params=params))

    async def announce_presence(self, tab: str, resource: str, object_id: int, activity: str, detail: str = "") -> None:
        """This tab has the item open for the next 30 s (repeat sooner to stay)."""
        body = {"resource": resource, "objectId": object_id, "activity": activity, "detail": detail}
        await self.request("PUT", f"/presence/{tab}/", json=body)

    async def leave_presence(self, tab: str) -> None:
        await self.request("DELETE", f"/presence/{tab}/")

    async def presence(self, resource: str, object_id: int | None, tab: str) -> list[Presence]:
        """Who has the item (None: any item of `resource`) open, editing first."""
        params = _query({"resource": resource, "object_id": object_id, "tab": tab})
        return _parse(PresenceList, await self.request("GET", "/presence/", params=params)).results

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
