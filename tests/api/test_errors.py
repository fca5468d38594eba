"""One JSON error envelope for everything that goes wrong (never HTML), and X-Request-ID on
every response."""

import re

import pytest

HEX_ID = re.compile(r"[0-9a-f]{32}")


def _is_envelope(response, status, code):
    assert response.status_int == status
    assert response.content_type == "application/json"
    assert response.json["code"] == code
    assert isinstance(response.json["detail"], str) and response.json["detail"]
    assert b"<html" not in response.body.lower() and b"Traceback" not in response.body


@pytest.mark.parametrize("url", ["/api/nope/", "/nope", "/api/people", "/api/people/1/extra/", "/"])
def test_unknown_path_is_a_json_404(testapp, url):
    _is_envelope(testapp.get(url, status="*"), 404, "not_found")


@pytest.mark.parametrize(
    "method, url, allow",
    [
        ("post", "/api/health/", "GET, HEAD"),
        ("delete", "/api/people/", "GET, HEAD, POST"),
        ("put", "/api/projects/", "GET, HEAD, POST"),
        ("post", "/api/dashboard/", "GET, HEAD"),
        ("get", "/api/auth/token/", "POST"),
        ("post", "/api/people/1/", "DELETE, GET, HEAD, PATCH, PUT"),
        ("delete", "/api/auth/me/", "GET, HEAD"),
    ],
)
def test_wrong_method_is_a_json_405_with_allow(testapp, staff, method, url, allow):
    response = testapp.request(
        url, method=method.upper(), status="*", headers={"Authorization": f"Bearer {staff.access}"}
    )
    _is_envelope(response, 405, "method_not_allowed")
    assert response.headers["Allow"] == allow


def test_validation_error_envelope_has_field_errors(manager):
    response = manager.post("/api/projects/", {"name": "", "status": "bogus"})
    _is_envelope(response, 400, "invalid")
    assert set(response.json["errors"]) == {"name", "status"}
    assert all(isinstance(m, list) and all(isinstance(x, str) for x in m) for m in response.json["errors"].values())


def test_request_id_is_echoed(testapp, staff):
    for url, headers in [
        ("/api/health/", {}),
        ("/api/people/", {"Authorization": f"Bearer {staff.access}"}),
        ("/api/people/", {}),
        ("/api/nope/", {}),
    ]:
        response = testapp.get(url, headers={**headers, "X-Request-ID": "abc-123.x:y_z"}, status="*")
        assert response.headers["X-Request-ID"] == "abc-123.x:y_z", url


def test_request_id_on_304(staff, registry):
    from tests.factories import make_person

    person = make_person(registry)
    etag = staff.get(f"/api/people/{person.id}/").headers["ETag"]
    response = staff.get(f"/api/people/{person.id}/", {"If-None-Match": etag, "X-Request-ID": "cached-1"})
    assert response.status_int == 304 and response.headers["X-Request-ID"] == "cached-1"


def test_request_id_on_errors_and_writes(manager, registry):
    created = manager.post("/api/departments/", {"name": "Ops"}, {"X-Request-ID": "create-1"})
    assert created.headers["X-Request-ID"] == "create-1"
    url = f"/api/departments/{created.json['id']}/"
    stale = manager.patch(url, {"name": "Ops 2"}, {"If-Match": '"old"', "X-Request-ID": "patch-1"})
    assert stale.status_int == 412 and stale.headers["X-Request-ID"] == "patch-1"
    bad = manager.post("/api/departments/", {}, {"X-Request-ID": "bad-1"})
    assert bad.status_int == 400 and bad.headers["X-Request-ID"] == "bad-1"


def test_request_id_is_generated_when_absent_or_unsafe(testapp):
    first, second = testapp.get("/api/health/"), testapp.get("/api/health/")
    assert HEX_ID.fullmatch(first.headers["X-Request-ID"])
    assert first.headers["X-Request-ID"] != second.headers["X-Request-ID"]
    for unsafe in ("has spaces", "x" * 200, "<script>"):
        response = testapp.get("/api/health/", headers={"X-Request-ID": unsafe})
        assert HEX_ID.fullmatch(response.headers["X-Request-ID"]), unsafe


def test_a_failed_write_does_not_leak_the_etag_of_the_view(manager, registry):
    created = manager.post("/api/people/", {"name": "Ada", "email": "ada@example.com"})
    other = manager.post("/api/people/", {"name": "Bob", "email": "bob@example.com"})
    response = manager.patch(
        f"/api/people/{other.json['id']}/", {"email": "ada@example.com"}, {"If-Match": other.headers["ETag"]}
    )
    assert response.status_int == 400 and response.json["code"] == "duplicate"
    assert "ETag" not in response.headers
    assert created.status_int == 201
