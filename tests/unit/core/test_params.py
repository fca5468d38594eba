"""Typed query parameters: what a Param's schema says is exactly what it reads."""

import re
from datetime import date
from types import SimpleNamespace

import pytest

from backend_api.core.concurrency import ENTITY_TAGS_PATTERN, parse_etag_header
from backend_api.core.errors import ApiError
from backend_api.core.params import boolean, day, enum, ids, integer, ordering, read, text
from backend_api.core.schemas import MAX_ID


def request(**query):
    return SimpleNamespace(params=query)


def test_an_absent_or_empty_value_is_the_default():
    assert read(request(page=""), integer("page", default=1), boolean("on")) == {"page": 1, "on": None}


def test_every_invalid_parameter_is_listed_in_one_400():
    with pytest.raises(ApiError) as caught:
        read(request(page="x", on="yes"), integer("page"), boolean("on"))
    assert caught.value.status == 400
    assert set(caught.value.errors) == {"page", "on"}


@pytest.mark.parametrize("raw", ["x", "1.5", "+1", " 1", "1_000", "٣", "0"])
def test_an_integer_is_plain_digits_within_its_bounds(raw):
    with pytest.raises(ValueError):
        integer("page").parse(raw)


def test_a_capped_integer_is_cut_down_and_its_schema_has_no_maximum():
    size = integer("pageSize", cap=200)
    assert size.parse("1000") == 200
    assert size.schema() == {"type": "integer", "minimum": 1}
    assert "200" in size.openapi()["description"]


def test_ids_are_a_comma_list_of_ids_in_the_id_range():
    param = ids("personId")
    assert param.parse("3") == [3] and param.parse("1,2") == [1, 2]
    for raw in ("0", str(MAX_ID + 1), "1,", "a"):
        with pytest.raises(ValueError):
            param.parse(raw)
    assert param.openapi()["style"] == "form" and param.openapi()["explode"] is False
    assert param.schema()["items"] == {"type": "integer", "minimum": 1, "maximum": MAX_ID}


@pytest.mark.parametrize("raw", ["1", "0", "True", "yes"])
def test_a_boolean_is_true_or_false_only(raw):
    with pytest.raises(ValueError):
        boolean("isActive").parse(raw)


def test_a_date_is_yyyy_mm_dd_only():
    assert day("from").parse("2026-12-07") == date(2026, 12, 7)
    for raw in ("20261207", "2026-12-7", "2026-02-30"):
        with pytest.raises(ValueError):
            day("from").parse(raw)


def test_an_enum_refuses_other_values():
    status = enum("status", ["active", "planning"])
    assert status.parse("active") == "active"
    with pytest.raises(ValueError):
        status.parse("Active")


def test_text_has_its_length_and_no_control_characters_in_its_schema():
    q = text("q", max_length=3)
    assert q.schema()["maxLength"] == 3 and not re.match(q.schema()["pattern"], "a\x01")
    with pytest.raises(ValueError):
        q.parse("abcd")


@pytest.mark.parametrize(
    "raw",
    ["name", "-name", "name,-id", "id,id,id,id,id", "", "--name", "name,", " name", "bogus", "id,id,id,id,id,id", "-"],
)
def test_the_ordering_pattern_accepts_exactly_what_is_read(raw):
    param = ordering(["name", "id"], max_terms=5)
    try:
        param.parse(raw) if raw else None
        accepted = True
    except ValueError:
        accepted = False
    assert bool(re.fullmatch(param.schema()["pattern"], raw)) == accepted, raw


@pytest.mark.parametrize("header", ['"a"', 'W/"a", "b"', "*", " * ", "", "a", '"a" "b"', '"a",', 'W/ "a"'])
def test_the_entity_tag_pattern_accepts_exactly_what_is_parsed(header):
    try:
        parse_etag_header(header)
        accepted = True
    except ApiError:
        accepted = False
    assert bool(re.fullmatch(ENTITY_TAGS_PATTERN, header)) == accepted, header
