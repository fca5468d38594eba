"""The change log (core/changes.py): one event per committed write of each of the six resources,
none for a refused or rolled-back one; `updatedBy` on the objects; history pages
(`/api/<things>/{id}/history/`). Parametrised over the resources (specs.py)."""

import pytest
from sqlalchemy import select

from backend_api.core.changes import ChangeEvent
from tests.api.conftest import ApiClient
from tests.api.specs import SPECS
from tests.factories import make_person, make_user

pytestmark = pytest.mark.parametrize("spec", SPECS, ids=str)


def events(registry) -> list[ChangeEvent]:
    reader, _ = registry.planner_sessions
    with reader() as session:
        return list(session.scalars(select(ChangeEvent).order_by(ChangeEvent.id)))


@pytest.fixture
def ana(testapp, registry):
    """A manager whose account is linked to a person: her changes carry the person's name."""
    person = make_person(registry, name="Ana Costa")
    user = make_user(registry, "manager", username="ana", person_id=person.id)
    return ApiClient(testapp, user.username), user


def test_create_update_delete_each_write_one_event(spec, ana, registry):
    client, user = ana
    before = len(events(registry))
    created = client.post(spec.path, spec.body(registry))
    assert created.status_int == 201
    obj = created.json
    updated = client.patch(spec.url(obj["id"]), spec.change, headers={"If-Match": created.headers["ETag"]})
    assert updated.status_int == 200, updated.json
    assert client.delete(spec.url(obj["id"]), headers={"If-Match": updated.headers["ETag"]}).status_int == 204

    create, update, delete = [e for e in events(registry)[before:] if e.object_id == obj["id"]]
    resource = spec.path.strip("/").split("/")[-1]
    assert [e.resource for e in (create, update, delete)] == [resource] * 3
    assert [e.action for e in (create, update, delete)] == ["created", "updated", "deleted"]
    assert {(e.actor_id, e.actor_name) for e in (create, update, delete)} == {(user.id, "Ana Costa")}
    assert create.etag == created.headers["ETag"] and update.etag == updated.headers["ETag"]
    assert update.version == create.version + 1
    assert (delete.version, delete.etag) == (None, "")
    # The create holds every field as new, the update exactly what changed, the delete the last values.
    assert {c["field"] for c in create.changes} >= set(spec.body(registry))
    assert all(c["old"] is None for c in create.changes)
    assert {c["field"]: c["new"] for c in update.changes} == {
        k: v for k, v in updated.json.items() if k in spec.change and obj.get(k) != v
    }
    assert all(c["new"] is None for c in delete.changes)
    assert not {c["field"] for e in (create, update, delete) for c in e.changes} & {
        "id",
        "etag",
        "version",
        "updatedAt",
        "createdAt",
        "updatedBy",
    }


def test_objects_carry_updated_by(spec, ana, staff, registry):
    client, user = ana
    obj = client.post(spec.path, spec.body(registry)).json
    assert obj["updatedBy"] == {"id": user.id, "name": "Ana Costa"}
    listed = staff.get(spec.path).json["results"]
    assert [o["updatedBy"] for o in listed if o["id"] == obj["id"]] == [{"id": user.id, "name": "Ana Costa"}]
    # Rows written by a script or a migration have no author.
    assert spec.make(registry) and all(
        o["updatedBy"] is None for o in staff.get(spec.path).json["results"] if o["id"] != obj["id"]
    )


def test_refused_writes_write_no_event(spec, manager, registry):
    obj = spec.make(registry)
    url = spec.url(obj)
    before = len(events(registry))
    assert manager.patch(url, spec.change, headers={"If-Match": '"stale"'}).status_int == 412
    assert manager.patch(url, {spec.unknown_field: 1}, headers={"If-Match": "*"}).status_int == 400
    assert manager.delete(url, headers={"If-Match": '"stale"'}).status_int == 412
    assert manager.post(spec.path, {spec.unknown_field: 1}).status_int == 400
    assert len(events(registry)) == before


def test_history_is_newest_first_paged_and_outlives_the_item(spec, ana, staff, registry):
    client, user = ana
    created = client.post(spec.path, spec.body(registry))
    url = spec.url(created.json["id"])
    etag = created.headers["ETag"]
    for _ in range(2):  # the same change twice: the second changes nothing, and is an event still
        etag = client.patch(url, spec.change, headers={"If-Match": etag}).headers["ETag"]

    first = staff.get(f"{url}history/?pageSize=2")
    assert first.status_int == 200
    assert first.json["count"] == 3 and first.json["previous"] is None
    assert [c["action"] for c in first.json["results"]] == ["updated", "updated"]
    newest = first.json["results"][0]
    assert newest["etag"] == etag and newest["actor"] == {"id": user.id, "name": "Ana Costa"}
    assert newest["changes"] == [] and newest["at"].endswith("Z")
    second = staff.get(first.json["next"].removeprefix("http://localhost"))
    assert [c["action"] for c in second.json["results"]] == ["created"]
    assert second.json["next"] is None
    seqs = [c["seq"] for c in first.json["results"] + second.json["results"]]
    assert seqs == sorted(seqs, reverse=True)

    assert client.delete(url).status_int == 204
    after = staff.get(f"{url}history/").json
    assert after["count"] == 4 and after["results"][0]["action"] == "deleted"
    assert after["results"][0]["objectId"] == created.json["id"]


def test_history_of_an_unknown_item_or_page_is_404(spec, staff, registry):
    assert staff.get(f"{spec.path}999999/history/").status_int == 404
    assert staff.get(f"{spec.path}abc/history/").status_int == 404
    obj = spec.make(registry)  # made by a script: no history, but it exists
    assert staff.get(f"{spec.url(obj)}history/").json == {"count": 0, "next": None, "previous": None, "results": []}
    assert staff.get(f"{spec.url(obj)}history/?page=2").status_int == 404
    assert staff.get(f"{spec.url(obj)}history/?pageSize=x").status_int == 400


def test_history_needs_a_signed_in_user(spec, testapp, registry):
    obj = spec.make(registry)
    assert testapp.get(f"{spec.url(obj)}history/", status="*").status_int == 401
