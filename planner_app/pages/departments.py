"""/departments: list, create/edit in a dialog, confirmed delete."""

import reflex as rx

from planner_app.components.crud import crud_page, edit_delete_buttons
from planner_app.components.forms import form_actions, select_field, text_area, text_field
from planner_app.components.lists import list_card, muted
from planner_app.components.typeahead import person_typeahead
from planner_app.states.departments import DEPARTMENT_FIELDS as F
from planner_app.states.departments import MANAGER_BOX
from planner_app.states.departments import DepartmentsState as S
from planner_app.template import template


def row_actions(d: rx.Var) -> rx.Component:
    return edit_delete_buttons(S, d.id, d.name, d.name)


def parent_name(d: rx.Var) -> rx.Var:
    return S.parent_names.get(d.parent_id.to(str), "—")


def manager_name(d: rx.Var) -> rx.Var:
    return S.manager_names.get(d.manager_id.to(str), "—")


@template(route="/departments", title="Departments", on_load=S.load)
def departments() -> rx.Component:
    form = "department"
    return crud_page(
        S,
        rows=S.departments,
        columns=[
            ("Name", lambda d: rx.text(d.name, weight="medium")),
            ("Part of", parent_name),
            ("Manager", manager_name),
            ("Description", lambda d: rx.text(d.description, size="2")),
            ("", row_actions),
        ],
        card=lambda d: list_card(
            rx.hstack(rx.text(d.name, weight="medium"), row_actions(d), justify="between", width="100%"),
            muted(d.description),
        ),
        noun="department",
        plural="Departments",
        empty=("No departments yet", "Add a department to group people."),
        form_id=form,
        fields=rx.vstack(
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
        delete_text=f"{S.delete_label} will be removed. People in it keep their records.",
    )
