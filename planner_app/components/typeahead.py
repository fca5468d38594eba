"""A search-as-you-type field for choosing a Person (ARIA 1.2 combobox with a listbox popup).

Type two characters or more: after a short pause the API's people search answers with at most 20
people (name and email). ↑ ↓ move through them, Enter picks, Esc closes; a click or tap picks too.
The chosen person's id goes with the enclosing form as a hidden input named `name`, so a page's
save handler reads it like any other field. State lives in TypeaheadState, keyed by `box`.
"""

from typing import Any

import reflex as rx

from planner_app import styles
from planner_app.components.forms import labelled_field
from planner_app.states.typeahead import MIN_QUERY
from planner_app.states.typeahead import TypeaheadState as TS

DEBOUNCE_MS = 275

# The input's own keydown goes to the state; this one, on the wrapper, stops what the browser would
# also do with those keys: move the caret for ↑ ↓, and submit the form on Enter while picking.
KEEP_KEYS_FOR_THE_LIST = rx.Var(
    "((event) => { const box = event.currentTarget.querySelector('[role=combobox]');"
    " const open = box !== null && box.getAttribute('aria-expanded') === 'true';"
    " if (event.key === 'ArrowDown' || event.key === 'ArrowUp' || (open && event.key === 'Enter'))"
    " event.preventDefault(); })"
)


def _option(box: str, hit: rx.Var, index: rx.Var) -> rx.Component:
    selected = TS.active[box] == index
    return rx.el.li(
        rx.text(hit.name, size="2", weight="medium"),
        rx.text(hit.email, size="1", color=styles.MUTED_TEXT),
        id=f"{box}-option-" + index.to(str),
        role="option",
        data_person_id=hit.id,
        aria_selected=rx.cond(selected, "true", "false"),
        # mousedown, not click: a click would first blur the input, which closes the list.
        on_mouse_down=[rx.prevent_default, TS.pick(box, index)],
        style={
            "display": "flex",
            "flex_direction": "column",
            "justify_content": "center",
            "min_height": styles.TAP_TARGET,
            "padding": "0.25rem 0.75rem",
            "cursor": "pointer",
            "background": rx.cond(selected, styles.ACTIVE_NAV_BACKGROUND, "transparent"),
        },
    )


def person_typeahead(
    label: str,
    name: str,
    *,
    box: str,
    errors: rx.Var[dict[str, str]] | None = None,
    placeholder: str = "Type a name or email",
) -> rx.Component:
    """`box` names this field's state (unique on the page); `name` is the form field it fills."""
    input_id, listbox_id = f"{box}-input", f"{box}-listbox"
    hits = TS.hits.get(box, [])
    expanded = TS.expanded.get(box, False)
    # Indexed, not .get(box, -1): Reflex's default replaces every falsy value, the first option's 0 too.
    active = TS.active[box]
    searching = TS.searching.get(box, False)
    error = errors[name] if errors is not None else None
    query = TS.query.get(box, "")
    control: Any = rx.box(
        rx.debounce_input(
            rx.input(
                id=input_id,
                # Named only because Reflex collects a form's controls by name; the id field is the hidden one.
                name=f"{box}-query",
                value=query,
                placeholder=placeholder,
                auto_complete="off",
                on_change=lambda text: TS.search(box, text),
                on_key_down=lambda key: TS.key_down(box, key),
                on_blur=lambda _value: TS.close(box),
                width="100%",
                custom_attrs={
                    "role": "combobox",
                    "aria-autocomplete": "list",
                    "aria-controls": listbox_id,
                    "aria-expanded": rx.cond(expanded, "true", "false"),
                    "aria-activedescendant": rx.cond(active >= 0, f"{box}-option-" + active.to(str), ""),
                    "aria-invalid": rx.cond(error, "true", "false") if error is not None else "false",
                    # As text_field: the API's message for the field is read with its label.
                    "aria-describedby": f"{input_id}-error",
                },
            ),
            debounce_timeout=DEBOUNCE_MS,
        ),
        rx.el.input(
            type="hidden", name=name, value=rx.cond(TS.chosen.get(box, 0) > 0, TS.chosen.get(box, 0).to(str), "")
        ),
        rx.el.ul(
            rx.foreach(hits, lambda hit, index: _option(box, hit, index)),
            id=listbox_id,
            role="listbox",
            aria_label=label,
            hidden=~expanded | (hits.length() == 0),
            style={
                "list_style": "none",
                "margin": "0.25rem 0 0",
                "padding": "0.25rem 0",
                "max_height": styles.TYPEAHEAD_LIST_MAX_HEIGHT,
                "overflow_y": "auto",
                "border": f"1px solid {styles.BORDER}",
                "border_radius": styles.RADIUS,
                "background": styles.SURFACE,
            },
        ),
        rx.cond(
            expanded & searching,
            rx.text("Searching…", size="1", color=styles.MUTED_TEXT, role="status"),
            rx.cond(
                expanded & (hits.length() == 0) & (query.length() >= MIN_QUERY),
                rx.text("No matches", size="1", color=styles.MUTED_TEXT, role="status"),
            ),
        ),
        rx.cond(TS.error.get(box, "") != "", rx.text(TS.error.get(box, ""), size="1", color="var(--red-11)")),
        custom_attrs={"onKeyDown": KEEP_KEYS_FOR_THE_LIST},
        width="100%",
    )
    return labelled_field(label, control, input_id, error)
