"""Who else has the item open: "Ana Costa is editing this", with their initials."""

import reflex as rx

from planner_app import styles


def presence_list(state) -> rx.Component:
    """`state`: a page state (PageMixin), whose `present` states/live.py keeps current."""
    return rx.cond(
        state.present.length() > 0,
        rx.hstack(
            rx.foreach(
                state.present,
                lambda p: rx.hstack(
                    rx.avatar(
                        fallback=p.initials, size="1", radius="full", color_scheme=rx.cond(p.editing, "amber", "gray")
                    ),
                    rx.text(p.text, size="2", color=styles.MUTED_TEXT),
                    align="center",
                    spacing="2",
                    class_name="presence",
                ),
            ),
            wrap="wrap",
            spacing="3",
            width="100%",
            role="status",
            aria_label="Who else has this open",
        ),
    )
