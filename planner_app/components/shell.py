"""The app shell: a sidebar on desktop; on phones a top bar with the menu and a bottom tab bar.

Below 768 px (48em) the five places people go most sit in a bottom tab bar under the thumb; the
menu (a modal dialog: focus moves in and is trapped, the page behind is inert, Escape or Close
returns focus to the button) keeps the rest. A skip link jumps past the navigation, and after each
in-app navigation `assets/a11y.js` moves focus to the page's heading.
"""

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
# The bottom tab bar's five: what a planner opens from a phone most.
TAB_ITEMS = [item for item in NAV_ITEMS if item[0] in ("Dashboard", "Projects", "Assignments", "Calendar", "Profile")]
MAIN_ID = "main-content"

PHONE_ONLY = rx.breakpoints(initial="flex", sm="none")
WIDE_ONLY = rx.breakpoints(initial="none", md="block")


def _is_active(href: str) -> rx.Var[bool]:
    path = rx.State.router.url.path
    if href == "/":
        return path == "/"
    # Detail pages (/people/12) light up their list's link; the server may add a trailing slash.
    return (path == href) | path.startswith(href + "/")


def _current(href: str) -> rx.Var[str]:
    # Only the current page carries aria-current (an attribute "false" is announced by some readers).
    return rx.cond(_is_active(href), "page", rx.Var.create(None))


def nav_link(label: str, href: str, icon: str) -> rx.Component:
    active = _is_active(href)
    return rx.link(
        rx.hstack(rx.icon(icon, size=18, aria_hidden="true"), rx.text(label, size="3"), align="center", spacing="3"),
        href=href,
        underline="none",
        color=rx.cond(active, "var(--accent-12)", "var(--gray-12)"),
        background=rx.cond(active, styles.ACTIVE_NAV_BACKGROUND, "transparent"),
        aria_current=_current(href),
        display="flex",
        align_items="center",
        min_height=styles.TAP_TARGET,
        padding="0 0.75rem",
        border_radius=styles.RADIUS,
        width="100%",
        _hover={"background": "var(--gray-a3)"},
    )


def _nav(label: str, wrap=lambda link: link) -> rx.Component:
    return rx.el.nav(
        rx.vstack(*[wrap(nav_link(*item)) for item in NAV_ITEMS], spacing="1", width="100%"),
        aria_label=label,
        width="100%",
    )


def _account() -> rx.Component:
    return rx.vstack(
        rx.text(AuthState.user.username, weight="medium", size="2"),
        rx.text(AuthState.user.role, size="1", color=styles.MUTED_TEXT),
        rx.button(
            rx.icon("log_out", size=16),
            "Sign out",
            variant="soft",
            color_scheme="gray",
            on_click=AuthState.sign_out,
            width="100%",
        ),
        spacing="1",
        width="100%",
    )


def _brand() -> rx.Component:
    return rx.hstack(
        rx.icon("calendar_range", color="var(--accent-9)", aria_hidden="true"),
        rx.text("Planner", size="5", weight="bold"),
        align="center",
    )


def skip_link() -> rx.Component:
    """The first thing Tab reaches: straight to the page, past the navigation."""
    return rx.el.a("Skip to main content", href=f"#{MAIN_ID}", class_name="skip-link")


def sidebar() -> rx.Component:
    # The outer box runs the full height of the page; the inner column stays in view while scrolling.
    return rx.box(
        rx.vstack(
            _brand(),
            _nav("Main"),
            rx.spacer(),
            _account(),
            height="100vh",
            position="sticky",
            top="0",
            padding="1rem",
            spacing="5",
        ),
        display=WIDE_ONLY,
        width=styles.SIDEBAR_WIDTH,
        min_width=styles.SIDEBAR_WIDTH,
        background=styles.SIDEBAR_BACKGROUND,
        border_right=f"1px solid {styles.BORDER}",
    )


def menu() -> rx.Component:
    """The phone and tablet menu: a modal dialog sliding in from the left (Radix Dialog gives the
    focus trap, the inert background and focus back on the button when it closes)."""
    return rx.dialog.root(
        rx.dialog.trigger(
            rx.icon_button(rx.icon("menu"), variant="ghost", size="3", aria_label="Open menu", class_name="tap-target"),
        ),
        rx.dialog.content(
            rx.vstack(
                rx.hstack(
                    rx.dialog.title(_brand(), margin="0"),
                    rx.dialog.close(
                        rx.icon_button(
                            rx.icon("x"), variant="ghost", size="3", aria_label="Close menu", class_name="tap-target"
                        ),
                    ),
                    justify="between",
                    align="center",
                    width="100%",
                ),
                rx.dialog.description("Go to any part of Planner.", class_name="sr-only"),
                # Following a link closes the menu.
                _nav("Menu", wrap=rx.dialog.close),
                rx.spacer(),
                _account(),
                spacing="4",
                height="100%",
            ),
            class_name="menu-sheet",
        ),
    )


def topbar() -> rx.Component:
    return rx.hstack(
        menu(),
        _brand(),
        display=rx.breakpoints(initial="flex", md="none"),
        align="center",
        spacing="2",
        height=styles.TOPBAR_HEIGHT,
        padding="0 0.5rem",
        position="sticky",
        top="0",
        z_index="10",
        background=styles.SURFACE,
        border_bottom=f"1px solid {styles.BORDER}",
        width="100%",
    )


def _tab(label: str, href: str, icon: str) -> rx.Component:
    active = _is_active(href)
    return rx.el.li(
        rx.link(
            rx.icon(icon, size=22, aria_hidden="true"),
            rx.text(label, size="1", weight=rx.cond(active, "bold", "regular")),
            href=href,
            underline="none",
            aria_current=_current(href),
            color=rx.cond(active, "var(--accent-11)", styles.MUTED_TEXT),
            class_name="tab-link",
        ),
        flex="1",
        min_width="0",
    )


def tab_bar() -> rx.Component:
    """Below 768 px: the five key places, always on screen, under the thumb."""
    return rx.el.nav(
        rx.el.ul(*[_tab(*item) for item in TAB_ITEMS], class_name="tab-list"),
        aria_label="Tabs",
        display=PHONE_ONLY,
        class_name="tab-bar",
    )


def shell(content: rx.Component, title: str) -> rx.Component:
    return rx.flex(
        skip_link(),
        sidebar(),
        rx.box(
            topbar(),
            rx.el.main(
                rx.vstack(
                    # Focus lands here after each navigation (assets/a11y.js); -1 keeps it out of the Tab order.
                    rx.heading(title, size="7", as_="h1", tab_index=-1, class_name="page-heading"),
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
                id=MAIN_ID,
                tab_index=-1,
                padding=styles.PAGE_PADDING,
                class_name="page-main",
            ),
            flex="1",
            min_width="0",
        ),
        tab_bar(),
        # assets/a11y.js makes this inert while a dialog is open over it.
        id="app-shell",
        min_height="100vh",
        background=styles.PAGE_BACKGROUND,
    )
