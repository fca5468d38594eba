"""Reads are bounded in queries: a detail read is one SELECT with its names joined in, a list page a
fixed number whatever its rows link to.

Counted as the SELECTs a request runs beyond a baseline request that passes the same security
check and then runs nothing of its own (an id that cannot exist is refused before any query), so
the count does not depend on how the session check is implemented."""

from contextlib import contextmanager

import pytest
from sqlalchemy import event

from tests.factories import (
    make_assignment,
    make_deliverable,
    make_department,
    make_person,
    make_project,
    make_timeoff,
)


@pytest.fixture
def selects(registry):
    engine = registry.planner_engine

    @contextmanager
    def counting():
        seen = []

        def count(_conn, _cursor, statement, *_args):
            # Reads only: not the change log's ordering lock (a PostgreSQL function called with
            # SELECT; core/changes.py).
            if statement.lstrip().upper().startswith("SELECT") and "pg_advisory_xact_lock" not in statement:
                seen.append(statement)

        event.listen(engine, "before_cursor_execute", count)
        try:
            yield seen
        finally:
            event.remove(engine, "before_cursor_execute", count)

    return counting


def own_selects(selects, client, method, url, baseline="/api/people/0/", **kw) -> int:
    """SELECTs of the request beyond those of GET `baseline` (same permission, 404 before any query)."""
    with selects() as base:
        assert client.get(baseline).status_int == 404
    with selects() as seen:
        response = getattr(client, method)(url, **kw)
    assert response.status_int < 300, response.text
    return len(seen) - len(base)


def detail_cases(registry):
    department = make_department(registry)
    person = make_person(registry, department_id=department.id)
    project = make_project(registry)
    return {
        "people": person.id,
        "departments": make_department(registry, manager_id=person.id, parent_id=department.id).id,
        "projects": project.id,
        "assignments": make_assignment(registry, person=person, project=project).id,
        "deliverables": make_deliverable(registry, project=project).id,
        "timeoff": make_timeoff(registry, person=person).id,
    }


def test_a_detail_read_is_one_query_with_its_names(admin, registry, selects):
    for path, ident in detail_cases(registry).items():
        assert own_selects(selects, admin, "get", f"/api/{path}/{ident}/", f"/api/{path}/0/") == 1, path


def test_a_list_page_costs_the_same_whatever_its_rows_link_to(admin, registry, selects):
    project = make_project(registry)
    make_person(registry)  # a page of one person without a department
    one = own_selects(selects, admin, "get", "/api/people/?pageSize=200")
    for n in range(60):  # people in many departments, each with an assignment and time off
        person = make_person(registry, department_id=make_department(registry).id)
        make_assignment(registry, person=person, project=make_project(registry) if n % 2 else project)
        make_timeoff(registry, person=person)
        make_deliverable(registry, project=project)
    assert one == own_selects(selects, admin, "get", "/api/people/?pageSize=200") == 2  # the count and the page
    for path in ("assignments", "timeoff", "deliverables"):
        assert own_selects(selects, admin, "get", f"/api/{path}/?pageSize=200") == 2, path


def test_the_answer_to_a_write_is_what_the_update_returned(admin, registry, selects):
    department, other = make_department(registry), make_department(registry, name="Other")
    person = admin.post("/api/people/", {"name": "Ada", "departmentId": department.id}).json
    assert person["departmentName"] == department.name
    path = f"/api/people/{person['id']}/"
    # Only the read for the ETag check: the answer is the UPDATE's RETURNING with the names read
    # then; the unchanged email and department are not checked again.
    cost = own_selects(selects, admin, "patch", path, body={"weeklyCapacity": 30}, headers={"If-Match": person["etag"]})
    assert cost == 1
    answer = admin.get(path).json
    assert answer["weeklyCapacity"] == 30 and answer["departmentName"] == department.name
    # A new department: its name is read with the answer (and the department checked first).
    cost = own_selects(
        selects, admin, "patch", path, body={"departmentId": other.id}, headers={"If-Match": answer["etag"]}
    )
    assert cost == 3
    moved = admin.get(path).json
    assert moved["departmentName"] == "Other"
