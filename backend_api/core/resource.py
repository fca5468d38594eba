"""List / create / detail / PATCH / PUT / DELETE, written once (Kinto style).

A feature declares a subclass with its model, wire schemas, filters, ordering, unique fields and
foreign keys; the base gives it pagination, validation, ETags, 304s and — the heart of safe
concurrent editing — writes that compare and set in one statement:

    UPDATE … SET …, version = version + 1 WHERE id = :id AND version = :seen

0 rows means somebody else won the race: the caller gets 412 with the current object. On SQLite
the request takes the database write lock at that UPDATE, not before (core/sqlite.py).
"""

from datetime import date
from functools import cache, lru_cache
from typing import Any, ClassVar
from urllib.parse import urlencode

from pydantic import ValidationError
from pydantic.alias_generators import to_camel
from sqlalchemy import ColumnElement, Select, bindparam, delete, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import col

from . import changes, history
from .concurrency import make_etag, not_modified, precondition_failed, require_if_match
from .db import Violation, rows_changed, violation
from .edge import CONTROL_IN_TEXT
from .error_codes import ErrorCode
from .errors import ApiError, field_error, from_validation_error, not_found
from .model import Row, table_of
from .openapi import Operation, describe
from .params import Param, boolean, day, enum, ids, integer, ordering, read, text
from .permissions import Permission
from .schemas import MAX_ID, CamelModel, M, Wire, parse
from .timeutil import now

DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE = 50, 200
MAX_ORDERING_TERMS = 5
PAGE = (integer("page", default=1), integer("pageSize", default=DEFAULT_PAGE_SIZE, cap=MAX_PAGE_SIZE))
BAD_FILTER = "Not a valid value for this filter."


@lru_cache(maxsize=256)
def compare_and_set(table, columns: tuple[str, ...]):
    """UPDATE table SET columns…, version = version + 1 WHERE id = :ident AND version = :seen
    RETURNING the row as stored, with the new values bound as `new_<column>`: built once per table
    and set of columns, as building and keying a statement per request was a third of a PATCH's
    CPU. RETURNING spares reading the row again (both engines have it: SQLite since 3.35)."""
    return (
        update(table)
        .where(table.c.id == bindparam("ident"), table.c.version == bindparam("seen"))
        .values({name: bindparam(f"new_{name}", type_=table.c[name].type) for name in columns})
        .values(version=table.c.version + 1)
        .returning(*table.c)
    )


class Written:
    """A row as its UPDATE returned it, with the linked names of the row read before (the write
    changed none of their keys): what `reading` gives, attribute by attribute and as `_mapping`."""

    __slots__ = ("_mapping",)

    def __init__(self, mapping: dict[str, Any]):
        self._mapping = mapping

    def __getattr__(self, name: str) -> Any:
        try:
            return self._mapping[name]
        except KeyError:
            raise AttributeError(name) from None


def _new(values: dict) -> dict:
    return {f"new_{name}": value for name, value in values.items()}


def valid_id(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= MAX_ID


MAX_JSON_DEPTH = 32


def json_object(request) -> dict:
    try:
        body = request.json_body
    except RecursionError:
        raise ApiError(
            400, ErrorCode.INVALID, f"The request body is nested deeper than {MAX_JSON_DEPTH} levels."
        ) from None
    except ValueError:
        raise ApiError(400, ErrorCode.INVALID, "The request body is not valid JSON.") from None
    if not isinstance(body, dict):
        raise ApiError(400, ErrorCode.INVALID, "The request body must be a JSON object.")
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


def json_response(response, body: bytes):
    """`response` carrying JSON already encoded, as the json renderer would send it."""
    response.content_type = "application/json"
    response.body = body
    return response


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
    model: ClassVar[type[Row]]  # Editable for every resource that writes
    schema: ClassVar[type[CamelModel]]  # input: create, PUT, and PATCH merged onto the current object
    out: ClassVar[type[CamelModel]]  # output, for serialization and OpenAPI
    label: ClassVar[str] = "Item"
    filters: ClassVar[dict[str, str]] = {}  # wire name -> column attribute
    ordering: ClassVar[dict[str, Any]] = {}  # wire name -> column attribute, or a SQL expression
    default_ordering: ClassVar[tuple[str, ...]] = ("id",)
    unique: ClassVar[dict[str, str]] = {}  # wire name -> column attribute
    foreign: ClassVar[dict[str, str]] = {}  # wire name -> label; the table is its foreign key's
    # Read-only field -> foreign key column: the linked row's name, joined into every read (see reading).
    names: ClassVar[dict[str, str]] = {}
    merge_fields: ClassVar[frozenset[str]] = frozenset()  # JSON-merge-patched dict fields
    extra_params: ClassVar[tuple[Param, ...]] = ()  # query parameters handled by extra_filters

    def __init__(self, request):
        self.request = request
        self.db = request.db
        self.actor = changes.acting_user(request)  # who the request's writes are recorded for

    # ---- hooks a feature may override -------------------------------------------------------
    def extra_filters(self, values: dict) -> list[ColumnElement]:
        """Conditions from the extra_params, given their parsed values."""
        return []

    def extras(self, objs: list) -> dict[int, dict]:
        """Read-only fields built from a page of rows, without a query (names of linked rows are
        joined in by `names` instead)."""
        return {}

    def check(self, values: dict, obj) -> None:
        """Rules beyond the schema that need the database (override and call super). Raise ApiError."""
        self.check_unique_and_foreign(values, obj)

    def before_delete(self, obj) -> None:
        """Refuse a delete that would lose data. Raise ApiError. (Another feature's rules run
        after it, see add_delete_guard; rows that merely point at this one are unlinked by delete
        itself, see set_null_links.)"""

    # ---- reading ----------------------------------------------------------------------------
    @classmethod
    def reading(cls, ids=None) -> Select:
        """The SELECT of every read: the table's columns and, for each of `names`, the linked row's
        name from an outer join, so an object and its names (a page of them too) are one query.
        Plain rows, not ORM instances: nothing here is written back through the ORM. `ids`, a
        subquery of ids (a page), is the table's rows are read for: the names are then joined to
        those rows only, not to every row the page is sorted from."""
        table = table_of(cls.model)
        source = table if ids is None else ids.join(table, table.c.id == ids.c.id)
        columns = list(table.c)
        for linked, on, name in cls._linked_names():
            source = source.outerjoin(linked, on)
            columns.append(name)
        return select(*columns).select_from(source)

    @classmethod
    @cache  # once per resource
    def _linked_names(cls) -> list[tuple]:
        """(the linked table's alias, the join condition, its labelled name column) per name."""
        table, linked_names = table_of(cls.model), []
        for field, key in cls.names.items():
            target = linked_column(table.c[key])
            linked = target.table.alias(f"linked_{field}")  # one alias each: assignments link people and projects
            linked_names.append((linked, table.c[key] == linked.c[target.name], linked.c.name.label(field)))
        return linked_names

    @classmethod
    @cache  # once per resource: the serializers are built from the output model's core schema
    def wire(cls) -> Wire:
        return Wire(cls.out)

    @classmethod
    @cache  # once per resource: building the statement cost as much as running it
    def _reading_one(cls) -> Select:
        return cls.reading().where(table_of(cls.model).c.id == bindparam("ident"))

    def _read(self, ident: int):
        """The row with this id and its names, or None."""
        return self.db.connection().execute(self._reading_one(), {"ident": ident}).first()

    def etag(self, row) -> str:
        return make_etag(row, table_of(self.model).name)

    # ---- serialization ----------------------------------------------------------------------
    def _records(self, rows: list, etags: list[str] | None = None) -> list[dict]:
        """The rows' wire records; `etags`, theirs when the caller has them already (for a header)."""
        wire, extra = self.wire(), self.extras(rows)
        if "updated_by" in self.out.model_fields:
            for row in rows:
                extra.setdefault(row.id, {})["updated_by"] = updated_by(row)
        if "etag" not in self.out.model_fields:
            return [wire.record(row._mapping, **extra.get(row.id, {})) for row in rows]
        etags = etags or [self.etag(row) for row in rows]
        return [
            wire.record(row._mapping, **extra.get(row.id, {}), etag=etag) for row, etag in zip(rows, etags, strict=True)
        ]

    def serialize_many(self, rows: list) -> list[dict]:
        """Rows (from `reading`) as their wire objects."""
        return [self.wire().python(record) for record in self._records(rows)]

    def serialize(self, row) -> dict:
        return self.serialize_many([row])[0]

    def _respond(self, row, etag: str):
        """The response for one row: its ETag, and its JSON encoded once (no renderer pass)."""
        return self._send(self._records([row], [etag])[0], etag)

    def _send(self, record: dict, etag: str):
        response = self.request.response
        response.headers["ETag"] = etag
        return json_response(response, self.wire().json(record))

    def _respond_changed(self, row, action: str, before: dict | None):
        """The response for a row just written, and the change recorded (core/changes.py)."""
        etag = self.etag(row)
        record = self._records([row], [etag])[0]
        changes.record(
            self.db,
            self.actor,
            table_of(self.model).name,
            row.id,
            action,
            version=row.version,
            etag=etag,
            before=before,
            after=self.wire().python(record),
        )
        return self._send(record, etag)

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
            raise ApiError(404, ErrorCode.NOT_FOUND, "Invalid page.")
        order = self._ordering(values["ordering"])
        # The page's ids first, then their rows with names: a join ahead of the sort would run for
        # every row sorted (SQLite joins all of them before it sorts: 4x the time at 10,000 rows).
        ids = (
            select(table_of(self.model).c.id)
            .where(*conditions)
            .order_by(*order)
            .offset((page - 1) * size)
            .limit(size)
            .subquery("page")
        )
        rows = list(self.db.execute(self.reading(ids).order_by(*order)))
        body = self.wire().page(
            count,
            self._page_url(page + 1) if page * size < count else None,
            self._page_url(page - 1) if page > 1 else None,
            self._records(rows),
        )
        return json_response(self.request.response, body)

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
        return clauses + [col(self.model.id).asc()]

    def collection_post(self):
        values = self._validate(json_object(self.request))
        self.check(values, None)
        obj = self.model(**values, **changes.stamp(self.actor))
        self.db.add(obj)
        self._flush()
        row = self._read(obj.id)  # with its names, in place of a refresh
        self.request.response.status_int = 201
        self.request.response.headers["Location"] = f"{self.request.path_url}{row.id}/"
        return self._respond_changed(row, changes.CREATED, None)

    # ---- detail -----------------------------------------------------------------------------
    def _ident(self) -> int:
        try:
            ident = int(self.request.matchdict["id"])
        except ValueError:
            raise not_found(self.label) from None
        if not valid_id(ident):  # see MAX_ID
            raise not_found(self.label)
        return ident

    def _get_object(self):
        row = self._read(self._ident())
        if row is None:
            raise not_found(self.label)
        return row

    def get(self):
        row = self._get_object()
        etag = self.etag(row)
        if not_modified(self.request, etag):
            response = no_content(self.request, 304)
            response.headers["ETag"] = etag
            return response
        return self._respond(row, etag)

    def _require_if_match(self, row, required: bool = True) -> int:
        return require_if_match(self.request, row, self.serialize, required, kind=table_of(self.model).name)

    def patch(self):
        obj = self._get_object()
        body = json_object(self.request)
        seen = self._require_if_match(obj)
        current = self.serialize(obj)
        return self._write(obj, seen, self._merge(current, body), current)

    def put(self):
        obj = self._get_object()
        body = json_object(self.request)
        seen = self._require_if_match(obj)
        return self._write(obj, seen, body, self.serialize(obj))

    def delete(self):
        obj = self._get_object()
        seen = self._require_if_match(obj, required=False)
        self.before_delete(obj)
        table = table_of(self.model)
        for guard in self.request.registry.planner_delete_guards.get(table, ()):
            guard(self.db, obj)
        for column in set_null_links(table):
            clear_links(self.db, self.actor, column, obj.id)
        deleted = rows_changed(self.db.execute(delete(table).where(table.c.id == obj.id, table.c.version == seen)))
        if deleted == 0:
            self._lost_race(obj)
        self._flush()
        changes.record(self.db, self.actor, table.name, obj.id, changes.DELETED, before=self.serialize(obj))
        return no_content(self.request)

    def history(self):
        """The item's changes, newest first, paged like a list; a deleted item keeps its history."""
        ident = self._ident()
        values = read(self.request, *PAGE)
        page, size = values["page"], values["pageSize"]
        count, records = history.history(self.db, table_of(self.model).name, ident, page, size)
        if count == 0 and self._read(ident) is None:
            raise not_found(self.label)
        if page > 1 and (page - 1) * size >= count:
            raise ApiError(404, ErrorCode.NOT_FOUND, "Invalid page.")
        body = history.WIRE.page(
            count,
            self._page_url(page + 1) if page * size < count else None,
            self._page_url(page - 1) if page > 1 else None,
            records,
        )
        return json_response(self.request.response, body)

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

    def _write(self, obj, seen: int, data: dict, before: dict):
        """Compare and set `data` onto `obj` (last seen at version `seen`, as the wire object `before`)."""
        values = self._validate(data)
        self.check(values, obj)
        values.update(changes.stamp(self.actor), updated_at=now())
        statement = compare_and_set(table_of(self.model), tuple(values))
        written = self.db.execute(statement, {"ident": obj.id, "seen": seen, **_new(values)}).first()
        if written is None:
            self._lost_race(obj)
        self._flush()
        return self._respond_changed(self._with_names(obj, written), changes.UPDATED, before)

    def _with_names(self, obj, written):
        """The written row with its names: those of `obj` (read before the write), unless the
        write changed a key they come from (then read again)."""
        if any(written._mapping[key] != obj._mapping[key] for key in self.names.values()):
            return self._read(obj.id)
        return Written({**written._mapping, **{field: obj._mapping[field] for field in self.names}})

    def _lost_race(self, obj):
        current = self._read(obj.id)
        if current is None:
            raise not_found(self.label)
        raise precondition_failed(self.etag(current), self.serialize(current))

    def _flush(self) -> None:
        try:
            self.db.flush()
        except IntegrityError as exc:
            # The checks in check() ran first, so this is a race with another request: the same
            # unique value inserted, or a linked row deleted, at the same moment.
            if violation(exc) is Violation.FOREIGN_KEY:
                raise ApiError(
                    400, ErrorCode.INVALID, "A linked item was deleted meanwhile. Reload and try again."
                ) from None
            raise ApiError(400, ErrorCode.DUPLICATE, "This value is already taken.") from None

    # ---- shared checks ----------------------------------------------------------------------
    def check_unique_and_foreign(self, values: dict, obj) -> None:
        errors: dict[str, list[str]] = {}
        code = ErrorCode.INVALID  # duplicate when any value is taken, even beside a missing link
        for wire, attr in self.unique.items():
            value = values.get(attr)
            if value is None or (obj is not None and getattr(obj, attr) == value):
                continue  # kept as it was: the unique index already holds it for this row alone
            column = getattr(self.model, attr)
            taken = select(col(self.model.id)).where(column == value)
            if obj is not None:
                taken = taken.where(col(self.model.id) != obj.id)
            if self.db.scalar(taken.limit(1)) is not None:
                errors[wire] = [f"This {wire_label(wire)} is already taken."]
                code = ErrorCode.DUPLICATE
        for wire, label in self.foreign.items():
            value = values.get(_snake(wire))
            if obj is not None and getattr(obj, _snake(wire)) == value:
                continue  # kept as it was: a stored link points at a row that exists (see delete)
            target = linked_column(table_of(self.model).c[_snake(wire)])
            if value is not None and (
                not valid_id(value) or self.db.scalar(select(target).where(target == value)) is None
            ):
                errors[wire] = [f"{label} {value} does not exist."]
        if errors:
            detail = "This value is already taken." if code == ErrorCode.DUPLICATE else "Some fields are not valid."
            raise ApiError(400, code, detail, errors=errors)


def wire_label(wire: str) -> str:
    return "".join(" " + c.lower() if c.isupper() else c for c in wire)


def _snake(wire: str) -> str:
    return "".join("_" + c.lower() if c.isupper() else c for c in wire)


def register(config, resource: type[Resource], collection_route: str, item_route: str, path: str) -> None:
    """Declare a resource's routes (`/api/<path>/`, `/api/<path>/{id}/` and its history: the only
    place they are spelled), bind its operations to them with their permissions, and describe them
    in the OpenAPI document."""
    history_route = f"{item_route}_history"
    config.add_route(collection_route, f"/api/{path}/")
    config.add_route(item_route, f"/api/{path}/{{id}}/")
    config.add_route(history_route, f"/api/{path}/{{id}}/history/")
    views: list[tuple[str, str, str, Permission]] = [
        (collection_route, "GET", "collection_get", Permission.VIEW),
        (collection_route, "POST", "collection_post", Permission.EDIT),
        (item_route, "GET", "get", Permission.VIEW),
        (item_route, "PATCH", "patch", Permission.EDIT),
        (item_route, "PUT", "put", Permission.EDIT),
        (item_route, "DELETE", "delete", Permission.EDIT),
        (history_route, "GET", "history", Permission.VIEW),
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
            permission=Permission.EDIT,
            etag=True,
        ),
        Operation(item, "GET", f"{label} (ETag; If-None-Match gives 304)", response=resource.out, conditional="read"),
        Operation(
            item,
            "PATCH",
            f"Merge into {label} (If-Match required)",
            request=resource.schema,
            response=resource.out,
            permission=Permission.EDIT,
            conditional="write-required",
            partial=True,
        ),
        Operation(
            item,
            "PUT",
            f"Replace {label} (If-Match required)",
            request=resource.schema,
            response=resource.out,
            permission=Permission.EDIT,
            conditional="write-required",
        ),
        Operation(
            item,
            "DELETE",
            f"Delete {label} (If-Match honoured)",
            status=204,
            permission=Permission.EDIT,
            conditional="write",
        ),
        Operation(
            history_route,
            "GET",
            f"Changes of {label}, newest first (also after its deletion)",
            response=history.ChangeOut,
            list_of=True,
            params=PAGE,
        ),
    )


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


def clear_links(db, actor: changes.UserRef | None, column, ident: int) -> None:
    """Unlink rows that point at a row about to be deleted, as a write of their own.

    The foreign keys would set these columns to NULL by themselves (ON DELETE SET NULL), but
    silently: the rows' version would stay, and with it their ETag, so a client could keep and
    save a stale copy. Doing it here bumps version and updated_at like any other write, and
    records each row's change.
    """
    table = column.table
    unlinked = db.execute(
        update(table)
        .where(column == ident)
        .values({column.name: None, "version": table.c.version + 1, "updated_at": now(), **changes.stamp(actor)})
        .returning(table.c.id, table.c.version, table.c.updated_at)
    )
    field = to_camel(column.name)
    for row in unlinked:
        changes.record(
            db,
            actor,
            table.name,
            row.id,
            changes.UPDATED,
            version=row.version,
            etag=make_etag(row, table.name),
            before={field: ident},
            after={field: None},
            # A user's changes are theirs and the admins' to read (core/history.py), like the user.
            owner_id=row.id if table.name == "users" else None,
        )


def updated_by(row) -> dict | None:
    """A row's `updatedBy` (core/schemas.UserRefOut) from its updated_by_* columns."""
    return None if row.updated_by_id is None else {"id": row.updated_by_id, "name": row.updated_by_name}


def add_delete_guard(config, model, guard) -> None:
    """The config directive: `guard(db, obj)` runs before a row of `model` is deleted and may refuse
    (raise ApiError). For the feature whose rows point at `model`'s (assignments at people), so the
    feature being deleted from need not know it."""
    config.registry.planner_delete_guards.setdefault(table_of(model), []).append(guard)


def includeme(config):
    config.registry.planner_delete_guards = {}
    config.add_directive("add_delete_guard", add_delete_guard)
