"""/projects (list, status filter, create/edit, delete) and /projects/[id] (details, deliverables, team)."""

import reflex as rx

from planner_app import styles
from planner_app.components.conflict import conflict_banner
from planner_app.components.crud import edit_delete_buttons
from planner_app.components.dialogs import form_dialog
from planner_app.components.feedback import confirm_delete, empty_state, error_callout, loading_indicator
from planner_app.components.filters import filter_field
from planner_app.components.forms import form_actions, select_field, text_area, text_field
from planner_app.components.headers import add_button, detail_header, detail_row
from planner_app.components.history import history_card
from planner_app.components.lists import list_card, muted
from planner_app.components.url_sheet import sheet_link, url_sheet
from planner_app.components.virtual_list import virtual_list
from planner_app.planning import GRID_WEEKS
from planner_app.states.auth import AuthState
from planner_app.states.projects import PROJECT_FIELDS as F
from planner_app.states.projects import (
    STATUS_LABELS,
    STATUS_OPTIONS,
    DeliverablesState,
    ProjectPreviewState,
    ProjectsState,
    ProjectState,
)
from planner_app.template import template


def status_badge(status: rx.Var) -> rx.Component:
    return rx.match(
        status,
        *[
            (key, rx.badge(label, color_scheme=styles.STATUS_COLORS[key], variant="soft"))
            for key, label in STATUS_LABELS.items()
        ],
        rx.badge(status, variant="soft"),
    )


def project_fields(
    form: str, draft: rx.Var, errors: rx.Var, saving: rx.Var, on_cancel: rx.EventHandler
) -> rx.Component:
    return rx.vstack(
        text_field(F["name"], "name", form=form, value=draft.name, errors=errors, required=True),
        rx.grid(
            text_field(F["client"], "client", form=form, value=draft.client, errors=errors),
            select_field(F["status"], "status", STATUS_OPTIONS, form=form, value=draft.status, errors=errors),
            text_field(F["project_number"], "project_number", form=form, value=draft.project_number, errors=errors),
            text_field(
                F["estimated_hours"],
                "estimated_hours",
                form=form,
                value=draft.estimated_hours,
                errors=errors,
                input_mode="decimal",
            ),
            text_field(F["start_date"], "start_date", form=form, value=draft.start_date, errors=errors, type="date"),
            text_field(F["end_date"], "end_date", form=form, value=draft.end_date, errors=errors, type="date"),
            columns=rx.breakpoints(initial="1", sm="2"),
            spacing="3",
            width="100%",
        ),
        text_area(F["description"], "description", form=form, value=draft.description),
        form_actions(saving, on_cancel),
        spacing="3",
        width="100%",
    )


def dates(p: rx.Var) -> rx.Component:
    return rx.text(p.dates, size="2")


def row_actions(p: rx.Var) -> rx.Component:
    return rx.hstack(
        # The sheet over the list (its own URL: Back closes it); the name links to the full page.
        sheet_link(SHEET_PREFIX, p.id, "Details", aria_label=f"View details of {p.name}"),
        edit_delete_buttons(ProjectsState, p.id, p.name, p.name),
        spacing="3",
        align="center",
    )


SHEET_PREFIX = "project-"


def project_facts(p: rx.Var, dates_text: rx.Var, orientation) -> rx.Component:
    """A project's label/value lines, on its page and in its sheet."""
    return rx.data_list.root(
        detail_row("Client", p.client),
        detail_row("Number", p.project_number),
        detail_row("Dates", dates_text),
        detail_row("Estimated hours", p.estimated_hours),
        detail_row("Description", p.description),
        orientation=orientation,
    )


def project_sheet() -> rx.Component:
    """A project's essentials over the list; the full page has its deliverables and team."""
    P = ProjectPreviewState
    p = P.preview
    return url_sheet(
        SHEET_PREFIX,
        title=rx.cond(p.id != 0, p.name, "Project"),
        open_=P.preview_open,
        on_open_item=P.open_preview,
        on_close=P.preview_closed,
        on_open_change=P.close_preview,
        body=rx.vstack(
            loading_indicator(P.loading),
            error_callout(P.error),
            rx.cond(
                p.id != 0,
                rx.vstack(
                    status_badge(p.status),
                    project_facts(p, P.preview_dates, orientation="vertical"),
                    rx.link(
                        rx.hstack(rx.text("Open the project page"), rx.icon("arrow_right", size=16), align="center"),
                        href=f"/projects/{p.id}",
                    ),
                    spacing="3",
                    width="100%",
                ),
            ),
            spacing="3",
            width="100%",
            margin_top="0.75rem",
        ),
    )


@template(route="/projects", title="Projects", on_load=ProjectsState.load)
def projects() -> rx.Component:
    S = ProjectsState
    return rx.vstack(
        rx.flex(
            filter_field(
                S,
                "search",
                "Search",
                id="projects-search",
                type="search",
                placeholder="Name, client or number",
                flex="2 1 12rem",
            ),
            filter_field(
                S,
                "status",
                "Status filter",
                id="projects-status",
                options=list(STATUS_OPTIONS),
                all_label="All statuses",
                flex="1 1 10rem",
            ),
            loading_indicator(S.loading),
            rx.spacer(),
            add_button("Add project", S.open_create),
            gap="0.75rem",
            wrap="wrap",
            align="end",
            width="100%",
        ),
        error_callout(S.error),
        rx.cond(
            S.count > 0,
            virtual_list(
                S,
                S.rows,
                [
                    ("Name", lambda p: rx.link(p.name, href=f"/projects/{p.id}", weight="medium")),
                    ("Number", lambda p: p.project_number),
                    ("Client", lambda p: p.client),
                    ("Status", lambda p: status_badge(p.status)),
                    ("Dates", dates),
                    ("", row_actions),
                ],
                lambda p: list_card(
                    rx.hstack(
                        rx.link(p.name, href=f"/projects/{p.id}", weight="medium"),
                        status_badge(p.status),
                        justify="between",
                        width="100%",
                    ),
                    muted(rx.text.span(p.client, " · ", p.project_number)),
                    rx.hstack(dates(p), rx.spacer(), row_actions(p), width="100%", align="center"),
                ),
                label="Projects",
                list_id="projects",
                grid_columns="minmax(9rem, 2fr) 6rem minmax(7rem, 1.5fr) 7rem minmax(9rem, 1.5fr) 9.5rem",
                card_estimate=128,
            ),
            rx.cond(
                ~S.loading,
                empty_state(
                    "No projects here",
                    "Change the filters or add a project.",
                    rx.cond(AuthState.can_edit, rx.button("Add project", on_click=S.open_create)),
                ),
            ),
        ),
        form_dialog(
            rx.cond(S.editing_id == 0, "Add project", "Edit project"),
            project_fields("project", S.draft, S.field_errors, S.saving, S.set_dialog_open(False)),
            open_=S.dialog_open,
            on_open_change=S.set_dialog_open,
            on_submit=S.save,
            error=S.error,
            form_id="project",
            conflict=S,
        ),
        confirm_delete(
            S.delete_id != 0,
            "Delete this project?",
            f"{S.delete_label}, its deliverables and assignments will be removed.",
            S.confirm_delete,
            S.cancel_delete,
        ),
        project_sheet(),
        spacing="4",
        width="100%",
    )


def deliverables_card() -> rx.Component:
    S = DeliverablesState
    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.heading("Deliverables", size="4", as_="h2"),
                rx.spacer(),
                rx.cond(
                    AuthState.can_edit,
                    rx.button(
                        rx.icon("plus", size=16), "Add deliverable", variant="soft", on_click=S.set_add_open(True)
                    ),
                ),
                width="100%",
                align="center",
            ),
            error_callout(S.error),
            conflict_banner(S),
            rx.cond(
                S.deliverable_rows.length() > 0,
                rx.vstack(
                    rx.foreach(
                        S.deliverable_rows,
                        lambda d: rx.hstack(
                            rx.checkbox(
                                checked=d.is_completed,
                                on_change=lambda checked: S.toggle(d.id, checked),
                                disabled=~AuthState.can_edit,
                                aria_label=f"Completed: {d.description}",
                            ),
                            rx.vstack(
                                rx.text(
                                    d.description,
                                    weight="medium",
                                    text_decoration=rx.cond(d.is_completed, "line-through", "none"),
                                ),
                                muted(rx.text.span(d.date, " · ", d.percentage)),
                                spacing="0",
                                flex="1",
                                min_width="0",
                            ),
                            rx.cond(
                                AuthState.can_edit,
                                rx.icon_button(
                                    rx.icon("trash_2", size=16),
                                    variant="ghost",
                                    color_scheme="red",
                                    aria_label=f"Delete deliverable {d.description}",
                                    on_click=S.ask_delete(d.id, d.description),
                                ),
                            ),
                            align="center",
                            width="100%",
                        ),
                    ),
                    spacing="3",
                    width="100%",
                ),
                empty_state("No deliverables yet", "Add the milestones this project has to hit."),
            ),
            spacing="3",
            width="100%",
        ),
        width="100%",
    )


def deliverable_dialogs() -> rx.Component:
    D = DeliverablesState
    return rx.fragment(
        form_dialog(
            "Add deliverable",
            rx.vstack(
                text_field("Description", "description", form="deliverable", errors=D.field_errors, required=True),
                rx.grid(
                    text_field("Date", "date", form="deliverable", errors=D.field_errors, type="date"),
                    text_field(
                        "Percentage", "percentage", form="deliverable", errors=D.field_errors, input_mode="numeric"
                    ),
                    columns="2",
                    spacing="3",
                    width="100%",
                ),
                form_actions(D.saving, D.set_add_open(False)),
                spacing="3",
                width="100%",
            ),
            open_=D.add_open,
            on_open_change=D.set_add_open,
            on_submit=D.add,
            error=D.error,
            form_id="deliverable",
        ),
        confirm_delete(
            D.delete_id != 0,
            "Delete this deliverable?",
            "It will be removed from the project.",
            D.confirm_delete,
            D.cancel_delete,
        ),
    )


def team_card() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.heading("Team", size="4", as_="h2"),
            rx.cond(
                ProjectState.team_rows.length() > 0,
                rx.vstack(
                    rx.foreach(
                        ProjectState.team_rows,
                        lambda t: rx.hstack(
                            rx.vstack(rx.link(t.name, href=f"/people/{t.person_id}"), muted(t.role), spacing="0"),
                            muted(f"{t.planned} h in the next {GRID_WEEKS} weeks"),
                            justify="between",
                            width="100%",
                            wrap="wrap",
                        ),
                    ),
                    spacing="2",
                    width="100%",
                ),
                empty_state(
                    "Nobody is assigned",
                    "Assign people on the Assignments page.",
                    rx.link("Open assignments", href="/assignments"),
                ),
            ),
            spacing="3",
            width="100%",
        ),
        width="100%",
    )


@template(route="/projects/[id]", title="Project", on_load=ProjectState.load)
def project_detail() -> rx.Component:
    S = ProjectState
    p = S.project
    return rx.vstack(
        detail_header(S, p.id, "All projects", "/projects"),
        error_callout(S.error),
        rx.cond(
            p.id != 0,
            rx.vstack(
                rx.card(
                    rx.vstack(
                        rx.hstack(
                            rx.heading(p.name, size="6", as_="h2"), status_badge(p.status), align="center", wrap="wrap"
                        ),
                        project_facts(p, S.dates, orientation=rx.breakpoints(initial="vertical", sm="horizontal")),
                        spacing="3",
                    ),
                    width="100%",
                ),
                deliverables_card(),
                team_card(),
                history_card(S),
                spacing="4",
                width="100%",
            ),
        ),
        form_dialog(
            "Edit project",
            project_fields("project-edit", S.project, S.field_errors, S.saving, S.set_dialog_open(False)),
            open_=S.dialog_open,
            on_open_change=S.set_dialog_open,
            on_submit=S.save,
            error=S.error,
            form_id="project-edit",
            conflict=S,
        ),
        deliverable_dialogs(),
        confirm_delete(
            S.confirm_open,
            "Delete this project?",
            f"{p.name}, its deliverables and assignments will be removed.",
            S.delete,
            S.set_confirm_open(False),
        ),
        spacing="4",
        width="100%",
    )
