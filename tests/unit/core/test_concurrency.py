from datetime import UTC, datetime
from types import SimpleNamespace

import pytest

from backend_api.core.concurrency import make_etag, matches_strong, matches_weak, parse_etag_header, require_if_match
from backend_api.core.errors import ApiError


class Thing(SimpleNamespace):
    __tablename__ = "things"


def thing(**kw):
    return Thing(**{"id": 1, "updated_at": datetime(2026, 11, 24, 10, 15, tzinfo=UTC), "version": 1, **kw})


def test_etag_is_strong_quoted_and_stable():
    etag = make_etag(thing())
    assert etag.startswith('"') and etag.endswith('"') and not etag.startswith("W/")
    assert etag == make_etag(thing())


@pytest.mark.parametrize(
    "change", [{"id": 2}, {"version": 2}, {"updated_at": datetime(2026, 11, 24, 10, 15, 0, 1, tzinfo=UTC)}]
)
def test_etag_changes_with_id_version_and_time(change):
    assert make_etag(thing(**change)) != make_etag(thing())


def test_same_clock_tick_different_version_differs():
    # The reason `version` exists: two writes within one timestamp tick.
    assert make_etag(thing(version=1)) != make_etag(thing(version=2))


def test_naive_and_aware_utc_give_the_same_etag():
    # SQLite returns naive datetimes; the ETag of a row must not depend on the engine's tz handling.
    assert make_etag(thing(updated_at=datetime(2026, 11, 24, 10, 15))) == make_etag(thing())


def test_etag_differs_between_kinds_of_object():
    class Other(Thing):
        __tablename__ = "others"

    assert make_etag(Other(id=1, updated_at=thing().updated_at, version=1)) != make_etag(thing())


@pytest.mark.parametrize(
    "header, expected",
    [
        ("*", "*"),
        ('"abc"', ['"abc"']),
        ('"a", "b",W/"c"', ['"a"', '"b"', 'W/"c"']),
        ('  "a"  ', ['"a"']),
        ('""', ['""']),
    ],
)
def test_parse_valid_headers(header, expected):
    assert parse_etag_header(header) == expected


@pytest.mark.parametrize("header", ["abc", '"abc', 'abc"', '"a" "b"', '"a",,', "", '*, "a"', "W/abc", '"a"x'])
def test_malformed_headers_are_400(header):
    with pytest.raises(ApiError) as caught:
        parse_etag_header(header)
    assert caught.value.status == 400


def test_strong_comparison_refuses_weak_tags():
    assert matches_strong(['"x"'], '"x"')
    assert not matches_strong(['W/"x"'], '"x"')
    assert matches_strong("*", '"x"')
    assert matches_strong(['"y"', '"x"'], '"x"')


def test_weak_comparison_for_if_none_match():
    assert matches_weak(['W/"x"'], '"x"')
    assert not matches_weak(['"y"'], '"x"')


def _request(headers):
    return SimpleNamespace(headers=headers)


def test_require_if_match_missing_is_precondition_required():
    with pytest.raises(ApiError) as caught:
        require_if_match(_request({}), thing(), serialize=lambda o: {})
    assert (caught.value.status, caught.value.code) == (428, "precondition_required")


def test_require_if_match_optional_returns_current_version():
    assert require_if_match(_request({}), thing(version=7), serialize=lambda o: {}, required=False) == 7


def test_require_if_match_stale_carries_current_object_and_etag():
    obj = thing(version=3)
    with pytest.raises(ApiError) as caught:
        require_if_match(_request({"If-Match": '"stale"'}), obj, serialize=lambda o: {"version": o.version})
    error = caught.value
    assert (error.status, error.code) == (412, "precondition_failed")
    assert error.extra == {"etag": make_etag(obj), "current": {"version": 3}}
    assert error.headers["ETag"] == make_etag(obj)


def test_require_if_match_match_returns_seen_version():
    obj = thing(version=5)
    assert require_if_match(_request({"If-Match": f'"other", {make_etag(obj)}'}), obj, serialize=dict) == 5
