"""/ — the dashboard."""

import reflex as rx

from planner_app import styles
from planner_app.components.feedback import empty_state, error_callout, loading_indicator
from planner_app.components.filters import filter_field
from planner_app.components.lists import list_card, muted, pager, responsive_list
from planner_app.states.dashboard import WEEK_CHOICES, DashboardState
from planner_app.template import template


def stat(label: str, value: rx.Var, icon: str, note: rx.Var | str = "") -> rx.Component:
    return rx.card(
        rx.hstack(
            rx.icon(icon, color="var(--accent-9)"),
            rx.vstack(
                muted(label),
                rx.text(value, size="6", weight="bold"),
                rx.text(note, size="1", color=styles.MUTED_TEXT),
                spacing="0",
                min_width="0",
            ),
            align="center",
            spacing="3",
        ),
        width="100%",
        role="group",
        aria_label=label,
    )


def filters() -> rx.Component:
    return rx.flex(
        filter_field(DashboardState, "weeks", "Period", id="dash-weeks", options=WEEK_CHOICES, min_width="10rem"),
        filter_field(
            DashboardState,
            "department_id",
            "Department",
            id="dash-department",
            options=DashboardState.department_options,
            all_label="All departments",
            min_width="12rem",
        ),
        loading_indicator(DashboardState.loading),
        gap="1rem",
        wrap="wrap",
        align="end",
    )


def distribution_chart() -> rx.Component:
    # The bars are a picture to a screen reader: it hears the figures they show instead.
    return rx.card(
        rx.heading("Utilisation distribution", size="4", as_="h2", id="distribution-heading"),
        rx.el.figure(
            rx.recharts.bar_chart(
                rx.recharts.cartesian_grid(stroke_dasharray="3 3", vertical=False),
                rx.recharts.x_axis(data_key="band", font_size=12),
                rx.recharts.y_axis(allow_decimals=False, width=30, font_size=12),
                rx.recharts.graphing_tooltip(),
                rx.recharts.bar(
                    rx.foreach(DashboardState.distribution, lambda d: rx.recharts.cell(fill=d["fill"])),
                    data_key="people",
                    name="People",
                    is_animation_active=False,
                ),
                data=DashboardState.distribution,
                width="100%",
                height=240,
            ),
            role="img",
            aria_label=DashboardState.distribution_summary,
            margin="0",
        ),
        width="100%",
    )


def band_badge(row: rx.Var) -> rx.Component:
    return rx.badge(row.percent, color_scheme=row.color, title=row.band, variant="soft", size="2")


def team_overview() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.heading("Team overview", size="4", as_="h2"),
            rx.hstack(
                *[
                    rx.badge(label, color_scheme=styles.BAND_COLORS[key], variant="soft")
                    for key, label in styles.BAND_LABELS.items()
                ],
                wrap="wrap",
                spacing="2",
            ),
            rx.cond(
                DashboardState.team,
                rx.vstack(
                    rx.text(DashboardState.showing_text, size="2", color=styles.MUTED_TEXT, aria_live="polite"),
                    # One page (at most TEAM_PAGE rows); while the next one loads these stay, marked busy.
                    rx.box(
                        responsive_list(
                            DashboardState.team,
                            [
                                ("Name", lambda r: rx.link(r.name, href=f"/people/{r.person_id}")),
                                ("Department", lambda r: r.department),
                                ("Hours", lambda r: rx.text(r.allocated, " / ", r.capacity)),
                                ("Utilisation", band_badge),
                                ("Peak week", lambda r: r.peak),
                            ],
                            lambda r: list_card(
                                rx.hstack(
                                    rx.link(r.name, href=f"/people/{r.person_id}", weight="medium"),
                                    band_badge(r),
                                    justify="between",
                                    width="100%",
                                ),
                                muted(r.department),
                                muted(rx.text.span(r.allocated, " of ", r.capacity, " h · peak ", r.peak)),
                            ),
                            label="Team overview",
                        ),
                        aria_busy=DashboardState.loading.to_string(),
                        opacity=rx.cond(DashboardState.loading, "0.6", "1"),
                        width="100%",
                    ),
                    pager(DashboardState),
                    spacing="3",
                    width="100%",
                ),
                rx.cond(
                    ~DashboardState.loading,
                    empty_state("No people in this view", "Pick another department, or add people on the People page."),
                ),
            ),
            spacing="3",
            width="100%",
        ),
        width="100%",
    )


def most_available() -> rx.Component:
    return rx.card(
        rx.heading("Most available", size="4", as_="h2"),
        rx.vstack(
            rx.foreach(
                DashboardState.available,
                lambda p: rx.hstack(
                    rx.link(p.name, href=f"/people/{p.person_id}"),
                    muted(f"{p.free_hours} h free"),
                    justify="between",
                    width="100%",
                ),
            ),
            spacing="2",
            margin_top="0.5rem",
        ),
        width="100%",
        height="100%",
    )


def recent_assignments() -> rx.Component:
    return rx.card(
        rx.heading("Recent assignments", size="4", as_="h2"),
        rx.vstack(
            rx.foreach(
                DashboardState.recent,
                lambda a: rx.hstack(
                    rx.text(a.person, " → ", a.project, size="2"), muted(a.when), justify="between", width="100%"
                ),
            ),
            spacing="2",
            margin_top="0.5rem",
        ),
        width="100%",
    )


@template(route="/", title="Dashboard", on_load=DashboardState.load)
def dashboard() -> rx.Component:
    summary = DashboardState.data.summary
    return rx.vstack(
        filters(),
        error_callout(DashboardState.error),
        rx.grid(
            stat("People", summary.total_people, "users"),
            stat("Average utilisation", DashboardState.avg_utilization, "gauge"),
            stat("Peak utilisation", DashboardState.peak_utilization, "trending_up", summary.peak_person),
            stat("Assignments", summary.total_assignments, "briefcase"),
            stat("Over-allocated", summary.overallocated_count, "triangle_alert"),
            columns=rx.breakpoints(initial="2", md="3", lg="5"),
            spacing="3",
            width="100%",
        ),
        rx.grid(
            rx.box(distribution_chart(), grid_column=rx.breakpoints(initial="auto", md="span 2")),
            most_available(),
            columns=rx.breakpoints(initial="1", md="3"),
            spacing="4",
            width="100%",
        ),
        team_overview(),
        recent_assignments(),
        spacing="4",
        width="100%",
    )
