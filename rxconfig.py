"""Reflex configuration of the Planner app (see REFLEX-RECIPE.md for the offline settings)."""

import reflex as rx

from planner_app import security, styles
from planner_app.settings import settings

config = rx.Config(
    app_name="planner_app",
    # No phoning home: the machines here reach only the package registries.
    telemetry_enabled=False,
    show_built_with_reflex=False,
    plugins=[
        rx.plugins.RadixThemesPlugin(
            theme=rx.theme(accent_color=styles.ACCENT, gray_color=styles.GRAY, radius="medium")
        ),
    ],
    disable_plugins=[rx.plugins.SitemapPlugin],
    # No cross-origin access unless CORS_ALLOWED_ORIGINS lists it (planner_app/security.py).
    cors_allowed_origins=security.allowed_origins(),
    # Weight on a phone (benchmarks/first_load.py): brotli beside gzip for every built file, and
    # the libraries kept only for dynamic components (which the app has none of) loaded on demand
    # instead of on every page.
    frontend_compression_formats=["brotli", "gzip"],
    frontend_lazy_bundled_libraries=True,
    # Each tab's state in memory, or in Redis for several backends (AppSettings.tab_state).
    state_manager_mode=settings().tab_state,
)
