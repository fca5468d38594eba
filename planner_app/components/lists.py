"""Lists that are tables on wide screens and cards on phones, and the pager under them."""

from collections.abc import Callable

import reflex as rx

from planner_app import styles

# Tables from 48em (tablets and up); below that each row becomes a card, so nothing scrolls sideways.
TABLE_DISPLAY = rx.breakpoints(initial="none", sm="block")
CARDS_DISPLAY = rx.breakpoints(initial="flex", sm="none")

Column = tuple[str, Callable[[rx.Var], rx.Component]]


def responsive_list(
    items: rx.Var[list],
    columns: list[Column],
    card: Callable[[rx.Var], rx.Component],
    *,
    label: str,
) -> rx.Component:
    return rx.fragment(
        rx.box(
            rx.table.root(
                # The caption names the table for assistive technology (Radix puts props on a wrapper div).
                rx.el.caption(label, class_name="sr-only"),
                rx.table.header(rx.table.row(*[rx.table.column_header_cell(title) for title, _ in columns])),
                rx.table.body(
                    rx.foreach(
                        items, lambda item: rx.table.row(*[rx.table.cell(render(item)) for _, render in columns])
                    )
                ),
                variant="surface",
                width="100%",
            ),
            display=TABLE_DISPLAY,
            width="100%",
        ),
        rx.vstack(
            rx.foreach(items, lambda item: rx.box(card(item), role="listitem", width="100%")),
            display=CARDS_DISPLAY,
            spacing="2",
            width="100%",
            role="list",
            aria_label=label,
        ),
    )


def list_card(*children: rx.Component, **props) -> rx.Component:
    return rx.card(rx.vstack(*children, spacing="1", width="100%"), width="100%", **props)


def muted(text: rx.Var | str) -> rx.Component:
    return rx.text(text, size="2", color=styles.MUTED_TEXT)


# Pager buttons: big enough to tap on a phone, compact beside a table.
PAGER_BUTTON = rx.breakpoints(initial=styles.TAP_TARGET, sm="2.25rem")


def _pager_button(icon: str, label: str, on_click, disabled) -> rx.Component:
    return rx.icon_button(
        rx.icon(icon, size=18),
        variant="soft",
        aria_label=label,
        title=label,
        disabled=disabled,
        on_click=on_click,
        min_width=PAGER_BUTTON,
        min_height=PAGER_BUTTON,
    )


def pager(state: type[rx.State]) -> rx.Component:
    """First / previous / any page / next / last over the server's pages of a list state
    (PagedMixin in states/page.py): the last of many pages is one tap away, any other two."""
    picker_id = f"{state.get_name()}-page"
    return rx.cond(
        state.page_count > 1,
        rx.el.nav(
            rx.hstack(
                _pager_button("chevrons_left", "First page", state.go_to_page(1), ~state.has_previous),
                _pager_button("chevron_left", "Previous page", state.previous_page, ~state.has_previous),
                rx.el.label("Page", html_for=picker_id, class_name="sr-only"),
                rx.el.select(
                    rx.foreach(
                        rx.Var.range(1, state.page_count + 1),
                        lambda n: rx.el.option(f"Page {n} of {state.page_count}", value=n.to_string()),
                    ),
                    id=picker_id,
                    value=state.page.to_string(),
                    on_change=state.go_to_page,
                    style={
                        **styles.NATIVE_SELECT,
                        "width": "auto",
                        "min_width": "0",
                        "flex": "0 1 auto",
                        "height": PAGER_BUTTON,
                        # 16 px: phones zoom into smaller text fields.
                        "font_size": "16px",
                    },
                ),
                _pager_button("chevron_right", "Next page", state.next_page, ~state.has_next),
                _pager_button("chevrons_right", "Last page", state.go_to_page(state.page_count), ~state.has_next),
                justify="center",
                align="center",
                spacing="1",
                width="100%",
            ),
            # Said once the new page is in, for those who cannot see the picker change.
            rx.text(
                f"Page {state.page} of {state.page_count}", class_name="sr-only", aria_live="polite", role="status"
            ),
            aria_label="Pages",
            width="100%",
        ),
    )
