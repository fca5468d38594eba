"""The Planner app: every page, and (embedded default) the Pyramid API mounted at /api in the same
process. With PLANNER_API_URL set the API is served elsewhere and nothing is mounted."""

import reflex as rx
from starlette.applications import Starlette
from starlette.routing import Mount

from planner_app import pwa, security, styles
from planner_app.components.connection import connection_overlay
from planner_app.embedded import embedded_api

# Pages register themselves (planner_app/template.py PAGES) when imported.
from planner_app.pages import (  # noqa: F401
    assignments,
    calendar,
    dashboard,
    departments,
    login,
    people,
    profile,
    projects,
    settings,
    timeoff,
)

# Named apart: `settings` above is the settings page.
from planner_app.settings import settings as app_settings
from planner_app.template import PAGES

app = rx.App(
    style=styles.BASE_STYLE,
    stylesheets=["/planner.css"],
    head_components=[
        *pwa.head_components(),
        rx.el.script(src="/a11y.js", defer=True),
        # Sign-in, grants and sign-out (states/auth.py); versioned like pwa.js, so a deployment is never
        # served an older copy.
        rx.el.script(src=f"/auth.js?v={pwa.BUILD_VERSION}", defer=True),
    ],
    api_transformer=[
        *([Starlette(routes=[Mount("/api", app=embedded_api())])] if app_settings().embedded else []),
        security.with_security_headers,
    ],
)
for render, options in PAGES:
    app.add_page(render, **options)
security.restrict_websocket_origins(app.sio)
# Reflex 0.10.1 has no overlay_component argument: its default overlay is the app wrap at (5, "Overlay").
app.app_wraps[5, "Overlay"] = connection_overlay
