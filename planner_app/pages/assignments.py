"""/assignments: the planning grid."""

import reflex as rx

from planner_app import styles
from planner_app.components.conflict import conflict_banner
from planner_app.components.dialogs import form_dialog
from planner_app.components.feedback import confirm_delete, empty_state, error_callout, loading_indicator
from planner_app.components.forms import form_actions, select_field, text_field
from planner_app.components.headers import add_button
from planner_app.components.lists import muted, pager
from planner_app.components.typeahead import person_typeahead
from planner_app.states.assignments import PERSON_BOX
from planner_app.states.assignments import AssignmentsState as S
from planner_app.states.auth import AuthState
from planner_app.template import template

STICKY = {
    "position": "sticky",
    "left": "0",
    "z_index": "1",
    "background": styles.SURFACE,
}
CELL = {"padding": "0.25rem", "border_bottom": f"1px solid {styles.BORDER}", "text_align": "center"}
LABEL_CELL = {
    **CELL,
    **STICKY,
    "text_align": "left",
    # Narrower on phones, so a few weeks stay in view next to the sticky names.
    "min_width": rx.breakpoints(initial=styles.GRID_LABEL_WIDTH_PHONE, sm=styles.GRID_LABEL_WIDTH),
    "max_width": rx.breakpoints(initial=styles.GRID_LABEL_WIDTH_PHONE, sm=styles.GRID_LABEL_WIDTH),
    "padding": "0.25rem 0.5rem",
}


def label_cell(*children, **props) -> rx.Component:
    return rx.el.td(*children, style={**LABEL_CELL, **props}, class_name="grid-label")


# Enter commits a cell the way Tab does, by leaving it: the blur handler saves. (A <form> per cell
# cannot be used: Reflex hoists on_submit out of the loop, where the cell is not in scope.)
ENTER_LEAVES_CELL = rx.Var("((event) => { if (event.key === 'Enter') { event.preventDefault(); event.currentTarget.blur(); } })")


def hours_input(cell: rx.Var) -> rx.Component:
    """One week of one assignment: type, then Enter or Tab saves it. When someone else saved the
    row first, the cell shows their value, highlighted, and the typed value is one click away."""
    conflicted = cell.mine != ""
    return rx.el.td(
        rx.el.input(
            name="hours",
            default_value=cell.value,
            # Remounted (showing the new value) when the value changes or a bad entry is undone; a
            # cell someone is typing in keeps its focus while others refresh.
            key=f"{cell.assignment_id}-{cell.week}-{cell.value}-{S.grid_version}",
            input_mode="decimal",
            auto_complete="off",
            aria_label=cell.label,
            aria_invalid=rx.cond(conflicted, "true", "false"),
            read_only=~AuthState.can_edit,
            on_blur=lambda value: S.save_cell(cell.assignment_id, cell.week, value),
            custom_attrs={"onKeyDown": ENTER_LEAVES_CELL},
            style={
                "width": styles.GRID_CELL_WIDTH,
                "height": "2rem",
                "text_align": "center",
                "border": rx.cond(conflicted, f"2px solid {styles.CONFLICT_TEXT}", f"1px solid {styles.BORDER}"),
                "border_radius": "var(--radius-2)",
                "background": rx.cond(conflicted, styles.CONFLICT_BACKGROUND, "var(--color-surface)"),
                "color": "var(--gray-12)",
                "font_size": "var(--font-size-2)",
            },
        ),
        rx.cond(
            conflicted,
            rx.button(
                f"use mine: {cell.mine}",
                size="1",
                variant="ghost",
                color_scheme=styles.CONFLICT_ACCENT,
                aria_label=f"Use mine: {cell.mine} for {cell.label}",
                on_click=S.use_mine(cell.assignment_id, cell.week),
                white_space="nowrap",
                display="block",
                margin="0.125rem auto 0",
                class_name="use-mine",
            ),
        ),
        style=CELL,
    )


def assignment_row(row: rx.Var) -> rx.Component:
    return rx.el.tr(
        label_cell(
            rx.hstack(
                rx.vstack(
                    rx.link(row.project, href=f"/projects/{row.project_id}", size="2", weight="medium", truncate=True, max_width="100%"),
                    muted(row.role),
                    spacing="0",
                    min_width="0",
                    flex="1",
                ),
                rx.cond(
                    AuthState.can_edit,
                    rx.hstack(
                        rx.icon_button(rx.icon("copy", size=14), size="1", variant="ghost", aria_label=f"Set all weeks for {row.project}",
                                       title="Set all weeks", on_click=S.open_set_all(row.id, row.project)),
                        rx.icon_button(rx.icon("trash_2", size=14), size="1", variant="ghost", color_scheme="red",
                                       aria_label=f"Remove assignment to {row.project}", on_click=S.ask_remove(row.id, row.project)),
                        spacing="1",
                    ),
                ),
                align="center",
                width="100%",
            ),
        ),
        rx.foreach(row.cells, hours_input),
        rx.el.td(rx.text(row.total, size="2", weight="medium", class_name="row-total"), style=CELL),
        data_assignment=row.id,
    )


def person_rows(block: rx.Var) -> rx.Component:
    return rx.fragment(
        rx.el.tr(
            label_cell(
                rx.hstack(
                    rx.vstack(
                        rx.link(block.name, href=f"/people/{block.person_id}", weight="bold", size="2"),
                        muted(f"{block.capacity} h/week"),
                        spacing="0",
                        min_width="0",
                        flex="1",
                    ),
                    rx.cond(block.over_weeks > 0, rx.badge("Over", color_scheme="red", variant="solid", title="Over-allocated in some weeks")),
                    align="center",
                    width="100%",
                ),
                background="var(--gray-3)",
            ),
            rx.foreach(
                block.totals,
                lambda t: rx.el.td(
                    rx.cond(
                        t.over,
                        rx.badge(t.hours, color_scheme="red", variant="soft", title="Over capacity"),
                        rx.text(t.hours, size="2", color=styles.MUTED_TEXT),
                    ),
                    style={**CELL, "background": "var(--gray-3)"},
                ),
            ),
            rx.el.td(
                rx.text(block.total, size="2", weight="bold", class_name="person-total", white_space="nowrap", title="Planned / capacity, in hours"),
                style={**CELL, "background": "var(--gray-3)"},
            ),
            data_person=block.person_id,
        ),
        rx.foreach(block.rows, assignment_row),
        rx.cond(
            AuthState.can_edit,
            rx.el.tr(
                label_cell(
                    rx.button(rx.icon("plus", size=14), "Add assignment", size="1", variant="ghost",
                              aria_label=f"Add assignment for {block.name}", on_click=S.open_add(block.person_id, block.name)),
                ),
                rx.el.td(col_span=13, style={"border_bottom": f"1px solid {styles.BORDER}"}),
            ),
        ),
    )


def grid() -> rx.Component:
    return rx.box(
        rx.el.table(
            rx.el.thead(
                rx.el.tr(
                    rx.el.th("Person / project", style={**LABEL_CELL, "font_weight": "600"}, class_name="grid-label", scope="col"),
                    rx.foreach(S.week_labels, lambda w: rx.el.th(w, style={**CELL, "font_size": "var(--font-size-1)", "white_space": "nowrap"}, scope="col")),
                    rx.el.th("Total", style={**CELL, "font_size": "var(--font-size-1)"}, scope="col"),
                ),
            ),
            rx.el.tbody(rx.foreach(S.blocks, person_rows)),
            style={"border_collapse": "separate", "border_spacing": "0", "width": "max-content"},
            aria_label="Planning grid",
        ),
        # The grid scrolls sideways inside its own box; the page never does.
        overflow_x="auto",
        width="100%",
        background=styles.SURFACE,
        border=f"1px solid {styles.BORDER}",
        border_radius=styles.RADIUS,
    )


def filters() -> rx.Component:
    return rx.flex(
        rx.vstack(
            rx.el.label("Department", html_for="grid-department", font_size="var(--font-size-2)"),
            rx.el.select(
                rx.el.option("All departments", value=""),
                rx.foreach(S.department_options, lambda o: rx.el.option(o[1], value=o[0])),
                id="grid-department",
                value=S.department_id,
                on_change=lambda v: S.set_filter("department_id", v),
                style=styles.NATIVE_SELECT,
            ),
            spacing="1",
            flex="1 1 12rem",
        ),
        rx.vstack(
            rx.el.label("Project", html_for="grid-project", font_size="var(--font-size-2)"),
            rx.el.select(
                rx.el.option("All projects", value=""),
                rx.foreach(S.project_options, lambda o: rx.el.option(o[1], value=o[0])),
                id="grid-project",
                value=S.project_id,
                on_change=lambda v: S.set_filter("project_id", v),
                style=styles.NATIVE_SELECT,
            ),
            spacing="1",
            flex="1 1 12rem",
        ),
        rx.box(loading_indicator(S.loading), loading_indicator(S.saving_cell != "", "Saving…")),
        rx.spacer(),
        add_button("Add assignment", S.open_add_for_anyone),
        gap="0.75rem",
        wrap="wrap",
        align="end",
        width="100%",
    )


@template(route="/assignments", title="Assignments", on_load=S.load)
def assignments() -> rx.Component:
    return rx.vstack(
        filters(),
        muted("Hours per week. Type in a cell, then press Enter or Tab to save. Totals turn red above a person's capacity."),
        error_callout(S.error),
        conflict_banner(S),
        rx.cond(S.notice != "", rx.callout(S.notice, icon="check", color_scheme="green", role="status", width="100%")),
        rx.cond(
            S.blocks.length() > 0,
            grid(),
            rx.cond(~S.loading, empty_state("Nobody to plan here", "Change the filters, or add people on the People page.", rx.link("Go to People", href="/people"))),
        ),
        pager(S),
        form_dialog(
            f"Set all weeks: {S.set_all_label}",
            rx.vstack(
                text_field("Hours per week", "hours", form="set-all", errors=S.field_errors, type="number", min="0", max="168", step="0.5", required=True),
                muted("Applies to each of the 12 weeks shown."),
                form_actions(S.saving, S.close_set_all),
                spacing="3",
                width="100%",
            ),
            open_=S.set_all_id != 0,
            on_open_change=S.set_all_open_change,
            on_submit=S.set_all_weeks,
            error=S.error,
            form_id="set-all",
        ),
        form_dialog(
            rx.cond(S.add_person_id != 0, f"Add assignment for {S.add_person_name}", "Add assignment"),
            rx.vstack(
                rx.cond(
                    S.add_person_id == 0,
                    person_typeahead("Person", "person_id", box=PERSON_BOX, errors=S.field_errors),
                ),
                select_field("Project", "project_id", S.project_options, form="add-assignment", errors=S.field_errors, placeholder="Choose a project"),
                text_field("Role on project", "role_on_project", form="add-assignment", errors=S.field_errors),
                text_field("Hours per week", "hours", form="add-assignment", errors=S.field_errors, type="number", min="0", max="168", step="0.5"),
                form_actions(S.saving, S.close_add),
                spacing="3",
                width="100%",
            ),
            open_=S.add_open,
            on_open_change=S.add_open_change,
            on_submit=S.add_assignment,
            error=S.error,
            form_id="add-assignment",
        ),
        confirm_delete(S.remove_id != 0, "Remove this assignment?", f"{S.remove_label} and its planned hours will be removed.", S.remove, S.cancel_remove),
        spacing="4",
        width="100%",
    )
