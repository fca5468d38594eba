"""/timeoff: list, create/edit in a dialog, confirmed delete."""

import reflex as rx

from planner_app import styles
from planner_app.components.crud import crud_page, edit_delete_buttons
from planner_app.components.forms import form_actions, select_field, text_area, text_field
from planner_app.components.lists import list_card, muted
from planner_app.components.typeahead import person_typeahead
from planner_app.states.timeoff import KIND_OPTIONS, PERSON_BOX
from planner_app.states.timeoff import TIME_OFF_FIELDS as F
from planner_app.states.timeoff import TimeOffState as S
from planner_app.template import template


def kind_badge(t: rx.Var) -> rx.Component:
    return rx.badge(t.kind, color_scheme=styles.TIMEOFF_COLOR, variant="soft")


def period(t: rx.Var) -> rx.Component:
    return rx.text(t.dates, size="2")


def row_actions(t: rx.Var) -> rx.Component:
    return edit_delete_buttons(S, t.id, f"time off of {t.person_name}", t.person_name)


@template(route="/timeoff", title="Time off", on_load=S.load)
def timeoff() -> rx.Component:
    form = "timeoff"
    return crud_page(
        S,
        rows=S.rows,
        columns=[
            ("Person", lambda t: rx.link(t.person_name, href=f"/people/{t.person_id}", weight="medium")),
            ("Dates", period),
            ("Kind", kind_badge),
            ("Notes", lambda t: rx.text(t.notes, size="2")),
            ("", row_actions),
        ],
        card=lambda t: list_card(
            rx.hstack(
                rx.link(t.person_name, href=f"/people/{t.person_id}", weight="medium"),
                kind_badge(t),
                justify="between",
                width="100%",
            ),
            rx.hstack(period(t), rx.spacer(), row_actions(t), width="100%", align="center"),
            muted(t.notes),
        ),
        noun="time off",
        plural="Time off",
        empty=("No time off planned", "Record holidays and leave so plans stay realistic."),
        form_id=form,
        fields=rx.vstack(
            person_typeahead(F["person_id"], "person_id", box=PERSON_BOX, errors=S.field_errors),
            rx.grid(
                text_field(
                    F["start_date"],
                    "start_date",
                    form=form,
                    value=S.draft.start_date,
                    errors=S.field_errors,
                    type="date",
                    required=True,
                ),
                text_field(
                    F["end_date"],
                    "end_date",
                    form=form,
                    value=S.draft.end_date,
                    errors=S.field_errors,
                    type="date",
                    required=True,
                ),
                columns="2",
                spacing="3",
                width="100%",
            ),
            select_field(F["kind"], "kind", KIND_OPTIONS, form=form, value=S.draft.kind, errors=S.field_errors),
            text_area(F["notes"], "notes", form=form, value=S.draft.notes),
            form_actions(S.saving, S.set_dialog_open(False)),
            spacing="3",
            width="100%",
        ),
        delete_text=f"The time off of {S.delete_label} will be removed.",
    )
