"""A list whose items are created and edited in a dialog and deleted after a confirmation (a
page state with states/page.py EditableListMixin): its rows' Edit/Delete buttons, and the whole
page of a plain paged one (/departments, /timeoff)."""

from typing import Any

import reflex as rx

from planner_app.components.dialogs import form_dialog
from planner_app.components.feedback import confirm_delete, empty_state, error_callout, loading_indicator
from planner_app.components.headers import add_button
from planner_app.components.lists import pager, responsive_list
from planner_app.states.auth import AuthState


def edit_delete_buttons(state: Any, item_id: rx.Var, what: rx.Var | str, delete_label: rx.Var) -> rx.Component:
    """Edit and Delete of one row, for roles that may edit. `what` names the item to a screen
    reader ("Edit {what}"); `delete_label` names it in the confirmation."""
    return rx.cond(
        AuthState.can_edit,
        rx.hstack(
            rx.icon_button(
                rx.icon("pencil", size=16),
                variant="ghost",
                aria_label=f"Edit {what}",
                on_click=state.open_edit(item_id),
            ),
            rx.icon_button(
                rx.icon("trash_2", size=16),
                variant="ghost",
                color_scheme="red",
                aria_label=f"Delete {what}",
                on_click=state.ask_delete(item_id, delete_label),
            ),
            spacing="2",
        ),
    )


def crud_page(
    state: Any,
    *,
    rows: rx.Var,
    columns: list[tuple[str, Any]],
    card: Any,
    noun: str,
    plural: str,
    empty: tuple[str, str],
    form_id: str,
    fields: rx.Component,
    delete_text: rx.Var | str,
) -> rx.Component:
    """Add {noun}, the rows (a table, cards on a phone; see components/lists.py), a pager, the
    create/edit dialog holding `fields`, and the delete confirmation saying `delete_text`."""
    empty_title, empty_hint = empty
    return rx.vstack(
        rx.hstack(
            loading_indicator(state.loading),
            rx.spacer(),
            add_button(f"Add {noun}", state.open_create),
            width="100%",
        ),
        error_callout(state.error),
        rx.cond(
            rows.length() > 0,
            responsive_list(rows, columns, card, label=plural),
            rx.cond(
                ~state.loading,
                empty_state(
                    empty_title,
                    empty_hint,
                    rx.cond(AuthState.can_edit, rx.button(f"Add {noun}", on_click=state.open_create)),
                ),
            ),
        ),
        pager(state),
        form_dialog(
            rx.cond(state.editing_id == 0, f"Add {noun}", f"Edit {noun}"),
            fields,
            open_=state.dialog_open,
            on_open_change=state.set_dialog_open,
            on_submit=state.save,
            error=state.error,
            form_id=form_id,
            conflict=state,
        ),
        confirm_delete(
            state.delete_id != 0,
            f"Delete this {noun}?",
            delete_text,
            state.confirm_delete,
            state.cancel_delete,
        ),
        spacing="4",
        width="100%",
    )
