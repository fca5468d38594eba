"""Typed query parameters: one object both documents a parameter (OpenAPI) and reads it.

A view declares what it accepts (`integer("weeks", maximum=12)`), the OpenAPI document shows
exactly that schema, and `read` refuses with a 400 anything the schema would refuse — so the
document and the server cannot disagree about what is valid. An empty value is the same as no
value (forms send `?departmentId=`).
"""

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from .edge import CONTROL, not_matching
from .errors import invalid
from .schemas import MAX_ID

_INTEGER = re.compile(r"-?[0-9]{1,30}")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


@dataclass(frozen=True)
class Param:
    name: str
    kind: str  # integer | ids | boolean | date | text | enum | ordering
    description: str = ""
    default: Any = None
    minimum: int | None = None
    maximum: int | None = None  # larger values are refused
    cap: int | None = None  # larger values are cut down to this (documented, not refused)
    choices: tuple[str, ...] = ()  # enum values, or the ordering fields
    max_length: int | None = None
    pattern: str | None = None  # text: the whole value must match (no control character may)
    required: bool = False
    max_terms: int = 5  # ordering
    max_items: int = 200  # ids: a list is an IN (…) of as many parameters; PostgreSQL takes 65,535 at most
    message: str | None = None  # the 400's text when the value is not valid

    def openapi(self, where: str = "query") -> dict:
        """The parameter's OpenAPI object, in the query or (`where="path"`: always required) the path."""
        out = {"name": self.name, "in": where, "required": self.required or where == "path", "schema": self.schema()}
        if self.kind == "ids":  # ?personId=1,2,3
            out.update(style="form", explode=False)
        description = self.description
        if self.cap is not None:
            description = f"{description} Values over {self.cap} count as {self.cap}.".strip()
        if description:
            out["description"] = description
        return out

    def schema(self) -> dict:
        if self.kind in ("integer", "ids"):
            schema: dict = {"type": "integer"}
            if self.minimum is not None:
                schema["minimum"] = self.minimum
            if self.maximum is not None:
                schema["maximum"] = self.maximum
            if self.kind == "ids":
                return {"type": "array", "items": schema, "minItems": 1, "maxItems": self.max_items}
            return schema
        if self.kind == "boolean":
            return {"type": "boolean"}
        if self.kind == "date":
            return {"type": "string", "format": "date"}
        if self.kind == "enum":
            return {"type": "string", "enum": list(self.choices)}
        if self.kind == "ordering":
            return {"type": "string", "pattern": self.ordering_pattern()}
        if self.pattern:
            return {"type": "string", "pattern": self.pattern}
        # The edge refuses any control character in a query (core/edge.py).
        return {
            "type": "string",
            "pattern": not_matching(CONTROL),
            **({"maxLength": self.max_length} if self.max_length else {}),
        }

    def ordering_pattern(self) -> str:
        term = "-?(" + "|".join(re.escape(name) for name in sorted(self.choices)) + ")"
        return f"^({term}(,{term}){{0,{self.max_terms - 1}}})?$"  # empty: the default order

    def parse(self, raw: str) -> Any:
        """The value of `raw`, or ValueError with the message for the 400."""
        if self.kind in ("integer", "ids"):
            parts = raw.split(",") if self.kind == "ids" else [raw]
            if len(parts) > self.max_items:
                raise ValueError(f"At most {self.max_items} ids.")
            values = [self._integer(part) for part in parts]
            return values if self.kind == "ids" else values[0]
        if self.kind == "boolean":
            if raw not in ("true", "false"):
                raise ValueError(self.message or "Use true or false.")
            return raw == "true"
        if self.kind == "date":
            try:
                if not _DATE.fullmatch(raw):
                    raise ValueError
                return date.fromisoformat(raw)
            except ValueError:
                raise ValueError(self.message or "Enter a date as YYYY-MM-DD.") from None
        if self.kind == "enum" and raw not in self.choices:
            raise ValueError(self.message or f"Choose one of: {', '.join(self.choices)}.")
        if self.kind == "ordering":
            return self._ordering(raw)
        if self.pattern and not re.fullmatch(self.pattern, raw):
            raise ValueError(self.message or "Not a valid value.")
        if self.max_length and len(raw) > self.max_length:
            raise ValueError(self.message or f"Enter at most {self.max_length} characters.")
        return raw

    def _integer(self, raw: str) -> int:
        if not _INTEGER.fullmatch(raw):
            raise ValueError(self.message or "Enter a whole number.")
        value = int(raw)
        if self.minimum is not None and value < self.minimum:
            raise ValueError(self.message or f"Must be at least {self.minimum}.")
        if self.maximum is not None and value > self.maximum:
            raise ValueError(self.message or f"Must be at most {self.maximum}.")
        return min(value, self.cap) if self.cap is not None else value

    def _ordering(self, raw: str) -> list[str]:
        names = raw.split(",")
        if len(names) > self.max_terms:
            raise ValueError(f"Order by at most {self.max_terms} fields.")
        for name in names:
            if name.removeprefix("-") not in self.choices:
                allowed = ", ".join(sorted(self.choices)) or "none"
                raise ValueError(f"Cannot order by {name.removeprefix('-')!r}. Allowed: {allowed}.")
        return names


def integer(name: str, **kw) -> Param:
    return Param(name, "integer", **{"minimum": 1, **kw})


def ident(name: str, **kw) -> Param:
    """An id: no row has one beyond the id column's range (see MAX_ID)."""
    return Param(name, "integer", **{"minimum": 1, "maximum": MAX_ID, **kw})


def ids(name: str, **kw) -> Param:
    """One id or a comma-separated list of them (IN)."""
    return Param(name, "ids", **{"minimum": 1, "maximum": MAX_ID, **kw})


def boolean(name: str, **kw) -> Param:
    return Param(name, "boolean", **kw)


def day(name: str, **kw) -> Param:
    return Param(name, "date", **kw)


def text(name: str, **kw) -> Param:
    return Param(name, "text", **kw)


def enum(name: str, choices, **kw) -> Param:
    return Param(name, "enum", choices=tuple(choices), **kw)


def ordering(choices, **kw) -> Param:
    return Param("ordering", "ordering", choices=tuple(choices), **kw)


def read(request, *params: Param, source: Mapping[str, str] | None = None) -> dict[str, Any]:
    """{name: value} for the declared parameters (their default when absent or empty); one 400
    listing every parameter that is not valid or, `required`, missing. From the query, or from
    `source` (`request.matchdict`: the path's parameters)."""
    values, errors = {}, {}
    for param in params:
        raw = (request.params if source is None else source).get(param.name)
        if raw in (None, ""):
            if param.required:
                errors[param.name] = ["This parameter is required."]
            values[param.name] = param.default
            continue
        try:
            values[param.name] = param.parse(raw)
        except ValueError as exc:
            errors[param.name] = [str(exc)]
    if errors:
        detail = next(iter(errors.values()))[0] if len(errors) == 1 else "Some parameters are not valid."
        raise invalid(errors, detail)
    return values
