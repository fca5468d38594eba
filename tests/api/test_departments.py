"""Departments: unique names, parents and managers that exist, no loops."""

from tests.factories import make_department, make_person


def _patch(client, department, body):
    url = f"/api/departments/{department.id}/"
    return client.patch(url, body, {"If-Match": client.get(url).headers["ETag"]})


def test_duplicate_name_is_400_duplicate(manager, registry):
    make_department(registry, name="Structures")
    response = manager.post("/api/departments/", {"name": "Structures"})
    assert response.status_int == 400
    assert response.json["code"] == "duplicate"
    assert list(response.json["errors"]) == ["name"]


def test_rename_to_a_taken_name_is_400_but_keeping_own_name_is_fine(manager, registry):
    make_department(registry, name="Structures")
    civil = make_department(registry, name="Civil")
    assert _patch(manager, civil, {"name": "Structures"}).json["code"] == "duplicate"
    kept = _patch(manager, civil, {"name": "Civil", "description": "Roads"})
    assert kept.status_int == 200 and kept.json["description"] == "Roads"


def test_name_is_required(manager):
    response = manager.post("/api/departments/", {"description": "No name"})
    assert response.status_int == 400 and list(response.json["errors"]) == ["name"]


def test_parent_and_manager_must_exist(manager, registry):
    response = manager.post("/api/departments/", {"name": "Orphan", "parentId": 99999, "managerId": 88888})
    assert response.status_int == 400
    assert response.json["code"] == "invalid"
    assert set(response.json["errors"]) == {"parentId", "managerId"}


def test_parent_and_manager(manager, registry):
    parent, boss = make_department(registry, name="Engineering"), make_person(registry)
    child = manager.post("/api/departments/", {"name": "Bridges", "parentId": parent.id, "managerId": boss.id})
    assert child.status_int == 201
    assert (child.json["parentId"], child.json["managerId"]) == (parent.id, boss.id)
    listed = manager.get(f"/api/departments/?parentId={parent.id}").json["results"]
    assert [d["id"] for d in listed] == [child.json["id"]]
    assert manager.get(f"/api/departments/?managerId={boss.id}").json["count"] == 1


def test_department_cannot_be_its_own_parent(manager, registry):
    department = make_department(registry)
    response = _patch(manager, department, {"parentId": department.id})
    assert response.status_int == 400
    assert list(response.json["errors"]) == ["parentId"]


def test_parent_loop_is_400(manager, registry):
    top = make_department(registry, name="Top")
    middle = make_department(registry, name="Middle", parent_id=top.id)
    bottom = make_department(registry, name="Bottom", parent_id=middle.id)
    response = _patch(manager, top, {"parentId": bottom.id})
    assert response.status_int == 400
    assert response.json["code"] == "invalid"
    assert list(response.json["errors"]) == ["parentId"]
    assert manager.get(f"/api/departments/{top.id}/").json["parentId"] is None
    # Moving a leaf under a sibling branch is fine.
    other = make_department(registry, name="Other", parent_id=top.id)
    assert _patch(manager, bottom, {"parentId": other.id}).status_int == 200


def test_delete_leaves_people_and_children_without_department(manager, registry):
    parent = make_department(registry, name="Engineering")
    child = make_department(registry, name="Bridges", parent_id=parent.id)
    person = make_person(registry, department_id=parent.id)
    assert manager.delete(f"/api/departments/{parent.id}/").status_int == 204
    assert manager.get(f"/api/people/{person.id}/").json["departmentId"] is None
    assert manager.get(f"/api/departments/{child.id}/").json["parentId"] is None


def test_default_ordering_is_by_name(staff, registry):
    for name in ("Civil", "Acoustics", "Bridges"):
        make_department(registry, name=name)
    assert [d["name"] for d in staff.get("/api/departments/").json["results"]] == ["Acoustics", "Bridges", "Civil"]


def test_deleting_a_department_changes_the_etags_of_what_pointed_at_it(admin, registry):
    from tests.factories import make_department, make_person

    department = make_department(registry)
    child = make_department(registry, parent_id=department.id)
    member = make_person(registry, department_id=department.id)
    person_etag = admin.get(f"/api/people/{member.id}/").headers["ETag"]
    child_etag = admin.get(f"/api/departments/{child.id}/").headers["ETag"]

    assert admin.delete(f"/api/departments/{department.id}/").status_int == 204

    person = admin.get(f"/api/people/{member.id}/")
    assert person.json["departmentId"] is None and person.headers["ETag"] != person_etag
    stale = admin.patch(f"/api/people/{member.id}/", {"jobTitle": "x"}, {"If-Match": person_etag})
    assert stale.status_int == 412
    child_now = admin.get(f"/api/departments/{child.id}/")
    assert child_now.json["parentId"] is None and child_now.headers["ETag"] != child_etag
