"""Reflex configuration of the Planner app (see REFLEX-RECIPE.md for the offline settings)."""

import reflex as rx

config = rx.Config(
    app_name="planner_app",
    # No phoning home: the machines here reach only the package registries.
    telemetry_enabled=False,
    show_built_with_reflex=False,
    plugins=[
        # Accent and gray match the tokens in planner_app/styles.py (ACCENT, GRAY).
        rx.plugins.RadixThemesPlugin(theme=rx.theme(accent_color="teal", gray_color="slate", radius="medium")),
    ],
    disable_plugins=[rx.plugins.SitemapPlugin],
)
