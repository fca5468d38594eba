"""The one decorator every page behind login goes through: route, title, shell and auth gate."""

import functools
from collections.abc import Callable

import reflex as rx

from planner_app.components.shell import shell
from planner_app.states.auth import AuthState


def template(route: str, title: str, on_load: rx.EventHandler | None = None):
    """Register a page: `AuthState.require_login` runs first, then the page's own loader."""

    def decorator(content: Callable[[], rx.Component]) -> Callable[[], rx.Component]:
        events = [AuthState.require_login] + ([on_load] if on_load is not None else [])

        # wraps: the page takes its content's module and name, so Reflex compiles each page's
        # components into that module's own chunk (the dashboard's chart library loads with the
        # dashboard, not with every page) and tells the pages apart.
        @rx.page(route=route, title=f"{title} · Planner", on_load=events)
        @functools.wraps(content)
        def page() -> rx.Component:
            return shell(content(), title)

        return page

    return decorator
