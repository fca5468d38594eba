"""/calendar: a Monday-first grid of four weeks; on phones, a list of the days that have something."""

import reflex as rx

from planner_app import styles
from planner_app.components.feedback import error_callout, loading_indicator
from planner_app.states.calendar import DAY_NAMES
from planner_app.states.calendar import CalendarState as S
from planner_app.template import template


def entry(e: rx.Var) -> rx.Component:
    return rx.link(
        rx.badge(
            rx.cond(
                e.kind == "deliverable",
                rx.icon("flag", size=12, flex_shrink="0"),
                rx.icon("plane", size=12, flex_shrink="0"),
            ),
            # Long names wrap inside the day instead of pushing the grid wider.
            rx.text(e.text, min_width="0", white_space="normal", overflow_wrap="anywhere", line_height="1.3"),
            color_scheme=rx.cond(e.kind == "deliverable", styles.DELIVERABLE_COLOR, styles.TIMEOFF_COLOR),
            variant=rx.cond(e.done, "outline", "soft"),
            title=e.text,
            width="100%",
            max_width="100%",
            height="auto",
            padding_y="0.15rem",
            align_items="start",
        ),
        href=e.href,
        underline="none",
        width="100%",
        min_width="0",
    )


def day_cell(day: rx.Var) -> rx.Component:
    return rx.vstack(
        rx.hstack(
            rx.text(day.weekday, size="1", color=styles.MUTED_TEXT, class_name="cal-weekday"),
            rx.text(
                day.label,
                size="1",
                weight=rx.cond(day.today, "bold", "regular"),
                color=rx.cond(day.today, "var(--accent-11)", "inherit"),
            ),
            rx.cond(day.today, rx.badge("Today", size="1")),
            spacing="1",
            align="center",
        ),
        rx.foreach(day.events, entry),
        spacing="1",
        padding="0.4rem",
        min_height=rx.breakpoints(initial="auto", sm="6rem"),
        min_width="0",
        overflow="hidden",
        background=rx.cond(day.weekend, "var(--gray-2)", styles.SURFACE),
        border=rx.cond(day.today, "2px solid var(--accent-8)", f"1px solid {styles.BORDER}"),
        border_radius="var(--radius-2)",
        class_name=rx.cond((day.events.length() == 0) & ~day.today, "cal-day cal-day-empty", "cal-day"),
        aria_label=day.iso,
    )


@template(route="/calendar", title="Calendar", on_load=S.load)
def calendar() -> rx.Component:
    return rx.vstack(
        rx.flex(
            rx.hstack(
                rx.icon_button(
                    rx.icon("chevron_left"), variant="soft", aria_label="Previous weeks", on_click=S.previous
                ),
                rx.button("Today", variant="soft", on_click=S.today),
                rx.icon_button(rx.icon("chevron_right"), variant="soft", aria_label="Next weeks", on_click=S.next),
                spacing="2",
            ),
            rx.text(S.period, weight="medium"),
            loading_indicator(S.loading),
            rx.spacer(),
            rx.hstack(
                rx.badge(
                    rx.icon("flag", size=12), "Deliverable", color_scheme=styles.DELIVERABLE_COLOR, variant="soft"
                ),
                rx.badge(rx.icon("plane", size=12), "Time off", color_scheme=styles.TIMEOFF_COLOR, variant="soft"),
                spacing="2",
            ),
            gap="0.75rem",
            align="center",
            wrap="wrap",
            width="100%",
        ),
        error_callout(S.error),
        rx.grid(
            *[
                rx.text(name, size="1", weight="medium", color=styles.MUTED_TEXT, text_align="center")
                for name in DAY_NAMES
            ],
            display=rx.breakpoints(initial="none", sm="grid"),
            columns="7",
            spacing="2",
            width="100%",
        ),
        rx.foreach(
            S.weeks,
            lambda week: rx.vstack(
                rx.text(week.label, size="2", weight="medium", display=rx.breakpoints(initial="block", sm="none")),
                rx.grid(
                    rx.foreach(week.days, day_cell),
                    columns=rx.breakpoints(initial="1", sm="7"),
                    spacing="2",
                    width="100%",
                ),
                spacing="1",
                width="100%",
            ),
        ),
        spacing="3",
        width="100%",
    )
