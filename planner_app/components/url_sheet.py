"""A details sheet over a list, with its own URL (#project-12) so Back closes it: a bottom sheet
on phones, a panel at the right on wide screens (a Radix dialog: focus moves in and is trapped,
Escape closes). The URL side lives in url_sheet.jsx."""

from typing import Any

import reflex as rx
from reflex.event import passthrough_event_spec


class UrlSheet(rx.Component):
    """Reports the item the URL's hash names (`on_open_item`) and when it names none (`on_close`)."""

    library = rx.asset("url_sheet.jsx", shared=True).importable_path
    tag = "UrlSheet"

    prefix: rx.Var[str]

    on_open_item: rx.EventHandler[passthrough_event_spec(int)]
    on_close: rx.EventHandler[lambda: []]


def sheet_link(prefix: str, item_id: rx.Var, label: Any, **props: Any) -> rx.Component:
    """A link that opens the sheet of `item_id` (url_sheet.jsx follows it without a page change)."""
    return rx.link(label, href=f"#{prefix}{item_id}", class_name="sheet-link", **props)


def url_sheet(
    prefix: str, *, title: rx.Var, open_: rx.Var[bool], on_open_item, on_close, on_open_change, body: rx.Component
) -> rx.Component:
    return rx.fragment(
        UrlSheet.create(prefix=prefix, on_open_item=on_open_item, on_close=on_close),
        rx.dialog.root(
            rx.dialog.content(
                rx.hstack(
                    rx.dialog.title(title, margin="0", size="5"),
                    rx.dialog.close(
                        rx.icon_button(
                            rx.icon("x"), variant="ghost", size="3", aria_label="Close details", class_name="tap-target"
                        )
                    ),
                    justify="between",
                    align="start",
                    width="100%",
                ),
                rx.dialog.description("Details", class_name="sr-only"),
                body,
                class_name="detail-sheet",
            ),
            open=open_,
            on_open_change=on_open_change,
        ),
    )
