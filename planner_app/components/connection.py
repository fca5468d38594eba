"""What the app shows while Reflex's websocket is down. It replaces Reflex's default overlay (a
pulsing wifi icon at the bottom right, where the phones' tab bar is, and a toast naming the
websocket URL) with one banner in plain words; the app's toast provider is not part of it."""

import reflex as rx
from reflex.components.core.banner import has_connection_errors


def connection_banner() -> rx.Component:
    """Reflex keeps retrying on its own; pwa.js stops taps on buttons while this banner is shown,
    so nothing is queued and replayed later, and forms say that saves are paused."""
    return rx.cond(
        has_connection_errors,
        rx.el.div(
            rx.icon("wifi_off", size=20, aria_hidden="true", flex_shrink="0"),
            rx.el.div(
                rx.el.strong("Offline — reconnecting…"),
                rx.el.span("Saves are paused. Your changes are kept here."),
            ),
            id="connection-banner",
            class_name="connection-banner",
            role="status",
        ),
    )


def connection_overlay(stateful: bool) -> rx.Component | None:
    """An app wrap, in the place of Reflex's default overlay: only an app with state has a websocket."""
    return connection_banner() if stateful else None
