"""Optimistic concurrency: strong ETags, If-Match / If-None-Match (RFC 9110).

The ETag hashes the object's kind, id, updated_at and version. `version` is bumped by every write
(see resource.py's compare-and-set UPDATE), so two writes inside one clock tick still differ —
SQLite's timestamps alone could not tell them apart.
"""

import hashlib
import re

from .error_codes import ErrorCode
from .errors import ApiError
from .timeutil import iso

# One entity tag: optional W/, then a quoted string of etagc characters.
_ETAG = re.compile(r'\s*(W/)?"([\x21\x23-\x7e\x80-\xff]*)"\s*')
# The whole header as parse_etag_header reads it (for the OpenAPI document).
ENTITY_TAGS_PATTERN = rf"^\s*(\*|{_ETAG.pattern}(,{_ETAG.pattern})*,?)\s*$"  # a trailing comma is let pass


def make_etag(obj, kind: str | None = None) -> str:
    """From the columns already loaded: `obj` is a model instance, or a row of `kind` (its table)."""
    updated = iso(obj.updated_at) or ""
    raw = f"{kind or type(obj).__tablename__}:{obj.id}:{updated}:{obj.version}"
    return '"' + hashlib.sha256(raw.encode()).hexdigest()[:32] + '"'


def parse_etag_header(value: str) -> list[str] | str:
    """`*` or the list of entity tags (each with its quotes, W/ kept) in an If-Match/If-None-Match.

    Raises a 400 when the header is not `*` or a comma-separated list of quoted strings.
    """
    value = value.strip()
    if value == "*":
        return "*"
    tags, pos = [], 0
    while pos < len(value):
        match = _ETAG.match(value, pos)
        if not match:
            raise _malformed()
        tags.append((match.group(1) or "") + f'"{match.group(2)}"')
        pos = match.end()
        if pos < len(value):
            if value[pos] != ",":
                raise _malformed()
            pos += 1
    if not tags:
        raise _malformed()
    return tags


def _malformed() -> ApiError:
    return ApiError(
        400,
        ErrorCode.INVALID,
        "The If-Match or If-None-Match header is malformed.",
        errors={"If-Match": ["Expected *, or one or more quoted entity tags."]},
    )


def matches_strong(tags: list[str] | str, etag: str) -> bool:
    """If-Match uses strong comparison: a weak tag never matches."""
    return tags == "*" or any(tag == etag for tag in tags)


def matches_weak(tags: list[str] | str, etag: str) -> bool:
    """If-None-Match uses weak comparison: W/ is ignored."""
    return tags == "*" or any(tag.removeprefix("W/") == etag for tag in tags)


def precondition_failed(current_etag: str, current: dict) -> ApiError:
    return ApiError(
        412,
        ErrorCode.PRECONDITION_FAILED,
        "This item was updated by someone else.",
        extra={"etag": current_etag, "current": current},
        headers={"ETag": current_etag},
    )


def require_if_match(request, obj, serialize, required: bool = True, kind: str | None = None) -> int:
    """Check If-Match against `obj`; return the version the caller saw, for the atomic write.

    A missing header is a 428 `precondition_required` (RFC 6585: the server requires the request
    to be conditional) when required (PATCH/PUT), otherwise the write goes ahead against the
    version just read (DELETE without If-Match).
    """
    header = request.headers.get("If-Match")
    if header is None:
        if required:
            raise ApiError(
                428,
                ErrorCode.PRECONDITION_REQUIRED,
                "This request must carry an If-Match header with the ETag you last saw.",
            )
        return obj.version
    tags = parse_etag_header(header)
    current = make_etag(obj, kind)
    if not matches_strong(tags, current):
        raise precondition_failed(current, serialize(obj))
    return obj.version


def not_modified(request, etag: str) -> bool:
    header = request.headers.get("If-None-Match")
    return header is not None and matches_weak(parse_etag_header(header), etag)
