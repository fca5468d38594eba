"""Conveniences for list-driven screens: each row's ETag, multi-id filters, ordering by names."""

from tests.factories import make_assignment, make_person, make_project


def test_each_list_row_carries_its_detail_etag(admin, registry):
    person = make_person(registry)
    row = admin.get("/api/people/").json["results"][0]
    detail = admin.get(f"/api/people/{person.id}/")
    assert row["etag"] == detail.headers["ETag"] == detail.json["etag"]
    # It is enough to save: no GET first.
    saved = admin.patch(f"/api/people/{person.id}/", {"jobTitle": "Lead"}, {"If-Match": row["etag"]})
    assert saved.status_int == 200 and saved.json["etag"] == saved.headers["ETag"] != row["etag"]


def test_an_echoed_etag_in_a_body_is_ignored(admin, registry):
    person = make_person(registry)
    current = admin.get(f"/api/people/{person.id}/")
    body = {**current.json, "etag": '"forged"', "name": "Renamed"}
    saved = admin.put(f"/api/people/{person.id}/", body, {"If-Match": current.headers["ETag"]})
    assert saved.status_int == 200 and saved.json["name"] == "Renamed"


def test_assignments_for_several_people_in_one_call(admin, registry):
    first, second, third = (make_assignment(registry) for _ in range(3))
    ids = f"{first.person_id},{second.person_id}"
    found = admin.get(f"/api/assignments/?personId={ids}").json["results"]
    assert sorted(a["id"] for a in found) == sorted([first.id, second.id])
    assert third.id not in {a["id"] for a in found}


def test_assignments_order_by_person_then_project_name(admin, registry):
    zed, amy = make_person(registry, name="Zed"), make_person(registry, name="Amy")
    beta, alpha = make_project(registry, name="Beta"), make_project(registry, name="Alpha")
    for person in (zed, amy):
        for project in (beta, alpha):
            make_assignment(registry, person=person, project=project)
    rows = admin.get("/api/assignments/?ordering=personName,projectName").json["results"]
    assert [(r["personName"], r["projectName"]) for r in rows] == [
        ("Amy", "Alpha"),
        ("Amy", "Beta"),
        ("Zed", "Alpha"),
        ("Zed", "Beta"),
    ]
    rows = admin.get("/api/assignments/?ordering=-personName,projectName").json["results"]
    assert rows[0]["personName"] == "Zed"
