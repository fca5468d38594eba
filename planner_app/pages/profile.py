"""/profile: the signed-in account and signing out. (Active sessions come with issue 5.)"""

import reflex as rx

from planner_app.states.auth import AuthState
from planner_app.states.profile import ProfileState
from planner_app.template import template


@template(route="/profile", title="Profile", on_load=ProfileState.load)
def profile() -> rx.Component:
    u = AuthState.user
    return rx.vstack(
        rx.card(
            rx.vstack(
                rx.hstack(
                    rx.avatar(fallback=ProfileState.initials, size="5", radius="full"),
                    rx.vstack(rx.heading(u.username, size="5", as_="h2"), rx.badge(u.role, variant="soft"), spacing="1"),
                    align="center",
                    spacing="4",
                ),
                rx.data_list.root(
                    rx.data_list.item(rx.data_list.label("Username"), rx.data_list.value(u.username)),
                    rx.data_list.item(rx.data_list.label("Email"), rx.data_list.value(u.email)),
                    rx.data_list.item(rx.data_list.label("Role"), rx.data_list.value(u.role)),
                    rx.data_list.item(rx.data_list.label("Member since"), rx.data_list.value(ProfileState.joined)),
                    rx.data_list.item(rx.data_list.label("Last sign-in"), rx.data_list.value(ProfileState.last_login)),
                    rx.cond(
                        u.person_id,
                        rx.data_list.item(rx.data_list.label("Person record"), rx.data_list.value(rx.link("Open", href=f"/people/{u.person_id}"))),
                    ),
                    orientation=rx.breakpoints(initial="vertical", sm="horizontal"),
                ),
                rx.button(rx.icon("log_out", size=16), "Sign out", color_scheme="gray", variant="surface", on_click=AuthState.sign_out),
                spacing="4",
            ),
            width="100%",
            max_width="40rem",
        ),
        width="100%",
    )
