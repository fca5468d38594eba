"""/timeoff: list, create/edit in a dialog, confirmed delete."""

import reflex as rx

from planner_app import styles
from planner_app.components.dialogs import form_dialog
from planner_app.components.feedback import confirm_delete, empty_state, error_callout, loading_indicator
from planner_app.components.forms import form_actions, select_field, text_area, text_field
from planner_app.components.headers import add_button
from planner_app.components.lists import list_card, muted, pager, responsive_list
from planner_app.components.typeahead import person_typeahead
from planner_app.states.auth import AuthState
from planner_app.states.timeoff import KIND_OPTIONS, PERSON_BOX
from planner_app.states.timeoff import TIME_OFF_FIELDS as F
from planner_app.states.timeoff import TimeOffState as S
from planner_app.template import template


def kind_badge(t: rx.Var) -> rx.Component:
    return rx.badge(t.kind, color_scheme=styles.TIMEOFF_COLOR, variant="soft")


def period(t: rx.Var) -> rx.Component:
    return rx.text(t.dates, size="2")


def row_actions(t: rx.Var) -> rx.Component:
    return rx.cond(
        AuthState.can_edit,
        rx.hstack(
            rx.icon_button(
                rx.icon("pencil", size=16),
                variant="ghost",
                aria_label=f"Edit time off of {t.person_name}",
                on_click=S.open_edit(t.id),
            ),
            rx.icon_button(
                rx.icon("trash_2", size=16),
                variant="ghost",
                color_scheme="red",
                aria_label=f"Delete time off of {t.person_name}",
                on_click=S.ask_delete(t.id, t.person_name),
            ),
            spacing="2",
        ),
    )


@template(route="/timeoff", title="Time off", on_load=S.load)
def timeoff() -> rx.Component:
    form = "timeoff"
    return rx.vstack(
        rx.hstack(
            loading_indicator(S.loading),
            rx.spacer(),
            add_button("Add time off", S.open_create),
            width="100%",
        ),
        error_callout(S.error),
        rx.cond(
            S.rows.length() > 0,
            responsive_list(
                S.rows,
                [
                    ("Person", lambda t: rx.link(t.person_name, href=f"/people/{t.person_id}", weight="medium")),
                    ("Dates", period),
                    ("Kind", kind_badge),
                    ("Notes", lambda t: rx.text(t.notes, size="2")),
                    ("", row_actions),
                ],
                lambda t: list_card(
                    rx.hstack(
                        rx.link(t.person_name, href=f"/people/{t.person_id}", weight="medium"),
                        kind_badge(t),
                        justify="between",
                        width="100%",
                    ),
                    rx.hstack(period(t), rx.spacer(), row_actions(t), width="100%", align="center"),
                    muted(t.notes),
                ),
                label="Time off",
            ),
            rx.cond(
                ~S.loading,
                empty_state(
                    "No time off planned",
                    "Record holidays and leave so plans stay realistic.",
                    rx.cond(AuthState.can_edit, rx.button("Add time off", on_click=S.open_create)),
                ),
            ),
        ),
        pager(S),
        form_dialog(
            rx.cond(S.editing_id == 0, "Add time off", "Edit time off"),
            rx.vstack(
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
            open_=S.dialog_open,
            on_open_change=S.set_dialog_open,
            on_submit=S.save,
            error=S.error,
            form_id=form,
            conflict=S,
        ),
        confirm_delete(
            S.delete_id != 0,
            "Delete this time off?",
            f"The time off of {S.delete_label} will be removed.",
            S.confirm_delete,
            S.cancel_delete,
        ),
        spacing="4",
        width="100%",
    )
