"""The camelCase wire models. One pydantic model per resource validates input and documents the
OpenAPI schema, so the two cannot drift."""

import json
import re
from collections.abc import Mapping
from datetime import date, datetime
from typing import Annotated, Any, ClassVar, TypeVar

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, PlainSerializer
from pydantic.alias_generators import to_camel
from pydantic_core import CoreSchema, SchemaSerializer, core_schema
from typing_extensions import TypedDict  # pydantic needs this one on Python < 3.12

from .errors import field_error
from .timeutil import iso

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class CamelModel(BaseModel):
    """Wire model: camelCase keys, unknown keys refused, read-only keys a client echoes back
    (id, createdAt, …) ignored rather than refused (see `parse`)."""

    model_config = ConfigDict(
        alias_generator=to_camel, populate_by_name=True, extra="forbid", str_strip_whitespace=True
    )
    read_only: ClassVar[frozenset[str]] = frozenset({"id", "etag", "createdAt", "updatedAt", "updatedBy"})

    def to_columns(self) -> dict:
        """snake_case column values, for the ORM."""
        return self.model_dump(by_alias=False)


M = TypeVar("M", bound=CamelModel)


def parse(schema: type[M], data: dict[str, Any]) -> M:
    """A request body as `schema`, with JSON's own types and no coercion between them: `0` is not
    false, `false` is not 0, `"5"` is not 5 (pydantic's lax mode accepts all three). Strict
    validation runs in JSON mode, where ISO strings are the JSON form of dates and datetimes."""
    kept = {key: value for key, value in data.items() if key not in schema.read_only}
    return schema.model_validate_json(json.dumps(kept), strict=True)


OUTPUT = ConfigDict(extra="ignore")  # `model_config = OUTPUT` marks a response model


def _email(value: str | None) -> str | None:
    if value in (None, ""):
        return None
    if len(value) > 254 or not _EMAIL.match(value):
        raise ValueError("Enter a valid email address.")
    return value.lower()


Email = Annotated[str | None, AfterValidator(_email)]
# Ids are INTEGER columns: 32-bit on PostgreSQL, 64-bit on SQLite. A larger number from a URL, a
# filter or a body reached the driver and came back as a 500 (NumericValueOutOfRange /
# OverflowError); no row can have such an id, so it is refused (or not found) before any query.
MAX_ID = 2**31 - 1
Id = Annotated[int, Field(ge=1, le=MAX_ID)]
UtcDateTime = Annotated[datetime, PlainSerializer(iso, return_type=str)]


def dates_in_order(start: date | None, end: date | None, end_field: str = "endDate") -> None:
    """Raised from model validators as an ApiError, so the message lands on the end-date field."""
    if start and end and end < start:
        raise field_error(end_field, "The end date must not be before the start date.")


class UserRefOut(TypedDict):
    """A user as others see them (core/changes.UserRef): a plain dict, serialized as it is."""

    id: int
    name: str


class Stored(CamelModel):
    """What every stored resource carries besides its own fields. `etag` equals the ETag header of
    its detail URL, so a row from a list can be edited (If-Match) without fetching it first;
    `updatedBy` is who wrote it last (None for rows no signed-in user wrote, such as demo data)."""

    model_config = OUTPUT
    id: int
    etag: str = ""
    created_at: UtcDateTime
    updated_at: UtcDateTime
    updated_by: UserRefOut | None = None


class Wire:
    """A response model's serializer for plain records (a mapping of field names to values, such
    as a database row), built once per model from pydantic's own field serializers: the same
    aliases, ISO datetimes and enum values as `model_dump(mode="json", by_alias=True)`, without
    building a model instance per row and without validating anything (a stored row is shown as it
    is, even one that an input rule added later would refuse: reading must never fail with a 400).
    `page` serializes a list page (count, next, previous, results) to JSON in one pass."""

    def __init__(self, model: type[BaseModel]):
        fields, definitions = _model_fields_schema(model.__pydantic_core_schema__)
        item: CoreSchema = core_schema.typed_dict_schema(
            {
                name: core_schema.typed_dict_field(
                    field["schema"], required=True, serialization_alias=field.get("serialization_alias")
                )
                for name, field in fields["fields"].items()
            }
        )
        page: CoreSchema = core_schema.typed_dict_schema(
            {
                "count": core_schema.typed_dict_field(core_schema.int_schema()),
                "next": core_schema.typed_dict_field(core_schema.nullable_schema(core_schema.str_schema())),
                "previous": core_schema.typed_dict_field(core_schema.nullable_schema(core_schema.str_schema())),
                "results": core_schema.typed_dict_field(core_schema.list_schema(item)),
            }
        )
        if definitions:
            item = core_schema.definitions_schema(item, definitions)
            page = core_schema.definitions_schema(page, definitions)
        self._item, self._page = SchemaSerializer(item), SchemaSerializer(page)
        # What model_construct would fill in for a field the record lacks.
        self._fields = [
            (name, lambda info=info: info.get_default(call_default_factory=True))
            for name, info in model.model_fields.items()
        ]

    def record(self, source, **extra) -> dict:
        """The model's fields, by name, from `source` (a mapping) and `extra`."""
        merged = {**source, **extra} if extra else source
        return {name: merged[name] if name in merged else default() for name, default in self._fields}

    def python(self, record: dict) -> dict:
        return self._item.to_python(record, mode="json", by_alias=True, warnings=False)

    def json(self, record: dict) -> bytes:
        return self._item.to_json(record, by_alias=True, ensure_ascii=True, warnings=False)

    def page(self, count: int, next_url: str | None, previous_url: str | None, records: list[dict]) -> bytes:
        page = {"count": count, "next": next_url, "previous": previous_url, "results": records}
        return self._page.to_json(page, by_alias=True, ensure_ascii=True, warnings=False)


def _model_fields_schema(schema: Mapping[str, Any]) -> tuple[Mapping[str, Any], list]:
    """A model's `model-fields` core schema (under its definitions and validator wrappers)."""
    definitions: list = []
    while schema["type"] != "model-fields":
        if schema["type"] == "definitions":
            definitions += schema["definitions"]
        if schema["type"] == "definition-ref":
            schema = next(d for d in definitions if d.get("ref") == schema["schema_ref"])
        else:
            schema = schema["schema"]
    return schema, definitions
