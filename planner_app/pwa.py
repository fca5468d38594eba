"""The installable app: the build version its service worker is keyed by, and the <head> tags
(manifest, theme colour, icons, the page script)."""

import hashlib
from pathlib import Path

import reflex as rx

from planner_app import styles

ROOT = Path(__file__).resolve().parents[1]
# Everything that changes what a browser gets: the app's code, its static files, the pinned
# Python and npm packages. (assets/external/ is Reflex's copy of module files, already counted.)
_BUILD_INPUTS = ("planner_app/**/*.py", "assets/**/*", "rxconfig.py", "requirements.txt", "reflex.lock/*")


def _build_version() -> str:
    """A hash over the build's inputs: a new deployment registers /sw.js under a new version, so the
    browser installs a new worker, and the old caches are dropped once it takes over."""
    digest = hashlib.sha256()
    files = {path for pattern in _BUILD_INPUTS for path in ROOT.glob(pattern) if path.is_file()}
    for path in sorted(files):
        relative = path.relative_to(ROOT).as_posix()
        if relative.startswith("assets/external/"):
            continue
        digest.update(relative.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:12]


BUILD_VERSION = _build_version()


def head_components() -> list[rx.Component]:
    return [
        rx.el.link(rel="manifest", href="/manifest.webmanifest"),
        rx.el.meta(name="theme-color", content=styles.THEME_COLOR),
        rx.el.link(rel="icon", href="/icons/icon.svg", type="image/svg+xml"),
        rx.el.link(rel="apple-touch-icon", href="/icons/apple-touch-icon-180.png", sizes="180x180"),
        rx.el.meta(name="mobile-web-app-capable", content="yes"),
        rx.el.meta(name="apple-mobile-web-app-capable", content="yes"),
        rx.el.meta(name="apple-mobile-web-app-title", content="Planner"),
        # External, not inline, for the coming Content-Security-Policy; the version in the URL is
        # the one the service worker is registered under.
        rx.el.script(src=f"/pwa.js?v={BUILD_VERSION}", defer=True),
    ]
