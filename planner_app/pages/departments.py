"""/departments: list, create/edit in a dialog, confirmed delete."""

import reflex as rx

from planner_app.components.dialogs import form_dialog
from planner_app.components.feedback import confirm_delete, empty_state, error_callout, loading_indicator
from planner_app.components.forms import form_actions, select_field, text_area, text_field
from planner_app.components.headers import add_button
from planner_app.components.lists import list_card, muted, pager, responsive_list
from planner_app.components.typeahead import person_typeahead
from planner_app.states.auth import AuthState
from planner_app.states.departments import DEPARTMENT_FIELDS as F
from planner_app.states.departments import MANAGER_BOX
from planner_app.states.departments import DepartmentsState as S
from planner_app.template import template


def row_actions(d: rx.Var) -> rx.Component:
    return rx.cond(
        AuthState.can_edit,
        rx.hstack(
            rx.icon_button(
                rx.icon("pencil", size=16), variant="ghost", aria_label=f"Edit {d.name}", on_click=S.open_edit(d.id)
            ),
            rx.icon_button(
                rx.icon("trash_2", size=16),
                variant="ghost",
                color_scheme="red",
                aria_label=f"Delete {d.name}",
                on_click=S.ask_delete(d.id, d.name),
            ),
            spacing="2",
        ),
    )


def parent_name(d: rx.Var) -> rx.Var:
    return S.parent_names.get(d.parent_id.to(str), "—")


def manager_name(d: rx.Var) -> rx.Var:
    return S.manager_names.get(d.manager_id.to(str), "—")


@template(route="/departments", title="Departments", on_load=S.load)
def departments() -> rx.Component:
    form = "department"
    return rx.vstack(
        rx.hstack(
            loading_indicator(S.loading),
            rx.spacer(),
            add_button("Add department", S.open_create),
            width="100%",
        ),
        error_callout(S.error),
        rx.cond(
            S.departments.length() > 0,
            responsive_list(
                S.departments,
                [
                    ("Name", lambda d: rx.text(d.name, weight="medium")),
                    ("Part of", parent_name),
                    ("Manager", manager_name),
                    ("Description", lambda d: rx.text(d.description, size="2")),
                    ("", row_actions),
                ],
                lambda d: list_card(
                    rx.hstack(rx.text(d.name, weight="medium"), row_actions(d), justify="between", width="100%"),
                    muted(d.description),
                ),
                label="Departments",
            ),
            rx.cond(
                ~S.loading,
                empty_state(
                    "No departments yet",
                    "Add a department to group people.",
                    rx.cond(AuthState.can_edit, rx.button("Add department", on_click=S.open_create)),
                ),
            ),
        ),
        pager(S),
        form_dialog(
            rx.cond(S.editing_id == 0, "Add department", "Edit department"),
            rx.vstack(
                text_field(F["name"], "name", form=form, value=S.draft.name, errors=S.field_errors, required=True),
                select_field(
                    F["parent_id"],
                    "parent_id",
                    S.parent_options,
                    form=form,
                    value=S.draft.parent_id,
                    errors=S.field_errors,
                    placeholder="Top level",
                ),
                person_typeahead(F["manager_id"], "manager_id", box=MANAGER_BOX, errors=S.field_errors),
                text_area(F["description"], "description", form=form, value=S.draft.description),
                form_actions(S.saving, S.set_dialog_open(False)),
                spacing="3",
                width="100%",
            ),
            open_=S.dialog_open,
            on_open_change=S.set_dialog_open,
            on_submit=S.save,
            error=S.error,
            form_id=form,
            conflict=S,
        ),
        confirm_delete(
            S.delete_id != 0,
            "Delete this department?",
            f"{S.delete_label} will be removed. People in it keep their records.",
            S.confirm_delete,
            S.cancel_delete,
        ),
        spacing="4",
        width="100%",
    )
