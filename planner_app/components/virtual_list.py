"""A list of any length that stays light on a phone: only the rows on screen are in the page.

The state (states/page.py WindowMixin) knows the list's total `count` and holds one window of
loaded rows from `window_start`; the list tells it, once scrolling settles, which rows are on
screen, and it fetches the pages that cover them. Wide screens (from 48em, as components/lists.py)
get a table: a header row and aligned columns; phones get one card per row."""

from collections.abc import Callable

import reflex as rx
from reflex.event import passthrough_event_spec
from reflex_base.constants.compiler import MemoizationMode

from planner_app import styles
from planner_app.components.lists import Column


class VirtualList(rx.Component):
    """@tanstack/react-virtual is hook-only, so it is wrapped through a small component of ours."""

    library = rx.asset("virtual_list.jsx", shared=True).importable_path
    tag = "VirtualList"
    lib_dependencies: list[str] = ["@tanstack/react-virtual@3.14.26"]
    # The rows must reach the list as arrays it can index (row k is list row offset + k), not
    # as separately memoized Foreach components, which the production build makes otherwise.
    _memoization_mode = MemoizationMode(recursive=False)

    count: rx.Var[int]
    offset: rx.Var[int]
    columns: rx.Var[list[str]]
    grid_columns: rx.Var[str]
    row_estimate: rx.Var[int]
    card_estimate: rx.Var[int]
    label: rx.Var[str]
    list_id: rx.Var[str]
    reset_key: rx.Var[int]

    on_range_change: rx.EventHandler[passthrough_event_spec(int, int)]


def virtual_list(
    state: type[rx.State],
    items: rx.Var[list],
    columns: list[Column],
    card: Callable[[rx.Var], rx.Component],
    *,
    label: str,
    list_id: str,
    grid_columns: str,
    row_estimate: int = 49,
    card_estimate: int = 112,
) -> rx.Component:
    """`items` is the state's window; `grid_columns` the table's CSS grid-template-columns (one
    track per column); the estimates are a row's and a card's usual height in pixels (rows are
    measured, so a taller one only costs a re-layout). Rows someone just changed are highlighted
    (`live_changed`, states/page.py)."""

    def changed(item: rx.Var) -> rx.Var:
        return rx.cond(state.live_changed.contains(item.id), "live-changed", "")

    return rx.vstack(
        rx.text(state.total_text, size="2", color=styles.MUTED_TEXT, aria_live="polite"),
        VirtualList.create(
            rx.foreach(
                items,
                lambda item: rx.fragment(
                    *[
                        rx.box(
                            render(item),
                            role="cell",
                            padding="0.625rem 0.75rem",
                            min_width="0",
                            overflow_wrap="anywhere",
                            class_name=changed(item),
                        )
                        for _, render in columns
                    ]
                ),
            ),
            # The wash of a changed card follows the card's rounded corners (Radix cards: radius 4).
            rx.foreach(
                items, lambda item: rx.box(card(item), class_name=changed(item), border_radius="var(--radius-4)")
            ),
            count=state.count,
            offset=state.window_start,
            columns=[title for title, _ in columns],
            grid_columns=grid_columns,
            row_estimate=row_estimate,
            card_estimate=card_estimate,
            label=label,
            list_id=list_id,
            reset_key=state.list_version,
            on_range_change=state.show_range,
        ),
        spacing="2",
        width="100%",
    )
