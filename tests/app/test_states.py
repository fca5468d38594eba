"""Page states driven directly (no browser): sign-in, the auth gate and a grid edit."""

import asyncio
import datetime as dt

from planner_app.planning import week_keys
from planner_app.states.assignments import AssignmentsState
from planner_app.states.auth import AuthState
from planner_app.states.dashboard import DashboardState
from planner_app.states.people import PeopleState, PersonState
from tests.app.conftest import drain
from tests.factories import PASSWORD, make_assignment, make_person, make_user


def substate(root, *classes):
    state = root
    for cls in classes:
        state = state.substates[cls.get_name()]
    return state


def test_sign_in_keeps_tokens_server_side_and_the_refresh_token_in_local_storage(embedded_api, registry, root_state):
    user = make_user(registry, "manager")
    auth = substate(root_state, AuthState)
    events = asyncio.run(drain(auth.sign_in({"username": user.username, "password": PASSWORD})))
    assert auth.user.username == user.username and auth.can_edit and not auth.is_admin
    assert auth._access and auth.refresh_token
    assert "_access" not in auth.get_delta().get(auth.get_full_name(), {})
    assert events[-1].handler.fn.__qualname__.endswith("redirect") or "redirect" in str(events[-1])


def test_wrong_password_is_said_in_words(embedded_api, registry, root_state):
    user = make_user(registry, "user")
    auth = substate(root_state, AuthState)
    asyncio.run(drain(auth.sign_in({"username": user.username, "password": "nope"})))
    assert auth.login_error == "Wrong username or password."
    assert not auth.signed_in and auth.refresh_token == ""


def test_a_new_tab_with_only_the_refresh_token_is_signed_in_by_the_gate(embedded_api, registry, root_state):
    user = make_user(registry, "user")
    first_tab = substate(root_state, AuthState)
    asyncio.run(drain(first_tab.sign_in({"username": user.username, "password": PASSWORD})))

    from reflex.state import State

    new_tab = substate(State(), AuthState)
    new_tab.refresh_token = first_tab.refresh_token  # what localStorage hands the new tab
    assert asyncio.run(new_tab.require_login()) is None
    assert new_tab.user.id == user.id and new_tab._access
    assert new_tab.refresh_token != first_tab.refresh_token  # rotated, and shared again through localStorage


def test_a_page_load_without_a_session_goes_to_login(embedded_api, root_state):
    auth = substate(root_state, AuthState)
    event = asyncio.run(auth.require_login())
    assert "/login?next=" in str(event)


def test_people_list_loads_the_rows_on_screen(embedded_api, registry, root_state):
    user = make_user(registry, "user")
    for n in range(30):
        make_person(registry, name=f"Person {n:02d}")
    auth = substate(root_state, AuthState)
    asyncio.run(drain(auth.sign_in({"username": user.username, "password": PASSWORD})))
    people = substate(root_state, AuthState, PeopleState)
    asyncio.run(drain(people.load()))
    # The first screen and its margin: both pages of this short list (windowing: test_virtual_window.py).
    assert people.count == 30 and people.total_text == "30 people" and people.window_start == 0
    assert [p.name for p in people.people] == [f"Person {n:02d}" for n in range(30)]


def test_grid_cell_edit_updates_row_and_person_totals(embedded_api, registry, root_state):
    manager = make_user(registry, "manager")
    week = week_keys(dt.date.today())[0]
    person = make_person(registry, name="Ada", weekly_capacity=20)
    assignment = make_assignment(registry, person=person, weekly_hours={week: 8})
    auth = substate(root_state, AuthState)
    asyncio.run(drain(auth.sign_in({"username": manager.username, "password": PASSWORD})))
    grid = substate(root_state, AuthState, AssignmentsState)
    asyncio.run(drain(grid.load()))
    (block,) = grid.blocks
    assert block.rows[0].total == "8"

    asyncio.run(drain(grid.save_cell(assignment.id, week, "24")))
    (block,) = grid.blocks
    assert grid.error == ""
    assert block.rows[0].total == "24" and block.totals[0].over and block.over_weeks == 1

    asyncio.run(drain(grid.save_cell(assignment.id, week, "lots")))
    assert "not a number of hours" in grid.error
    assert grid.blocks[0].rows[0].total == "24"


def test_grid_stepper_saves_like_a_typed_cell_and_pages_are_of_grid_size(embedded_api, registry, root_state):
    manager = make_user(registry, "manager")
    weeks = week_keys(dt.date.today())
    for n in range(16):
        make_person(registry, name=f"Person {n:02d}")
    assignment = make_assignment(registry, person=make_person(registry, name="Ada"), weekly_hours={weeks[1]: 2})
    auth = substate(root_state, AuthState)
    asyncio.run(drain(auth.sign_in({"username": manager.username, "password": PASSWORD})))
    grid = substate(root_state, AuthState, AssignmentsState)
    asyncio.run(drain(grid.load()))
    # 17 people, 15 a page.
    assert grid.page_count == 2
    assert grid.selected_weeks[str(assignment.id)] == weeks[0]
    grid.select_week(assignment.id, weeks[1])
    assert grid.selected_weeks[str(assignment.id)] == weeks[1]

    asyncio.run(drain(grid.step_cell(assignment.id, weeks[1], 4)))
    asyncio.run(drain(grid.step_cell(assignment.id, weeks[1], -1)))
    assert grid.error == "" and grid._find(assignment.id).weekly_hours[weeks[1]] == 5
    asyncio.run(drain(grid.step_cell(assignment.id, weeks[1], -4)))
    asyncio.run(drain(grid.step_cell(assignment.id, weeks[1], -4)))
    assert grid._find(assignment.id).weekly_hours[weeks[1]] == 0

    asyncio.run(drain(grid.go_to_page(grid.page_count)))
    assert grid.page == 2 and not grid.has_next
    asyncio.run(drain(grid.go_to_page("9")))
    assert grid.page == 2


def test_grid_edit_after_a_reload_checks_against_what_is_on_screen(embedded_api, registry, root_state, testapp):
    """Someone else changes the row; this tab reloads the grid and edits: no false conflict."""
    manager = make_user(registry, "manager")
    week, next_week = week_keys(dt.date.today())[:2]
    assignment = make_assignment(registry, person=make_person(registry, weekly_capacity=40), weekly_hours={week: 8})
    auth = substate(root_state, AuthState)
    asyncio.run(drain(auth.sign_in({"username": manager.username, "password": PASSWORD})))
    grid = substate(root_state, AuthState, AssignmentsState)
    asyncio.run(drain(grid.load()))
    asyncio.run(drain(grid.save_cell(assignment.id, week, "10")))

    other = testapp.post_json("/api/auth/token/", {"username": manager.username, "password": PASSWORD}).json["access"]
    path = f"/api/assignments/{assignment.id}/"
    etag = testapp.get(path, headers={"Authorization": f"Bearer {other}"}).headers["ETag"]
    testapp.patch_json(path, {"weeklyHours": {next_week: 4}}, headers={"Authorization": f"Bearer {other}", "If-Match": etag})

    asyncio.run(drain(grid.load()))
    asyncio.run(drain(grid.save_cell(assignment.id, week, "12")))
    assert grid.error == ""
    assert grid.blocks[0].rows[0].total == "16"


def test_person_form_saves_against_the_version_it_was_filled_from(embedded_api, registry, root_state, testapp):
    manager = make_user(registry, "manager")
    person = make_person(registry, name="Ada", job_title="Engineer")
    auth = substate(root_state, AuthState)
    asyncio.run(drain(auth.sign_in({"username": manager.username, "password": PASSWORD})))
    page = substate(root_state, AuthState, PersonState)
    page.router = page.router.__class__.from_router_data({"pathname": f"/people/{person.id}", "asPath": f"/people/{person.id}"})
    asyncio.run(drain(page.load()))
    assert page.person.name == "Ada"

    # Someone else saves meanwhile; this tab's save must not overwrite it unseen.
    other = testapp.post_json("/api/auth/token/", {"username": manager.username, "password": PASSWORD}).json["access"]
    path = f"/api/people/{person.id}/"
    etag = testapp.get(path, headers={"Authorization": f"Bearer {other}"}).headers["ETag"]
    testapp.patch_json(path, {"jobTitle": "Architect"}, headers={"Authorization": f"Bearer {other}", "If-Match": etag})

    asyncio.run(drain(page.save({"name": "Ada", "job_title": "Lead", "is_active": "on"})))
    assert page.conflict and page.error == ""
    assert page.person.job_title == "Engineer"  # the form keeps what was typed; nothing is refilled


def test_dashboard_shows_people_booked_without_capacity(embedded_api, registry, root_state):
    user = make_user(registry, "user")
    week = week_keys(dt.date.today())[0]
    make_assignment(registry, person=make_person(registry, name="Zero", weekly_capacity=0), weekly_hours={week: 5})
    auth = substate(root_state, AuthState)
    asyncio.run(drain(auth.sign_in({"username": user.username, "password": PASSWORD})))
    dashboard = substate(root_state, AuthState, DashboardState)
    asyncio.run(drain(dashboard.load()))
    assert dashboard.error == ""
    (row,) = dashboard.team
    assert row.percent == "no capacity" and row.color == "red"


def test_person_page_utilisation_counts_time_off(embedded_api, registry, root_state):
    from tests.factories import make_timeoff

    user = make_user(registry, "user")
    person = make_person(registry, name="Ada", weekly_capacity=40)
    first, second = week_keys(dt.date.today())[:2]
    make_assignment(registry, person=person, weekly_hours={first: 20, second: 20})
    monday = dt.date.fromisoformat(second)
    make_timeoff(registry, person=person, start_date=monday, end_date=monday + dt.timedelta(days=4))  # all of week 2
    auth = substate(root_state, AuthState)
    asyncio.run(drain(auth.sign_in({"username": user.username, "password": PASSWORD})))
    page = substate(root_state, AuthState, PersonState)
    page.router = page.router.__class__.from_router_data({"pathname": f"/people/{person.id}", "asPath": f"/people/{person.id}"})
    asyncio.run(drain(page.load()))
    loads = page.weekly_load
    assert len(loads) == 12
    assert loads[0].percent == "50 %"
    assert loads[1].percent == "no capacity"  # hours planned in a week spent on holiday
