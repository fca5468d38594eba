"""Conflict-aware editing (states/conflict.py): forms pinned to the version they were filled from,
the review of a 412, "Keep my changes" applying only the fields one changed, and the grid's cells."""

import asyncio
import datetime as dt

from reflex.state import State

from planner_app.planning import week_keys
from planner_app.services.models import Stored, UserRef
from planner_app.states.assignments import AssignmentsState
from planner_app.states.auth import AuthState
from planner_app.states.conflict import CONFLICT_TEXT, changed_fields, conflict_message, review_lines
from planner_app.states.departments import DepartmentsState
from planner_app.states.people import PersonState
from planner_app.states.projects import DeliverablesState, ProjectState
from planner_app.states.timeoff import PERSON_BOX, TimeOffState
from planner_app.states.typeahead import TypeaheadState
from tests.app.conftest import drain, sign_in_tab
from tests.app.test_states import substate
from tests.factories import (
    PASSWORD,
    make_assignment,
    make_deliverable,
    make_department,
    make_person,
    make_project,
    make_timeoff,
    make_user,
)


def test_only_the_fields_you_changed_are_kept():
    base = {
        "name": "Ada",
        "job_title": "Engineer",
        "phone": None,
        "skills": ["revit"],
        "weekly_capacity": 36.0,
        "email": None,
    }
    mine = {"name": "Ada", "job_title": "Lead", "phone": "", "skills": ["revit"], "weekly_capacity": 36, "email": None}
    # A blank field where there was none, and 36 for 36.0, are no changes.
    assert changed_fields(base, mine) == {"job_title": "Lead"}


def test_review_lists_each_differing_field_with_who_changed_it():
    base = {"name": "Ada", "job_title": "Engineer", "phone": None, "department_id": 1}
    mine = {"name": "Ada", "job_title": "Lead", "phone": None, "department_id": 2}
    theirs = {"name": "Ada", "job_title": "Architect", "phone": "555", "department_id": 1}
    labels = {"name": "Name", "job_title": "Job title", "phone": "Phone", "department_id": "Department"}
    lines = review_lines(base, mine, theirs, labels, {"department_id": {"1": "Structures", "2": "Civil"}})
    assert [(line.label, line.theirs, line.yours, line.changed_by) for line in lines] == [
        ("Job title", "Architect", "Lead", "both"),
        ("Phone", "555", "—", "them"),
        ("Department", "Structures", "Civil", "you"),
    ]


def _tab(registry_user):
    """A signed-in browser tab: its own state tree (one per tab, as Reflex keeps them)."""
    root = State()
    auth = substate(root, AuthState)
    sign_in_tab(auth, registry_user.username)
    return root


def _open(root, cls, path: str):
    page = substate(root, cls)
    page.router = page.router.__class__.from_router_data({"pathname": path, "asPath": path})
    asyncio.run(drain(page.load()))
    return page


def _other_writer(testapp, user, path: str, changes: dict) -> None:
    token = testapp.post_json("/api/auth/token/", {"username": user.username, "password": PASSWORD}).json["access"]
    auth = {"Authorization": f"Bearer {token}"}
    etag = testapp.get(path, headers=auth).headers["ETag"]
    testapp.patch_json(path, changes, headers={**auth, "If-Match": etag})


def test_the_banner_names_who_saved_and_when_where_known():
    two_minutes_ago = (dt.datetime.now(dt.UTC) - dt.timedelta(minutes=2)).isoformat()
    ana = Stored(updated_by=UserRef(id=3, name="Ana Costa"), updated_at=two_minutes_ago)
    assert conflict_message(ana) == "Ana Costa updated this item 2 minutes ago. Reload latest."
    assert conflict_message(Stored(updated_at=two_minutes_ago)) == CONFLICT_TEXT  # a script's write
    assert conflict_message(None) == CONFLICT_TEXT
    assert conflict_message(ana, viewer_id=3) == "You updated this item 2 minutes ago in another tab. Reload latest."


def test_two_tabs_of_one_user_conflict_and_keep_my_changes_merges(embedded_api, registry, testapp):
    manager = make_user(registry, "manager")
    person = make_person(registry, name="Ada", job_title="Engineer", phone="")
    first, second = _tab(manager), _tab(manager)
    tab_a = _open(first, PersonState, f"/people/{person.id}")
    tab_b = _open(second, PersonState, f"/people/{person.id}")

    asyncio.run(drain(tab_a.save({"name": "Ada", "job_title": "Engineer", "phone": "555 0101", "is_active": "on"})))
    assert not tab_a.conflict and tab_a.person.phone == "555 0101"

    asyncio.run(drain(tab_b.save({"name": "Ada", "job_title": "Lead", "phone": "", "is_active": "on"})))
    assert tab_b.conflict and tab_b.error == ""
    # The banner names whoever saved first: here the same user, in the other tab.
    assert tab_b.conflict_text == "You updated this item just now in another tab. Reload latest."
    assert tab_b.person.job_title == "Engineer"  # typed values stay on screen, nothing refilled
    lines = {line.label: line for line in tab_b.changes}
    assert (lines["Job title"].theirs, lines["Job title"].yours, lines["Job title"].changed_by) == (
        "Engineer",
        "Lead",
        "you",
    )
    assert (lines["Phone"].theirs, lines["Phone"].yours, lines["Phone"].changed_by) == ("555 0101", "—", "them")

    asyncio.run(drain(tab_b.keep_my_changes()))
    assert not tab_b.conflict
    stored = testapp.get(f"/api/people/{person.id}/", headers=_bearer(testapp, manager)).json
    # B's field on top of A's version: A's phone is not undone by B's blank one.
    assert (stored["jobTitle"], stored["phone"]) == ("Lead", "555 0101")


def _bearer(testapp, user) -> dict:
    token = testapp.post_json("/api/auth/token/", {"username": user.username, "password": PASSWORD}).json["access"]
    return {"Authorization": f"Bearer {token}"}


def test_reload_latest_refills_the_form(embedded_api, registry, testapp):
    manager = make_user(registry, "manager")
    project = make_project(registry, name="Bridge", client="Acme")
    page = _open(_tab(manager), ProjectState, f"/projects/{project.id}")
    revision = page.form_revision
    _other_writer(testapp, manager, f"/api/projects/{project.id}/", {"client": "Globex"})

    asyncio.run(drain(page.save({"name": "Bridge 2", "client": "Acme", "status": "active"})))
    assert page.conflict and page.project.client == "Acme"
    asyncio.run(drain(page.reload_latest()))
    assert not page.conflict and page.project.client == "Globex" and page.project.name == "Bridge"
    assert page.form_revision > revision  # the form remounts with the latest values


def test_a_background_read_does_not_upgrade_the_forms_version(embedded_api, registry, testapp):
    manager = make_user(registry, "manager")
    department = make_department(registry, name="Civil")
    root = _tab(manager)
    departments = substate(root, DepartmentsState)
    asyncio.run(drain(departments.load()))
    asyncio.run(drain(departments.open_edit(department.id)))
    pinned = departments._form_etag
    _other_writer(testapp, manager, f"/api/departments/{department.id}/", {"description": "Roads"})

    # A list refresh and another panel read the department again in this tab meanwhile.
    asyncio.run(drain(departments.load()))

    async def another_panel():
        async with departments.api() as api:
            return await api.departments.get(department.id)

    assert asyncio.run(another_panel()).description == "Roads"
    assert departments._form_etag == pinned
    asyncio.run(drain(departments.save({"name": "Civil works", "description": ""})))
    assert departments.conflict and departments.dialog_open

    asyncio.run(drain(departments.keep_my_changes()))
    stored = testapp.get(f"/api/departments/{department.id}/", headers=_bearer(testapp, manager)).json
    assert (stored["name"], stored["description"]) == ("Civil works", "Roads")
    assert not departments.dialog_open


def test_a_conflicting_grid_cell_shows_theirs_and_keeps_mine_one_click_away(embedded_api, registry, testapp):
    manager = make_user(registry, "manager")
    week, next_week = week_keys(dt.date.today())[:2]
    assignment = make_assignment(
        registry, person=make_person(registry, weekly_capacity=40), weekly_hours={week: 8, next_week: 8}
    )
    writer = make_user(registry, "manager")
    grid = substate(_tab(manager), AssignmentsState)
    asyncio.run(drain(grid.load()))
    _other_writer(testapp, writer, f"/api/assignments/{assignment.id}/", {"weeklyHours": {week: 16}})

    asyncio.run(drain(grid.save_cell(assignment.id, next_week, "12")))
    cells = grid.blocks[0].rows[0].cells
    assert grid.conflict and grid.error == ""
    assert grid.conflict_text == f"{writer.username} updated this item just now. Reload latest."
    assert (cells[0].value, cells[0].mine) == ("16", "")  # their week shows
    assert (cells[1].value, cells[1].mine) == ("8", "12")  # the saved value, with mine one click away
    (line,) = grid.changes
    assert (line.theirs, line.yours, line.changed_by) == ("8", "12", "you")

    asyncio.run(drain(grid.use_mine(assignment.id, next_week)))
    assert not grid.conflict and grid.blocks[0].rows[0].cells[1].value == "12"
    stored = testapp.get(f"/api/assignments/{assignment.id}/", headers=_bearer(testapp, manager)).json
    assert stored["weeklyHours"] == {week: 16, next_week: 12}


def test_ticking_a_deliverable_someone_else_changed_shows_theirs_and_keeps_the_tick(embedded_api, registry, testapp):
    manager = make_user(registry, "manager")
    deliverable = make_deliverable(registry, description="Tender drawings")
    root = _tab(manager)
    _open(root, ProjectState, f"/projects/{deliverable.project_id}")
    card = substate(root, DeliverablesState)
    assert [d.description for d in card.deliverables] == ["Tender drawings"]
    _other_writer(testapp, manager, f"/api/deliverables/{deliverable.id}/", {"description": "Tender set"})

    asyncio.run(drain(card.toggle(deliverable.id, True)))
    (shown,) = card.deliverables
    assert card.conflict and (shown.description, shown.is_completed) == ("Tender set", False)
    (line,) = card.changes
    assert (line.label, line.theirs, line.yours) == ("Tender drawings: completed", "No", "Yes")

    asyncio.run(drain(card.keep_my_changes()))
    (shown,) = card.deliverables
    assert not card.conflict and (shown.description, shown.is_completed) == ("Tender set", True)


def test_a_time_off_dialog_in_conflict_names_the_people_and_reload_refills_its_typeahead(
    embedded_api, registry, testapp
):
    manager = make_user(registry, "manager")
    ada, bob = make_person(registry, name="Ada"), make_person(registry, name="Bob")
    entry = make_timeoff(registry, person=ada, notes="")
    root = _tab(manager)
    timeoff = substate(root, TimeOffState)
    asyncio.run(drain(timeoff.load()))
    asyncio.run(drain(timeoff.open_edit(entry.id)))
    _other_writer(testapp, manager, f"/api/timeoff/{entry.id}/", {"personId": bob.id})

    form = {
        "person_id": str(ada.id),
        "start_date": "2026-12-07",
        "end_date": "2026-12-09",
        "kind": "vacation",
        "notes": "Ski trip",
    }
    asyncio.run(drain(timeoff.save(form)))
    assert timeoff.conflict and timeoff.dialog_open
    lines = {line.label: line for line in timeoff.changes}
    assert (lines["Person"].theirs, lines["Person"].yours, lines["Person"].changed_by) == ("Bob", "Ada", "them")
    assert (lines["Notes"].yours, lines["Notes"].changed_by) == ("Ski trip", "you")

    asyncio.run(drain(timeoff.reload_latest()))
    typeahead = substate(root, TypeaheadState)
    assert not timeoff.conflict and timeoff.draft.person_id == bob.id
    assert (typeahead.chosen[PERSON_BOX], typeahead.query[PERSON_BOX]) == (bob.id, "Bob")
