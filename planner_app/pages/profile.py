"""/profile: the signed-in account, its active sessions (revocable) and signing out."""

import reflex as rx

from planner_app import styles
from planner_app.components.feedback import confirm_delete, error_callout
from planner_app.components.lists import list_card, muted, responsive_list
from planner_app.states.auth import AuthState
from planner_app.states.profile import ProfileState as S
from planner_app.template import template


def device(s: rx.Var) -> rx.Component:
    return rx.hstack(
        rx.text(s.device, weight="medium"),
        rx.cond(s.current, rx.badge("This device", color_scheme="green", variant="soft")),
        spacing="2",
        align="center",
        wrap="wrap",
    )


def revoke_button(s: rx.Var) -> rx.Component:
    return rx.button(
        "Revoke",
        variant="soft",
        color_scheme="red",
        aria_label=rx.cond(s.current, "Revoke this device (signs you out)", f"Revoke {s.device}, {s.ip}"),
        on_click=S.ask_revoke(s.id, s.device),
        data_session=s.id,
        min_height=styles.TAP_TARGET,
    )


def sessions_card() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.heading("Active sessions", size="4", as_="h2"),
            muted(
                "Every browser signed in to your account. "
                "Revoke one you do not recognise: it is signed out at its next step."
            ),
            responsive_list(
                S.sessions,
                [
                    ("Device", device),
                    ("IP address", lambda s: rx.text(s.ip, size="2")),
                    ("Signed in", lambda s: rx.text(s.signed_in, size="2")),
                    ("Last seen", lambda s: rx.text(s.last_seen, size="2")),
                    ("", revoke_button),
                ],
                lambda s: list_card(
                    device(s),
                    muted(f"{s.ip} · signed in {s.signed_in}"),
                    rx.hstack(
                        muted(f"Last seen {s.last_seen}"), rx.spacer(), revoke_button(s), align="center", width="100%"
                    ),
                ),
                label="Active sessions",
            ),
            spacing="3",
            width="100%",
        ),
        width="100%",
    )


def account_card() -> rx.Component:
    u = AuthState.user
    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.avatar(fallback=AuthState.initials, size="5", radius="full"),
                rx.vstack(rx.heading(u.username, size="5", as_="h2"), rx.badge(u.role, variant="soft"), spacing="1"),
                align="center",
                spacing="4",
            ),
            rx.data_list.root(
                rx.data_list.item(rx.data_list.label("Username"), rx.data_list.value(u.username)),
                rx.data_list.item(rx.data_list.label("Email"), rx.data_list.value(u.email)),
                rx.data_list.item(rx.data_list.label("Role"), rx.data_list.value(u.role)),
                rx.data_list.item(rx.data_list.label("Member since"), rx.data_list.value(AuthState.joined)),
                rx.data_list.item(rx.data_list.label("Last sign-in"), rx.data_list.value(AuthState.last_login)),
                rx.cond(
                    u.person_id,
                    rx.data_list.item(
                        rx.data_list.label("Person record"),
                        rx.data_list.value(rx.link("Open", href=f"/people/{u.person_id}")),
                    ),
                ),
                orientation=rx.breakpoints(initial="vertical", sm="horizontal"),
            ),
            rx.button(
                rx.icon("log_out", size=16),
                "Sign out",
                color_scheme="gray",
                variant="surface",
                on_click=AuthState.sign_out,
                min_height=styles.TAP_TARGET,
            ),
            spacing="4",
        ),
        width="100%",
        max_width="40rem",
    )


@template(route="/profile", title="Profile", on_load=S.load)
def profile() -> rx.Component:
    return rx.vstack(
        error_callout(S.error),
        account_card(),
        sessions_card(),
        confirm_delete(
            S.revoke_id != 0,
            "Revoke this session?",
            f"{S.revoke_label} will be signed out at its next step. If it is this device, you are signed out now.",
            S.confirm_revoke,
            S.cancel_revoke,
            action="Revoke",
        ),
        spacing="4",
        width="100%",
    )
