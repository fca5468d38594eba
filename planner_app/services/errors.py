"""What a failed API call is, and the one plain sentence people read about it.

`ApiError` carries the envelope of API.md (status, code, detail, per-field errors) and turns it
into words (`PLAIN_MESSAGES` for the API's codes, `CLIENT_MESSAGES` for the app's own, the API's
detail for `SHOWS_API_DETAIL`); a 412 becomes a `ConcurrencyError` that also holds the item as it
is now.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import httpx

# 401 codes after which the tab must sign in again (refreshing cannot help).
SESSION_ENDED_CODES = frozenset({"session_revoked", "account_disabled"})

# What people read when a call fails, by the API's error code (its `ErrorCode` schema). Every code
# the API sends is either here or in SHOWS_API_DETAIL (tests/app/test_contract.py checks both ways).
PLAIN_MESSAGES = {
    "invalid_credentials": "Wrong username or password.",
    "session_revoked": "You were signed out from another device.",
    "account_disabled": "Your account has been disabled. Ask an admin for help.",
    "not_authenticated": "Please sign in to continue.",
    "token_invalid": "Your sign-in has expired. Please sign in again.",
    "permission_denied": "You don't have permission to do that.",
    "not_found": "That item no longer exists.",
    "precondition_failed": "This item was updated by someone else.",
    # With the wait in seconds when the API sends Retry-After (see ApiError.message).
    "throttled": "Too many attempts. Try again in a moment.",
    "server_error": "Something went wrong on the server. Please try again.",
}
# The app's own codes, for a call that got no usable answer from the API (no HTTP response, or one
# that is not the shape the client expects). Never codes of the API's.
CLIENT_MESSAGES = {
    "network": "The server can't be reached. Check your connection and try again.",
    "bad_response": "The server sent an answer this app does not understand. Please try again later.",
}
MESSAGES = PLAIN_MESSAGES | CLIENT_MESSAGES
# API codes shown with the API's own `detail`, because that sentence is already written for the
# person at the screen and says more than a fixed one could: which field or value (invalid,
# duplicate: the form also marks the fields), whom (last_admin), how large (too_large), how long
# to wait (unavailable). The rest cannot happen in normal use of the app (it sends If-Match, JSON,
# and only the methods and sign-in requests the API expects) and their detail names what went wrong.
SHOWS_API_DETAIL = frozenset(
    {
        "invalid",
        "duplicate",
        "last_admin",
        "too_large",
        "unavailable",
        "csrf_failed",
        "cross_site",
        "server_only",
        "method_not_allowed",
        "unsupported_media_type",
        "precondition_required",
        "error",
    }
)


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
        if self.code == "throttled" and self.retry_after:
            return f"Too many attempts. Try again in {self.retry_after} seconds."
        if self.code == "invalid" and self.errors:
            return "Please correct the highlighted fields."
        if self.code in MESSAGES:
            return MESSAGES[self.code]
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


def _to_snake(name: str) -> str:
    return "".join(f"_{c.lower()}" if c.isupper() else c for c in name)
