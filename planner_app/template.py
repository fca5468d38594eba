"""The one decorator every page behind login goes through: route, title, shell and auth gate."""

from collections.abc import Callable

import reflex as rx

from planner_app.components.shell import shell
from planner_app.states.auth import AuthState


def template(route: str, title: str, on_load: rx.EventHandler | None = None):
    """Register a page: `AuthState.require_login` runs first, then the page's own loader."""

    def decorator(content: Callable[[], rx.Component]) -> Callable[[], rx.Component]:
        events = [AuthState.require_login] + ([on_load] if on_load is not None else [])

        @rx.page(route=route, title=f"{title} · Planner", on_load=events)
        def page() -> rx.Component:
            return shell(content(), title)

        return page

    return decorator
