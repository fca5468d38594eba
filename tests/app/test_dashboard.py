"""The dashboard's state: one page of the team overview from the API, its place in the URL."""

import asyncio

from planner_app.states.auth import AuthState
from planner_app.states.dashboard import TEAM_PAGE, DashboardState
from tests.app.conftest import drain, sign_in_tab
from tests.app.test_states import substate
from tests.factories import make_department, make_person, make_user

PEOPLE = 120


def _open(dashboard, url: str) -> list:
    dashboard.router = dashboard.router.__class__.from_router_data({"pathname": "/", "asPath": url})
    return asyncio.run(drain(dashboard.load()))


def _signed_in_dashboard(registry, root_state):
    user = make_user(registry, "user")
    sign_in_tab(substate(root_state, AuthState), user.username)
    return substate(root_state, DashboardState)


def test_the_team_overview_is_one_page_from_the_api(embedded_api, registry, root_state):
    for n in range(PEOPLE):
        make_person(registry, name=f"Member {n:03d}", email=f"member{n}@example.com")
    dashboard = _signed_in_dashboard(registry, root_state)
    _open(dashboard, "/")
    assert dashboard.error == "" and not dashboard.loading
    assert dashboard.count == PEOPLE and dashboard.page_count == 3 and len(dashboard.team) == TEAM_PAGE
    assert dashboard.showing_text == f"Showing 1–50 of {PEOPLE} people"
    assert dashboard.data.summary.total_people == PEOPLE and dashboard.data.team_overview == []

    _open(dashboard, "/?weeks=4&page=3")
    assert dashboard.page == 3 and [r.name for r in dashboard.team] == [f"Member {n:03d}" for n in range(100, 120)]
    assert dashboard.showing_text == f"Showing 101–120 of {PEOPLE} people"
    assert dashboard.data.summary.total_people == PEOPLE  # the figures are over everyone, on every page


def test_the_pager_and_the_filters_go_through_the_url(embedded_api, registry, root_state):
    civil = make_department(registry, name="Civil")
    for n in range(60):
        make_person(registry, name=f"Member {n:03d}", email=f"member{n}@example.com", department_id=civil.id)
    dashboard = _signed_in_dashboard(registry, root_state)
    _open(dashboard, "/?weeks=8&page=2")
    assert "/?weeks=8&page=1" not in str(dashboard.previous_page()) and "/?weeks=8" in str(dashboard.previous_page())
    assert "page=2" in str(dashboard.go_to_page("9"))  # clamped to the last page
    assert "page=2" in str(dashboard.next_page())
    # A filter starts again from the first page.
    moved = str(dashboard.set_filter("department_id", str(civil.id)))
    assert f"/?weeks=8&department={civil.id}" in moved and "page" not in moved


def test_a_page_past_the_end_goes_to_the_last_one(embedded_api, registry, root_state):
    for n in range(3):
        make_person(registry, name=f"Member {n}", email=f"member{n}@example.com")
    dashboard = _signed_in_dashboard(registry, root_state)
    events = _open(dashboard, "/?page=7")
    assert dashboard.team == [] and dashboard.count == 3
    assert any("/?weeks=4" in str(event) for event in events)


def test_no_people_is_an_empty_page_not_an_error(embedded_api, registry, root_state):
    dashboard = _signed_in_dashboard(registry, root_state)
    _open(dashboard, "/?page=abc")
    assert dashboard.page == 1 and dashboard.team == [] and dashboard.count == 0 and dashboard.error == ""
    assert dashboard.showing_text == ""
