"""Loading, error, empty and confirm: how every page tells people what is going on."""

import reflex as rx

from planner_app import styles


def loading_indicator(when: rx.Var[bool] | bool, label: str = "Loading…") -> rx.Component:
    # Faded in after 200 ms, so quick calls do not flicker a spinner.
    return rx.cond(
        when,
        rx.hstack(
            rx.spinner(size="2"),
            rx.text(label, size="2", color=styles.MUTED_TEXT),
            align="center",
            role="status",
            aria_live="polite",
            class_name="delayed-fade-in",
        ),
    )


def error_callout(message: rx.Var[str]) -> rx.Component:
    return rx.cond(
        message != "",
        rx.callout(message, icon="triangle_alert", color_scheme="red", role="alert", width="100%"),
    )


def empty_state(title: str, hint: str, action: rx.Component | None = None) -> rx.Component:
    return rx.vstack(
        rx.icon("inbox", size=32, color=styles.MUTED_TEXT),
        rx.text(title, weight="medium"),
        rx.text(hint, size="2", color=styles.MUTED_TEXT),
        action if action is not None else rx.fragment(),
        align="center",
        padding="2rem",
        width="100%",
        border=f"1px dashed {styles.BORDER}",
        border_radius=styles.RADIUS,
    )


def confirm_delete(
    open_: rx.Var[bool],
    title: rx.Var[str] | str,
    description: rx.Var[str] | str,
    on_confirm: rx.EventHandler,
    on_cancel: rx.EventHandler,
    action: str = "Delete",
) -> rx.Component:
    """An alert dialog before anything is deleted (or revoked: `action` names the button); Cancel
    is the default focus."""
    return rx.alert_dialog.root(
        rx.alert_dialog.content(
            rx.alert_dialog.title(title),
            rx.alert_dialog.description(description, size="2"),
            rx.hstack(
                rx.alert_dialog.cancel(rx.button("Cancel", variant="soft", color_scheme="gray", on_click=on_cancel)),
                rx.alert_dialog.action(rx.button(action, color_scheme="red", on_click=on_confirm)),
                justify="end",
                spacing="3",
                margin_top="1rem",
            ),
            max_width="28rem",
        ),
        open=open_,
    )
