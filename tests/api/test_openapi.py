"""GET /api/openapi.json: an OpenAPI 3 document that describes exactly the routes that have
views (compared with Pyramid's own route and view introspection), built from the schemas that
validate requests."""

import re

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
    assert document["components"]["securitySchemes"]["bearer"] == {
        "type": "http",
        "scheme": "bearer",
        "bearerFormat": "JWT",
    }
    assert document["paths"]
    for path, item in document["paths"].items():
        assert path.startswith("/api/")
        assert set(item) <= METHODS, path
        for method, operation in item.items():
            assert operation["summary"], (path, method)
            assert operation["responses"], (path, method)
            assert all(code.isdigit() and len(code) == 3 for code in operation["responses"])
            if "{id}" in path:
                assert {"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}} in operation[
                    "parameters"
                ]


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
    for path in (
        "/api/health/",
        "/api/health/ready/",
        "/api/openapi.json",
        "/api/dashboard/",
        "/api/auth/token/",
        "/api/auth/token/refresh/",
        "/api/auth/logout/",
        "/api/auth/me/",
        "/api/auth/sessions/",
        "/api/auth/sessions/revoke/",
    ):
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
    status = schemas[
        paths["/api/projects/"]["post"]["requestBody"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[
            1
        ]
    ]["properties"]["status"]
    status = schemas[status["$ref"].rsplit("/", 1)[1]] if "$ref" in status else status  # a StrEnum's own schema
    assert status["enum"] == ["planning", "active", "on_hold", "completed", "cancelled"]


def test_public_operations_have_no_security_and_the_rest_do(document):
    public = {
        ("/api/health/", "get"),
        ("/api/health/ready/", "get"),
        ("/api/openapi.json", "get"),
        ("/api/auth/token/", "post"),
        ("/api/auth/token/refresh/", "post"),
        ("/api/auth/logout/", "post"),
        # The browser's cookie flow: the cookie (or a grant code) is the credential.
        ("/api/auth/token/cookie/", "post"),
        ("/api/auth/token/app/", "post"),
        ("/api/auth/token/access/", "post"),
        ("/api/auth/logout/cookie/", "post"),
    }
    for path, item in document["paths"].items():
        for method, operation in item.items():
            if (path, method) in public:
                assert "security" not in operation, (path, method)
            else:
                assert operation["security"] == [{"bearer": []}], (path, method)


def _params(operation) -> dict[str, dict]:
    return {p["name"]: p for p in operation.get("parameters", [])}


def test_query_parameters_are_typed(document):
    paths = document["paths"]
    people = _params(paths["/api/people/"]["get"])
    assert people["page"]["schema"] == {"type": "integer", "minimum": 1}
    assert people["pageSize"]["schema"] == {"type": "integer", "minimum": 1}
    assert "200" in people["pageSize"]["description"]
    assert people["isActive"]["schema"] == {"type": "boolean"}
    assert people["departmentId"]["schema"]["items"]["type"] == "integer"
    assert re.fullmatch(people["ordering"]["schema"]["pattern"], "name,-updatedAt")
    assert not re.fullmatch(people["ordering"]["schema"]["pattern"], "password")
    assert _params(paths["/api/projects/"]["get"])["status"]["schema"]["enum"] == [
        "planning",
        "active",
        "on_hold",
        "completed",
        "cancelled",
    ]
    assert _params(paths["/api/timeoff/"]["get"])["from"]["schema"] == {"type": "string", "format": "date"}
    assert _params(paths["/api/dashboard/"]["get"])["weeks"]["schema"] == {
        "type": "integer",
        "minimum": 1,
        "maximum": 12,
    }
    assert _params(paths["/api/auth/users/"]["get"])["role"]["schema"]["enum"] == ["admin", "manager", "user"]


# One value each type of parameter must refuse.
WRONG = {"integer": "x", "boolean": "1", "array": "1,x", "date": "2026-1-1", "enum": "nope", "ordering": "-"}


def _wrong_value(param) -> str | None:
    schema = param["schema"]
    if "enum" in schema:
        return WRONG["enum"]
    if schema.get("format") == "date":
        return WRONG["date"]
    if param["name"] == "ordering":
        return WRONG["ordering"]
    return WRONG.get(schema["type"])


def test_every_typed_query_parameter_refuses_what_its_schema_refuses(document, admin):
    checked = 0
    for path, item in document["paths"].items():
        if "{id}" in path or "get" not in item:
            continue
        for param in item["get"].get("parameters", []):
            value = _wrong_value(param)
            if value is None:
                continue
            response = admin.get(path, params={param["name"]: value})
            assert response.status_int == 400, (path, param["name"], value)
            assert param["name"] in response.json["errors"], (path, param["name"])
            checked += 1
    assert checked > 40


def test_patch_takes_the_create_schema_with_every_field_optional(document):
    paths, schemas = document["paths"], document["components"]["schemas"]
    for resource in ("people", "departments", "projects", "assignments", "deliverables", "timeoff"):
        create = paths[f"/api/{resource}/"]["post"]["requestBody"]["content"]["application/json"]["schema"]
        patch = paths[f"/api/{resource}/{{id}}/"]["patch"]["requestBody"]["content"]["application/json"]["schema"]
        full, partial = (schemas[s["$ref"].rsplit("/", 1)[1]] for s in (create, patch))
        assert full["required"] and "required" not in partial, resource
        assert partial["properties"] == full["properties"], resource


def test_preconditions_etags_and_statuses_are_declared(document):
    paths = document["paths"]
    detail = paths["/api/people/{id}/"]
    get = detail["get"]
    assert _params(get)["If-None-Match"]["in"] == "header"
    assert {"200", "304", "404"} <= set(get["responses"]) and "ETag" in get["responses"]["200"]["headers"]
    for method in ("patch", "put"):
        assert _params(detail[method])["If-Match"]["required"] is True
        assert {"412", "428"} <= set(detail[method]["responses"])
        assert "ETag" in detail[method]["responses"]["412"]["headers"]
    assert _params(detail["delete"])["If-Match"]["required"] is False
    assert "428" not in detail["delete"]["responses"]
    assert "ETag" in paths["/api/people/"]["post"]["responses"]["201"]["headers"]
    assert "413" in paths["/api/people/"]["post"]["responses"]
    token = paths["/api/auth/token/"]["post"]["responses"]
    assert "Retry-After" in token["429"]["headers"] and "401" in token
    for path, item in paths.items():
        for method, operation in item.items():
            assert "400" in operation["responses"], (path, method)  # the edge refuses any bad query
            if path not in ("/api/health/", "/api/openapi.json"):
                assert "Retry-After" in operation["responses"]["503"]["headers"], (path, method)


def test_text_in_bodies_is_declared_free_of_control_characters(document):
    person = document["components"]["schemas"]["PersonIn"]["properties"]
    assert re.fullmatch(person["notes"]["pattern"], "line one\n\tline two")
    assert not re.fullmatch(person["notes"]["pattern"], "a\x00b")
    assert not re.fullmatch(person["name"]["pattern"], "   ")  # stripped, then required


def test_links_lead_from_a_create_to_its_object_with_its_etag(document):
    paths = document["paths"]
    operation_ids = [op["operationId"] for item in paths.values() for op in item.values()]
    assert len(operation_ids) == len(set(operation_ids))
    links = paths["/api/projects/"]["post"]["responses"]["201"]["links"]
    assert {link["operationId"] for link in links.values()} == {
        paths["/api/projects/{id}/"][method]["operationId"] for method in ("get", "patch", "put", "delete")
    } | {paths["/api/projects/{id}/history/"]["get"]["operationId"]}
    patch = paths["/api/projects/{id}/"]["patch"]["operationId"]
    assert links[patch]["parameters"] == {"path.id": "$response.body#/id", "header.If-Match": "$response.header.ETag"}
    after_get = paths["/api/projects/{id}/"]["get"]["responses"]["200"]["links"]
    assert after_get[patch]["parameters"]["header.If-Match"] == "$response.header.ETag"
