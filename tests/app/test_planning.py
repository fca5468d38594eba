"""Pure helpers of the app: week keys, hour parsing, form payloads, the grid's totals."""

import datetime as dt

import pytest

from planner_app.planning import parse_hours, step_hours, week_keys
from planner_app.services.models import Assignment, Person
from planner_app.states import payloads
from planner_app.states.assignments import build_blocks


def test_week_keys_are_mondays_from_the_current_week():
    keys = week_keys(dt.date(2026, 11, 26), 3)  # a Thursday
    assert keys == ["2026-11-23", "2026-11-30", "2026-12-07"]


def test_parse_hours():
    assert parse_hours(" 7,5 ") == 7.5
    assert parse_hours("") is None
    for bad in ("-1", "169", "many"):
        with pytest.raises(ValueError):
            parse_hours(bad)


def test_person_payload_shapes_form_strings():
    body = payloads.person(
        {
            "name": " Ada ",
            "email": "",
            "department_id": "3",
            "weekly_capacity": "32",
            "skills": "revit, , bim",
            "is_active": "on",
        }
    )
    assert body["name"] == "Ada" and body["email"] is None and body["phone"] == "" and body["department_id"] == 3
    assert body["weekly_capacity"] == 32.0 and body["skills"] == ["revit", "bim"] and body["is_active"] is True
    # Unparsable numbers go through as typed, so the API's message lands on the field.
    assert payloads.person({"name": "A", "weekly_capacity": "lots"})["weekly_capacity"] == "lots"
    assert payloads.person({"name": "A"})["is_active"] is False


@pytest.mark.parametrize(("typed", "sent"), [("50", 50), ("50.0", 50), ("50,5", 50.5), ("half", "half"), ("", None)])
def test_a_whole_percentage_goes_as_an_integer_the_api_takes_no_50_point_0(typed, sent):
    body = payloads.deliverable({"date": "2026-12-01", "percentage": typed}, project_id=1)
    assert body["percentage"] == sent and type(body["percentage"]) is type(sent)


def test_grid_blocks_total_hours_against_capacity():
    weeks = ["2026-11-23", "2026-11-30"]
    people = [Person(id=1, name="Ada", weekly_capacity=30)]
    assignments = {
        1: [
            Assignment(
                id=10,
                person_id=1,
                project_id=5,
                project_name="Bridge",
                weekly_hours={"2026-11-23": 20, "2026-11-30": 8},
            ),
            Assignment(id=11, person_id=1, project_id=6, project_name="Tower", weekly_hours={"2026-11-23": 16}),
        ]
    }
    (block,) = build_blocks(people, assignments, weeks)
    assert [r.total for r in block.rows] == ["28", "16"]
    assert [(t.hours, t.over) for t in block.totals] == [("36", True), ("8", False)]
    assert block.total == "44 / 60" and block.over_weeks == 1
    assert block.rows[1].cells[1].value == ""


def test_date_ranges_read_as_words():
    from planner_app.planning import date_range

    assert date_range("2026-12-29", "2027-01-01") == "29 Dec 2026 – 1 Jan 2027"
    assert date_range(None, "2027-01-01") == "… – 1 Jan 2027"
    assert date_range(None, None) == ""


@pytest.mark.parametrize(
    ("value", "delta", "expected"), [(None, 4, 4), (8, -1, 7), (2, -4, 0), (166, 4, 168), (7.5, 1, 8.5)]
)
def test_steppers_stay_within_0_and_168(value, delta, expected):
    assert step_hours(value, delta) == expected
