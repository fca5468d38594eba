"""The If-Match check and the write are one atomic step: a write that lands between our check
and our UPDATE makes the UPDATE match no row, and the caller gets 412, not a silent overwrite."""

from sqlalchemy import update

from backend_api.core.resource import Resource
from backend_api.people.models import Person
from tests.factories import make_person


def test_write_between_check_and_update_gives_412(admin, registry, monkeypatch):
    # On SQLite too: a write request takes the write lock only at its UPDATE (core/sqlite.py).
    person = make_person(registry, job_title="original")
    etag = admin.get(f"/api/people/{person.id}/").headers["ETag"]
    original_check = Resource.check

    def check_then_someone_else_writes(self, values, obj):
        original_check(self, values, obj)
        _, writer = registry.planner_sessions
        with writer() as other, other.begin():
            other.execute(
                update(Person).where(Person.id == person.id).values(job_title="theirs", version=Person.version + 1)
            )

    monkeypatch.setattr(Resource, "check", check_then_someone_else_writes)
    response = admin.patch(f"/api/people/{person.id}/", {"jobTitle": "mine"}, {"If-Match": etag})
    assert response.status_int == 412
    assert response.json["code"] == "precondition_failed"
    assert response.json["current"]["jobTitle"] == "theirs"
    assert response.headers["ETag"] == response.json["etag"]
