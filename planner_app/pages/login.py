"""/login: the only page outside the auth gate."""

import reflex as rx

from planner_app import styles
from planner_app.states.auth import LOGIN_ROUTE, AuthState
from planner_app.template import page


@page(route=LOGIN_ROUTE, title="Sign in · Planner", on_load=AuthState.open_login)
def login() -> rx.Component:
    return rx.center(
        rx.card(
            rx.form(
                rx.vstack(
                    rx.hstack(
                        rx.icon("calendar_range", color="var(--accent-9)"),
                        rx.heading("Planner", size="6", as_="h1"),
                        align="center",
                    ),
                    rx.text("Sign in to plan your team's weeks.", color=styles.MUTED_TEXT, size="2"),
                    rx.cond(
                        AuthState.login_notice != "",
                        rx.callout(
                            AuthState.login_notice, icon="info", color_scheme="amber", role="status", width="100%"
                        ),
                    ),
                    rx.cond(
                        AuthState.login_error != "",
                        rx.callout(
                            AuthState.login_error, icon="triangle_alert", color_scheme="red", role="alert", width="100%"
                        ),
                    ),
                    rx.el.label(
                        "Username", html_for="login-username", font_weight="500", font_size="var(--font-size-2)"
                    ),
                    rx.input(
                        id="login-username",
                        name="username",
                        auto_complete="username",
                        # Phones would otherwise capitalise and "correct" the login name.
                        auto_capitalize="none",
                        spell_check=False,
                        custom_attrs={"autocorrect": "off"},
                        auto_focus=True,
                        width="100%",
                        size="3",
                    ),
                    rx.el.label(
                        "Password", html_for="login-password", font_weight="500", font_size="var(--font-size-2)"
                    ),
                    rx.input(
                        id="login-password",
                        name="password",
                        type="password",
                        auto_complete="current-password",
                        width="100%",
                        size="3",
                    ),
                    rx.button(
                        "Sign in",
                        type="submit",
                        loading=AuthState.signing_in,
                        width="100%",
                        size="3",
                        margin_top="0.5rem",
                    ),
                    spacing="2",
                    width="100%",
                ),
                on_submit=AuthState.sign_in,
                reset_on_submit=False,
            ),
            width="100%",
            max_width="24rem",
            size="4",
        ),
        min_height="100vh",
        padding="1rem",
        background=styles.PAGE_BACKGROUND,
    )
