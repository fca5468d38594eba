"""List / create / detail / PATCH / PUT / DELETE, written once (Kinto style).

A feature declares a subclass with its model, wire schemas, filters, ordering, unique fields and
foreign keys; the base gives it pagination, validation, ETags, 304s and — the heart of safe
concurrent editing — writes that compare and set in one statement:

    UPDATE … SET …, version = version + 1 WHERE id = :id AND version = :seen

0 rows means somebody else won the race: the caller gets 412 with the current object. On SQLite
the request takes the database write lock at that UPDATE, not before (core/sqlite.py).
"""

from datetime import date
from functools import cache
from typing import Any, ClassVar
from urllib.parse import urlencode

from pydantic import ValidationError
from sqlalchemy import ColumnElement, delete, func, or_, select, update
from sqlalchemy.exc import IntegrityError

from .concurrency import make_etag, not_modified, precondition_failed, require_if_match, set_etag
from .db import Violation, violation
from .edge import CONTROL_IN_TEXT
from .errors import ApiError, field_error, from_validation_error, not_found
from .openapi import Operation, describe
from .params import Param, boolean, day, enum, ids, integer, ordering, read, text
from .schemas import MAX_ID, CamelModel, M, parse
from .timeutil import now

DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE = 50, 200
MAX_ORDERING_TERMS = 5
PAGE = (integer("page", default=1), integer("pageSize", default=DEFAULT_PAGE_SIZE, cap=MAX_PAGE_SIZE))
BAD_FILTER = "Not a valid value for this filter."


def valid_id(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= MAX_ID


MAX_JSON_DEPTH = 32


def json_object(request) -> dict:
    try:
        body = request.json_body
    except RecursionError:
        raise ApiError(400, "invalid", f"The request body is nested deeper than {MAX_JSON_DEPTH} levels.") from None
    except ValueError:
        raise ApiError(400, "invalid", "The request body is not valid JSON.") from None
    if not isinstance(body, dict):
        raise ApiError(400, "invalid", "The request body must be a JSON object.")
    _check_values(body)
    return body


def json_body_as(request, schema: type[M]) -> M:
    """The request's JSON object validated strictly as `schema` (see schemas.parse)."""
    return parse(schema, json_object(request))


def _check_values(body: dict) -> None:
    """No request has a use for deep nesting, or for control characters in its text (tab and line
    breaks aside): refused here, once, with the field they are in, instead of failing deep in a
    driver (PostgreSQL rejects NUL in text)."""
    # (value, its depth, the top-level field it is in); a field's name is checked as its text.
    pending = [(item, 2, key) for key, value in body.items() for item in (key, value)]
    while pending:
        value, depth, field = pending.pop()
        if depth > MAX_JSON_DEPTH:
            raise field_error(field, f"Nested deeper than {MAX_JSON_DEPTH} levels.")
        if isinstance(value, dict):
            pending.extend((item, depth + 1, field) for item in [*value, *value.values()])
        elif isinstance(value, list):
            pending.extend((item, depth + 1, field) for item in value)
        elif isinstance(value, str) and CONTROL_IN_TEXT.search(value):
            raise field_error(field, "Contains control characters (such as NUL), which text cannot hold.")


def escape_like(text: str) -> str:
    """The user's text matched literally: LIKE's own wildcards in it are escaped (with `\\`)."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def contains_any(text: str, *columns) -> ColumnElement:
    """Case-insensitive "any of these columns contains text" (lower() is ASCII-only on SQLite)."""
    needle = "%" + escape_like(text.strip().lower()) + "%"
    return or_(*(func.lower(column).like(needle, escape="\\") for column in columns))


def no_content(request, status: int = 204):
    """An empty 204/304 response: no body, so no Content-Type either."""
    response = request.response
    response.status_int = status
    response.content_type = None
    return response


def _enum_of(prop: dict, defs: dict) -> list | None:
    """A property's enum values, also when the enum is a StrEnum (a $ref to its definition)."""
    if "$ref" in prop:
        prop = defs[prop["$ref"].rsplit("/", 1)[-1]]
    return prop.get("enum")


def filter_param(column, wire: str, choices=None) -> Param:
    """The query parameter of a list filter, typed by its column (and its enum, when the wire
    model has one)."""
    python_type = column.type.python_type
    if python_type is bool:
        return boolean(wire)
    if python_type is int:  # `a,b,c` on an integer column means IN
        return ids(wire, message=BAD_FILTER)
    if python_type is date:
        return day(wire, message=BAD_FILTER)
    return enum(wire, choices, message=BAD_FILTER) if choices else text(wire)


class Resource:
    model: ClassVar[type]
    schema: ClassVar[type[CamelModel]]  # input: create, PUT, and PATCH merged onto the current object
    out: ClassVar[type[CamelModel]]  # output, for serialization and OpenAPI
    label: ClassVar[str] = "Item"
    filters: ClassVar[dict[str, str]] = {}  # wire name -> column attribute
    ordering: ClassVar[dict[str, Any]] = {}  # wire name -> column attribute, or a SQL expression
    default_ordering: ClassVar[tuple[str, ...]] = ("id",)
    unique: ClassVar[dict[str, str]] = {}  # wire name -> column attribute
    foreign: ClassVar[dict[str, str]] = {}  # wire name -> label; the table is its foreign key's
    merge_fields: ClassVar[frozenset[str]] = frozenset()  # JSON-merge-patched dict fields
    extra_params: ClassVar[tuple[Param, ...]] = ()  # query parameters handled by extra_filters

    def __init__(self, request):
        self.request = request
        self.db = request.db

    # ---- hooks a feature may override -------------------------------------------------------
    def extra_filters(self, values: dict) -> list[ColumnElement]:
        """Conditions from the extra_params, given their parsed values."""
        return []

    def extras(self, objs: list) -> dict[int, dict]:
        """Read-only fields (names of related rows) for a page of objects, in one query."""
        return {}

    def check(self, values: dict, obj) -> None:
        """Rules beyond the schema that need the database (override and call super). Raise ApiError."""
        self.check_unique_and_foreign(values, obj)

    def before_delete(self, obj) -> None:
        """Refuse a delete that would lose data. Raise ApiError. (Another feature's rules run
        after it, see add_delete_guard; rows that merely point at this one are unlinked by delete
        itself, see set_null_links.)"""

    # ---- serialization ----------------------------------------------------------------------
    def serialize_many(self, objs: list) -> list[dict]:
        extra = self.extras(objs)
        return [self._dump(obj, extra.get(obj.id, {})) for obj in objs]

    def serialize(self, obj) -> dict:
        return self.serialize_many([obj])[0]

    def _dump(self, obj, extra: dict) -> dict:
        # Built without validation: a stored row is shown as it is, even one that an input rule
        # added later would refuse — reading must never fail with a 400. Enum fields (a project's
        # status) hold the column's plain string, which is what they serialize to anyway: no warning.
        data = {name: getattr(obj, name) for name in self.out.model_fields if hasattr(obj, name)}
        if "etag" in self.out.model_fields:
            data["etag"] = make_etag(obj)
        return self.out.model_construct(**data, **extra).model_dump(mode="json", by_alias=True, warnings=False)

    # ---- collection -------------------------------------------------------------------------
    @classmethod
    @cache  # once per resource: building the enum lookup costs a JSON-schema generation
    def list_params(cls) -> tuple[Param, ...]:
        """Every query parameter of the list: documented in OpenAPI and read by collection_get."""
        schema = cls.out.model_json_schema(by_alias=True, mode="serialization")
        enums = {wire: _enum_of(prop, schema.get("$defs", {})) for wire, prop in schema["properties"].items()}
        filters = tuple(
            filter_param(getattr(cls.model, attr), wire, enums.get(wire)) for wire, attr in cls.filters.items()
        )
        return (*PAGE, ordering(cls.ordering, max_terms=MAX_ORDERING_TERMS), *filters, *cls.extra_params)

    def collection_get(self):
        values = read(self.request, *self.list_params())
        conditions = self._filters(values) + self.extra_filters(values)
        page, size = values["page"], values["pageSize"]
        count = self.db.scalar(select(func.count()).select_from(self.model).where(*conditions))
        if page > 1 and (page - 1) * size >= count:
            raise ApiError(404, "not_found", "Invalid page.")
        query = (
            select(self.model)
            .where(*conditions)
            .order_by(*self._ordering(values["ordering"]))
            .offset((page - 1) * size)
            .limit(size)
        )
        objs = list(self.db.scalars(query))
        return {
            "count": count,
            "next": self._page_url(page + 1) if page * size < count else None,
            "previous": self._page_url(page - 1) if page > 1 else None,
            "results": self.serialize_many(objs),
        }

    def _page_url(self, page: int) -> str:
        params = dict(self.request.GET)
        params["page"] = page
        return f"{self.request.path_url}?{urlencode(params)}"

    def _filters(self, values: dict) -> list[ColumnElement]:
        conditions = []
        for wire, attr in self.filters.items():
            value = values[wire]
            if value is None:
                continue
            column = getattr(self.model, attr)
            conditions.append(column.in_(value) if isinstance(value, list) else column == value)
        return conditions

    def _ordering(self, names: list[str] | None) -> list:
        clauses = []
        for name in names or self.default_ordering:
            attr = self.ordering[name.removeprefix("-")]
            column = getattr(self.model, attr) if isinstance(attr, str) else attr
            clauses.append(column.desc() if name.startswith("-") else column.asc())
        return clauses + [self.model.id.asc()]

    def collection_post(self):
        values = self._validate(json_object(self.request))
        self.check(values, None)
        obj = self.model(**values)
        self.db.add(obj)
        self._flush()
        self.db.refresh(obj)
        self.request.response.status_int = 201
        self.request.response.headers["Location"] = f"{self.request.path_url}{obj.id}/"
        set_etag(self.request.response, obj)
        return self.serialize(obj)

    # ---- detail -----------------------------------------------------------------------------
    def _get_object(self):
        try:
            ident = int(self.request.matchdict["id"])
        except ValueError:
            raise not_found(self.label) from None
        if not valid_id(ident):  # see MAX_ID
            raise not_found(self.label)
        obj = self.db.get(self.model, ident, populate_existing=True)
        if obj is None:
            raise not_found(self.label)
        return obj

    def get(self):
        obj = self._get_object()
        etag = make_etag(obj)
        if not_modified(self.request, etag):
            response = no_content(self.request, 304)
            response.headers["ETag"] = etag
            return response
        set_etag(self.request.response, obj)
        return self.serialize(obj)

    def patch(self):
        obj = self._get_object()
        body = json_object(self.request)
        seen = require_if_match(self.request, obj, self.serialize)
        return self._write(obj, seen, self._merge(self.serialize(obj), body))

    def put(self):
        obj = self._get_object()
        body = json_object(self.request)
        seen = require_if_match(self.request, obj, self.serialize)
        return self._write(obj, seen, body)

    def delete(self):
        obj = self._get_object()
        seen = require_if_match(self.request, obj, self.serialize, required=False)
        self.before_delete(obj)
        table = self.model.__table__
        for guard in self.request.registry.planner_delete_guards.get(table, ()):
            guard(self.db, obj)
        for column in set_null_links(table):
            clear_links(self.db, column, obj.id)
        deleted = self.db.execute(delete(table).where(table.c.id == obj.id, table.c.version == seen)).rowcount
        if deleted == 0:
            self._lost_race(obj)
        self._flush()
        return no_content(self.request)

    # ---- the write path ---------------------------------------------------------------------
    def _merge(self, current: dict, body: dict) -> dict:
        merged = {**current, **body}
        for wire in self.merge_fields & body.keys():
            if isinstance(body[wire], dict) and isinstance(current.get(wire), dict):
                combined = {**current[wire], **body[wire]}
                merged[wire] = {k: v for k, v in combined.items() if v is not None}
        return merged

    def _validate(self, data: dict) -> dict:
        try:
            return parse(self.schema, data).to_columns()
        except ValidationError as exc:
            raise from_validation_error(exc) from None

    def _write(self, obj, seen: int, data: dict):
        values = self._validate(data)
        self.check(values, obj)
        table = self.model.__table__
        statement = (
            update(table)
            .where(table.c.id == obj.id, table.c.version == seen)
            .values(**values, version=table.c.version + 1, updated_at=now())
        )
        if self.db.execute(statement).rowcount == 0:
            self._lost_race(obj)
        self._flush()
        obj = self.db.get(self.model, obj.id, populate_existing=True)
        set_etag(self.request.response, obj)
        return self.serialize(obj)

    def _lost_race(self, obj):
        current = self.db.get(self.model, obj.id, populate_existing=True)
        if current is None:
            raise not_found(self.label)
        raise precondition_failed(make_etag(current), self.serialize(current))

    def _flush(self) -> None:
        try:
            self.db.flush()
        except IntegrityError as exc:
            # The checks in check() ran first, so this is a race with another request: the same
            # unique value inserted, or a linked row deleted, at the same moment.
            if violation(exc) is Violation.FOREIGN_KEY:
                raise ApiError(400, "invalid", "A linked item was deleted meanwhile. Reload and try again.") from None
            raise ApiError(400, "duplicate", "This value is already taken.") from None

    # ---- shared checks ----------------------------------------------------------------------
    def check_unique_and_foreign(self, values: dict, obj) -> None:
        errors: dict[str, list[str]] = {}
        code = "invalid"
        for wire, attr in self.unique.items():
            value = values.get(attr)
            if value is None:
                continue
            column = getattr(self.model, attr)
            taken = select(self.model.id).where(column == value)
            if obj is not None:
                taken = taken.where(self.model.id != obj.id)
            if self.db.scalar(taken.limit(1)) is not None:
                errors[wire] = [f"This {wire_label(wire)} is already taken."]
                code = "duplicate"
        for wire, label in self.foreign.items():
            value = values.get(_snake(wire))
            target = linked_column(self.model.__table__.c[_snake(wire)])
            if value is not None and (
                not valid_id(value) or self.db.scalar(select(target).where(target == value)) is None
            ):
                errors[wire] = [f"{label} {value} does not exist."]
                code = "invalid" if code != "duplicate" else code
        if errors:
            detail = "This value is already taken." if code == "duplicate" else "Some fields are not valid."
            raise ApiError(400, code, detail, errors=errors)


def wire_label(wire: str) -> str:
    return "".join(" " + c.lower() if c.isupper() else c for c in wire)


def _snake(wire: str) -> str:
    return "".join("_" + c.lower() if c.isupper() else c for c in wire)


def register(config, resource: type[Resource], collection_route: str, item_route: str, path: str) -> None:
    """Declare a resource's two routes (`/api/<path>/` and `/api/<path>/{id}/`: the only place
    they are spelled), bind its six operations to them with their permissions, and describe them in
    the OpenAPI document."""
    config.add_route(collection_route, f"/api/{path}/")
    config.add_route(item_route, f"/api/{path}/{{id}}/")
    views: list[tuple[str, str, str, str]] = [
        (collection_route, "GET", "collection_get", "view"),
        (collection_route, "POST", "collection_post", "edit"),
        (item_route, "GET", "get", "view"),
        (item_route, "PATCH", "patch", "edit"),
        (item_route, "PUT", "put", "edit"),
        (item_route, "DELETE", "delete", "edit"),
    ]
    for route, method, attr, permission in views:
        config.add_view(
            resource, attr=attr, route_name=route, request_method=method, permission=permission, renderer="json"
        )
    label, collection, item = resource.label, collection_route, item_route
    describe(
        config,
        Operation(
            collection, "GET", f"List {label}", response=resource.out, list_of=True, params=resource.list_params()
        ),
        Operation(
            collection,
            "POST",
            f"Create {label}",
            request=resource.schema,
            response=resource.out,
            status=201,
            permission="edit",
            etag=True,
        ),
        Operation(item, "GET", f"{label} (ETag; If-None-Match gives 304)", response=resource.out, conditional="read"),
        Operation(
            item,
            "PATCH",
            f"Merge into {label} (If-Match required)",
            request=resource.schema,
            response=resource.out,
            permission="edit",
            conditional="write-required",
            partial=True,
        ),
        Operation(
            item,
            "PUT",
            f"Replace {label} (If-Match required)",
            request=resource.schema,
            response=resource.out,
            permission="edit",
            conditional="write-required",
        ),
        Operation(
            item, "DELETE", f"Delete {label} (If-Match honoured)", status=204, permission="edit", conditional="write"
        ),
    )


def names_by_id(db, model, ids: set[int]) -> dict[int, str]:
    """{id: name} of the given rows, in one query (for read-only *Name fields)."""
    ids = {i for i in ids if i is not None}
    if not ids:
        return {}
    # Not dict(result): a Result has .keys() (its column names), so dict() takes it for a mapping
    # and indexes it by those names -> TypeError on every *Name field (SQLAlchemy 2.1).
    return {ident: name for ident, name in db.execute(select(model.id, model.name).where(model.id.in_(ids)))}


DATE_RANGE = (
    day("from", description="Only rows that end on or after this date."),
    day("to", description="Only rows that start on or before this date."),
)


def date_range_filters(values: dict, start_column, end_column) -> list[ColumnElement]:
    """`from` / `to` (inclusive dates, see DATE_RANGE): rows whose [start, end] overlaps the range."""
    conditions = []
    if values["from"] is not None:
        conditions.append(end_column >= values["from"])
    if values["to"] is not None:
        conditions.append(start_column <= values["to"])
    return conditions


def linked_column(column):
    """The column that `column`'s foreign key points at: a feature checks a link without
    importing the model it links to."""
    (key,) = column.foreign_keys
    return key.column


def set_null_links(table) -> list:
    """The columns that point at `table` with ON DELETE SET NULL, read from the models' foreign
    keys, so a feature never lists another feature's columns. Only versioned tables: a row
    without a version has no ETag to go stale, and the foreign key unlinks it by itself."""
    return [
        fk.parent
        for other in table.metadata.tables.values()
        if "version" in other.c
        for fk in other.foreign_keys
        if fk.ondelete == "SET NULL" and fk.column.table is table
    ]


def clear_links(db, column, ident: int) -> None:
    """Unlink rows that point at a row about to be deleted, as a write of their own.

    The foreign keys would set these columns to NULL by themselves (ON DELETE SET NULL), but
    silently: the rows' version would stay, and with it their ETag, so a client could keep and
    save a stale copy. Doing it here bumps version and updated_at like any other write.
    """
    table = column.table
    db.execute(
        update(table)
        .where(column == ident)
        .values({column.name: None, "version": table.c.version + 1, "updated_at": now()})
    )


def add_delete_guard(config, model, guard) -> None:
    """The config directive: `guard(db, obj)` runs before a row of `model` is deleted and may refuse
    (raise ApiError). For the feature whose rows point at `model`'s (assignments at people), so the
    feature being deleted from need not know it."""
    config.registry.planner_delete_guards.setdefault(model.__table__, []).append(guard)


def includeme(config):
    config.registry.planner_delete_guards = {}
    config.add_directive("add_delete_guard", add_delete_guard)
