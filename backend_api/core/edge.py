"""What every request must be before the application looks at it: a path and query string that
are UTF-8 without control characters, and a body no larger than the cap.

A WSGI middleware, in front of Pyramid, because the router itself decodes the path: a `%ff` there
would otherwise fail inside Pyramid, before any exception view could answer (a plain-text 500
without a request id). Refusals are 400 or 413 in the API's one JSON envelope, with X-Request-ID,
and headers every answer of the API carries are added here too.
"""

import json
import re
import uuid
from urllib.parse import unquote_to_bytes

from .error_codes import ErrorCode

# C0 controls and DEL. Allowed in JSON text only as tab, newline and carriage return (notes,
# descriptions); never in a path or a query parameter.
CONTROL = re.compile(r"[\x00-\x1f\x7f]")
CONTROL_IN_TEXT = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def not_matching(characters: re.Pattern) -> str:
    """A JSON-schema pattern for text free of a character class above (for the OpenAPI document)."""
    return f"^[^{characters.pattern[1:-1]}]*$"


SANE_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")
# Every answer of the API: a browser must never guess another type than the JSON it declares.
ALWAYS_HEADERS = [("X-Content-Type-Options", "nosniff")]


class Refused(Exception):
    def __init__(self, status: str, code: ErrorCode, detail: str):
        super().__init__(detail)
        self.status, self.code, self.detail = status, code, detail


def _check_text(wsgi_text: str, what: str, unquote: bool) -> None:
    try:
        raw = wsgi_text.encode("latin-1")
        text = (unquote_to_bytes(raw) if unquote else raw).decode("utf-8")
    except UnicodeError:
        raise Refused("400 Bad Request", ErrorCode.INVALID, f"The {what} is not valid UTF-8.") from None
    if CONTROL.search(text):
        raise Refused("400 Bad Request", ErrorCode.INVALID, f"The {what} contains control characters.")


def _check(environ, max_body_bytes: int) -> None:
    # WSGI hands the path (already %-decoded) and the query string (not) as latin-1 strings of bytes.
    _check_text(environ.get("PATH_INFO", ""), "path", unquote=False)
    _check_text(environ.get("QUERY_STRING", ""), "query", unquote=True)
    length = environ.get("CONTENT_LENGTH") or "0"
    if not length.isdigit():
        raise Refused("400 Bad Request", ErrorCode.INVALID, "Content-Length is not a number.")
    if int(length) > max_body_bytes:
        raise Refused(
            "413 Content Too Large",
            ErrorCode.TOO_LARGE,
            f"The request body is larger than {max_body_bytes // 1024} KiB.",
        )


def edge(app, max_body_bytes: int):
    def wsgi(environ, start_response):
        def with_headers(status, headers, exc_info=None):
            return start_response(status, headers + ALWAYS_HEADERS, exc_info)

        try:
            _check(environ, max_body_bytes)
        except Refused as refused:
            sent = environ.get("HTTP_X_REQUEST_ID", "")
            body = json.dumps({"detail": refused.detail, "code": refused.code}).encode()
            start_response(
                refused.status,
                [
                    ("Content-Type", "application/json; charset=utf-8"),
                    ("Content-Length", str(len(body))),
                    ("X-Request-ID", sent if SANE_REQUEST_ID.match(sent) else uuid.uuid4().hex),
                    *ALWAYS_HEADERS,
                ],
            )
            return [body]
        return app(environ, with_headers)

    return WithRegistry(wsgi, app.registry)


class WithRegistry:
    """A WSGI callable that keeps the Pyramid app's `registry` in sight of whoever holds it (tests,
    the server, the embedded mount read `app.registry`) however many layers wrap the app."""

    def __init__(self, wsgi, registry):
        self.wsgi, self.registry = wsgi, registry

    def __call__(self, environ, start_response):
        return self.wsgi(environ, start_response)
