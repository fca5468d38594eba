"""Deliverables: a project that exists, percentage 0–100, date filters."""

from datetime import date

import pytest

from tests.factories import make_deliverable, make_project


def test_create_with_project_name(manager, registry):
    project = make_project(registry, name="Harbour")
    response = manager.post(
        "/api/deliverables/",
        {"projectId": project.id, "date": "2026-12-14", "description": "Tender", "percentage": 100},
    )
    assert response.status_int == 201
    assert (response.json["projectName"], response.json["isCompleted"]) == ("Harbour", False)


@pytest.mark.parametrize(
    "field, value",
    [
        ("percentage", 101),
        ("percentage", -1),
        ("date", "14.12.2026"),
        ("isCompleted", "yes please"),
        ("projectId", "one"),
    ],
)
def test_bad_values_are_400(manager, registry, field, value):
    project = make_project(registry)
    response = manager.post("/api/deliverables/", {"projectId": project.id, field: value})
    assert response.status_int == 400 and list(response.json["errors"]) == [field]


def test_unknown_or_missing_project_is_400(manager):
    unknown = manager.post("/api/deliverables/", {"projectId": 987654})
    assert unknown.status_int == 400 and list(unknown.json["errors"]) == ["projectId"]
    missing = manager.post("/api/deliverables/", {"description": "x"})
    assert missing.status_int == 400 and list(missing.json["errors"]) == ["projectId"]


def test_filters_project_date_and_range(staff, registry):
    harbour, tunnel = make_project(registry), make_project(registry)
    d1 = make_deliverable(registry, project=harbour, date=date(2026, 12, 1))
    d2 = make_deliverable(registry, project=harbour, date=date(2026, 12, 15), is_completed=True)
    d3 = make_deliverable(registry, project=tunnel, date=date(2027, 1, 5))

    def ids(query):
        return [d["id"] for d in staff.get(f"/api/deliverables/?{query}").json["results"]]

    assert ids(f"projectId={harbour.id}") == [d1.id, d2.id]
    assert ids("date=2026-12-15") == [d2.id]
    assert ids("isCompleted=false") == [d1.id, d3.id]
    assert ids("from=2026-12-02&to=2027-01-05") == [d2.id, d3.id]
    assert ids("ordering=-date") == [d3.id, d2.id, d1.id]
    for query in ("date=tomorrow", "from=soon"):
        response = staff.get(f"/api/deliverables/?{query}")
        assert response.status_int == 400 and response.json["code"] == "invalid"
