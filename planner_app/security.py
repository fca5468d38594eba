"""Browser-facing protections of the app's own answers (pages, assets, /api when embedded).

- Headers on every HTTP answer: no framing by other sites (CSP frame-ancestors and, for old
  browsers, X-Frame-Options), no content sniffing, no full URLs in Referer to other sites, and
  no camera, microphone, location or payment APIs for any script.
- Cross-origin access: none unless CORS_ALLOWED_ORIGINS lists origins (comma-separated). Reflex
  reflects any Origin with credentials by default, and its websocket server accepts any origin,
  so another site could drive a signed-in user's session; here the websocket accepts only its
  own origin (engine.io's same-origin check) or the listed ones.

- Scripts (CSP script-src): this origin's files, and of inline scripts only those the build
  wrote into its pages, allowed by their SHA-256 (React Router's hydration data, the theme
  script). An injected <script>, an on*= attribute or a javascript: URL does not run.
  'unsafe-eval' stays: Reflex runs the scripts the app's own server sends over the websocket
  (rx.call_script) with eval(); no page content reaches that path.
"""

import base64
import hashlib
from functools import lru_cache
from html.parser import HTMLParser
from pathlib import Path

from reflex import constants
from reflex.utils import prerequisites

from planner_app.settings import settings

BASE_POLICY = "frame-ancestors 'none'; base-uri 'self'; object-src 'none'; form-action 'self'"

SECURITY_HEADERS = [
    (b"x-frame-options", b"DENY"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"strict-origin-when-cross-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=(), payment=(), usb=()"),
]


def allowed_origins() -> tuple[str, ...]:
    return settings().cors_allowed_origins


class _InlineScripts(HTMLParser):
    """The text of every <script> without src, exactly as written (what a CSP hash covers)."""

    def __init__(self):
        super().__init__(convert_charrefs=False)
        self.bodies: list[str] = []
        self._open: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "script" and not dict(attrs).get("src"):
            self._open = []

    def handle_data(self, data):
        if self._open is not None:
            self._open.append(data)

    def handle_endtag(self, tag):
        if tag == "script" and self._open is not None:
            self.bodies.append("".join(self._open))
            self._open = None


def inline_script_hashes(pages: Path) -> list[str]:
    """CSP sources for the inline scripts of every built page, sorted, without repeats."""
    hashes = set()
    for page in pages.rglob("*.html"):
        parser = _InlineScripts()
        parser.feed(page.read_text(encoding="utf-8"))
        for body in parser.bodies:
            digest = base64.b64encode(hashlib.sha256(body.encode("utf-8")).digest()).decode()
            hashes.add(f"'sha256-{digest}'")
    return sorted(hashes)


def content_security_policy(pages: Path) -> str:
    return f"{BASE_POLICY}; script-src 'self' 'unsafe-eval' {' '.join(inline_script_hashes(pages))}".rstrip()


@lru_cache(maxsize=4)
def _policy_for_build(pages: Path, built_at: int) -> bytes:
    return content_security_policy(pages).encode()


def _policy() -> bytes:
    # The pages are built after this module is imported (reflex run --env prod exports, then
    # serves), and again on the next deployment: keyed by the build's time, read once per build.
    pages = prerequisites.get_web_dir() / constants.Dirs.STATIC
    try:
        built_at = (pages / "index.html").stat().st_mtime_ns
    except OSError:  # no build: pages come from the development server, not from here
        return BASE_POLICY.encode()
    return _policy_for_build(pages, built_at)


def with_security_headers(app):
    """ASGI middleware: the CSP and SECURITY_HEADERS on every HTTP answer that has not set its own."""

    async def wrapped(scope, receive, send):
        if scope["type"] != "http":
            return await app(scope, receive, send)

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                present = {name.lower() for name, _ in message.get("headers", [])}
                headers = [(b"content-security-policy", _policy()), *SECURITY_HEADERS]
                extra = [(name, value) for name, value in headers if name not in present]
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        await app(scope, receive, send_with_headers)

    return wrapped


def restrict_websocket_origins(sio) -> None:
    """None is engine.io's "same origin only"; Reflex would pass [] (no check at all)."""
    sio.eio.cors_allowed_origins = list(allowed_origins()) or None
