"""/settings: admins only (everyone else gets a friendly explanation instead of the page): user
accounts — search, role, active, create, set password, delete — and the recent admin actions."""

import reflex as rx

from planner_app import styles
from planner_app.components.dialogs import form_dialog
from planner_app.components.feedback import confirm_delete, empty_state, error_callout, loading_indicator
from planner_app.components.filters import filter_field
from planner_app.components.forms import form_actions, select_field, text_field
from planner_app.components.lists import list_card, muted, responsive_list
from planner_app.components.typeahead import person_typeahead
from planner_app.components.virtual_list import virtual_list
from planner_app.states.audit import AuditState
from planner_app.states.auth import AuthState
from planner_app.states.users import PERSON_BOX, ROLE_OPTIONS
from planner_app.states.users import UsersState as S
from planner_app.template import template


def forbidden() -> rx.Component:
    return rx.vstack(
        rx.icon("lock", size=36, color=styles.MUTED_TEXT),
        rx.heading("Only admins can open Settings", size="5", as_="h2"),
        rx.text(
            "Your role is ",
            rx.text.span(AuthState.user.role, weight="bold"),
            ". Ask an admin if you need a change made here.",
            color=styles.MUTED_TEXT,
        ),
        rx.link("Back to the dashboard", href="/"),
        align="center",
        spacing="3",
        padding="3rem 1rem",
        width="100%",
        text_align="center",
        role="alert",
    )


def role_select(u: rx.Var) -> rx.Component:
    row_error = S.row_errors.get(u.id.to(str), "")
    return rx.vstack(
        rx.el.select(
            *[rx.el.option(text, value=value) for value, text in ROLE_OPTIONS],
            value=u.role,
            aria_label=f"Role of {u.username}",
            on_change=lambda role: S.change_role(u.id, role),
            style={**styles.NATIVE_SELECT, "min_height": styles.TAP_TARGET, "min_width": "7rem"},
        ),
        rx.cond(row_error != "", rx.text(row_error, size="1", color="var(--red-11)", role="alert", max_width="20rem")),
        spacing="1",
    )


def active_switch(u: rx.Var) -> rx.Component:
    return rx.el.label(
        rx.switch(
            checked=u.is_active, on_change=lambda _checked: S.toggle_active(u.id), aria_label=f"Active: {u.username}"
        ),
        rx.text(rx.cond(u.is_active, "Active", "Disabled"), size="2"),
        display="flex",
        gap="0.5rem",
        align_items="center",
        min_height=styles.TAP_TARGET,
        cursor="pointer",
    )


def row_actions(u: rx.Var) -> rx.Component:
    return rx.hstack(
        rx.icon_button(
            rx.icon("key_round", size=16),
            variant="ghost",
            aria_label=f"Set password of {u.username}",
            title="Set password",
            on_click=S.open_password(u.id, u.username),
            min_width=styles.TAP_TARGET,
            min_height=styles.TAP_TARGET,
        ),
        rx.icon_button(
            rx.icon("trash_2", size=16),
            variant="ghost",
            color_scheme="red",
            aria_label=f"Delete {u.username}",
            title="Delete",
            on_click=S.ask_delete(u.id, u.username),
            min_width=styles.TAP_TARGET,
            min_height=styles.TAP_TARGET,
        ),
        spacing="2",
    )


def who(u: rx.Var) -> rx.Component:
    return rx.vstack(rx.text(u.username, weight="medium"), muted(u.email), spacing="0")


def users_card() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.heading("Users", size="4", as_="h2"),
                rx.spacer(),
                rx.button(
                    rx.icon("user_plus", size=16), "Add user", on_click=S.open_create, min_height=styles.TAP_TARGET
                ),
                align="center",
                width="100%",
            ),
            filter_field(
                S,
                "search",
                "Search users",
                id="user-search",
                type="search",
                placeholder="Username or email",
                width="100%",
                max_width="24rem",
            ),
            loading_indicator(S.loading),
            rx.cond(
                S.count > 0,
                virtual_list(
                    S,
                    S.users,
                    [
                        ("User", who),
                        ("Role", role_select),
                        ("Active", active_switch),
                        ("", row_actions),
                    ],
                    lambda u: list_card(
                        rx.hstack(who(u), rx.spacer(), row_actions(u), width="100%", align="start"),
                        rx.hstack(role_select(u), active_switch(u), spacing="4", wrap="wrap", align="start"),
                    ),
                    label="Users",
                    list_id="users",
                    grid_columns="minmax(10rem, 2fr) minmax(8rem, 1.5fr) minmax(7rem, 1fr) 6.5rem",
                    row_estimate=66,
                    card_estimate=132,
                ),
                rx.cond(~S.loading, empty_state("No users match", "Try another part of the username or email.")),
            ),
            spacing="3",
            width="100%",
        ),
        width="100%",
    )


def audit_card() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.heading("Recent admin actions", size="4", as_="h2"),
            error_callout(AuditState.error),
            rx.cond(
                AuditState.audit.length() > 0,
                responsive_list(
                    AuditState.audit,
                    [
                        ("Who", lambda a: rx.text(a.who, weight="medium")),
                        ("What", lambda a: rx.text(a.what, size="2")),
                        ("Whom", lambda a: rx.text(a.whom, size="2")),
                        ("When", lambda a: rx.text(a.when, size="2")),
                    ],
                    lambda a: list_card(rx.text(f"{a.who}: {a.what}", weight="medium"), muted(f"{a.whom} · {a.when}")),
                    label="Recent admin actions",
                ),
                muted("No admin actions yet."),
            ),
            spacing="3",
            width="100%",
        ),
        width="100%",
    )


def dialogs() -> rx.Component:
    return rx.fragment(
        form_dialog(
            "Add user",
            rx.vstack(
                text_field(
                    "Username", "username", form="new-user", errors=S.field_errors, required=True, auto_complete="off"
                ),
                # The API is the one validator of addresses (the browser's type=email refuses valid ones).
                text_field(
                    "Email",
                    "email",
                    form="new-user",
                    errors=S.field_errors,
                    input_mode="email",
                    auto_capitalize="none",
                    spell_check=False,
                ),
                text_field(
                    "Password",
                    "password",
                    form="new-user",
                    errors=S.field_errors,
                    type="password",
                    required=True,
                    auto_complete="new-password",
                ),
                select_field("Role", "role", ROLE_OPTIONS, form="new-user", value="user", errors=S.field_errors),
                person_typeahead("Person", "person_id", box=PERSON_BOX, errors=S.field_errors),
                muted("Optional: the person this account belongs to."),
                form_actions(S.saving, S.set_create_open(False)),
                spacing="3",
                width="100%",
            ),
            open_=S.create_open,
            on_open_change=S.set_create_open,
            on_submit=S.create_user,
            error=S.error,
            form_id="new-user",
        ),
        form_dialog(
            f"Set password: {S.password_username}",
            rx.vstack(
                text_field(
                    "New password",
                    "password",
                    form="set-password",
                    errors=S.field_errors,
                    type="password",
                    required=True,
                    auto_complete="new-password",
                ),
                muted("They are signed out everywhere and sign in again with the new password."),
                form_actions(S.saving, S.password_open_change(False)),
                spacing="3",
                width="100%",
            ),
            open_=S.password_id != 0,
            on_open_change=S.password_open_change,
            on_submit=S.set_password,
            error=S.error,
            form_id="set-password",
        ),
        confirm_delete(
            S.delete_id != 0,
            "Delete this user?",
            f"The account {S.delete_label} will be removed. Their person record stays.",
            S.confirm_delete,
            S.cancel_delete,
        ),
    )


def admin_settings() -> rx.Component:
    return rx.vstack(
        error_callout(S.error),
        users_card(),
        audit_card(),
        dialogs(),
        spacing="4",
        width="100%",
    )


@template(route="/settings", title="Settings", on_load=S.load)
def settings() -> rx.Component:
    return rx.cond(AuthState.is_admin, admin_settings(), forbidden())
