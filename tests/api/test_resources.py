"""Behaviour the six resources share through core/resource.py and core/concurrency.py: create,
detail, ETags and preconditions, the compare-and-set write, DELETE, 404s, pagination, ordering,
filters and the wire format. Parametrised over People, Departments, Projects, Assignments,
Deliverables and Time off (specs.py)."""

import re
from datetime import UTC, datetime

import pytest

from tests.api.specs import SPECS

pytestmark = pytest.mark.parametrize("spec", SPECS, ids=str)

STRONG_ETAG = re.compile(r'"[\x21\x23-\x7e]+"')
UTC_TIMESTAMP = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z")


def _created(client, spec, registry):
    response = client.post(spec.path, spec.body(registry))
    assert response.status_int == 201, response.json
    return response


# ---- create and detail ------------------------------------------------------------------------
def test_create_answers_201_with_etag_location_and_the_object(spec, manager, registry):
    body = spec.body(registry)
    response = manager.post(spec.path, body)
    assert response.status_int == 201
    obj = response.json
    assert response.headers["Location"] == f"http://localhost{spec.path}{obj['id']}/"
    etag = response.headers["ETag"]
    assert STRONG_ETAG.fullmatch(etag) and not etag.startswith("W/")
    for key, value in body.items():
        assert obj[key] == value, key
    assert UTC_TIMESTAMP.fullmatch(obj["createdAt"]) and UTC_TIMESTAMP.fullmatch(obj["updatedAt"])
    for key in spec.read_only:
        assert key in obj


def test_detail_get_has_the_same_etag_as_create(spec, staff, manager, registry):
    created = _created(manager, spec, registry)
    detail = staff.get(spec.url(created.json["id"]))
    assert detail.status_int == 200
    assert detail.headers["ETag"] == created.headers["ETag"]
    assert detail.json == created.json


def test_list_and_detail_agree_and_carry_updated_at(spec, staff, registry):
    obj = spec.make(registry)
    listed = staff.get(spec.path).json
    detail = staff.get(spec.url(obj)).json
    assert listed["count"] == 1 and listed["results"] == [detail]
    assert UTC_TIMESTAMP.fullmatch(detail["updatedAt"])


@pytest.mark.parametrize("header", ["{etag}", "W/{etag}", "*", '"other", {etag}'])
def test_if_none_match_current_gives_304_without_body(spec, staff, registry, header):
    obj = spec.make(registry)
    etag = staff.get(spec.url(obj)).headers["ETag"]
    response = staff.get(spec.url(obj), headers={"If-None-Match": header.format(etag=etag)})
    assert response.status_int == 304
    assert response.body == b""
    assert response.headers["ETag"] == etag


def test_if_none_match_stale_gives_200(spec, staff, registry):
    obj = spec.make(registry)
    response = staff.get(spec.url(obj), headers={"If-None-Match": '"stale"'})
    assert response.status_int == 200 and response.json["id"] == obj.id


def test_malformed_if_none_match_is_400(spec, staff, registry):
    obj = spec.make(registry)
    response = staff.get(spec.url(obj), headers={"If-None-Match": "no-quotes"})
    assert response.status_int == 400 and response.json["code"] == "invalid"


# ---- PATCH / PUT preconditions ------------------------------------------------------------------
@pytest.mark.parametrize("method", ["patch", "put"])
def test_write_without_if_match_is_428_precondition_required(spec, manager, registry, method):
    created = _created(manager, spec, registry)
    body = spec.change if method == "patch" else {**spec.body(registry), **spec.change}
    response = getattr(manager, method)(spec.url(created.json["id"]), body)
    assert response.status_int == 428
    assert response.json["code"] == "precondition_required"
    assert manager.get(spec.url(created.json["id"])).json == created.json  # nothing written


@pytest.mark.parametrize("method", ["patch", "put"])
def test_stale_if_match_is_412_with_current_object_and_etag(spec, manager, registry, method):
    created = _created(manager, spec, registry)
    url, first_etag = spec.url(created.json["id"]), created.headers["ETag"]
    winner = manager.patch(url, spec.change, {"If-Match": first_etag})
    assert winner.status_int == 200
    body = spec.change if method == "patch" else {**created.json, **spec.change}
    loser = getattr(manager, method)(url, body, {"If-Match": first_etag})
    assert loser.status_int == 412
    assert loser.json["code"] == "precondition_failed"
    assert loser.json["detail"] == "This item was updated by someone else."
    assert loser.json["etag"] == winner.headers["ETag"]
    assert loser.headers["ETag"] == winner.headers["ETag"]
    assert loser.json["current"] == winner.json
    assert manager.get(url).json == winner.json


@pytest.mark.parametrize("header", ["W/{etag}", '"nope"', '"nope", W/{etag}'])
def test_if_match_uses_strong_comparison(spec, manager, registry, header):
    created = _created(manager, spec, registry)
    response = manager.patch(
        spec.url(created.json["id"]), spec.change, {"If-Match": header.format(etag=created.headers["ETag"])}
    )
    assert response.status_int == 412 and response.json["code"] == "precondition_failed"


@pytest.mark.parametrize("header", ["*", "{etag}", '"a", {etag}, "b"', ' {etag} ,"x"'])
def test_if_match_star_and_lists_match(spec, manager, registry, header):
    created = _created(manager, spec, registry)
    response = manager.patch(
        spec.url(created.json["id"]), spec.change, {"If-Match": header.format(etag=created.headers["ETag"])}
    )
    assert response.status_int == 200, response.json
    for key, value in spec.change.items():
        assert response.json[key] == value


# ('"a",' is not here: RFC 9110 lists tolerate empty elements.)
@pytest.mark.parametrize("header", ["abc", '"unterminated', '"a" "b"', ",", '"a";"b"', "W/abc", "**"])
def test_malformed_if_match_is_400(spec, manager, registry, header):
    created = _created(manager, spec, registry)
    response = manager.patch(spec.url(created.json["id"]), spec.change, {"If-Match": header})
    assert response.status_int == 400
    assert response.json["code"] == "invalid"
    assert manager.get(spec.url(created.json["id"])).json == created.json


@pytest.mark.parametrize("method", ["patch", "put"])
def test_write_returns_new_etag_matching_a_fresh_get(spec, manager, registry, method):
    created = _created(manager, spec, registry)
    url = spec.url(created.json["id"])
    body = spec.change if method == "patch" else {**spec.body(registry), **spec.change}
    if method == "put":  # the foreign keys of a fresh body point to other rows; keep the original ones
        body = {**body, **{k: created.json[k] for k in ("personId", "projectId") if k in created.json}}
    response = getattr(manager, method)(url, body, {"If-Match": created.headers["ETag"]})
    assert response.status_int == 200, response.json
    assert response.headers["ETag"] != created.headers["ETag"]
    assert STRONG_ETAG.fullmatch(response.headers["ETag"])
    fresh = manager.get(url)
    assert fresh.headers["ETag"] == response.headers["ETag"]
    assert fresh.json == response.json
    assert response.json["updatedAt"] >= created.json["updatedAt"]
    assert response.json["createdAt"] == created.json["createdAt"]


def test_two_writes_in_one_clock_tick_give_two_etags(spec, manager, registry, monkeypatch):
    """The ETag includes the version: a frozen clock must not make two versions look alike."""
    created = _created(manager, spec, registry)
    url = spec.url(created.json["id"])
    frozen = datetime(2026, 11, 24, 10, 15, tzinfo=UTC)
    monkeypatch.setattr("backend_api.core.resource.now", lambda: frozen)
    first = manager.patch(url, {}, {"If-Match": created.headers["ETag"]})
    second = manager.patch(url, {}, {"If-Match": first.headers["ETag"]})
    assert first.status_int == second.status_int == 200
    assert first.json["updatedAt"] == second.json["updatedAt"] == "2026-11-24T10:15:00Z"
    assert first.headers["ETag"] != second.headers["ETag"]
    stale = manager.patch(url, spec.change, {"If-Match": first.headers["ETag"]})
    assert stale.status_int == 412 and stale.json["etag"] == second.headers["ETag"]


# ---- DELETE -----------------------------------------------------------------------------------
def test_delete_with_stale_if_match_is_412_and_keeps_the_object(spec, manager, registry):
    created = _created(manager, spec, registry)
    url = spec.url(created.json["id"])
    changed = manager.patch(url, spec.change, {"If-Match": created.headers["ETag"]})
    response = manager.delete(url, {"If-Match": created.headers["ETag"]})
    assert response.status_int == 412
    assert response.json["code"] == "precondition_failed"
    assert response.json["current"] == changed.json
    assert manager.get(url).status_int == 200


def test_delete_with_current_if_match_is_204(spec, manager, registry):
    created = _created(manager, spec, registry)
    url = spec.url(created.json["id"])
    response = manager.delete(url, {"If-Match": created.headers["ETag"]})
    assert response.status_int == 204 and response.body == b""
    assert manager.get(url).status_int == 404


def test_delete_without_if_match_is_204(spec, manager, registry):
    obj = spec.make(registry)
    response = manager.delete(spec.url(obj))
    assert response.status_int == 204
    assert manager.get(spec.url(obj)).status_int == 404
    assert manager.get(spec.path).json["count"] == 0


def test_malformed_if_match_on_delete_is_400(spec, manager, registry):
    obj = spec.make(registry)
    assert manager.delete(spec.url(obj), {"If-Match": "nope"}).status_int == 400
    assert manager.get(spec.url(obj)).status_int == 200


# ---- 404 ---------------------------------------------------------------------------------------
# 2**31 and beyond: no row can have such an id (INTEGER is 32-bit on PostgreSQL); once a 500.
@pytest.mark.parametrize("ident", ["999999", "abc", "-1", "0", "2147483648", "9" * 25])
@pytest.mark.parametrize("method", ["get", "patch", "put", "delete"])
def test_unknown_id_is_404(spec, manager, ident, method):
    url = f"{spec.path}{ident}/"
    if method in ("patch", "put"):
        response = getattr(manager, method)(url, {}, {"If-Match": "*"})
    else:
        response = getattr(manager, method)(url)
    assert response.status_int == 404
    assert response.json["code"] == "not_found"
    assert response.json["detail"].endswith("not found.")


# ---- pagination --------------------------------------------------------------------------------
def test_pagination_count_next_previous(spec, staff, registry):
    spec.bulk(registry, 5)
    first = staff.get(f"{spec.path}?pageSize=2").json
    assert first["count"] == 5 and len(first["results"]) == 2
    assert first["previous"] is None
    assert first["next"] == f"http://localhost{spec.path}?pageSize=2&page=2"
    second = staff.get(first["next"]).json
    assert second["previous"] == f"http://localhost{spec.path}?pageSize=2&page=1"
    last = staff.get(f"{spec.path}?pageSize=2&page=3").json
    assert len(last["results"]) == 1 and last["next"] is None
    ids = [r["id"] for page in (first, second, last) for r in page["results"]]
    assert len(set(ids)) == 5


def test_next_link_keeps_filters_and_ordering(spec, staff, registry):
    spec.bulk(registry, 3)
    page = staff.get(f"{spec.path}?ordering=-id&pageSize=1").json
    assert page["next"] == f"http://localhost{spec.path}?ordering=-id&pageSize=1&page=2"
    second = staff.get(page["next"]).json
    assert second["results"][0]["id"] < page["results"][0]["id"]


def test_page_size_defaults_to_50_and_is_capped_at_200(spec, staff, registry):
    spec.bulk(registry, 201)
    default = staff.get(spec.path).json
    assert default["count"] == 201 and len(default["results"]) == 50
    capped = staff.get(f"{spec.path}?pageSize=1000").json
    assert len(capped["results"]) == 200
    assert capped["next"] == f"http://localhost{spec.path}?pageSize=1000&page=2"
    assert len(staff.get(capped["next"]).json["results"]) == 1


@pytest.mark.parametrize(
    "query, status",
    [
        ("page=2", 404),
        ("page=0", 400),
        ("page=abc", 400),
        ("pageSize=0", 400),
        ("pageSize=-5", 400),
        ("pageSize=x", 400),
    ],
)
def test_invalid_page_or_page_size(spec, staff, registry, query, status):
    spec.make(registry)
    response = staff.get(f"{spec.path}?{query}")
    assert response.status_int == status
    assert response.json["code"] == ("not_found" if status == 404 else "invalid")


def test_empty_list_first_page_is_fine(spec, staff):
    assert staff.get(spec.path).json == {"count": 0, "next": None, "previous": None, "results": []}


# ---- ordering and filters ------------------------------------------------------------------------
def test_ordering_ascending_and_descending(spec, staff, registry):
    wire, column, values = spec.order
    # Made in a shuffled order, so the id order cannot pass for the requested one.
    made = {
        value: spec.make(registry, **spec.columns_for_order(column, value))
        for value in (values[1], values[2], values[0])
    }
    expected = [made[v].id for v in values]
    ascending = staff.get(f"{spec.path}?ordering={wire}").json["results"]
    descending = staff.get(f"{spec.path}?ordering=-{wire}").json["results"]
    assert [r["id"] for r in ascending] == expected
    assert [r["id"] for r in descending] == expected[::-1]


def test_ordering_by_updated_at_descending(spec, manager, registry):
    first, second = spec.make(registry), spec.make(registry)
    etag = manager.get(spec.url(first)).headers["ETag"]
    assert manager.patch(spec.url(first), spec.change, {"If-Match": etag}).status_int == 200
    results = manager.get(f"{spec.path}?ordering=-updatedAt").json["results"]
    assert [r["id"] for r in results] == [first.id, second.id]


@pytest.mark.parametrize("ordering", ["colour", "-colour", "version", "id,nope"])
def test_unknown_ordering_field_is_400(spec, staff, ordering):
    response = staff.get(f"{spec.path}?ordering={ordering}")
    assert response.status_int == 400
    assert response.json["code"] == "invalid"
    assert list(response.json["errors"]) == ["ordering"]


def test_filter_named_like_the_field(spec, staff, registry):
    query, hit = spec.filter(registry)
    response = staff.get(f"{spec.path}?{query}").json
    assert response["count"] == 1
    assert [r["id"] for r in response["results"]] == [hit]
    assert staff.get(spec.path).json["count"] > 1


def test_filter_with_a_value_of_the_wrong_type_is_400(spec, staff):
    if spec.bad_filter is None:
        pytest.skip("this resource has only text filters")
    param, value = spec.bad_filter
    response = staff.get(f"{spec.path}?{param}={value}")
    assert response.status_int == 400
    assert response.json["code"] == "invalid"
    assert param in response.json["errors"]


INTEGER_FILTERS = {
    "people": "departmentId",
    "departments": "parentId",
    "assignments": "personId",
    "deliverables": "projectId",
    "timeoff": "personId",
}
FOREIGN_KEYS = {
    "people": "departmentId",
    "departments": "managerId",
    "assignments": "projectId",
    "deliverables": "projectId",
    "timeoff": "personId",
}


@pytest.mark.parametrize("value", ["2147483648", "1,99999999999999999999", "-2147483649"])
def test_out_of_range_integer_filter_is_400_not_500(spec, staff, value):
    if spec.name not in INTEGER_FILTERS:
        pytest.skip("this resource has only text filters")
    param = INTEGER_FILTERS[spec.name]
    response = staff.get(f"{spec.path}?{param}={value}")
    assert response.status_int == 400
    assert response.json["errors"] == {param: ["Not a valid value for this filter."]}


@pytest.mark.parametrize("value", [2**31, 10**25, 0, -3])
def test_foreign_key_that_cannot_exist_is_400_not_500(spec, manager, registry, value):
    if spec.name not in FOREIGN_KEYS:
        pytest.skip("no foreign keys")
    field = FOREIGN_KEYS[spec.name]
    response = manager.post(spec.path, {**spec.body(registry), field: value})
    assert response.status_int == 400
    assert response.json["code"] == "invalid"
    assert list(response.json["errors"]) == [field]


# ---- the wire format -------------------------------------------------------------------------------
def test_unknown_field_in_body_is_400(spec, manager, registry):
    body = {**spec.body(registry), spec.unknown_field: "red", "version": 7}
    response = manager.post(spec.path, body)
    assert response.status_int == 400
    assert response.json["code"] == "invalid"
    assert set(response.json["errors"]) == {spec.unknown_field, "version"}
    assert manager.get(spec.path).json["count"] == 0


def test_unknown_field_in_patch_is_400(spec, manager, registry):
    created = _created(manager, spec, registry)
    response = manager.patch(spec.url(created.json["id"]), {"colour": "red"}, {"If-Match": created.headers["ETag"]})
    assert response.status_int == 400 and "colour" in response.json["errors"]


def test_read_only_fields_echoed_back_are_ignored(spec, manager, registry):
    body = {
        **spec.body(registry),
        "id": 424242,
        "createdAt": "1999-01-01T00:00:00Z",
        "updatedAt": "not even a date",
        **{key: "Made up" for key in spec.read_only},
    }
    created = manager.post(spec.path, body)
    assert created.status_int == 201, created.json
    assert created.json["id"] != 424242
    assert not created.json["createdAt"].startswith("1999")
    for key in spec.read_only:
        assert created.json[key] != "Made up"
    # A client that PUTs back exactly what it read, read-only fields and all, is fine too.
    echoed = {**created.json, **spec.change, "id": 1, "createdAt": "2000-01-01T00:00:00Z"}
    put = manager.put(spec.url(created.json["id"]), echoed, {"If-Match": created.headers["ETag"]})
    assert put.status_int == 200, put.json
    assert put.json["id"] == created.json["id"] and put.json["createdAt"] == created.json["createdAt"]


@pytest.mark.parametrize("body", ["[1, 2]", '"text"', "{not json", ""])
def test_body_that_is_not_a_json_object_is_400(spec, manager, testapp, body):
    response = testapp.post(
        spec.path,
        body,
        status="*",
        content_type="application/json",
        headers={"Authorization": f"Bearer {manager.access}"},
    )
    assert response.status_int == 400
    assert response.content_type == "application/json"
    assert response.json["code"] == "invalid"


def test_wrong_types_are_400_with_field_errors(spec, manager, registry):
    body = spec.body(registry)
    key = next(k for k in body if k not in ("name",)) if spec.name != "departments" else "name"
    response = manager.post(spec.path, {**body, key: {"nested": "object"}})
    assert response.status_int == 400
    assert key in response.json["errors"]


def test_urls_are_right_when_mounted_at_api(spec, manager, testapp, registry):
    """Embedded mode: the Reflex app mounts this app at /api (SCRIPT_NAME=/api, PATH_INFO=/people/)."""
    mounted = {"SCRIPT_NAME": "/api"}
    auth = {"Authorization": f"Bearer {manager.access}"}
    relative = spec.path.removeprefix("/api")
    created = testapp.post_json(relative, spec.body(registry), headers=auth, extra_environ=mounted)
    assert created.status_int == 201
    assert created.headers["Location"] == f"http://localhost{spec.path}{created.json['id']}/"
    spec.make(registry)
    page = testapp.get(f"{relative}?pageSize=1", headers=auth, extra_environ=mounted).json
    assert page["next"] == f"http://localhost{spec.path}?pageSize=1&page=2"
