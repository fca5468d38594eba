"""Projects: status enum, dates in order, unique project number, delete refused with assignments."""

import pytest

from tests.factories import make_assignment, make_deliverable, make_project


def test_defaults(manager):
    project = manager.post("/api/projects/", {"name": "Harbour"}).json
    assert (project["client"], project["status"], project["projectNumber"]) == ("Internal", "planning", None)


@pytest.mark.parametrize("status", ["planning", "active", "on_hold", "completed", "cancelled"])
def test_every_status_is_accepted(manager, status):
    response = manager.post("/api/projects/", {"name": "Harbour", "status": status})
    assert response.status_int == 201 and response.json["status"] == status


@pytest.mark.parametrize("status", ["done", "Active", "", None, 3])
def test_unknown_status_is_400(manager, status):
    response = manager.post("/api/projects/", {"name": "Harbour", "status": status})
    assert response.status_int == 400
    assert response.json["code"] == "invalid"
    assert list(response.json["errors"]) == ["status"]


def test_end_before_start_is_400_on_end_date(manager):
    response = manager.post("/api/projects/", {"name": "Harbour", "startDate": "2026-12-01", "endDate": "2026-11-30"})
    assert response.status_int == 400
    assert response.json["code"] == "invalid"
    assert response.json["errors"] == {"endDate": ["The end date must not be before the start date."]}


def test_end_on_start_day_is_fine(manager):
    response = manager.post("/api/projects/", {"name": "Harbour", "startDate": "2026-12-01", "endDate": "2026-12-01"})
    assert response.status_int == 201


def test_patch_start_after_existing_end_is_400(manager):
    created = manager.post("/api/projects/", {"name": "Harbour", "startDate": "2026-12-01", "endDate": "2026-12-31"})
    response = manager.patch(
        f"/api/projects/{created.json['id']}/", {"startDate": "2027-01-15"}, {"If-Match": created.headers["ETag"]}
    )
    assert response.status_int == 400 and list(response.json["errors"]) == ["endDate"]


@pytest.mark.parametrize(
    "field, value", [("startDate", "01/12/2026"), ("endDate", "2026-13-01"), ("estimatedHours", -1), ("name", "")]
)
def test_bad_values_are_400(manager, field, value):
    response = manager.post("/api/projects/", {"name": "Harbour", field: value})
    assert response.status_int == 400 and list(response.json["errors"]) == [field]


@pytest.mark.parametrize("value", ["Infinity", "NaN", "-Infinity"])
def test_estimated_hours_must_be_a_finite_number(manager, testapp, value):
    # Python's json accepts these tokens; stored, Infinity would be rendered back as invalid JSON.
    response = testapp.post(
        "/api/projects/",
        f'{{"name": "Harbour", "estimatedHours": {value}}}',
        status="*",
        content_type="application/json",
        headers={"Authorization": f"Bearer {manager.access}"},
    )
    assert response.status_int == 400 and list(response.json["errors"]) == ["estimatedHours"]


def test_duplicate_project_number_is_400_duplicate(manager, registry):
    make_project(registry, project_number="P-1")
    response = manager.post("/api/projects/", {"name": "Other", "projectNumber": "P-1"})
    assert response.status_int == 400
    assert response.json["code"] == "duplicate"
    assert list(response.json["errors"]) == ["projectNumber"]


def test_projects_without_number_do_not_collide(manager):
    for _ in range(2):
        response = manager.post("/api/projects/", {"name": "Internal work", "projectNumber": ""})
        assert response.status_int == 201 and response.json["projectNumber"] is None


def test_status_filter_and_search(staff, registry):
    active = make_project(registry, name="Harbour bridge", status="active")
    make_project(registry, name="Tunnel", status="completed", client="City")
    assert [p["id"] for p in staff.get("/api/projects/?status=active").json["results"]] == [active.id]
    assert [p["name"] for p in staff.get("/api/projects/?client=City").json["results"]] == ["Tunnel"]
    assert [p["id"] for p in staff.get("/api/projects/?search=BRIDGE").json["results"]] == [active.id]


def test_delete_with_assignments_is_400_and_nothing_is_deleted(manager, registry):
    project = make_project(registry)
    make_assignment(registry, project=project)
    response = manager.delete(f"/api/projects/{project.id}/")
    assert response.status_int == 400 and response.json["code"] == "invalid"
    assert "1 assignment" in response.json["detail"]
    assert manager.get(f"/api/projects/{project.id}/").status_int == 200
    assert manager.get(f"/api/assignments/?projectId={project.id}").json["count"] == 1


def test_delete_takes_its_deliverables_along(manager, registry):
    project = make_project(registry)
    make_deliverable(registry, project=project)
    assert manager.delete(f"/api/projects/{project.id}/").status_int == 204
    assert manager.get("/api/deliverables/").json["count"] == 0
