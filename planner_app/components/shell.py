"""The app shell: a sidebar on desktop, a top bar with a drawer menu on phones."""

import reflex as rx

from planner_app import styles
from planner_app.components.feedback import loading_indicator
from planner_app.states.auth import AuthState

NAV_ITEMS = [
    ("Dashboard", "/", "layout_dashboard"),
    ("People", "/people", "users"),
    ("Departments", "/departments", "building_2"),
    ("Projects", "/projects", "folder_kanban"),
    ("Assignments", "/assignments", "table_2"),
    ("Calendar", "/calendar", "calendar_days"),
    ("Time off", "/timeoff", "plane"),
    ("Profile", "/profile", "circle_user"),
    ("Settings", "/settings", "settings"),
]


def _is_active(href: str) -> rx.Var[bool]:
    path = rx.State.router.url.path
    if href == "/":
        return path == "/"
    # Detail pages (/people/12) light up their list's link; the server may add a trailing slash.
    return (path == href) | path.startswith(href + "/")


def nav_link(label: str, href: str, icon: str) -> rx.Component:
    active = _is_active(href)
    return rx.link(
        rx.hstack(rx.icon(icon, size=18), rx.text(label, size="3"), align="center", spacing="3"),
        href=href,
        underline="none",
        color=rx.cond(active, "var(--accent-12)", "var(--gray-12)"),
        background=rx.cond(active, styles.ACTIVE_NAV_BACKGROUND, "transparent"),
        aria_current=rx.cond(active, "page", "false"),
        padding="0.5rem 0.75rem",
        border_radius=styles.RADIUS,
        width="100%",
        _hover={"background": "var(--gray-a3)"},
    )


def _nav(wrap=lambda link: link) -> rx.Component:
    return rx.el.nav(
        rx.vstack(*[wrap(nav_link(*item)) for item in NAV_ITEMS], spacing="1", width="100%"),
        aria_label="Main",
        width="100%",
    )


def _account() -> rx.Component:
    return rx.vstack(
        rx.text(AuthState.user.username, weight="medium", size="2"),
        rx.text(AuthState.user.role, size="1", color=styles.MUTED_TEXT),
        rx.button(rx.icon("log_out", size=16), "Sign out", variant="soft", color_scheme="gray",
                  on_click=AuthState.sign_out, width="100%"),
        spacing="1",
        width="100%",
    )


def _brand() -> rx.Component:
    return rx.hstack(rx.icon("calendar_range", color="var(--accent-9)"), rx.text("Planner", size="5", weight="bold"), align="center")


def sidebar() -> rx.Component:
    # The outer box runs the full height of the page; the inner column stays in view while scrolling.
    return rx.box(
        rx.vstack(
            _brand(),
            _nav(),
            rx.spacer(),
            _account(),
            height="100vh",
            position="sticky",
            top="0",
            padding="1rem",
            spacing="5",
        ),
        display=rx.breakpoints(initial="none", md="block"),
        width=styles.SIDEBAR_WIDTH,
        min_width=styles.SIDEBAR_WIDTH,
        background=styles.SIDEBAR_BACKGROUND,
        border_right=f"1px solid {styles.BORDER}",
    )


def topbar() -> rx.Component:
    return rx.hstack(
        rx.drawer.root(
            rx.drawer.trigger(rx.icon_button(rx.icon("menu"), variant="ghost", aria_label="Open menu")),
            rx.drawer.overlay(z_index="50"),
            rx.drawer.portal(
                rx.drawer.content(
                    rx.vstack(
                        rx.hstack(
                            _brand(),
                            rx.drawer.close(rx.icon_button(rx.icon("x"), variant="ghost", aria_label="Close menu")),
                            justify="between",
                            width="100%",
                        ),
                        # Following a link closes the drawer.
                        _nav(wrap=rx.drawer.close),
                        rx.spacer(),
                        _account(),
                        spacing="5",
                        height="100%",
                        padding="1rem",
                    ),
                    width="min(18rem, 85vw)",
                    height="100%",
                    top="0",
                    left="0",
                    background=styles.SURFACE,
                    z_index="60",
                    aria_label="Menu",
                )
            ),
            direction="left",
        ),
        _brand(),
        display=rx.breakpoints(initial="flex", md="none"),
        align="center",
        spacing="3",
        height=styles.TOPBAR_HEIGHT,
        padding="0 0.75rem",
        position="sticky",
        top="0",
        z_index="10",
        background=styles.SURFACE,
        border_bottom=f"1px solid {styles.BORDER}",
        width="100%",
    )


def shell(content: rx.Component, title: str) -> rx.Component:
    return rx.flex(
        sidebar(),
        rx.box(
            topbar(),
            rx.el.main(
                rx.vstack(
                    rx.heading(title, size="7", as_="h1"),
                    # A page shows once the tab's sign-in is confirmed and its on_load handlers have
                    # run (Reflex sets is_hydrated after them): never a previous visit's data or
                    # another user's, never a half-loaded page.
                    rx.cond(
                        AuthState.signed_in & rx.State.is_hydrated,
                        rx.box(content, id="page-content", width="100%"),
                        rx.center(loading_indicator(True), id="page-loading", padding="3rem", width="100%"),
                    ),
                    spacing="4",
                    width="100%",
                    max_width=styles.CONTENT_MAX_WIDTH,
                    margin_x="auto",
                ),
                padding=styles.PAGE_PADDING,
            ),
            flex="1",
            min_width="0",
        ),
        min_height="100vh",
        background=styles.PAGE_BACKGROUND,
    )
