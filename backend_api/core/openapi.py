"""The OpenAPI 3 document, built from the same pydantic models that validate requests.

Each feature describes its operations when it registers its views (`describe`, and
`resource.register` for the six standard ones), so a route without a description cannot ship
unnoticed: tests compare the document's paths with the route table. An operation names its route;
the path comes from Pyramid's route table, where the feature declared it, once.
"""

import re
from dataclasses import dataclass, field

from pydantic import BaseModel
from pydantic.json_schema import models_json_schema
from pyramid.interfaces import IRoutesMapper

from .concurrency import ENTITY_TAGS_PATTERN
from .edge import CONTROL_IN_TEXT, not_matching
from .error_codes import ErrorCode
from .params import Param
from .permissions import Permission

# Every code the API sends (core/error_codes.py), so a client can check it knows each one.
ERROR_CODE_SCHEMA = {"type": "string", "enum": [code.value for code in ErrorCode], "title": "ErrorCode"}
ERROR_SCHEMA = {
    "type": "object",
    "required": ["detail", "code"],
    "properties": {
        "detail": {"type": "string"},
        "code": {"$ref": "#/components/schemas/ErrorCode"},
        "errors": {"type": "object", "additionalProperties": {"type": "array", "items": {"type": "string"}}},
        "etag": {"type": "string"},
        "current": {"type": "object"},
    },
}


@dataclass(frozen=True)
class Operation:
    route: str  # the route's name; its path is the route table's
    method: str
    summary: str
    request: type[BaseModel] | None = None
    response: type[BaseModel] | dict | None = None
    status: int = 200
    permission: Permission | None = Permission.VIEW
    list_of: bool = False
    params: tuple[Param, ...] = field(default=())
    path_params: tuple[Param, ...] = field(default=())  # the route's placeholders other than {id}
    # Concurrency (core/concurrency.py): "read" = GET detail (If-None-Match, 304), "write" = If-Match
    # (412; "write-required": and 428 when absent); both answer with the object's ETag.
    conditional: str | None = None
    etag: bool = False  # a successful answer carries the object's ETag (create)
    partial: bool = False  # the body is merged onto the current object: every field optional
    errors: tuple[int, ...] = ()  # statuses beyond those every operation of its kind can answer


def describe(config, *operations: Operation) -> None:
    registry = config.registry
    if not hasattr(registry, "planner_operations"):
        registry.planner_operations = []
    registry.planner_operations.extend(operations)


def build_document(registry) -> dict:
    operations: list[Operation] = getattr(registry, "planner_operations", [])
    patterns = {route.name: route.pattern for route in registry.getUtility(IRoutesMapper).get_routes()}
    located = [(patterns[op.route], op) for op in operations]
    models = {op.request for op in operations if op.request} | {
        op.response for op in operations if isinstance(op.response, type)
    }
    keyed, defs = models_json_schema(
        [
            (m, "validation" if _is_input(m, operations) else "serialization")
            for m in sorted(models, key=lambda m: m.__name__)
        ],
        by_alias=True,
        ref_template="#/components/schemas/{model}",
    )
    schemas = dict(defs.get("$defs", {}))
    for model in {op.request for op in operations if op.partial and op.request}:
        schemas[_partial_name(model)] = _partial(schemas[model.__name__])
    _refuse_control_characters(schemas)
    schemas["ErrorCode"] = ERROR_CODE_SCHEMA
    schemas["Error"] = ERROR_SCHEMA
    paths: dict[str, dict] = {}
    for path, op in located:
        paths.setdefault(path, {})[op.method.lower()] = _operation(path, op, keyed)
    for path, op in located:
        links = _links(path, op, located)
        if links:
            paths[path][op.method.lower()]["responses"][str(op.status)]["links"] = links
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


def _partial_name(model) -> str:
    return f"{model.__name__}Patch"


def _partial(schema: dict) -> dict:
    """The create schema with every field optional (PATCH merges the body onto the stored object,
    which then passes the whole schema)."""
    out = {k: v for k, v in schema.items() if k != "required"}
    out["title"] = f"{schema.get('title', '')} (any of its fields)".strip()
    return out


# core/resource.py refuses control characters (other than tab and line breaks) in any text of a
# body; the schema says so, so that a client (or a fuzzer) knows.
TEXT_PATTERN = not_matching(CONTROL_IN_TEXT)
# Text is stripped before its length is checked (CamelModel): a required text needs one character
# that is neither a space nor a control character.
_CONTROLS = CONTROL_IN_TEXT.pattern[1:-1]
NOT_BLANK_PATTERN = f"^[^{_CONTROLS}]*[^\\s{_CONTROLS}][^{_CONTROLS}]*$"


def _refuse_control_characters(node) -> None:
    if isinstance(node, dict):
        if node.get("type") == "string" and not {"pattern", "format", "enum", "const"} & node.keys():
            node["pattern"] = NOT_BLANK_PATTERN if node.get("minLength", 0) > 0 else TEXT_PATTERN
        if node.get("type") == "object" and isinstance(node.get("additionalProperties"), dict):
            node.setdefault("propertyNames", {"pattern": TEXT_PATTERN})  # a key is text too
        for value in node.values():
            _refuse_control_characters(value)
    elif isinstance(node, list):
        for value in node:
            _refuse_control_characters(value)


ETAG_HEADER = {"ETag": {"description": "The object's strong entity tag", "schema": {"type": "string"}}}
RETRY_AFTER = {"Retry-After": {"description": "Seconds to wait", "schema": {"type": "integer", "minimum": 0}}}
ENTITY_TAGS = {
    "type": "string",
    "description": "*, or a comma-separated list of quoted entity tags",
    "pattern": ENTITY_TAGS_PATTERN,
}
ERROR_TEXTS = {
    304: "Not modified (If-None-Match matched)",
    400: "Invalid input",
    401: "Not authenticated",
    403: "Not allowed",
    404: "Not found",
    412: "Precondition failed: the If-Match did not match (the body has the current object)",
    413: "Request body too large",
    428: "Precondition required: this write must carry If-Match",
    429: "Too many attempts",
    503: "Service unavailable (the database cannot be reached)",
}


def _statuses(path: str, op: Operation) -> set[int]:
    """Every error status the operation can answer. 400 from the edge for any request (a path or
    query that is not UTF-8 or holds control characters); 413 for a body over the cap; 503 when
    the database is down, for everything but the two operations that never touch it."""
    statuses = {400, *op.errors}
    if op.request is not None:
        statuses.add(413)
    if op.permission:
        statuses |= {401, 403}
    if "{" in path or op.list_of:
        statuses.add(404)  # the object, a path segment that matches no route, or a page past the end
    if op.conditional == "read":
        statuses.add(304)
    elif op.conditional:
        statuses.add(412)
        if op.conditional == "write-required":
            statuses.add(428)
    if op.route not in ("health", "openapi"):
        statuses.add(503)
    return statuses


def _operation_id(path: str, op: Operation) -> str:
    words = re.sub(r"\{(\w+)\}", r"by \1", path).replace("/api/", "").replace("/", " ").replace("_", " ").split()
    return op.method.lower() + "".join(word.capitalize() for word in words)


def _links(path: str, op: Operation, located: list[tuple[str, Operation]]) -> dict:
    """What a client does next with the answer (OpenAPI links, which stateful testing follows): a
    create leads to every operation on the new object's URL, by its id and (for writes) its ETag;
    a detail GET leads to the writes on the same URL, with the ETag it answered."""
    if op.method == "POST" and op.status == 201:
        targets = [(p, t) for p, t in located if p.startswith(f"{path}{{id}}/")]
        ident = "$response.body#/id"
    elif op.conditional == "read":
        targets = [(p, t) for p, t in located if p == path and t.conditional in ("write", "write-required")]
        ident = "$request.path.id"
    else:
        return {}
    links = {}
    for target_path, target in targets:
        parameters = {"path.id": ident}
        if target.conditional in ("write", "write-required"):
            parameters["header.If-Match"] = "$response.header.ETag"
        operation_id = _operation_id(target_path, target)
        links[operation_id] = {"operationId": operation_id, "parameters": parameters}
    return links


def _operation(path: str, op: Operation, keyed) -> dict:
    out: dict = {"summary": op.summary, "operationId": _operation_id(path, op), "responses": {}}
    if op.permission:
        out["security"] = [{"bearer": []}]
        out["x-permission"] = op.permission
    parameters = (
        [{"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}}] if "{id}" in path else []
    )
    parameters += [param.openapi("path") for param in op.path_params]
    parameters += [param.openapi() for param in op.params]
    if op.conditional == "read":
        parameters.append({"name": "If-None-Match", "in": "header", "required": False, "schema": ENTITY_TAGS})
    elif op.conditional:
        parameters.append(
            {"name": "If-Match", "in": "header", "required": op.conditional == "write-required", "schema": ENTITY_TAGS}
        )
    if parameters:
        out["parameters"] = parameters
    if op.request is not None:
        schema = (
            {"$ref": f"#/components/schemas/{_partial_name(op.request)}"} if op.partial else _ref(op.request, keyed)
        )
        out["requestBody"] = {"required": True, "content": {"application/json": {"schema": schema}}}
    success: dict = {"description": "OK"}
    if op.response is None:
        success["description"] = "No content"
    else:
        schema = op.response if isinstance(op.response, dict) else _ref(op.response, keyed)
        if op.list_of:
            schema = {
                "type": "object",
                "properties": {
                    "count": {"type": "integer"},
                    "next": {"type": ["string", "null"]},
                    "previous": {"type": ["string", "null"]},
                    "results": {"type": "array", "items": schema},
                },
            }
        success["content"] = {"application/json": {"schema": schema}}
    if op.etag or (op.conditional and op.method != "DELETE"):
        success["headers"] = ETAG_HEADER
    out["responses"][str(op.status)] = success
    error = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
    for status in sorted(_statuses(path, op)):
        if status == 304:
            out["responses"]["304"] = {"description": ERROR_TEXTS[304], "headers": ETAG_HEADER}
            continue
        response = {"description": ERROR_TEXTS[status], **error}
        if status in (429, 503):
            response["headers"] = RETRY_AFTER
        elif status == 412:
            response["headers"] = ETAG_HEADER
        out["responses"][str(status)] = response
    return out
