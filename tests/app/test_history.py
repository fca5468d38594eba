"""A detail page's History section (states/history.py): the API's change log in the form's words."""

import asyncio

from planner_app.services.models import Change, ChangedField, UserRef
from planner_app.states.history import HISTORY_PAGE, describe
from planner_app.states.people import PERSON_FIELDS, PersonState
from planner_app.states.projects import ProjectState
from tests.app.conftest import drain
from tests.app.test_conflicts import _open, _other_writer, _tab
from tests.factories import make_department, make_person, make_project, make_user

ANA = UserRef(id=3, name="Ana Costa")


def test_a_change_reads_in_the_forms_labels_and_choices():
    change = Change(
        seq=9,
        action="updated",
        actor=ANA,
        at="2026-12-01T10:00:00Z",
        changes=[
            ChangedField(field="weeklyCapacity", old=36, new=32),
            ChangedField(field="departmentId", old=1, new=2),
            ChangedField(field="departmentName", old="Structures", new="Civil"),  # not on the form
            ChangedField(field="phone", old=None, new="555"),
        ],
    )
    line = describe(change, PERSON_FIELDS, {"department_id": {"1": "Structures", "2": "Civil"}})
    assert (line.who, line.summary) == ("Ana Costa", "changed")
    assert line.fields == ["Weekly capacity 36 → 32", "Department Structures → Civil", "Phone — → 555"]
    assert line.at == "2026-12-01T10:00:00Z" and line.when


def test_creates_deletes_empty_saves_and_scripts_have_their_own_words():
    created = describe(Change(action="created", actor=ANA, changes=[ChangedField(field="name", new="A")]), {}, {})
    assert (created.summary, created.fields) == ("created this", [])
    assert describe(Change(action="deleted", actor=ANA), {}, {}).summary == "deleted this"
    assert describe(Change(action="updated", actor=ANA), {}, {}).summary == "saved it without changes"
    assert describe(Change(action="updated"), {}, {}).who == "The system"


def test_the_person_page_shows_its_history_newest_first_and_pages_older(embedded_api, registry, testapp):
    manager = make_user(registry, "manager")
    person = make_person(registry, name="Ada", weekly_capacity=36)
    for capacity in range(30, 30 + HISTORY_PAGE + 2):
        _other_writer(testapp, manager, f"/api/people/{person.id}/", {"weeklyCapacity": capacity})
    page = _open(_tab(manager), PersonState, f"/people/{person.id}")
    assert page.history_count == HISTORY_PAGE + 2 and len(page.history) == HISTORY_PAGE and page.history_more
    newest = page.history[0]
    assert (newest.who, newest.fields) == (
        manager.username,
        [f"Weekly capacity {28 + HISTORY_PAGE + 2} → {29 + HISTORY_PAGE + 2}"],
    )
    asyncio.run(drain(page.more_history()))
    assert len(page.history) == HISTORY_PAGE + 2 and not page.history_more
    assert page.history[-1].fields == ["Weekly capacity 36 → 30"]


def test_a_save_on_the_page_puts_its_change_on_top(embedded_api, registry):
    manager = make_user(registry, "manager")
    team = make_department(registry, name="Structures")
    person = make_person(registry, name="Ada", job_title="Engineer")
    page = _open(_tab(manager), PersonState, f"/people/{person.id}")
    assert page.history == []
    form = {"name": "Ada", "email": person.email, "job_title": "Lead", "department_id": str(team.id), "is_active": "on"}
    asyncio.run(drain(page.save(form)))
    assert not page.dialog_open and page.history[0].fields == ["Job title Engineer → Lead", "Department — → Structures"]


def test_the_project_page_shows_its_history(embedded_api, registry, testapp):
    manager = make_user(registry, "manager")
    project = make_project(registry, name="Bridge", status="planning")
    _other_writer(testapp, manager, f"/api/projects/{project.id}/", {"status": "active"})
    page = _open(_tab(manager), ProjectState, f"/projects/{project.id}")
    assert page.history[0].fields == ["Status Planning → Active"]
