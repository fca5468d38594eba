"""The one decorator every page behind login goes through: route, title, shell and auth gate."""

import functools
from collections.abc import Callable
from typing import Any

import reflex as rx

from planner_app.components.shell import shell
from planner_app.states.auth import AuthState
from planner_app.states.live import LiveState

# Every page, added to the app once by planner_app.py. Not @rx.page: Reflex adds its pages again
# on each compile of a process, and the server's process compiles twice, which printed "Page … is
# being redefined with the same component" for every page at start-up.
PAGES: list[tuple[Callable[[], rx.Component], dict[str, Any]]] = []


def page(route: str, title: str, on_load: Any) -> Callable[[Callable[[], rx.Component]], Callable[[], rx.Component]]:
    """Register a page for planner_app.py to add to the app."""

    def decorator(render: Callable[[], rx.Component]) -> Callable[[], rx.Component]:
        PAGES.append((render, {"route": route, "title": title, "on_load": on_load}))
        return render

    return decorator


def template(route: str, title: str, on_load: rx.EventHandler | None = None):
    """Register a page: `AuthState.require_login` runs first, then the page's own loader, which
    the page's state re-runs in its own ways when what it shows changes (states/live.py)."""

    def decorator(content: Callable[[], rx.Component]) -> Callable[[], rx.Component]:
        events: list[Any] = [AuthState.require_login]
        if on_load is not None:
            # Following first: the loop starts from where the log is before the page reads.
            events += [LiveState.follow(on_load.state.get_full_name()), on_load]

        # wraps: the page takes its content's module and name, so Reflex compiles each page's
        # components into that module's own chunk (the dashboard's chart library loads with the
        # dashboard, not with every page) and tells the pages apart.
        @page(route=route, title=f"{title} · Planner", on_load=events)
        @functools.wraps(content)
        def framed() -> rx.Component:
            return shell(content(), title)

        return framed

    return decorator
