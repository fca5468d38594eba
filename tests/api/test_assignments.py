"""Assignments: weeklyHours keyed by Mondays, hours 0–168, merged per week by PATCH, replaced by
PUT; people and projects that exist; personName / projectName."""

import pytest

from tests.factories import make_assignment, make_department, make_person, make_project


@pytest.fixture
def pair(registry):
    return make_person(registry, name="Ada"), make_project(registry, name="Harbour")


def _post(client, pair, **fields):
    person, project = pair
    return client.post("/api/assignments/", {"personId": person.id, "projectId": project.id, **fields})


def test_create_with_names_and_weeks(manager, pair):
    response = _post(manager, pair, roleOnProject="Engineer", weeklyHours={"2026-11-30": 8, "2026-11-23": 16.5})
    assert response.status_int == 201
    body = response.json
    assert (body["personName"], body["projectName"], body["roleOnProject"]) == ("Ada", "Harbour", "Engineer")
    assert body["weeklyHours"] == {"2026-11-23": 16.5, "2026-11-30": 8}
    assert list(body["weeklyHours"]) == ["2026-11-23", "2026-11-30"]  # sorted by week


@pytest.mark.parametrize(
    "weeks",
    [
        {"2026-11-24": 8},  # a Tuesday
        {"2026-11-29": 8},  # a Sunday
        {"20261123": 8},  # a Monday, but not written YYYY-MM-DD
        {"2026-11-23T00:00": 8},
        {"next week": 8},
        {"2026-11-23": -1},
        {"2026-11-23": 168.5},
        {"2026-11-23": "eight"},
        {"2026-11-23": float("nan")},
        {"2026-11-23": float("inf")},
        ["2026-11-23"],
    ],
)
def test_bad_weekly_hours_are_400(manager, pair, weeks):
    response = _post(manager, pair, weeklyHours=weeks)
    assert response.status_int == 400
    assert response.json["code"] == "invalid"
    assert list(response.json["errors"]) == ["weeklyHours"]


def test_hours_bounds_are_inclusive(manager, pair):
    response = _post(manager, pair, weeklyHours={"2026-11-23": 0, "2026-11-30": 168})
    assert response.status_int == 201 and response.json["weeklyHours"] == {"2026-11-23": 0, "2026-11-30": 168}


@pytest.mark.parametrize("field", ["personId", "projectId"])
def test_unknown_person_or_project_is_400(manager, pair, field):
    response = _post(manager, pair, **{field: 987654})
    assert response.status_int == 400
    assert response.json["code"] == "invalid"
    assert list(response.json["errors"]) == [field]


@pytest.mark.parametrize("field", ["personId", "projectId"])
def test_person_and_project_are_required(manager, pair, field):
    person, project = pair
    body = {"personId": person.id, "projectId": project.id}
    del body[field]
    response = manager.post("/api/assignments/", body)
    assert response.status_int == 400 and list(response.json["errors"]) == [field]


def test_patch_merges_weeks_and_null_removes_a_week(manager, pair):
    created = _post(
        manager, pair, roleOnProject="Engineer", weeklyHours={"2026-11-23": 16, "2026-11-30": 8, "2026-12-07": 4}
    )
    patched = manager.patch(
        f"/api/assignments/{created.json['id']}/",
        {"weeklyHours": {"2026-11-30": 20, "2026-12-07": None, "2026-12-14": 2}},
        {"If-Match": created.headers["ETag"]},
    )
    assert patched.status_int == 200
    assert patched.json["weeklyHours"] == {"2026-11-23": 16, "2026-11-30": 20, "2026-12-14": 2}
    assert patched.json["roleOnProject"] == "Engineer"


def test_patch_validates_merged_weeks(manager, pair):
    created = _post(manager, pair, weeklyHours={"2026-11-23": 16})
    response = manager.patch(
        f"/api/assignments/{created.json['id']}/",
        {"weeklyHours": {"2026-11-25": 3}},
        {"If-Match": created.headers["ETag"]},
    )
    assert response.status_int == 400 and list(response.json["errors"]) == ["weeklyHours"]
    assert manager.get(f"/api/assignments/{created.json['id']}/").json["weeklyHours"] == {"2026-11-23": 16}


def test_put_replaces_weeks(manager, pair):
    created = _post(manager, pair, roleOnProject="Engineer", weeklyHours={"2026-11-23": 16, "2026-11-30": 8})
    person, project = pair
    put = manager.put(
        f"/api/assignments/{created.json['id']}/",
        {"personId": person.id, "projectId": project.id, "weeklyHours": {"2026-12-07": 4}},
        {"If-Match": created.headers["ETag"]},
    )
    assert put.status_int == 200
    assert put.json["weeklyHours"] == {"2026-12-07": 4}
    assert put.json["roleOnProject"] == ""


def test_patch_person_updates_person_name(manager, pair, registry):
    created = _post(manager, pair)
    other = make_person(registry, name="Bea")
    patched = manager.patch(
        f"/api/assignments/{created.json['id']}/", {"personId": other.id}, {"If-Match": created.headers["ETag"]}
    )
    assert (patched.json["personId"], patched.json["personName"]) == (other.id, "Bea")
    unknown = manager.patch(
        f"/api/assignments/{created.json['id']}/", {"personId": 987654}, {"If-Match": patched.headers["ETag"]}
    )
    assert unknown.status_int == 400 and list(unknown.json["errors"]) == ["personId"]


def test_filters_by_person_project_and_department(staff, registry):
    structures = make_department(registry, name="Structures")
    ada = make_person(registry, name="Ada", department_id=structures.id)
    bob = make_person(registry, name="Bob")
    harbour, tunnel = make_project(registry, name="Harbour"), make_project(registry, name="Tunnel")
    a1 = make_assignment(registry, person=ada, project=harbour)
    a2 = make_assignment(registry, person=bob, project=harbour)
    a3 = make_assignment(registry, person=ada, project=tunnel)

    def ids(query):
        return sorted(a["id"] for a in staff.get(f"/api/assignments/?{query}").json["results"])

    assert ids(f"personId={ada.id}") == sorted([a1.id, a3.id])
    assert ids(f"projectId={harbour.id}") == sorted([a1.id, a2.id])
    assert ids(f"personId={ada.id}&projectId={harbour.id}") == [a1.id]
    assert ids(f"departmentId={structures.id}") == sorted([a1.id, a3.id])
    assert staff.get("/api/assignments/?departmentId=x").status_int == 400
    assert staff.get("/api/assignments/?departmentId=99999999999999999999").status_int == 400
    listed = staff.get(f"/api/assignments/?projectId={tunnel.id}").json["results"][0]
    assert (listed["personName"], listed["projectName"]) == ("Ada", "Tunnel")


def test_default_ordering_is_most_recently_updated_first(manager, registry):
    first, second = make_assignment(registry), make_assignment(registry)
    etag = manager.get(f"/api/assignments/{first.id}/").headers["ETag"]
    manager.patch(f"/api/assignments/{first.id}/", {"notes": "touched"}, {"If-Match": etag})
    assert [a["id"] for a in manager.get("/api/assignments/").json["results"]] == [first.id, second.id]


def test_a_list_of_ids_is_at_most_200(staff, registry):
    """An id list is an IN of as many parameters: bounded, so no URL reaches PostgreSQL's 65,535."""
    ada = make_person(registry, name="Ada")
    make_assignment(registry, person=ada)
    many = ",".join(str(ada.id + n) for n in range(200))
    assert len(staff.get(f"/api/assignments/?personId={many}").json["results"]) == 1
    refused = staff.get(f"/api/assignments/?personId={many},{ada.id + 200}")
    assert refused.status_int == 400 and refused.json["errors"] == {"personId": ["At most 200 ids."]}
