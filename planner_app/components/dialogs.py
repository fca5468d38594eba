"""A form in a dialog: the create/edit pattern of every list page."""

from typing import Any

import reflex as rx

from planner_app.components.conflict import conflict_banner
from planner_app.components.feedback import error_callout
from planner_app.components.presence import presence_list

KEEP_DIALOG_FOR_AN_OPEN_LIST = rx.Var(
    "((event) => { const target = event.target;"
    " if (target && target.getAttribute && target.getAttribute('aria-expanded') === 'true') event.preventDefault(); })"
)


def form_dialog(
    title: rx.Var[str] | str,
    body: rx.Component,
    *,
    open_: rx.Var[bool],
    on_open_change: rx.EventHandler,
    on_submit: rx.EventHandler,
    error: rx.Var[str],
    form_id: str,
    conflict: Any = None,
) -> rx.Component:
    """`conflict`: the page state of an edit form (states/conflict.py), for its banner; its form
    is remounted, showing the values it is refilled with, whenever `form_revision` changes."""
    extra = {"key": conflict.form_revision} if conflict is not None else {}
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title(title),
            rx.form(
                rx.vstack(
                    error_callout(error),
                    presence_list(conflict) if conflict is not None else rx.fragment(),
                    conflict_banner(conflict) if conflict is not None else rx.fragment(),
                    body,
                    spacing="3",
                    width="100%",
                ),
                on_submit=on_submit,
                reset_on_submit=False,
                id=form_id,
                **extra,
            ),
            max_width="34rem",
            width="calc(100vw - 2rem)",
            # Esc in an open typeahead closes its list, not the whole dialog (Radix listens first).
            custom_attrs={"onEscapeKeyDown": KEEP_DIALOG_FOR_AN_OPEN_LIST},
        ),
        open=open_,
        on_open_change=on_open_change,
    )
