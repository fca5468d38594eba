"""People: validation rules beyond the shared resource behaviour (test_resources.py)."""

import pytest

from tests.factories import make_assignment, make_department, make_person, make_timeoff


def _post(client, **fields):
    return client.post("/api/people/", {"name": "Grace Hopper", **fields})


def test_defaults(manager):
    person = _post(manager).json
    assert person["weeklyCapacity"] == 36
    assert person["skills"] == [] and person["email"] is None
    assert person["isActive"] is True
    assert person["departmentId"] is None and person["departmentName"] is None


@pytest.mark.parametrize(
    "body, field",
    [
        ({"name": ""}, "name"),
        ({"name": "   "}, "name"),
        ({"name": "x" * 201}, "name"),
        ({"email": "not-an-email"}, "email"),
        ({"email": "two@@example.com"}, "email"),
        ({"email": "no-dot@example"}, "email"),
        ({"weeklyCapacity": -1}, "weeklyCapacity"),
        ({"weeklyCapacity": 168.5}, "weeklyCapacity"),
        ({"weeklyCapacity": "lots"}, "weeklyCapacity"),
        ({"weeklyCapacity": float("nan")}, "weeklyCapacity"),
        ({"weeklyCapacity": float("inf")}, "weeklyCapacity"),
        ({"hireDate": "2026-02-30"}, "hireDate"),
        ({"skills": "revit"}, "skills"),
        ({"skills": [""]}, "skills"),
        ({"isActive": "perhaps"}, "isActive"),
    ],
)
def test_invalid_fields_are_400(manager, body, field):
    response = manager.post("/api/people/", {"name": "Grace Hopper", **body})
    assert response.status_int == 400
    assert response.json["code"] == "invalid"
    assert list(response.json["errors"]) == [field]
    assert manager.get("/api/people/").json["count"] == 0


def test_name_is_required(manager):
    response = manager.post("/api/people/", {"email": "a@example.com"})
    assert response.status_int == 400 and list(response.json["errors"]) == ["name"]


@pytest.mark.parametrize("capacity", [0, 168, 37.5])
def test_weekly_capacity_bounds_are_inclusive(manager, capacity):
    response = _post(manager, weeklyCapacity=capacity)
    assert response.status_int == 201 and response.json["weeklyCapacity"] == capacity


def test_email_is_stored_lower_case_and_blank_means_none(manager):
    assert _post(manager, email="Grace@Example.COM").json["email"] == "grace@example.com"
    assert _post(manager, email="").json["email"] is None
    assert _post(manager, email="").status_int == 201  # two people without email are fine


def test_duplicate_email_is_400_duplicate(manager, registry):
    make_person(registry, email="grace@example.com")
    response = _post(manager, email="GRACE@example.com")
    assert response.status_int == 400
    assert response.json["code"] == "duplicate"
    assert list(response.json["errors"]) == ["email"]


def test_patch_to_a_taken_email_is_400_duplicate_but_keeping_own_email_is_fine(manager, registry):
    make_person(registry, email="taken@example.com")
    mine = _post(manager, email="mine@example.com")
    url, etag = f"/api/people/{mine.json['id']}/", mine.headers["ETag"]
    taken = manager.patch(url, {"email": "taken@example.com"}, {"If-Match": etag})
    assert taken.status_int == 400 and taken.json["code"] == "duplicate"
    same = manager.patch(url, {"email": "mine@example.com", "phone": "123"}, {"If-Match": etag})
    assert same.status_int == 200 and same.json["phone"] == "123"


def test_skills_are_trimmed_and_deduplicated_case_insensitively(manager):
    person = _post(manager, skills=[" Revit ", "revit", "AutoCAD"]).json
    assert person["skills"] == ["Revit", "AutoCAD"]


def test_skill_filter_is_case_insensitive(staff, registry):
    revit = make_person(registry, skills=["Revit", "BIM"])
    make_person(registry, skills=["AutoCAD"])
    make_person(registry, skills=[])
    for query in ("revit", "REVIT", "Revit", " revit "):
        results = staff.get("/api/people/", params={"skill": query}).json["results"]
        assert [p["id"] for p in results] == [revit.id], query
    assert staff.get("/api/people/?skill=rev").json["count"] == 0  # whole skills, not substrings


def test_department_filter_and_department_name(staff, registry):
    structures, civil = make_department(registry, name="Structures"), make_department(registry, name="Civil")
    ada = make_person(registry, name="Ada", department_id=structures.id, skills=["revit"])
    make_person(registry, name="Bob", department_id=structures.id)
    make_person(registry, name="Cy", department_id=civil.id, skills=["revit"])
    results = staff.get(f"/api/people/?departmentId={structures.id}&skill=revit").json["results"]
    assert [(p["id"], p["departmentName"]) for p in results] == [(ada.id, "Structures")]
    both = staff.get(f"/api/people/?departmentId={structures.id},{civil.id}").json
    assert both["count"] == 3


def test_is_active_filter(staff, registry):
    make_person(registry, is_active=False)
    active = make_person(registry)
    assert [p["id"] for p in staff.get("/api/people/?isActive=true").json["results"]] == [active.id]
    assert staff.get("/api/people/?isActive=false").json["count"] == 1
    assert staff.get("/api/people/?isActive=maybe").status_int == 400


def test_default_ordering_is_by_name(staff, registry):
    for name in ("Carol", "Alice", "Bob"):
        make_person(registry, name=name)
    assert [p["name"] for p in staff.get("/api/people/").json["results"]] == ["Alice", "Bob", "Carol"]


def test_unknown_department_is_400(manager, registry):
    response = _post(manager, departmentId=987654)
    assert response.status_int == 400
    assert response.json["code"] == "invalid"
    assert list(response.json["errors"]) == ["departmentId"]


def test_department_can_be_set_and_cleared(manager, registry):
    department = make_department(registry, name="Structures")
    created = _post(manager, departmentId=department.id)
    assert created.json["departmentName"] == "Structures"
    cleared = manager.patch(
        f"/api/people/{created.json['id']}/", {"departmentId": None}, {"If-Match": created.headers["ETag"]}
    )
    assert cleared.status_int == 200
    assert cleared.json["departmentId"] is None and cleared.json["departmentName"] is None


def test_put_replaces_and_resets_omitted_fields_to_defaults(manager):
    created = _post(manager, jobTitle="Engineer", skills=["Revit"], weeklyCapacity=20)
    put = manager.put(
        f"/api/people/{created.json['id']}/", {"name": "G. Hopper"}, {"If-Match": created.headers["ETag"]}
    )
    assert put.status_int == 200
    assert (put.json["name"], put.json["jobTitle"], put.json["skills"], put.json["weeklyCapacity"]) == (
        "G. Hopper",
        "",
        [],
        36,
    )


def test_patch_merges(manager):
    created = _post(manager, jobTitle="Engineer", skills=["Revit"])
    patched = manager.patch(
        f"/api/people/{created.json['id']}/", {"location": "Oslo"}, {"If-Match": created.headers["ETag"]}
    )
    assert (patched.json["jobTitle"], patched.json["skills"], patched.json["location"]) == (
        "Engineer",
        ["Revit"],
        "Oslo",
    )


def test_delete_with_assignments_is_400_and_nothing_is_deleted(manager, registry):
    person = make_person(registry)
    first, second = make_assignment(registry, person=person), make_assignment(registry, person=person)
    make_timeoff(registry, person=person)
    response = manager.delete(f"/api/people/{person.id}/")
    assert response.status_int == 400
    assert response.json["code"] == "invalid"
    assert "2 assignment" in response.json["detail"]
    assert manager.get(f"/api/people/{person.id}/").status_int == 200
    assert {a["id"] for a in manager.get(f"/api/assignments/?personId={person.id}").json["results"]} == {
        first.id,
        second.id,
    }
    assert manager.get(f"/api/timeoff/?personId={person.id}").json["count"] == 1


def test_delete_takes_time_off_along_and_frees_managed_departments(manager, registry):
    person = make_person(registry)
    make_timeoff(registry, person=person)
    department = make_department(registry, manager_id=person.id)
    assert manager.delete(f"/api/people/{person.id}/").status_int == 204
    assert manager.get("/api/timeoff/").json["count"] == 0
    assert manager.get(f"/api/departments/{department.id}/").json["managerId"] is None


def test_email_filter_ignores_case(admin, registry):
    from tests.factories import make_person

    person = make_person(registry, email="ada@example.com")
    found = admin.get("/api/people/?email=Ada@Example.COM").json
    assert [p["id"] for p in found["results"]] == [person.id]


def test_deleting_a_manager_changes_the_department_etag(admin, registry):
    from tests.factories import make_department, make_person

    boss = make_person(registry)
    department = make_department(registry, manager_id=boss.id)
    etag = admin.get(f"/api/departments/{department.id}/").headers["ETag"]
    assert admin.delete(f"/api/people/{boss.id}/").status_int == 204
    after = admin.get(f"/api/departments/{department.id}/")
    assert after.json["managerId"] is None and after.headers["ETag"] != etag
