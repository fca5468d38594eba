"""Time off: a person that exists, dates in order, the four kinds, range filter."""

from datetime import date

import pytest

from tests.factories import make_person, make_timeoff


@pytest.fixture
def person(registry):
    return make_person(registry, name="Ada")


def _post(client, person, **fields):
    return client.post(
        "/api/timeoff/", {"personId": person.id, "startDate": "2026-12-21", "endDate": "2026-12-24", **fields}
    )


@pytest.mark.parametrize("kind", ["vacation", "holiday", "sick", "other"])
def test_every_kind_is_accepted(manager, person, kind):
    response = _post(manager, person, kind=kind)
    assert response.status_int == 201
    assert (response.json["kind"], response.json["personName"]) == (kind, "Ada")


def test_kind_defaults_to_vacation(manager, person):
    assert _post(manager, person).json["kind"] == "vacation"


@pytest.mark.parametrize("kind", ["parental", "Sick", ""])
def test_unknown_kind_is_400(manager, person, kind):
    response = _post(manager, person, kind=kind)
    assert response.status_int == 400 and list(response.json["errors"]) == ["kind"]


def test_end_before_start_is_400(manager, person):
    response = _post(manager, person, startDate="2026-12-24", endDate="2026-12-21")
    assert response.status_int == 400
    assert response.json["errors"] == {"endDate": ["The end date must not be before the start date."]}


def test_one_day_is_fine(manager, person):
    assert _post(manager, person, startDate="2026-12-24", endDate="2026-12-24").status_int == 201


@pytest.mark.parametrize("missing", ["personId", "startDate", "endDate"])
def test_required_fields(manager, person, missing):
    body = {"personId": person.id, "startDate": "2026-12-21", "endDate": "2026-12-24"}
    del body[missing]
    response = manager.post("/api/timeoff/", body)
    assert response.status_int == 400 and list(response.json["errors"]) == [missing]


def test_unknown_person_is_400(manager, person):
    response = manager.post("/api/timeoff/", {"personId": 987654, "startDate": "2026-12-21", "endDate": "2026-12-24"})
    assert response.status_int == 400 and list(response.json["errors"]) == ["personId"]


def test_patch_end_before_start_is_400(manager, person):
    created = _post(manager, person)
    response = manager.patch(
        f"/api/timeoff/{created.json['id']}/", {"endDate": "2026-12-01"}, {"If-Match": created.headers["ETag"]}
    )
    assert response.status_int == 400 and list(response.json["errors"]) == ["endDate"]


def test_filters_person_kind_and_overlapping_range(staff, registry, person):
    other = make_person(registry)
    t1 = make_timeoff(registry, person=person, start_date=date(2026, 12, 1), end_date=date(2026, 12, 3))
    t2 = make_timeoff(registry, person=person, start_date=date(2026, 12, 20), end_date=date(2027, 1, 2), kind="holiday")
    t3 = make_timeoff(registry, person=other, start_date=date(2027, 1, 10), end_date=date(2027, 1, 10), kind="sick")

    def ids(query):
        return [t["id"] for t in staff.get(f"/api/timeoff/?{query}").json["results"]]

    assert ids(f"personId={person.id}") == [t1.id, t2.id]
    assert ids("kind=sick") == [t3.id]
    assert ids("from=2027-01-01&to=2027-01-09") == [t2.id]  # overlaps, not contained
    assert ids("from=2026-12-03&to=2026-12-03") == [t1.id]
    assert ids("ordering=-endDate") == [t3.id, t2.id, t1.id]
