"""The role matrix of API.md: everyone signed in reads planning data; managers and admins
create, edit and delete it; users get 403 permission_denied; nobody signed out gets anything but
401 not_authenticated (health, the OpenAPI document and token obtain/refresh excepted)."""

import pytest

from tests.api.specs import SPECS


def _arrange(spec, registry, manager):
    created = manager.post(spec.path, spec.body(registry))
    assert created.status_int == 201, created.json
    return created


def _writes(spec, registry, created):
    url, etag = spec.url(created.json["id"]), created.headers["ETag"]
    return [
        ("post", spec.path, spec.body(registry), None),
        ("patch", url, spec.change, {"If-Match": etag}),
        ("put", url, {**created.json, **spec.change}, {"If-Match": etag}),
        ("delete", url, None, {"If-Match": etag}),
    ]


def _call(client, method, url, body, headers):
    if method == "delete":
        return client.delete(url, headers)
    return getattr(client, method)(url, body, headers)


@pytest.mark.parametrize("spec", SPECS, ids=str)
def test_user_reads_everything_and_writes_nothing(spec, staff, manager, registry):
    created = _arrange(spec, registry, manager)
    url = spec.url(created.json["id"])
    assert staff.get(spec.path).status_int == 200
    assert staff.get(url).status_int == 200
    for method, target, body, headers in _writes(spec, registry, created):
        response = _call(staff, method, target, body, headers)
        assert response.status_int == 403, (method, response.json)
        assert response.json == {"detail": "You do not have permission to do this.", "code": "permission_denied"}
    after = manager.get(url)
    assert after.json == created.json and after.headers["ETag"] == created.headers["ETag"]
    # The refused POST left nothing behind: only the arranged row and what its body referenced.
    assert [r["id"] for r in manager.get(spec.path).json["results"]] == [created.json["id"]]


@pytest.mark.parametrize("spec", SPECS, ids=str)
@pytest.mark.parametrize("role", ["manager", "admin"])
def test_managers_and_admins_create_edit_and_delete(spec, client_for, manager, registry, role):
    client = client_for(role)
    created = _arrange(spec, registry, client)
    url = spec.url(created.json["id"])
    patched = client.patch(url, spec.change, {"If-Match": created.headers["ETag"]})
    assert patched.status_int == 200
    put = client.put(url, {**patched.json, **spec.change}, {"If-Match": patched.headers["ETag"]})
    assert put.status_int == 200
    assert client.delete(url, {"If-Match": put.headers["ETag"]}).status_int == 204


@pytest.mark.parametrize("spec", SPECS, ids=str)
def test_anonymous_gets_401_on_every_resource_operation(spec, testapp, manager, registry):
    created = _arrange(spec, registry, manager)
    url = spec.url(created.json["id"])
    calls = [("get", spec.path, None, None), ("get", url, None, None)] + _writes(spec, registry, created)
    for method, target, body, headers in calls:
        if method in ("get", "delete"):
            response = getattr(testapp, method)(target, headers=headers, status="*")
        else:
            response = getattr(testapp, f"{method}_json")(target, body, headers=headers, status="*")
        assert response.status_int == 401, (method, target)
        assert response.json == {"detail": "Authentication credentials were not provided.", "code": "not_authenticated"}
        assert response.headers["WWW-Authenticate"] == "Bearer"
    assert manager.get(url).json == created.json


@pytest.mark.parametrize(
    "method, url",
    [
        ("get", "/api/dashboard/"),
        ("get", "/api/auth/me/"),
        ("get", "/api/auth/sessions/"),
        ("post", "/api/auth/sessions/revoke/"),
    ],
)
def test_anonymous_gets_401_on_the_other_endpoints(testapp, method, url):
    response = testapp.get(url, status="*") if method == "get" else testapp.post_json(url, {"sessionId": 1}, status="*")
    assert response.status_int == 401
    assert response.json["code"] == "not_authenticated"
    assert response.headers["WWW-Authenticate"] == "Bearer"


@pytest.mark.parametrize("role", ["user", "manager", "admin"])
def test_every_role_reads_the_dashboard_and_its_own_profile_and_sessions(client_for, role):
    client = client_for(role)
    assert client.get("/api/dashboard/").status_int == 200
    assert client.get("/api/auth/me/").json["role"] == role
    sessions = client.get("/api/auth/sessions/")
    assert sessions.status_int == 200 and [s["current"] for s in sessions.json["results"]] == [True]


@pytest.mark.parametrize("url", ["/api/health/", "/api/openapi.json"])
def test_health_and_openapi_need_no_auth(testapp, url):
    assert testapp.get(url).status_int == 200
