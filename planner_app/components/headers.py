"""The top row of list and detail pages, and a detail page's label/value lines.

Edit controls only appear to roles that may edit (the API would answer 403 anyway)."""

import reflex as rx

from planner_app.components.conflict import deleted_notice
from planner_app.components.feedback import loading_indicator
from planner_app.components.presence import presence_list
from planner_app.states.auth import AuthState


def add_button(label: str, on_click) -> rx.Component:
    """ "Add …" for managers and admins."""
    return rx.cond(AuthState.can_edit, rx.button(rx.icon("plus", size=16), label, on_click=on_click))


def detail_header(state, item_id: rx.Var, back_label: str, back_href: str) -> rx.Component:
    """Back to the list, loading, and Edit / Delete (once the item is loaded) for a page state
    with DetailPageMixin; below it, who else has the item open, and who deleted it meanwhile, if
    someone did."""
    bar = rx.hstack(
        rx.link(rx.hstack(rx.icon("arrow_left", size=16), back_label, align="center"), href=back_href),
        loading_indicator(state.loading),
        rx.spacer(),
        rx.cond(
            AuthState.can_edit & (item_id != 0) & (state.deleted_text == ""),
            rx.hstack(
                rx.button(rx.icon("pencil", size=16), "Edit", variant="soft", on_click=state.set_dialog_open(True)),
                rx.button(
                    rx.icon("trash_2", size=16),
                    "Delete",
                    color_scheme="red",
                    variant="soft",
                    on_click=state.set_confirm_open(True),
                ),
                spacing="2",
            ),
        ),
        width="100%",
        align="center",
        wrap="wrap",
    )
    return rx.fragment(bar, presence_list(state), deleted_notice(state))


def detail_row(label: str, value) -> rx.Component:
    return rx.data_list.item(rx.data_list.label(label), rx.data_list.value(value))
