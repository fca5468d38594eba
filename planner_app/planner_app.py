"""The Planner app: every page, and the Pyramid API mounted at /api in the same process."""

import reflex as rx
from starlette.applications import Starlette
from starlette.routing import Mount

from planner_app import styles
from planner_app.embedded import embedded_api

# Pages register themselves through @rx.page / @template when imported.
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

app = rx.App(
    style=styles.BASE_STYLE,
    stylesheets=["/planner.css"],
    head_components=[rx.el.meta(name="theme-color", content="#0d9488")],
    api_transformer=Starlette(routes=[Mount("/api", app=embedded_api())]),
)
