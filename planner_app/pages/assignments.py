"""/assignments: the planning grid."""

from typing import Any

import reflex as rx

from planner_app import styles
from planner_app.components.conflict import conflict_banner
from planner_app.components.dialogs import form_dialog
from planner_app.components.feedback import confirm_delete, empty_state, error_callout, loading_indicator
from planner_app.components.filters import filter_field
from planner_app.components.forms import form_actions, select_field, text_field
from planner_app.components.grid_keys import by_width, grid_keys
from planner_app.components.headers import add_button
from planner_app.components.lists import muted, pager
from planner_app.components.typeahead import person_typeahead
from planner_app.planning import GRID_WEEKS
from planner_app.states.add_assignment import PERSON_BOX
from planner_app.states.add_assignment import AddAssignmentState as Add
from planner_app.states.assignments import AssignmentsState as S
from planner_app.states.auth import AuthState
from planner_app.states.set_all_weeks import SetAllWeeksState as SetAll
from planner_app.template import template

# Grid-only sizes; the shared tokens are in styles.py.
LABEL_WIDTH = rx.breakpoints(initial="10rem", lg="13rem")
TOTAL_WIDTH = "3.5rem"
# Below 62em the shell's top bar stays at the top of the screen: the week header sticks under it.
HEADER_TOP = rx.breakpoints(initial=styles.TOPBAR_HEIGHT, md="0")
CHIP_WIDTH = "3.75rem"
EDITOR_FONT = "16px"  # phones and tablets zoom into text fields with smaller text

# Every kind of cell the keyboard moves through shows the same focus ring.
FOCUSABLE_CELLS = ", ".join(
    f"& {target}:focus-visible" for target in ("input", "[role=gridcell]", "[role=rowheader]", "[role=columnheader]")
)

# Names wrap between words, and only a word too long for the column is broken (hyphenated).
WRAP_WORDS = {"overflow_wrap": "break-word", "word_break": "normal", "hyphens": "auto", "white_space": "normal"}
CELL = {"padding": "0.25rem 0.125rem", "border_bottom": f"1px solid {styles.BORDER}", "text_align": "center"}
# The person/project column stays in view if the grid ever scrolls sideways.
LABEL_CELL = {
    **CELL,
    **WRAP_WORDS,
    "position": "sticky",
    "left": "0",
    "z_index": "1",
    "background": styles.SURFACE,
    "text_align": "left",
    "font_weight": "normal",
    "padding": "0.25rem 0.5rem",
}
HEADER_CELL = {
    **CELL,
    "position": "sticky",
    "top": HEADER_TOP,
    "z_index": "2",
    "background": "var(--gray-3)",
    "font_size": "var(--font-size-1)",
    "font_weight": "600",
    "line_height": "1.2",
}
# Sticks both ways, above the other sticky cells.
CORNER_CELL = {
    **LABEL_CELL,
    **HEADER_CELL,
    "left": "0",
    "z_index": "3",
    "text_align": "left",
    "padding": "0.25rem 0.5rem",
}
# Focus is on a cell before its value is edited: no caret until then, and a ring to see it by.
GRID_CSS = {
    "& input:not([data-editing])": {"caret_color": "transparent", "cursor": "default"},
    "& input[data-editing]": {"outline": "2px solid var(--accent-9)", "outline_offset": "-1px"},
    FOCUSABLE_CELLS: {
        "outline": "2px solid var(--accent-8)",
        "outline_offset": "-2px",
    },
}


def conflict_style(conflicted: rx.Var) -> dict:
    return {
        "border": rx.cond(conflicted, f"2px solid {styles.CONFLICT_TEXT}", f"1px solid {styles.BORDER}"),
        "background": rx.cond(conflicted, styles.CONFLICT_BACKGROUND, "var(--color-surface)"),
    }


def use_mine_button(cell: rx.Var, **props) -> rx.Component:
    """Someone else saved the row first: the cell shows theirs; this puts back what was typed."""
    return rx.button(
        f"use mine: {cell.mine}",
        variant="ghost",
        color_scheme=styles.CONFLICT_ACCENT,
        aria_label=f"Use mine: {cell.mine} for {cell.label}",
        on_click=S.use_mine(cell.assignment_id, cell.week),
        class_name="use-mine",
        **props,
    )


def hours_field(cell: rx.Var, attrs: dict | None = None, **style) -> rx.Component:
    """The value of one week of one assignment, saved when the field is left (Tab, Enter, a tap or
    click elsewhere). The same field, state handler and conflict handling on desktop and phone."""
    conflicted = cell.mine != ""
    return rx.el.input(
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
        # Typing (not just the focus, which stays on a cell after Enter) marks the cell as this
        # person's: others see their initials, and a live update of it waits for the save.
        on_change=lambda _value: S.enter_cell(cell.assignment_id, cell.week),
        on_blur=lambda value: S.save_cell(cell.assignment_id, cell.week, value),
        **(attrs or {}),
        style={
            **conflict_style(conflicted),
            # Someone else is in this cell (presence): outlined, as their initials say who.
            "outline": rx.cond(cell.editor != "", "2px solid var(--amber-9)", "none"),
            "text_align": "center",
            "border_radius": "var(--radius-2)",
            "color": "var(--gray-12)",
            **style,
        },
    )


def assignment_label(row: rx.Var) -> rx.Component:
    """The project and the role of an assignment, in the grid's row header and on its phone card."""
    return rx.vstack(
        rx.link(row.project, href=f"/projects/{row.project_id}", size="2", weight="medium", style=WRAP_WORDS),
        rx.cond(row.role != "", muted(row.role)),
        spacing="0",
        min_width="0",
        flex="1",
    )


def assignment_actions(row: rx.Var, icon_size: int, spacing: str, **button: Any) -> rx.Component:
    """Set all weeks and Remove, for managers and admins; `button`: the buttons' size props."""
    return rx.cond(
        AuthState.can_edit,
        rx.hstack(
            rx.icon_button(
                rx.icon("copy", size=icon_size),
                variant="ghost",
                aria_label=f"Set all weeks for {row.project}",
                title="Set all weeks",
                on_click=SetAll.open(row.id, row.project),
                **button,
            ),
            rx.icon_button(
                rx.icon("trash_2", size=icon_size),
                variant="ghost",
                color_scheme="red",
                aria_label=f"Remove assignment to {row.project}",
                on_click=S.ask_delete(row.id, row.project),
                **button,
            ),
            spacing=spacing,
        ),
    )


def person_label(block: rx.Var, size: str) -> tuple[rx.Component, rx.Component]:
    """A person's name, capacity and "Over" badge, in the grid's row header and on their phone card."""
    return (
        rx.vstack(
            rx.link(block.name, href=f"/people/{block.person_id}", weight="bold", size=size, style=WRAP_WORDS),
            muted(f"{block.capacity} h/week"),
            spacing="0",
            min_width="0",
            flex="1",
        ),
        rx.cond(
            block.over_weeks > 0,
            rx.badge("Over", color_scheme="red", variant="solid", title="Over-allocated in some weeks"),
        ),
    )


# --- desktop: a table with ARIA grid semantics (keyboard model in components/grid_keys.jsx) ---


def rowheader(*children, **style) -> rx.Component:
    return rx.el.th(*children, role="rowheader", scope="row", style={**LABEL_CELL, **style})


def grid_cell(*children, **style) -> rx.Component:
    return rx.el.td(*children, role="gridcell", style={**CELL, **style})


def editor_badge(cell: rx.Var) -> rx.Component:
    """Someone else is typing in this cell: their initials in its corner (presence)."""
    return rx.cond(
        cell.editor != "",
        rx.el.span(
            cell.editor,
            title=cell.editor_text,
            aria_label=cell.editor_text,
            role="img",
            class_name="cell-editor",
        ),
    )


def hours_cell(cell: rx.Var) -> rx.Component:
    return grid_cell(
        # Out of the Tab order: GridKeys makes the active cell the grid's one Tab stop.
        hours_field(cell, {"tab_index": -1}, width="100%", min_width="0", height="2rem", font_size=EDITOR_FONT),
        editor_badge(cell),
        rx.cond(
            cell.mine != "",
            use_mine_button(
                cell,
                size="1",
                display="block",
                margin="0.125rem auto 0",
                height="auto",
                padding="0.125rem",
                white_space="normal",
                line_height="1.2",
            ),
        ),
    )


def assignment_row(row: rx.Var) -> rx.Component:
    return rx.el.tr(
        rowheader(
            rx.hstack(
                assignment_label(row),
                assignment_actions(row, icon_size=14, spacing="1", size="1"),
                align="center",
                width="100%",
            ),
        ),
        rx.foreach(row.cells, hours_cell),
        grid_cell(rx.text(row.total, size="2", weight="medium", class_name="row-total")),
        role="row",
        data_assignment=row.id,
        class_name=rx.cond(S.live_changed.contains(row.id), "live-changed", ""),
    )


def person_rows(block: rx.Var) -> rx.Component:
    band = {"background": "var(--gray-3)"}
    return rx.fragment(
        rx.el.tr(
            rowheader(
                rx.hstack(
                    *person_label(block, size="2"),
                    align="center",
                    width="100%",
                ),
                **band,
            ),
            rx.foreach(
                block.totals,
                lambda t: grid_cell(
                    rx.cond(
                        t.over,
                        rx.badge(t.hours, color_scheme="red", variant="soft", title="Over capacity"),
                        rx.text(t.hours, size="2", color=styles.MUTED_TEXT),
                    ),
                    **band,
                ),
            ),
            grid_cell(
                rx.text(
                    block.total,
                    size="1",
                    weight="bold",
                    class_name="person-total",
                    title="Planned / capacity, in hours",
                ),
                **band,
            ),
            role="row",
            data_person=block.person_id,
        ),
        rx.foreach(block.rows, assignment_row),
        rx.cond(
            AuthState.can_edit,
            rx.el.tr(
                rx.el.td(
                    rx.button(
                        rx.icon("plus", size=14),
                        "Add assignment",
                        size="1",
                        variant="ghost",
                        aria_label=f"Add assignment for {block.name}",
                        on_click=Add.open(block.person_id, block.name),
                    ),
                    role="gridcell",
                    col_span=GRID_WEEKS + 2,  # the label, the weeks, the total
                    style={**CELL, "text_align": "left", "padding": "0.25rem 0.5rem"},
                ),
                role="row",
            ),
        ),
    )


def desktop_grid() -> rx.Component:
    return rx.vstack(
        muted(
            "Arrow keys move between cells. Type, or press Enter, to change the hours; "
            "Enter or Tab saves, Escape undoes. "
            "Totals turn red above a person's capacity."
        ),
        grid_keys(
            rx.el.table(
                rx.el.colgroup(
                    rx.el.col(style={"width": LABEL_WIDTH}),
                    rx.foreach(S.week_labels, lambda _: rx.el.col()),
                    rx.el.col(style={"width": TOTAL_WIDTH}),
                ),
                rx.el.thead(
                    rx.el.tr(
                        rx.el.th("Person / project", role="columnheader", scope="col", style=CORNER_CELL),
                        rx.foreach(
                            S.week_labels, lambda w: rx.el.th(w, role="columnheader", scope="col", style=HEADER_CELL)
                        ),
                        rx.el.th("Total", role="columnheader", scope="col", style=HEADER_CELL),
                        role="row",
                    ),
                ),
                rx.el.tbody(rx.foreach(S.blocks, person_rows)),
                role="grid",
                aria_label="Planning grid",
                aria_readonly=rx.cond(AuthState.can_edit, "false", "true"),
                # Fixed columns that share the width: the grid fits its column from 48em up, so it
                # never scrolls sideways and its header can stick to the top of the page.
                style={"border_collapse": "separate", "border_spacing": "0", "width": "100%", "table_layout": "fixed"},
            ),
            width="100%",
            background=styles.SURFACE,
            border=f"1px solid {styles.BORDER}",
            border_radius=styles.RADIUS,
            style=GRID_CSS,
        ),
        spacing="2",
        width="100%",
    )


# --- phones: a card per person, a row of week chips per assignment, one editor for the chosen week ---

# On a phone Enter ("Go" on the keyboard) saves by leaving the field, as a tap elsewhere does.
ENTER_LEAVES_FIELD = rx.Var(
    "((event) => { if (event.key === 'Enter') { event.preventDefault(); event.currentTarget.blur(); } })"
)


STEPS = ((-4, "−4 h"), (-1, "−1 h"), (1, "+1 h"), (4, "+4 h"))


def is_selected(cell: rx.Var) -> rx.Var:
    return S.selected_weeks[cell.assignment_id.to_string()] == cell.week


def week_chip(cell: rx.Var, index: rx.Var) -> rx.Component:
    selected = is_selected(cell)
    conflicted = cell.mine != ""
    # One element per chip: the week's date comes from its data attribute (a phone page has
    # hundreds of chips, and each wrapper costs layout time on a slow phone).
    return rx.el.button(
        rx.cond(cell.value != "", cell.value, "–"),
        data_week=S.week_labels[index],
        type="button",
        aria_pressed=rx.cond(selected, "true", "false"),
        aria_label=f"Week of {S.week_labels[index]}: {rx.cond(cell.value != '', cell.value, '0')} h",
        on_click=S.select_week(cell.assignment_id, cell.week),
        class_name="week-chip",
        style={
            "display": "flex",
            "flex_direction": "column",
            "align_items": "center",
            "justify_content": "center",
            "flex": f"0 0 {CHIP_WIDTH}",
            "min_height": styles.TAP_TARGET,
            "padding": "0.25rem",
            "border_radius": "var(--radius-2)",
            "border": rx.cond(
                conflicted,
                f"2px solid {styles.CONFLICT_TEXT}",
                rx.cond(selected, "2px solid var(--accent-9)", f"1px solid {styles.BORDER}"),
            ),
            "background": rx.cond(
                conflicted, styles.CONFLICT_BACKGROUND, rx.cond(selected, "var(--accent-3)", "var(--color-surface)")
            ),
            "color": "var(--gray-12)",
            "font_weight": "600",
            "font_size": "var(--font-size-2)",
            "scroll_snap_align": "start",
            "&::before": {
                "content": "attr(data-week)",
                "font_size": "var(--font-size-1)",
                "font_weight": "normal",
                "color": styles.MUTED_TEXT,
                "white_space": "nowrap",
            },
        },
    )


def stepper(cell: rx.Var, delta: int, text: str) -> rx.Component:
    return rx.button(
        text,
        type="button",
        variant="soft",
        aria_label=f"{text}, {cell.label}",
        on_click=S.step_cell(cell.assignment_id, cell.week, delta),
        min_width=styles.TAP_TARGET,
        min_height=styles.TAP_TARGET,
        padding="0 0.5rem",
        white_space="nowrap",
        class_name="stepper",
    )


def week_editor(cell: rx.Var) -> rx.Component:
    """Steppers and a field for the chosen week only: one set per assignment, not per week."""
    return rx.cond(
        is_selected(cell),
        rx.vstack(
            rx.cond(
                AuthState.can_edit,
                rx.hstack(
                    *[stepper(cell, d, t) for d, t in STEPS[:2]],
                    hours_field(
                        cell,
                        {"custom_attrs": {"onKeyDown": ENTER_LEAVES_FIELD}},
                        flex="1 1 3.5rem",
                        min_width="0",
                        width="100%",
                        height=styles.TAP_TARGET,
                        font_size=EDITOR_FONT,
                    ),
                    *[stepper(cell, d, t) for d, t in STEPS[2:]],
                    spacing="1",
                    align="center",
                    width="100%",
                ),
                hours_field(cell, width="100%", height=styles.TAP_TARGET, font_size=EDITOR_FONT),
            ),
            rx.cond(
                cell.mine != "", use_mine_button(cell, size="2", min_height=styles.TAP_TARGET, white_space="nowrap")
            ),
            spacing="1",
            width="100%",
            class_name="week-editor",
        ),
    )


def assignment_card(row: rx.Var) -> rx.Component:
    return rx.box(
        rx.hstack(
            assignment_label(row),
            rx.text(
                rx.el.span(row.total, class_name="row-total"),
                " h",
                size="2",
                weight="medium",
                white_space="nowrap",
                title=f"Hours over the {GRID_WEEKS} weeks",
            ),
            assignment_actions(
                row, icon_size=18, spacing="0", min_width=styles.TAP_TARGET, min_height=styles.TAP_TARGET
            ),
            align="center",
            width="100%",
        ),
        # The chips scroll sideways inside the card; the page does not.
        rx.el.div(
            rx.foreach(row.cells, week_chip),
            role="group",
            aria_label=f"Weeks for {row.project}",
            style={
                "display": "flex",
                "gap": "0.375rem",
                "overflow_x": "auto",
                "scroll_snap_type": "x proximity",
                "padding": "0.25rem 0",
                "margin_top": "0.25rem",
            },
        ),
        rx.foreach(row.cells, week_editor),
        data_assignment=row.id,
        padding_y="0.5rem",
        border_top=f"1px solid {styles.BORDER}",
        width="100%",
        min_width="0",
    )


def person_card(block: rx.Var) -> rx.Component:
    return rx.box(
        rx.hstack(
            *person_label(block, size="3"),
            rx.text(
                rx.el.span(block.total, class_name="person-total"),
                " h",
                size="2",
                weight="bold",
                white_space="nowrap",
                title="Planned / capacity, in hours",
            ),
            align="center",
            width="100%",
        ),
        rx.foreach(block.rows, assignment_card),
        rx.cond(
            AuthState.can_edit,
            rx.button(
                rx.icon("plus", size=16),
                "Add assignment",
                variant="ghost",
                aria_label=f"Add assignment for {block.name}",
                on_click=Add.open(block.person_id, block.name),
                min_height=styles.TAP_TARGET,
            ),
        ),
        role="listitem",
        data_person=block.person_id,
        padding="0.75rem",
        background=styles.SURFACE,
        border=f"1px solid {styles.BORDER}",
        border_radius=styles.RADIUS,
        width="100%",
        min_width="0",
    )


def phone_cards() -> rx.Component:
    return rx.vstack(
        muted("Tap a week, then change its hours with the buttons or type them. Totals turn red above capacity."),
        rx.vstack(
            rx.foreach(S.blocks, person_card), role="list", aria_label="Planning grid", spacing="3", width="100%"
        ),
        spacing="2",
        width="100%",
    )


def filter_select(label: str, field_id: str, field: str, all_label: str, options: rx.Var) -> rx.Component:
    return filter_field(
        S,
        field,
        label,
        id=field_id,
        options=options,
        all_label=all_label,
        label_size="1",
        select_style={**styles.NATIVE_SELECT, "font_size": EDITOR_FONT, "min_height": styles.TAP_TARGET},
        min_width="0",
        flex="1 1 0",
        max_width=rx.breakpoints(initial="none", sm="18rem"),
    )


def filters() -> rx.Component:
    """Department and project, side by side; on a phone they stay at the top while the cards scroll."""
    return rx.fragment(
        rx.hstack(
            filter_select("Department", "grid-department", "department_id", "All departments", S.department_options),
            filter_select("Project", "grid-project", "project_id", "All projects", S.project_options),
            rx.box(
                add_button("Add assignment", Add.open_for_anyone), display=rx.breakpoints(initial="none", sm="block")
            ),
            spacing="2",
            align="end",
            width="100%",
            position=rx.breakpoints(initial="sticky", sm="static"),
            top=styles.TOPBAR_HEIGHT,
            z_index="5",
            background=styles.PAGE_BACKGROUND,
            padding_y="0.25rem",
        ),
        rx.hstack(
            loading_indicator(S.loading),
            loading_indicator(S.saving_cell, "Saving…"),
            rx.spacer(),
            rx.box(
                add_button("Add assignment", Add.open_for_anyone), display=rx.breakpoints(initial="block", sm="none")
            ),
            align="center",
            width="100%",
        ),
    )


@template(route="/assignments", title="Assignments", on_load=S.load)
def assignments() -> rx.Component:
    return rx.vstack(
        filters(),
        error_callout(S.error),
        conflict_banner(S),
        rx.cond(
            Add.notice != "", rx.callout(Add.notice, icon="check", color_scheme="green", role="status", width="100%")
        ),
        rx.cond(
            S.blocks.length() > 0,
            by_width(desktop_grid(), phone_cards()),
            rx.cond(
                ~S.loading,
                empty_state(
                    "Nobody to plan here",
                    "Change the filters, or add people on the People page.",
                    rx.link("Go to People", href="/people"),
                ),
            ),
        ),
        pager(S),
        form_dialog(
            f"Set all weeks: {SetAll.label}",
            rx.vstack(
                text_field(
                    "Hours per week",
                    "hours",
                    form="set-all",
                    errors=SetAll.field_errors,
                    input_mode="decimal",
                    required=True,
                ),
                muted(f"Applies to each of the {GRID_WEEKS} weeks shown."),
                form_actions(SetAll.saving, SetAll.close),
                spacing="3",
                width="100%",
            ),
            open_=SetAll.assignment_id != 0,
            on_open_change=SetAll.open_change,
            on_submit=SetAll.save,
            error=SetAll.error,
            form_id="set-all",
        ),
        form_dialog(
            rx.cond(Add.person_id != 0, f"Add assignment for {Add.person_name}", "Add assignment"),
            rx.vstack(
                rx.cond(
                    Add.person_id == 0,
                    person_typeahead("Person", "person_id", box=PERSON_BOX, errors=Add.field_errors),
                ),
                select_field(
                    "Project",
                    "project_id",
                    S.project_options,
                    form="add-assignment",
                    errors=Add.field_errors,
                    placeholder="Choose a project",
                ),
                text_field("Role on project", "role_on_project", form="add-assignment", errors=Add.field_errors),
                text_field(
                    "Hours per week", "hours", form="add-assignment", errors=Add.field_errors, input_mode="decimal"
                ),
                form_actions(Add.saving, Add.close),
                spacing="3",
                width="100%",
            ),
            open_=Add.is_open,
            on_open_change=Add.open_change,
            on_submit=Add.save,
            error=Add.error,
            form_id="add-assignment",
        ),
        confirm_delete(
            S.delete_id != 0,
            "Remove this assignment?",
            f"{S.delete_label} and its planned hours will be removed.",
            S.confirm_delete,
            S.cancel_delete,
        ),
        spacing="4",
        width="100%",
    )
