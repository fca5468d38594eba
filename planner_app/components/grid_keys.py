"""The planning grid's two small browser-side pieces (grid_keys.jsx): the keyboard model of the
desktop grid, and the switch that mounts either the desktop grid or the phone cards.

Both work in the browser alone: an arrow key moves focus without a server round trip, and only
a saved value reaches the state, through the cell's own handler."""

import reflex as rx

GRID_KEYS_JS = rx.asset("grid_keys.jsx", shared=True).importable_path

# Where the desktop grid takes over from the phone cards (Reflex's `sm` breakpoint).
DESKTOP_FROM = "48em"


class GridKeys(rx.Component):
    """A box around a `role="grid"` table: one Tab stop into it (roving tabindex), ←→↑↓ Home End
    between cells, Enter or a typed character edits a cell, Enter or Tab saves it, Escape undoes."""

    library = GRID_KEYS_JS
    tag = "GridKeys"


class ByWidth(rx.Component):
    """Mounts its first child from `min_width` up, its second below it; nothing before the browser
    knows its width (the prerendered page has no data to show anyway)."""

    library = GRID_KEYS_JS
    tag = "ByWidth"

    min_width: rx.Var[str]


grid_keys = GridKeys.create


def by_width(desktop: rx.Component, phone: rx.Component) -> rx.Component:
    return ByWidth.create(desktop, phone, min_width=DESKTOP_FROM)
