"""Page states driven directly (no browser): sign-in, the auth gate and a grid edit."""

import asyncio
import datetime as dt

from planner_app.planning import week_keys
from planner_app.states.assignments import AssignmentsState
from planner_app.states.auth import AuthState
from planner_app.states.dashboard import DashboardState
from planner_app.states.people import PeopleState, PersonState
from tests.app.conftest import drain, last_challenge, sign_in_tab
from tests.factories import PASSWORD, make_assignment, make_person, make_user


def substate(root, *classes):
    state = root
    for cls in classes:
        state = state.substates[cls.get_name()]
    return state


def test_sign_in_keeps_the_access_token_server_side_and_no_token_in_the_browser(embedded_api, registry, root_state):
    user = make_user(registry, "manager")
    auth = substate(root_state, AuthState)
    form = {"username": user.username, "password": PASSWORD}
    # The browser posts the form itself; the password is never sent back to it.
    assert PASSWORD not in str(auth.sign_in(form)) and auth.signing_in
    browser = sign_in_tab(auth, user.username)
    assert auth.user.username == user.username and auth.can_edit and not auth.is_admin
    assert auth._access and auth.signed_in_flag == "1"
    assert "_access" not in auth.get_delta().get(auth.get_full_name(), {})
    # What the browser keeps: the refresh token in its (HttpOnly) cookie, and no access token.
    assert browser.cookies.get("planner_refresh") and auth._access not in str(dict(browser.cookies))


def test_wrong_password_is_said_in_words(embedded_api, registry, root_state):
    user = make_user(registry, "user")
    auth = substate(root_state, AuthState)
    sign_in_tab(auth, user.username, "nope")
    assert auth.login_error == "Wrong username or password."
    assert not auth.signed_in and auth.signed_in_flag == "" and not auth.signing_in


def _new_tab(browser_flag: str = "1"):
    from reflex.state import State

    tab = substate(State(), AuthState)
    tab.signed_in_flag = browser_flag  # what localStorage hands the new tab
    return tab


def test_a_new_tab_is_signed_in_by_the_gate_through_the_browsers_cookie(embedded_api, registry, root_state):
    user = make_user(registry, "user")
    first_tab = substate(root_state, AuthState)
    browser = sign_in_tab(first_tab, user.username)
    new_tab = _new_tab()
    people = substate(new_tab.parent_state, PeopleState)
    make_person(registry)
    # The gate asks the browser for a grant; the page's loader waits meanwhile (no call, no error).
    assert "plannerAuth.grant" in str(asyncio.run(new_tab.require_login()))
    assert asyncio.run(drain(people.load())) == [] and people.count == 0 and people.error == ""
    rerun = asyncio.run(new_tab.granted(asyncio.run(browser.grant(last_challenge(new_tab)))))
    assert new_tab.user.id == user.id and new_tab._access and new_tab._access != first_tab._access
    assert "on_load_internal" in str(rerun) and not new_tab.parent_state.is_hydrated  # the page loads again, hidden
    assert "plannerAuth.renewAfter" in str(asyncio.run(new_tab.require_login()))  # now it passes
    asyncio.run(drain(people.load()))
    assert people.count == 1


def test_the_page_renews_the_access_token_before_it_expires(embedded_api, registry, root_state):
    user = make_user(registry, "user")
    auth = substate(root_state, AuthState)
    browser = sign_in_tab(auth, user.username)
    renewal = asyncio.run(auth.require_login())
    assert "plannerAuth.renewAfter" in str(renewal)
    old = auth._access
    following = asyncio.run(auth.renewed(asyncio.run(browser.grant(last_challenge(auth)))))
    assert auth._access and auth._access != old and "plannerAuth.renewAfter" in str(following)
    assert len(auth._verifiers) <= 4  # verifiers of grants never answered do not pile up


def test_signing_out_in_one_tab_signs_out_the_others(embedded_api, registry, root_state):
    user = make_user(registry, "user")
    first_tab = substate(root_state, AuthState)
    browser = sign_in_tab(first_tab, user.username)
    second_tab = _new_tab()
    asyncio.run(second_tab.require_login())
    asyncio.run(second_tab.granted(asyncio.run(browser.grant(last_challenge(second_tab)))))
    assert second_tab.signed_in

    assert "plannerAuth.signOut" in str(first_tab.sign_out())
    assert "/login" in str(asyncio.run(first_tab.signed_out(asyncio.run(browser.sign_out()))))
    assert first_tab.signed_in_flag == "" and not first_tab.signed_in
    assert not browser.cookies.get("planner_refresh")
    second_tab.signed_in_flag = first_tab.signed_in_flag  # localStorage's sync
    assert "/login?next=" in str(asyncio.run(second_tab.require_login())) and not second_tab.signed_in


def test_a_refused_grant_signs_this_browser_out(embedded_api, registry, root_state):
    """The cookie is gone or its session revoked (signed out elsewhere): every tab of this browser."""
    user = make_user(registry, "user")
    auth = substate(root_state, AuthState)
    sign_in_tab(auth, user.username)
    stranger = _new_tab()
    asyncio.run(stranger.require_login())
    event = asyncio.run(
        stranger.granted({"status": 401, "code": "not_authenticated", "challenge": last_challenge(stranger)})
    )
    assert "/login?next=" in str(event) and stranger.signed_in_flag == "" and not stranger.signed_in


def test_a_page_load_without_a_session_goes_to_login(embedded_api, root_state):
    auth = substate(root_state, AuthState)
    event = asyncio.run(auth.require_login())
    assert "/login?next=" in str(event)


def test_people_list_loads_the_rows_on_screen(embedded_api, registry, root_state):
    user = make_user(registry, "user")
    for n in range(30):
        make_person(registry, name=f"Person {n:02d}")
    auth = substate(root_state, AuthState)
    sign_in_tab(auth, user.username)
    people = substate(root_state, PeopleState)
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
    sign_in_tab(auth, manager.username)
    grid = substate(root_state, AssignmentsState)
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
    sign_in_tab(auth, manager.username)
    grid = substate(root_state, AssignmentsState)
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
    sign_in_tab(auth, manager.username)
    grid = substate(root_state, AssignmentsState)
    asyncio.run(drain(grid.load()))
    asyncio.run(drain(grid.save_cell(assignment.id, week, "10")))

    other = testapp.post_json("/api/auth/token/", {"username": manager.username, "password": PASSWORD}).json["access"]
    path = f"/api/assignments/{assignment.id}/"
    etag = testapp.get(path, headers={"Authorization": f"Bearer {other}"}).headers["ETag"]
    testapp.patch_json(
        path, {"weeklyHours": {next_week: 4}}, headers={"Authorization": f"Bearer {other}", "If-Match": etag}
    )

    asyncio.run(drain(grid.load()))
    asyncio.run(drain(grid.save_cell(assignment.id, week, "12")))
    assert grid.error == ""
    assert grid.blocks[0].rows[0].total == "16"


def test_person_form_saves_against_the_version_it_was_filled_from(embedded_api, registry, root_state, testapp):
    manager = make_user(registry, "manager")
    person = make_person(registry, name="Ada", job_title="Engineer")
    auth = substate(root_state, AuthState)
    sign_in_tab(auth, manager.username)
    page = substate(root_state, PersonState)
    page.router = page.router.__class__.from_router_data(
        {"pathname": f"/people/{person.id}", "asPath": f"/people/{person.id}"}
    )
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
    sign_in_tab(auth, user.username)
    dashboard = substate(root_state, DashboardState)
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
    sign_in_tab(auth, user.username)
    page = substate(root_state, PersonState)
    page.router = page.router.__class__.from_router_data(
        {"pathname": f"/people/{person.id}", "asPath": f"/people/{person.id}"}
    )
    asyncio.run(drain(page.load()))
    loads = page.weekly_load
    assert len(loads) == 12
    assert loads[0].percent == "50 %"
    assert loads[1].percent == "no capacity"  # hours planned in a week spent on holiday


def test_an_unknown_grant_answer_signs_nobody_out(embedded_api, registry, root_state):
    user = make_user(registry, "user")
    auth = substate(root_state, AuthState)
    browser = sign_in_tab(auth, user.username)
    stale = asyncio.run(browser.grant("b" * 43))  # a challenge this tab no longer (or never) had
    assert asyncio.run(auth.renewed(stale)) is None
    assert auth.signed_in and auth.signed_in_flag == "1"
