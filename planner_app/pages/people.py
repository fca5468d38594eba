"""/people (list, filters, create) and /people/[id] (details, assignments, weekly load, edit, delete)."""

import reflex as rx

from planner_app.components.dialogs import form_dialog
from planner_app.components.feedback import confirm_delete, empty_state, error_callout, loading_indicator
from planner_app.components.filters import filter_field
from planner_app.components.forms import checkbox_field, form_actions, select_field, text_area, text_field
from planner_app.components.headers import add_button, detail_header, detail_row
from planner_app.components.history import history_card
from planner_app.components.lists import list_card, muted
from planner_app.components.virtual_list import virtual_list
from planner_app.planning import GRID_WEEKS
from planner_app.states.auth import AuthState
from planner_app.states.people import PERSON_FIELDS as F
from planner_app.states.people import PeopleState, PersonState
from planner_app.template import template


def person_fields(
    form: str, draft: rx.Var, errors: rx.Var, departments: rx.Var, on_cancel: rx.EventHandler, saving: rx.Var
) -> rx.Component:
    """The person form; labels are the ones people and tests look for."""
    return rx.vstack(
        text_field(F["name"], "name", form=form, value=draft.name, errors=errors, required=True),
        rx.grid(
            # Not type=email: the browser's own check refuses internationalised addresses the API
            # accepts, silently; the API is the one validator and says why under the field.
            text_field(
                F["email"],
                "email",
                form=form,
                value=draft.email,
                errors=errors,
                input_mode="email",
                auto_complete="off",
                auto_capitalize="none",
                spell_check=False,
            ),
            text_field(F["job_title"], "job_title", form=form, value=draft.job_title, errors=errors),
            select_field(
                F["department_id"],
                "department_id",
                departments,
                form=form,
                value=draft.department_id,
                errors=errors,
                placeholder="No department",
            ),
            text_field(
                F["weekly_capacity"],
                "weekly_capacity",
                form=form,
                value=draft.weekly_capacity,
                errors=errors,
                input_mode="decimal",
            ),
            text_field(F["phone"], "phone", form=form, value=draft.phone, errors=errors, type="tel"),
            text_field(F["location"], "location", form=form, value=draft.location, errors=errors),
            text_field(F["hire_date"], "hire_date", form=form, value=draft.hire_date, errors=errors, type="date"),
            text_field(
                f"{F['skills']} (comma separated)", "skills", form=form, value=draft.skills.join(", "), errors=errors
            ),
            columns=rx.breakpoints(initial="1", sm="2"),
            spacing="3",
            width="100%",
        ),
        text_area(F["notes"], "notes", form=form, value=draft.notes),
        checkbox_field(F["is_active"], "is_active", form=form, checked=draft.is_active),
        form_actions(saving, on_cancel),
        spacing="3",
        width="100%",
    )


def people_filters() -> rx.Component:
    S = PeopleState
    return rx.flex(
        filter_field(
            S, "search", "Search", id="people-search", type="search", placeholder="Name or email", flex="2 1 12rem"
        ),
        filter_field(
            S,
            "department_id",
            "Department",
            id="people-department",
            options=S.department_options,
            all_label="All departments",
            flex="1 1 10rem",
        ),
        filter_field(S, "skill", "Skill", id="people-skill", placeholder="e.g. revit", flex="1 1 8rem"),
        filter_field(
            S,
            "active",
            "Status",
            id="people-active",
            options=[("true", "Active"), ("false", "Inactive"), ("", "Everyone")],
            flex="1 1 7rem",
        ),
        gap="0.75rem",
        wrap="wrap",
        align="end",
        width="100%",
    )


def active_badge(p: rx.Var) -> rx.Component:
    return rx.cond(
        p.is_active,
        rx.badge("Active", color_scheme="green", variant="soft"),
        rx.badge("Inactive", color_scheme="gray", variant="soft"),
    )


def page_header(*actions: rx.Component) -> rx.Component:
    return rx.hstack(*actions, justify="end", width="100%", wrap="wrap", spacing="2")


@template(route="/people", title="People", on_load=PeopleState.load)
def people() -> rx.Component:
    return rx.vstack(
        page_header(
            loading_indicator(PeopleState.loading),
            rx.spacer(),
            add_button("Add person", PeopleState.open_create),
        ),
        people_filters(),
        error_callout(PeopleState.error),
        rx.cond(
            PeopleState.count > 0,
            virtual_list(
                PeopleState,
                PeopleState.people,
                [
                    ("Name", lambda p: rx.link(p.name, href=f"/people/{p.id}", weight="medium")),
                    ("Job title", lambda p: p.job_title),
                    ("Department", lambda p: p.department_name),
                    ("Capacity", lambda p: rx.text(p.weekly_capacity, " h")),
                    ("Skills", lambda p: rx.text(p.skills.join(", "), size="2")),
                    ("Status", active_badge),
                ],
                lambda p: list_card(
                    rx.hstack(
                        rx.link(p.name, href=f"/people/{p.id}", weight="medium"),
                        active_badge(p),
                        justify="between",
                        width="100%",
                    ),
                    muted(p.job_title),
                    muted(
                        rx.cond(
                            p.department_name,
                            rx.text.span(p.department_name, " · ", p.weekly_capacity, " h/week"),
                            rx.text.span(p.weekly_capacity, " h/week"),
                        )
                    ),
                ),
                label="People",
                list_id="people",
                grid_columns=(
                    "minmax(9rem, 2fr) minmax(7rem, 1.5fr) minmax(7rem, 1.5fr) 5.5rem minmax(8rem, 2fr) 6.5rem"
                ),
            ),
            rx.cond(
                ~PeopleState.loading,
                rx.cond(
                    PeopleState.filtered,
                    empty_state(
                        "No people match these filters",
                        "Try fewer filters.",
                        rx.button("Clear filters", variant="soft", on_click=PeopleState.clear_filters),
                    ),
                    empty_state(
                        "No people yet",
                        "Add the first person to start planning.",
                        rx.cond(AuthState.can_edit, rx.button("Add person", on_click=PeopleState.open_create)),
                    ),
                ),
            ),
        ),
        form_dialog(
            "Add person",
            person_fields(
                "person-new",
                PeopleState.draft,
                PeopleState.field_errors,
                PeopleState.department_options,
                PeopleState.set_dialog_open(False),
                PeopleState.saving,
            ),
            open_=PeopleState.dialog_open,
            on_open_change=PeopleState.set_dialog_open,
            on_submit=PeopleState.save,
            error=PeopleState.error,
            form_id="person-new",
        ),
        spacing="4",
        width="100%",
    )


@template(route="/people/[id]", title="Person", on_load=PersonState.load)
def person_detail() -> rx.Component:
    p = PersonState.person
    return rx.vstack(
        detail_header(PersonState, p.id, "All people", "/people"),
        error_callout(PersonState.error),
        rx.cond(
            p.id != 0,
            rx.vstack(
                rx.card(
                    rx.vstack(
                        rx.hstack(rx.heading(p.name, size="6", as_="h2"), active_badge(p), align="center", wrap="wrap"),
                        rx.data_list.root(
                            detail_row("Job title", p.job_title),
                            detail_row("Department", p.department_name),
                            detail_row("Email", p.email),
                            detail_row("Phone", p.phone),
                            detail_row("Location", p.location),
                            detail_row("Weekly capacity", rx.text(p.weekly_capacity, " h")),
                            detail_row("Skills", PersonState.skills_text),
                            detail_row("Hire date", PersonState.hire_date_text),
                            orientation=rx.breakpoints(initial="vertical", sm="horizontal"),
                        ),
                        spacing="3",
                    ),
                    width="100%",
                ),
                rx.card(
                    rx.heading("Utilisation per week", size="4", as_="h2"),
                    rx.grid(
                        rx.foreach(
                            PersonState.weekly_load,
                            lambda w: rx.vstack(
                                muted(w.week),
                                rx.badge(w.percent, color_scheme=w.color, variant="soft", size="2"),
                                rx.text(w.hours, " h", size="1"),
                                spacing="1",
                                align="center",
                            ),
                        ),
                        columns=rx.breakpoints(initial="4", sm="6", lg="12"),
                        spacing="3",
                        margin_top="0.75rem",
                    ),
                    width="100%",
                ),
                rx.card(
                    rx.heading("Assignments", size="4", as_="h2"),
                    rx.cond(
                        PersonState.assignment_rows.length() > 0,
                        rx.vstack(
                            rx.foreach(
                                PersonState.assignment_rows,
                                lambda a: rx.hstack(
                                    rx.vstack(
                                        rx.link(a.project, href=f"/projects/{a.project_id}"), muted(a.role), spacing="0"
                                    ),
                                    muted(f"{a.total} h in the next {GRID_WEEKS} weeks"),
                                    justify="between",
                                    width="100%",
                                    wrap="wrap",
                                ),
                            ),
                            spacing="2",
                            margin_top="0.5rem",
                        ),
                        rx.box(
                            empty_state(
                                "No assignments",
                                "Plan this person's weeks on the Assignments page.",
                                rx.link("Open assignments", href="/assignments"),
                            ),
                            margin_top="0.5rem",
                        ),
                    ),
                    width="100%",
                ),
                history_card(PersonState),
                spacing="4",
                width="100%",
            ),
        ),
        form_dialog(
            "Edit person",
            person_fields(
                "person-edit",
                PersonState.person,
                PersonState.field_errors,
                PersonState.department_options,
                PersonState.set_dialog_open(False),
                PersonState.saving,
            ),
            open_=PersonState.dialog_open,
            on_open_change=PersonState.set_dialog_open,
            on_submit=PersonState.save,
            error=PersonState.error,
            form_id="person-edit",
            conflict=PersonState,
        ),
        confirm_delete(
            PersonState.confirm_open,
            "Delete this person?",
            f"{p.name} and their assignments and time off will be removed. This cannot be undone.",
            PersonState.delete,
            PersonState.set_confirm_open(False),
        ),
        spacing="4",
        width="100%",
    )
