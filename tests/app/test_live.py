"""Live updates (states/live.py): what a page does with changes someone else saved, read from the
real change log. The background loop's delivery is exercised in the browser (tests/e2e/test_live.py)."""

import asyncio
import datetime as dt

from planner_app.planning import week_keys
from planner_app.services.client import ApiClient, Credentials
from planner_app.services.feed import HIDDEN, Batch
from planner_app.services.models import FeedEvent
from planner_app.states.assignments import AssignmentsState
from planner_app.states.auth import AuthState
from planner_app.states.dashboard import DashboardState
from planner_app.states.live import LiveState, for_viewer, read_presence, share_presence
from planner_app.states.people import PeopleState, PersonState
from planner_app.states.profile import ProfileState
from tests.app.conftest import drain
from tests.app.test_conflicts import _open, _other_writer, _tab
from tests.app.test_states import substate
from tests.factories import PASSWORD, make_assignment, make_person, make_project, make_user


def _events(page) -> list[FeedEvent]:
    """Everything in the log, read with the page's tab's own token (as the process reader does)."""

    async def read():
        auth = await page._auth()
        async with ApiClient(Credentials(auth._access)) as api:
            return (await api.events(0)).results

    return asyncio.run(read())


def _apply(page) -> list:
    return asyncio.run(page._on_changes(_events(page)))


def _delete(testapp, user, path: str) -> None:
    token = testapp.post_json("/api/auth/token/", {"username": user.username, "password": PASSWORD}).json["access"]
    auth = {"Authorization": f"Bearer {token}"}
    etag = testapp.get(path, headers=auth).headers["ETag"]
    testapp.delete(path, headers={**auth, "If-Match": etag})


def test_a_list_shows_the_saved_row_and_marks_it(embedded_api, registry, testapp):
    viewer, writer = make_user(registry, "manager"), make_user(registry, "manager")
    ada, ben = make_person(registry, name="Ada"), make_person(registry, name="Ben")
    page = _open(_tab(viewer), PeopleState, "/people")
    _other_writer(testapp, writer, f"/api/people/{ben.id}/", {"jobTitle": "Surveyor"})
    assert _apply(page) == []
    assert {p.id: p.job_title for p in page.people}[ben.id] == "Surveyor"
    assert page.live_changed == [ben.id] and not page.loading
    assert ada.id not in page.live_changed


def test_a_list_takes_an_update_from_the_event_itself_without_reading_again(embedded_api, registry, testapp):
    viewer, writer = make_user(registry, "manager"), make_user(registry, "manager")
    ben = make_person(registry, name="Ben", job_title="Engineer", weekly_capacity=36)
    page = _open(_tab(viewer), PeopleState, "/people")
    reads = []
    original = PeopleState._fetch_page
    PeopleState._fetch_page = lambda self, *args: reads.append(args) or original(self, *args)  # type: ignore[method-assign]
    try:
        _other_writer(testapp, writer, f"/api/people/{ben.id}/", {"jobTitle": "Lead", "weeklyCapacity": 30})
        _apply(page)
    finally:
        PeopleState._fetch_page = original  # type: ignore[method-assign]
    assert reads == []
    row = next(p for p in page.people if p.id == ben.id)
    assert (row.job_title, row.weekly_capacity, row.name) == ("Lead", 30, "Ben")
    assert row.etag == testapp.get(f"/api/people/{ben.id}/", headers=_auth(testapp, viewer)).headers["ETag"]
    assert row.updated_by is not None and row.updated_by.id == writer.id
    assert page.live_changed == [ben.id]


def test_a_change_that_moves_a_row_reads_the_list_again(embedded_api, registry, testapp):
    viewer, writer = make_user(registry, "manager"), make_user(registry, "manager")
    ada, ben = make_person(registry, name="Ada"), make_person(registry, name="Ben")
    page = _open(_tab(viewer), PeopleState, "/people")
    assert [p.id for p in page.people if p.id in (ada.id, ben.id)] == [ada.id, ben.id]
    _other_writer(testapp, writer, f"/api/people/{ada.id}/", {"name": "Zoe"})  # sorted by name
    _apply(page)
    assert [p.id for p in page.people if p.id in (ada.id, ben.id)] == [ben.id, ada.id]


def _auth(testapp, user) -> dict:
    token = testapp.post_json("/api/auth/token/", {"username": user.username, "password": PASSWORD}).json["access"]
    return {"Authorization": f"Bearer {token}"}


def test_changes_to_what_a_page_does_not_show_leave_it_alone(embedded_api, registry, testapp):
    viewer, writer = make_user(registry, "manager"), make_user(registry, "manager")
    project = make_project(registry, name="Bridge")
    page = _open(_tab(viewer), PeopleState, "/people")
    _other_writer(testapp, writer, f"/api/projects/{project.id}/", {"status": "active"})
    assert _apply(page) == [] and page.live_changed == []


def test_an_open_form_says_at_once_who_changed_its_item_and_keeps_what_was_typed(embedded_api, registry, testapp):
    viewer, writer = make_user(registry, "manager"), make_user(registry, "manager")
    person = make_person(registry, name="Ada", job_title="Engineer", phone="")
    page = _open(_tab(viewer), PersonState, f"/people/{person.id}")
    asyncio.run(drain(page.set_dialog_open(True)))
    pinned = page._form_etag
    _other_writer(testapp, writer, f"/api/people/{person.id}/", {"jobTitle": "Lead"})
    _apply(page)
    assert page.conflict and page.live_conflict
    assert page.conflict_text == f"{writer.username} just changed this. Reload latest, or review the changes."
    assert [(c.label, c.theirs, c.yours, c.changed_by) for c in page.changes] == [
        ("Job title", "Lead", "Engineer", "them")
    ]
    # Pinned to the version the form was filled from, and showing it, until the person chooses.
    assert page._form_etag == pinned and page.person.job_title == "Engineer" and page.dialog_open
    # Saving what was typed is then refused as any stale save is: now with Keep my changes.
    asyncio.run(drain(page.save({"name": "Ada", "job_title": "Engineer", "phone": "555", "is_active": "on"})))
    assert page.conflict and not page.live_conflict
    assert page.conflict_text.startswith(f"{writer.username} updated this item")


def test_a_closed_page_is_read_again_and_a_second_tab_of_the_author_is_told_it_was_them(
    embedded_api, registry, testapp
):
    viewer = make_user(registry, "manager")
    person = make_person(registry, name="Ada", job_title="Engineer")
    page = _open(_tab(viewer), PersonState, f"/people/{person.id}")
    _other_writer(testapp, viewer, f"/api/people/{person.id}/", {"jobTitle": "Lead"})
    _apply(page)
    assert page.person.job_title == "Lead" and not page.conflict
    assert page.history[0].fields == ["Job title Engineer → Lead"]
    asyncio.run(drain(page.set_dialog_open(True)))
    _other_writer(testapp, viewer, f"/api/people/{person.id}/", {"jobTitle": "Principal"})
    _apply(page)
    assert page.conflict_text == "You just changed this in another tab. Reload latest, or review the changes."


def test_a_deleted_item_says_who_deleted_it_and_cannot_be_saved(embedded_api, registry, testapp):
    viewer, writer = make_user(registry, "manager"), make_user(registry, "manager")
    person = make_person(registry, name="Ada")
    page = _open(_tab(viewer), PersonState, f"/people/{person.id}")
    asyncio.run(drain(page.set_dialog_open(True)))
    _delete(testapp, writer, f"/api/people/{person.id}/")
    _apply(page)
    assert page.deleted_text == f"Deleted by {writer.username}. It can no longer be saved."
    asyncio.run(drain(page.save({"name": "Ada", "is_active": "on"})))
    assert page.error == page.deleted_text and not page.saving


def test_the_grid_leaves_the_row_being_typed_in_and_then_shows_the_conflict(embedded_api, registry, testapp):
    viewer, writer = make_user(registry, "manager"), make_user(registry, "manager")
    person, project = make_person(registry, name="Ada"), make_project(registry, name="Bridge")
    week = week_keys(dt.date.today())[0]
    other = make_person(registry, name="Ben")
    typed_in = make_assignment(registry, person, project, weekly_hours={week: 8})
    elsewhere = make_assignment(registry, other, project, weekly_hours={week: 4})
    grid = _open(_tab(viewer), AssignmentsState, "/assignments")
    asyncio.run(grid.enter_cell(typed_in.id, week))
    _other_writer(testapp, writer, f"/api/assignments/{typed_in.id}/", {"weeklyHours": {week: 20}})
    _other_writer(testapp, writer, f"/api/assignments/{elsewhere.id}/", {"weeklyHours": {week: 6}})
    _apply(grid)
    assert grid._find(elsewhere.id).weekly_hours[week] == 6  # the other row is current
    assert grid._find(typed_in.id).weekly_hours[week] == 8  # the cell in use still shows what it did
    assert sorted(grid.live_changed) == sorted([typed_in.id, elsewhere.id])
    # Leaving the cell with a new value saves against the version typed against: the marker.
    asyncio.run(drain(grid.save_cell(typed_in.id, week, "12")))
    cell = next(c for b in grid.blocks for r in b.rows if r.id == typed_in.id for c in r.cells if c.week == week)
    assert (cell.value, cell.mine) == ("20", "12") and grid.conflict


def test_a_conflict_being_reviewed_stays_open_when_another_row_changes(embedded_api, registry, testapp):
    # The review closing under the person's fingers failed browser tests: "Keep my changes" vanished.
    viewer, writer = make_user(registry, "manager"), make_user(registry, "manager")
    project = make_project(registry, name="Bridge")
    week = week_keys(dt.date.today())[0]
    mine = make_assignment(registry, make_person(registry, name="Ada"), project, weekly_hours={week: 8})
    elsewhere = make_assignment(registry, make_person(registry, name="Ben"), project, weekly_hours={week: 4})
    grid = _open(_tab(viewer), AssignmentsState, "/assignments")
    asyncio.run(grid.enter_cell(mine.id, week))
    _other_writer(testapp, writer, f"/api/assignments/{mine.id}/", {"weeklyHours": {week: 20}})
    _apply(grid)
    asyncio.run(drain(grid.save_cell(mine.id, week, "12")))
    grid.toggle_review()
    assert grid.conflict and grid.review_open
    _other_writer(testapp, writer, f"/api/assignments/{elsewhere.id}/", {"weeklyHours": {week: 6}})
    _apply(grid)
    assert grid._find(elsewhere.id).weekly_hours[week] == 6
    assert grid.conflict and grid.review_open and [c.yours for c in grid.changes] == ["12"]


def test_leaving_the_cell_unchanged_shows_the_newer_row(embedded_api, registry, testapp):
    viewer, writer = make_user(registry, "manager"), make_user(registry, "manager")
    person, project = make_person(registry, name="Ada"), make_project(registry, name="Bridge")
    week = week_keys(dt.date.today())[0]
    assignment = make_assignment(registry, person, project, weekly_hours={week: 8})
    grid = _open(_tab(viewer), AssignmentsState, "/assignments")
    asyncio.run(grid.enter_cell(assignment.id, week))
    _other_writer(testapp, writer, f"/api/assignments/{assignment.id}/", {"weeklyHours": {week: 20}})
    _apply(grid)
    asyncio.run(drain(grid.save_cell(assignment.id, week, "8")))
    assert grid._find(assignment.id).weekly_hours[week] == 20 and not grid.conflict


def test_the_dashboard_reads_its_figures_again(embedded_api, registry, testapp):
    viewer, writer = make_user(registry, "manager"), make_user(registry, "manager")
    person, project = make_person(registry, name="Ada", weekly_capacity=40), make_project(registry, name="Bridge")
    week = week_keys(dt.date.today())[0]
    assignment = make_assignment(registry, person, project, weekly_hours={week: 8})
    board = _open(_tab(viewer), DashboardState, "/")
    before = {row.person_id: row.allocated for row in board.team}[person.id]
    _other_writer(testapp, writer, f"/api/assignments/{assignment.id}/", {"weeklyHours": {week: 30}})
    _apply(board)
    assert {row.person_id: row.allocated for row in board.team}[person.id] != before


def test_accounts_and_sessions_are_for_admins_and_their_owner_and_a_cue_for_everyone_else():
    session = FeedEvent(seq=1, resource="sessions", object_id=4, owner_id=5, action="updated")
    person = FeedEvent(seq=2, resource="people", object_id=7)
    hidden = FeedEvent(seq=3, resource=HIDDEN)
    signed_in = FeedEvent(seq=4, resource="sessions", object_id=8, owner_id=5, action="created")
    assert for_viewer((session, person), user_id=6, is_admin=False) == ([person], True)
    assert for_viewer((session, person), user_id=5, is_admin=False) == ([session, person], True)
    assert for_viewer((session, person), user_id=6, is_admin=True) == ([session, person], True)
    assert for_viewer((person,), user_id=6, is_admin=False) == ([person], False)
    # A hidden change goes to the page (only Profile follows it) and is a cue; a new session is none.
    assert for_viewer((hidden,), user_id=6, is_admin=False) == ([hidden], True)
    assert for_viewer((signed_in,), user_id=5, is_admin=False) == ([signed_in], False)
    assert for_viewer((signed_in,), user_id=6, is_admin=False) == ([], False)


def test_a_tab_whose_session_was_revoked_is_signed_out_by_the_next_change(embedded_api, registry, testapp):
    viewer = make_user(registry, "user")
    root = _tab(viewer)
    page = _open(root, PeopleState, "/people")
    live, auth = substate(root, LiveState), substate(root, AuthState)
    admin = make_user(registry, "admin")
    token = testapp.post_json("/api/auth/token/", {"username": admin.username, "password": PASSWORD}).json["access"]
    testapp.post(f"/api/auth/users/{viewer.id}/toggle_active/", headers={"Authorization": f"Bearer {token}"})
    followups = asyncio.run(live._apply(Batch((FeedEvent(seq=9, resource=HIDDEN),), 9), page, auth))
    assert followups and followups[0] is not None
    # Told by the reader that its token was refused, with no event at all: the same check.
    assert asyncio.run(live._apply(Batch((), 9, check=True), page, auth))


def _presence_of(page) -> None:
    asyncio.run(read_presence(page))


def test_a_detail_page_shows_who_else_has_it_open_and_what_they_do(embedded_api, registry):
    ana = make_user(registry, "manager")
    ben = make_user(registry, "manager")
    person = make_person(registry, name="Ada")
    ana_page = _open(_tab(ana), PersonState, f"/people/{person.id}")
    ben_page = _open(_tab(ben), PersonState, f"/people/{person.id}")
    asyncio.run(share_presence(ana_page))
    asyncio.run(share_presence(ben_page))
    _presence_of(ben_page)
    assert [p.text for p in ben_page.present] == [f"{ana.username} is viewing this"]
    asyncio.run(drain(ana_page.set_dialog_open(True)))  # tells the API at once
    _presence_of(ben_page)
    assert [(p.text, p.editing) for p in ben_page.present] == [(f"{ana.username} is editing this", True)]
    asyncio.run(drain(ana_page.set_dialog_open(False)))
    _presence_of(ben_page)
    assert [p.text for p in ben_page.present] == [f"{ana.username} is viewing this"]
    _presence_of(ana_page)  # nobody sees themselves in their own tab
    assert [p.text for p in ana_page.present] == [f"{ben.username} is viewing this"]


def test_a_second_tab_of_the_same_person_is_you(embedded_api, registry):
    ana = make_user(registry, "manager")
    person = make_person(registry, name="Ada")
    first = _open(_tab(ana), PersonState, f"/people/{person.id}")
    second = _open(_tab(ana), PersonState, f"/people/{person.id}")
    asyncio.run(share_presence(first))
    _presence_of(second)
    assert [p.text for p in second.present] == ["You, in another tab, are viewing this"]


def test_leaving_for_a_list_takes_the_presence_back(embedded_api, registry):
    ana, ben = make_user(registry, "manager"), make_user(registry, "manager")
    person = make_person(registry, name="Ada")
    root = _tab(ana)
    ana_page = _open(root, PersonState, f"/people/{person.id}")
    asyncio.run(share_presence(ana_page))
    ben_page = _open(_tab(ben), PersonState, f"/people/{person.id}")
    _presence_of(ben_page)
    assert ben_page.present
    asyncio.run(share_presence(_open(root, PeopleState, "/people")))  # the same tab, now on the list
    _presence_of(ben_page)
    assert ben_page.present == []


def test_the_grid_shows_who_is_in_which_cell(embedded_api, registry):
    ana, ben = make_user(registry, "manager"), make_user(registry, "manager")
    week = week_keys(dt.date.today())[0]
    assignment = make_assignment(registry, make_person(registry, name="Ada"), make_project(registry), weekly_hours={})
    ana_grid = _open(_tab(ana), AssignmentsState, "/assignments")
    ben_grid = _open(_tab(ben), AssignmentsState, "/assignments")
    asyncio.run(ana_grid.enter_cell(assignment.id, week))
    _presence_of(ben_grid)
    cell = next(c for b in ben_grid.blocks for r in b.rows if r.id == assignment.id for c in r.cells if c.week == week)
    assert cell.editor == ana.username[:2].upper() and cell.editor_text == f"{ana.username} is editing this"
    asyncio.run(drain(ana_grid.save_cell(assignment.id, week, "")))  # left without a change
    _presence_of(ben_grid)
    assert all(c.editor == "" for b in ben_grid.blocks for r in b.rows for c in r.cells)


def test_initials_and_lines():
    from planner_app.services.models import Presence, UserRef
    from planner_app.states.presence import initials, lines

    assert (initials("Ana Costa"), initials("admin"), initials("")) == ("AC", "AD", "?")
    ana = UserRef(id=1, name="Ana Costa")
    rows = [
        Presence(user=ana, activity="editing"),
        Presence(user=ana, activity="viewing"),  # her other tab: one line per person
        Presence(user=UserRef(id=2, name="Me"), activity="viewing", you=True),
    ]
    assert [p.text for p in lines(rows, viewer_id=2)] == ["Ana Costa is editing this"]


def test_a_users_profile_lists_the_sign_in_of_another_browser(embedded_api, registry, testapp):
    viewer = make_user(registry, "user")
    root = _tab(viewer)
    page = _open(root, ProfileState, "/profile")
    before = len(page.sessions)
    testapp.post_json("/api/auth/token/", {"username": viewer.username, "password": PASSWORD})
    events, check = for_viewer(tuple(_events(page)), viewer.id, is_admin=False)
    assert not check and asyncio.run(page._on_changes(events)) == []
    assert len(page.sessions) == before + 1
