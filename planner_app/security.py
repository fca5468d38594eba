"""Browser-facing protections of the app's own answers (pages, assets, /api when embedded).

- Headers on every HTTP answer: no framing by other sites (CSP frame-ancestors and, for old
  browsers, X-Frame-Options), no content sniffing, no full URLs in Referer to other sites, and
  no camera, microphone, location or payment APIs for any script.
- Cross-origin access: none unless CORS_ALLOWED_ORIGINS lists origins (comma-separated). Reflex
  reflects any Origin with credentials by default, and its websocket server accepts any origin,
  so another site could drive a signed-in user's session; here the websocket accepts only its
  own origin (engine.io's same-origin check) or the listed ones.

The CSP here restricts framing, plugins, <base> and form targets; it does not yet restrict
scripts, which Reflex's build emits inline.
"""

import os

SECURITY_HEADERS = [
    (b"content-security-policy", b"frame-ancestors 'none'; base-uri 'self'; object-src 'none'; form-action 'self'"),
    (b"x-frame-options", b"DENY"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"strict-origin-when-cross-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=(), payment=(), usb=()"),
]


def allowed_origins() -> tuple[str, ...]:
    return tuple(o.strip().rstrip("/") for o in os.environ.get("CORS_ALLOWED_ORIGINS", "").split(",") if o.strip())


def with_security_headers(app):
    """ASGI middleware: SECURITY_HEADERS on every HTTP answer that has not set its own."""

    async def wrapped(scope, receive, send):
        if scope["type"] != "http":
            return await app(scope, receive, send)

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                present = {name.lower() for name, _ in message.get("headers", [])}
                extra = [(name, value) for name, value in SECURITY_HEADERS if name not in present]
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        await app(scope, receive, send_with_headers)

    return wrapped


def restrict_websocket_origins(sio) -> None:
    """None is engine.io's "same origin only"; Reflex would pass [] (no check at all)."""
    sio.eio.cors_allowed_origins = list(allowed_origins()) or None
