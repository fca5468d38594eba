"""A detail page's History card (states/history.py): newest first, ten at a time."""

import reflex as rx

from planner_app import styles
from planner_app.components.lists import muted


def _line(line: rx.Var) -> rx.Component:
    return rx.box(
        rx.hstack(
            rx.text(rx.text.strong(line.who), " ", line.summary, size="2"),
            rx.el.time(muted(line.when), date_time=line.at, title=line.day),
            justify="between",
            align="baseline",
            wrap="wrap",
            width="100%",
            spacing="2",
        ),
        rx.cond(
            line.fields.length() > 0,
            rx.el.ul(
                rx.foreach(line.fields, lambda f: rx.el.li(rx.text(f, size="2", word_break="break-word"))),
                padding_left="1.25rem",
                margin="0.25rem 0 0 0",
            ),
        ),
        padding_y="0.5rem",
        border_bottom=f"1px solid {styles.BORDER}",
        width="100%",
        role="listitem",
        class_name="history-line",
    )


def history_card(state) -> rx.Component:
    """`state` has HistoryMixin."""
    return rx.card(
        rx.heading("History", size="4", as_="h2"),
        rx.cond(
            state.history.length() > 0,
            rx.vstack(
                rx.box(rx.foreach(state.history, _line), role="list", aria_label="Changes, newest first", width="100%"),
                rx.cond(
                    state.history_more,
                    rx.button(
                        "Show older changes",
                        type="button",
                        variant="soft",
                        color_scheme="gray",
                        size="2",
                        min_height=styles.TAP_TARGET,
                        on_click=state.more_history,
                        loading=state.history_loading,
                    ),
                ),
                spacing="2",
                margin_top="0.25rem",
                width="100%",
            ),
            rx.box(muted("No changes recorded yet."), margin_top="0.5rem"),
        ),
        width="100%",
        id="history",
    )
