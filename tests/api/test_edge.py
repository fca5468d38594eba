"""Bad input at the edge is a 400 (or 413) in the one JSON envelope, never a 500: invalid UTF-8
or control characters in the path, the query or any text of a body, JSON nested without end, an
ordering of thousands of terms, a body over the cap; and every answer says nosniff."""

import httpx
import pytest

from tests.factories import PASSWORD, make_person, make_user

DEEP = "[" * 1000 + "]" * 1000


def _envelope(response, status=400, code="invalid"):
    assert response.status_int == status, response.body[:300]
    assert response.content_type == "application/json"
    assert response.json["code"] == code and response.json["detail"]
    assert response.headers["X-Request-ID"] and response.headers["X-Content-Type-Options"] == "nosniff"
    return response.json


@pytest.mark.parametrize(
    "path",
    [
        "/api/people/%ff/",
        "/api/people/?search=%ff",
        "/api/people/?search=a%00b",
        "/api/people/?skill=%00",
        "/api/people/%00/",
    ],
)
def test_bad_bytes_in_the_path_or_query_are_400(admin, path):
    _envelope(admin.get(path))


def test_a_nul_in_any_text_field_is_a_field_error_and_nothing_is_stored(admin, registry):
    body = _envelope(admin.post("/api/people/", {"name": "Ana\x00"}))
    assert "name" in body["errors"]
    body = _envelope(admin.post("/api/people/", {"name": "Ana", "skills": ["revit", "a\x00b"]}))
    assert "skills" in body["errors"]
    assert admin.get("/api/people/").json["count"] == 0
    # Line breaks and tabs are text.
    assert admin.post("/api/people/", {"name": "Ana", "notes": "one\n\ttwo\r\n"}).status_int == 201


def test_a_person_with_a_nul_cannot_break_a_filter_for_everyone(admin, registry):
    make_person(registry, name="Ana", skills=["revit"])
    _envelope(admin.get("/api/people/?skill=rev%00it"))
    assert admin.get("/api/people/?skill=revit").json["count"] == 1


def test_login_refuses_a_nul_and_deep_json_without_signing_in(testapp, registry):
    make_user(registry, "user", username="ana")
    _envelope(testapp.post_json("/api/auth/token/", {"username": "ana\x00", "password": PASSWORD}, status="*"))
    _envelope(testapp.post("/api/auth/token/", DEEP, content_type="application/json", status="*"))
    assert testapp.post_json("/api/auth/token/", {"username": "ana", "password": PASSWORD}).status_int == 200


def test_json_nested_deeper_than_any_request_needs_is_400(admin):
    _envelope(
        admin.app.post(
            "/api/people/",
            '{"name": "a", "notes": ' + DEEP + "}",
            content_type="application/json",
            headers=admin._headers(None),
            status="*",
        )
    )
    nested = {"name": "a", "skills": [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["x"]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]}
    assert "skills" in _envelope(admin.post("/api/people/", nested))["errors"]


def test_ordering_by_thousands_of_terms_is_400(admin):
    assert "ordering" in _envelope(admin.get("/api/people/?ordering=" + ",".join(["name"] * 2000)))["errors"]
    assert admin.get("/api/people/?ordering=name,-id").status_int == 200


def test_a_body_over_the_cap_is_413_before_it_is_read(testapp):
    body = _envelope(
        testapp.post("/api/auth/token/", b"x" * (2 * 1024 * 1024 + 1), content_type="application/json", status="*"),
        413,
        "too_large",
    )
    assert "KiB" in body["detail"]


def test_every_answer_says_nosniff(testapp, admin):
    for response in (
        testapp.get("/api/health/"),
        testapp.get("/api/openapi.json"),
        admin.get("/api/people/"),
        testapp.get("/api/people/", status="*"),
        testapp.get("/api/nowhere/", status="*"),
    ):
        assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_through_the_real_server_the_cap_holds_for_sized_and_chunked_bodies(live_server):
    big = b"{" + b" " * (3 * 1024 * 1024) + b"}"
    with httpx.Client(base_url=live_server, timeout=30) as client:
        sized = client.post("/api/auth/token/", content=big, headers={"Content-Type": "application/json"})
        assert sized.status_code == 413 and sized.json()["code"] == "too_large"
        assert sized.headers["X-Content-Type-Options"] == "nosniff"
        chunked = client.post(
            "/api/auth/token/",
            content=iter([big[i : i + 65536] for i in range(0, len(big), 65536)]),
            headers={"Content-Type": "application/json"},
        )
        assert chunked.status_code == 413 and chunked.json()["code"] == "too_large"
    # Far over: waitress stops reading at twice the cap.
    huge = httpx.post(
        f"{live_server}/api/auth/token/",
        content=b" " * (5 * 1024 * 1024),
        headers={"Content-Type": "application/json"},
        timeout=30,
    )
    assert huge.status_code == 413
    assert httpx.get(f"{live_server}/api/people/%ff/").json()["code"] == "invalid"


@pytest.mark.parametrize(
    "path, body, field",
    [
        ("/api/people/", {"name": "Ana", "isActive": 0}, "isActive"),
        ("/api/people/", {"name": "Ana", "weeklyCapacity": "36"}, "weeklyCapacity"),
        ("/api/people/", {"name": "Ana", "weeklyCapacity": True}, "weeklyCapacity"),
        ("/api/people/", {"name": "Ana", "departmentId": True}, "departmentId"),
        ("/api/people/", {"name": 5}, "name"),
        ("/api/projects/", {"name": "P", "projectNumber": "S-1", "estimatedHours": False}, "estimatedHours"),
        ("/api/departments/", {"name": "D", "managerId": "3"}, "managerId"),
    ],
)
def test_json_types_are_taken_as_they_are_no_bool_or_number_coercion(admin, path, body, field):
    assert field in _envelope(admin.post(path, body))["errors"]
    assert admin.get(path).json["count"] == 0


def test_a_patch_is_as_strict_as_a_create_and_still_ignores_echoed_read_only_fields(admin, registry):
    person = admin.post("/api/people/", {"name": "Ana", "weeklyCapacity": 36})
    url, etag = f"/api/people/{person.json['id']}/", person.headers["ETag"]
    assert "isActive" in _envelope(admin.patch(url, {"isActive": 1}, {"If-Match": etag}))["errors"]
    echoed = {**person.json, "weeklyCapacity": 32}  # a client sending back what it was given
    changed = admin.patch(url, echoed, {"If-Match": etag})
    assert changed.status_int == 200 and changed.json["weeklyCapacity"] == 32 and changed.json["isActive"] is True


def test_sign_in_and_admin_bodies_are_strict_too(testapp, admin, registry):
    make_user(registry, username="ana")
    assert (
        "username"
        in _envelope(
            testapp.post_json("/api/auth/token/", {"username": ["ana"], "password": PASSWORD}, expect_errors=True)
        )["errors"]
    )
    user = make_user(registry, username="ben")
    assert "role" in _envelope(admin.post(f"/api/auth/users/{user.id}/change_role/", {"role": 2}))["errors"]
    assert (
        "personId"
        in _envelope(admin.post("/api/auth/users/", {"username": "cy", "password": PASSWORD * 2, "personId": "3"}))[
            "errors"
        ]
    )
