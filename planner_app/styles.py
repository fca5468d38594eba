"""Design tokens: every colour, size and breakpoint the components use comes from here."""

ACCENT = "teal"
GRAY = "slate"

# Radix colour steps as CSS variables, so light and dark themes both work.
BORDER = "var(--gray-a5)"
SURFACE = "var(--color-panel-solid)"
MUTED_TEXT = "var(--gray-11)"
PAGE_BACKGROUND = "var(--gray-2)"
SIDEBAR_BACKGROUND = "var(--gray-1)"
ACTIVE_NAV_BACKGROUND = "var(--accent-4)"

RADIUS = "var(--radius-3)"
SIDEBAR_WIDTH = "15rem"
TOPBAR_HEIGHT = "3.5rem"
CONTENT_MAX_WIDTH = "80rem"

# Reflex breakpoints: initial (< 30em phones), xs 30em, sm 48em (tables instead of cards),
# md 62em (sidebar instead of the drawer), lg 80em.
PAGE_PADDING = ["0.75rem", "1rem", "1.5rem", "2rem"]

# Utilisation bands (API.md): under 70 % / 70–85 % / 85–100 % / over 100 %.
BAND_COLORS = {
    "underutilized": "blue",
    "optimal": "green",
    "high": "amber",
    "overallocated": "red",
}
BAND_LABELS = {
    "underutilized": "Under 70 %",
    "optimal": "70–85 %",
    "high": "85–100 %",
    "overallocated": "Over 100 %",
}
BAND_CHART_COLORS = {
    "underutilized": "var(--blue-9)",
    "optimal": "var(--green-9)",
    "high": "var(--amber-9)",
    "overallocated": "var(--red-9)",
}

STATUS_COLORS = {
    "planning": "gray",
    "active": "green",
    "on_hold": "amber",
    "completed": "blue",
    "cancelled": "red",
}
TIMEOFF_COLOR = "violet"
DELIVERABLE_COLOR = "teal"

# Someone else saved first: the conflict banner, and grid cells showing a value that is not yours.
CONFLICT_ACCENT = "amber"
CONFLICT_TEXT = "var(--amber-11)"
CONFLICT_BORDER = "var(--amber-a7)"
CONFLICT_BACKGROUND = "var(--amber-a3)"


# Native <select> elements get the look of Radix text fields.
NATIVE_SELECT = {
    "height": "var(--space-6)",
    "padding": "0 var(--space-2)",
    "border": f"1px solid {BORDER}",
    "border_radius": "var(--radius-2)",
    "background": "var(--color-surface)",
    "color": "var(--gray-12)",
    # 16 px: iOS Safari zooms the page into any smaller field (planner.css gives inputs the same).
    "font_size": "16px",
    "width": "100%",
}

BASE_STYLE = {
    "font_family": "Inter, system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif",
}

# The smallest a thing to tap may be on a phone (WCAG 2.5.5).
TAP_TARGET = "44px"
TYPEAHEAD_LIST_MAX_HEIGHT = "16rem"

# The accent's solid colour (teal 9, as planner.css darkens it) as a plain value, for what cannot
# read CSS variables: <meta name="theme-color"> and the manifest (assets/manifest.webmanifest).
THEME_COLOR = "#0b7a6d"
