"""Lists that are tables on wide screens and cards on phones, and the pager under them."""

from collections.abc import Callable

import reflex as rx

from planner_app import styles

# Tables from 48em (tablets and up); below that each row becomes a card, so nothing scrolls sideways.
TABLE_DISPLAY = rx.breakpoints(initial="none", sm="block")
CARDS_DISPLAY = rx.breakpoints(initial="flex", sm="none")

Column = tuple[str, Callable[[rx.Var], rx.Component]]


def responsive_list(
    items: rx.Var[list],
    columns: list[Column],
    card: Callable[[rx.Var], rx.Component],
    *,
    label: str,
) -> rx.Component:
    return rx.fragment(
        rx.box(
            rx.table.root(
                # The caption names the table for assistive technology (Radix puts props on a wrapper div).
                rx.el.caption(label, class_name="sr-only"),
                rx.table.header(rx.table.row(*[rx.table.column_header_cell(title) for title, _ in columns])),
                rx.table.body(
                    rx.foreach(items, lambda item: rx.table.row(*[rx.table.cell(render(item)) for _, render in columns]))
                ),
                variant="surface",
                width="100%",
            ),
            display=TABLE_DISPLAY,
            width="100%",
        ),
        rx.vstack(
            rx.foreach(items, lambda item: rx.box(card(item), role="listitem", width="100%")),
            display=CARDS_DISPLAY,
            spacing="2",
            width="100%",
            role="list",
            aria_label=label,
        ),
    )


def list_card(*children: rx.Component, **props) -> rx.Component:
    return rx.card(rx.vstack(*children, spacing="1", width="100%"), width="100%", **props)


def muted(text: rx.Var | str) -> rx.Component:
    return rx.text(text, size="2", color=styles.MUTED_TEXT)


def pager(state: type[rx.State]) -> rx.Component:
    """Previous/next over the server's pages of a list state (see states/page.py)."""
    return rx.cond(
        state.page_count > 1,
        rx.hstack(
            rx.button("Previous", variant="soft", disabled=~state.has_previous, on_click=state.previous_page),
            rx.text(f"Page {state.page} of {state.page_count}", size="2", aria_live="polite"),
            rx.button("Next", variant="soft", disabled=~state.has_next, on_click=state.next_page),
            justify="center",
            align="center",
            spacing="3",
            width="100%",
        ),
    )
