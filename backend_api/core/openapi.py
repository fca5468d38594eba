"""The OpenAPI 3 document, built from the same pydantic models that validate requests.

Each feature describes its operations when it registers its views (`describe`, and
`resource.register` for the six standard ones), so a route without a description cannot ship
unnoticed: tests compare the document's paths with the route table.
"""

from dataclasses import dataclass, field

from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from .params import Param

ERROR_SCHEMA = {
    "type": "object",
    "required": ["detail", "code"],
    "properties": {
        "detail": {"type": "string"},
        "code": {"type": "string"},
        "errors": {"type": "object", "additionalProperties": {"type": "array", "items": {"type": "string"}}},
        "etag": {"type": "string"},
        "current": {"type": "object"},
    },
}


@dataclass(frozen=True)
class Operation:
    path: str
    method: str
    summary: str
    request: type[BaseModel] | None = None
    response: type[BaseModel] | dict | None = None
    status: int = 200
    permission: str | None = "view"
    list_of: bool = False
    params: tuple[Param, ...] = field(default=())


def describe(config, *operations: Operation) -> None:
    registry = config.registry
    if not hasattr(registry, "planner_operations"):
        registry.planner_operations = []
    registry.planner_operations.extend(operations)


def build_document(registry) -> dict:
    operations: list[Operation] = getattr(registry, "planner_operations", [])
    models = {op.request for op in operations if op.request} | {
        op.response for op in operations if isinstance(op.response, type)}
    keyed, defs = models_json_schema([(m, "validation" if _is_input(m, operations) else "serialization")
                                      for m in sorted(models, key=lambda m: m.__name__)],
                                     by_alias=True, ref_template="#/components/schemas/{model}")
    schemas = dict(defs.get("$defs", {}))
    schemas["Error"] = ERROR_SCHEMA
    paths: dict[str, dict] = {}
    for op in operations:
        paths.setdefault(op.path, {})[op.method.lower()] = _operation(op, keyed)
    return {
        "openapi": "3.1.0",
        "info": {"title": "Planner API", "version": "1"},
        "components": {
            "schemas": schemas,
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}},
        },
        "paths": dict(sorted(paths.items())),
    }


def _is_input(model, operations) -> bool:
    return any(op.request is model for op in operations)


def _ref(model, keyed) -> dict:
    mode = next(k for k in keyed if k[0] is model)
    return keyed[mode]


def _operation(op: Operation, keyed) -> dict:
    out: dict = {"summary": op.summary, "responses": {}}
    if op.permission:
        out["security"] = [{"bearer": []}]
        out["x-permission"] = op.permission
    parameters = [{"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}}] \
        if "{id}" in op.path else []
    parameters += [param.openapi() for param in op.params]
    if parameters:
        out["parameters"] = parameters
    if op.request is not None:
        out["requestBody"] = {"required": True,
                              "content": {"application/json": {"schema": _ref(op.request, keyed)}}}
    if op.response is None:
        out["responses"][str(op.status)] = {"description": "No content"}
    else:
        schema = op.response if isinstance(op.response, dict) else _ref(op.response, keyed)
        if op.list_of:
            schema = {"type": "object", "properties": {
                "count": {"type": "integer"}, "next": {"type": ["string", "null"]},
                "previous": {"type": ["string", "null"]}, "results": {"type": "array", "items": schema}}}
        out["responses"][str(op.status)] = {"description": "OK",
                                            "content": {"application/json": {"schema": schema}}}
    error = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
    for status, text in (("400", "Invalid input"), ("401", "Not authenticated"), ("403", "Not allowed"),
                         ("404", "Not found"), ("412", "Precondition failed")):
        out["responses"][status] = {"description": text, **error}
    return out
