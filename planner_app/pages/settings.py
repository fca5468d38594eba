"""/settings: admins only. Everyone else gets a friendly explanation instead of the page.
(The users table and the audit log come with issue 5.)"""

import reflex as rx

from planner_app import styles
from planner_app.states.auth import AuthState
from planner_app.template import template


def forbidden() -> rx.Component:
    return rx.vstack(
        rx.icon("lock", size=36, color=styles.MUTED_TEXT),
        rx.heading("Only admins can open Settings", size="5", as_="h2"),
        rx.text("Your role is ", rx.text.span(AuthState.user.role, weight="bold"), ". Ask an admin if you need a change made here.",
                color=styles.MUTED_TEXT),
        rx.link("Back to the dashboard", href="/"),
        align="center",
        spacing="3",
        padding="3rem 1rem",
        width="100%",
        text_align="center",
        role="alert",
    )


def admin_settings() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.heading("Administration", size="4", as_="h2"),
            rx.text("User accounts, roles and the audit log will be managed here.", color=styles.MUTED_TEXT),
            spacing="2",
        ),
        width="100%",
    )


@template(route="/settings", title="Settings")
def settings() -> rx.Component:
    return rx.cond(AuthState.is_admin, admin_settings(), forbidden())
