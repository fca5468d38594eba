"""GET /api/openapi.json: an OpenAPI 3 document that describes exactly the routes that have
views (compared with Pyramid's own route and view introspection), built from the schemas that
validate requests."""

import pytest
from pyramid.interfaces import IRoutesMapper

METHODS = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}


@pytest.fixture
def document(testapp):
    response = testapp.get("/api/openapi.json")
    assert response.content_type == "application/json"
    return response.json


def _served(registry) -> dict[str, set[str]]:
    """{path pattern: methods} of every route that has at least one view."""
    patterns = {route.name: route.pattern for route in registry.getUtility(IRoutesMapper).get_routes()}
    served: dict[str, set[str]] = {}
    for view in registry.introspector.get_category("views"):
        info = view["introspectable"]
        if not info["route_name"]:
            continue  # not-found, forbidden and exception views
        methods = info["request_methods"]
        methods = {methods} if isinstance(methods, str) else set(methods or {"*"})
        served.setdefault(patterns[info["route_name"]], set()).update(m.lower() for m in methods)
    return served


def _refs(node):
    if isinstance(node, dict):
        if "$ref" in node:
            yield node["$ref"]
        for value in node.values():
            yield from _refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from _refs(value)


def test_looks_like_openapi_3(document):
    assert document["openapi"].startswith("3.")
    assert document["info"]["title"] and document["info"]["version"]
    assert document["components"]["securitySchemes"]["bearer"] == {"type": "http", "scheme": "bearer",
                                                                   "bearerFormat": "JWT"}
    assert document["paths"]
    for path, item in document["paths"].items():
        assert path.startswith("/api/")
        assert set(item) <= METHODS, path
        for method, operation in item.items():
            assert operation["summary"], (path, method)
            assert operation["responses"], (path, method)
            assert all(code.isdigit() and len(code) == 3 for code in operation["responses"])
            if "{id}" in path:
                assert {"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}} \
                    in operation["parameters"]


def test_every_ref_resolves(document):
    schemas = document["components"]["schemas"]
    refs = set(_refs(document))
    assert refs
    for ref in refs:
        assert ref.startswith("#/components/schemas/"), ref
        assert ref.removeprefix("#/components/schemas/") in schemas, ref


def test_paths_and_methods_match_the_route_table(document, registry):
    served = _served(registry)
    documented = {path: set(item) for path, item in document["paths"].items()}
    assert set(documented) == set(served), "routes with views and documented paths differ"
    for path, methods in served.items():
        if "*" not in methods:
            assert documented[path] == methods, path


def test_the_contract_endpoints_are_all_there(document):
    paths = document["paths"]
    for resource in ("people", "departments", "projects", "assignments", "deliverables", "timeoff"):
        assert set(paths[f"/api/{resource}/"]) == {"get", "post"}
        assert set(paths[f"/api/{resource}/{{id}}/"]) == {"get", "patch", "put", "delete"}
    for path in ("/api/health/", "/api/health/ready/", "/api/openapi.json", "/api/dashboard/",
                 "/api/auth/token/", "/api/auth/token/refresh/", "/api/auth/logout/", "/api/auth/me/", "/api/auth/sessions/",
                 "/api/auth/sessions/revoke/"):
        assert path in paths, path


def test_schemas_come_from_the_wire_models(document):
    paths, schemas = document["paths"], document["components"]["schemas"]
    create = paths["/api/people/"]["post"]
    assert "201" in create["responses"] and "412" in paths["/api/people/{id}/"]["patch"]["responses"]
    ref = create["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    person_in = schemas[ref.rsplit("/", 1)[1]]
    assert {"name", "email", "weeklyCapacity", "departmentId", "skills"} <= set(person_in["properties"])
    assert "name" in person_in["required"]
    assert person_in["properties"]["weeklyCapacity"]["maximum"] == 168
    listing = paths["/api/people/"]["get"]
    results = listing["responses"]["200"]["content"]["application/json"]["schema"]
    assert set(results["properties"]) == {"count", "next", "previous", "results"}
    out_ref = results["properties"]["results"]["items"]["$ref"]
    assert {"id", "departmentName", "createdAt", "updatedAt"} <= set(schemas[out_ref.rsplit("/", 1)[1]]["properties"])
    params = {p["name"] for p in listing["parameters"]}
    assert {"page", "pageSize", "ordering", "departmentId", "skill"} <= params
    status = schemas[paths["/api/projects/"]["post"]["requestBody"]["content"]["application/json"]["schema"]["$ref"]
                     .rsplit("/", 1)[1]]["properties"]["status"]
    assert status["enum"] == ["planning", "active", "on_hold", "completed", "cancelled"]


def test_public_operations_have_no_security_and_the_rest_do(document):
    public = {("/api/health/", "get"), ("/api/health/ready/", "get"), ("/api/openapi.json", "get"),
              ("/api/auth/token/", "post"), ("/api/auth/token/refresh/", "post"), ("/api/auth/logout/", "post")}
    for path, item in document["paths"].items():
        for method, operation in item.items():
            if (path, method) in public:
                assert "security" not in operation, (path, method)
            else:
                assert operation["security"] == [{"bearer": []}], (path, method)
