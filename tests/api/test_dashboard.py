"""GET /api/dashboard/: utilisation per person over the next weeks, with time off taken pro rata
over Monday–Friday, bands, peak week, available people and recent assignments.

The clock is pinned to Wednesday 2026-11-25, so the current week starts Monday 2026-11-23."""

from datetime import UTC, date, datetime

import pytest

from tests.factories import make_assignment, make_department, make_person, make_project, make_timeoff

W1, W2, W3, W4 = "2026-11-23", "2026-11-30", "2026-12-07", "2026-12-14"


@pytest.fixture(autouse=True)
def pinned_clock(monkeypatch):
    monkeypatch.setattr("backend_api.dashboard.services.now", lambda: datetime(2026, 11, 25, 15, 30, tzinfo=UTC))


def _board(client, query=""):
    response = client.get(f"/api/dashboard/{query}")
    assert response.status_int == 200, response.json
    return response.json


def _row(board, person):
    return next(row for row in board["teamOverview"] if row["personId"] == person.id)


@pytest.mark.parametrize("weeks", ["0", "13", "-1", "abc", "2.5"])
def test_weeks_outside_1_to_12_is_400(staff, weeks):
    response = staff.get(f"/api/dashboard/?weeks={weeks}")
    assert response.status_int == 400
    assert response.json["code"] == "invalid"
    assert list(response.json["errors"]) == ["weeks"]


def test_weeks_default_to_4_from_the_current_monday(staff):
    assert _board(staff)["weeks"] == [W1, W2, W3, W4]
    assert _board(staff, "?weeks=1")["weeks"] == [W1]
    twelve = _board(staff, "?weeks=12")["weeks"]
    assert len(twelve) == 12 and twelve[-1] == "2027-02-08"


def test_empty_dashboard(staff):
    board = _board(staff)
    assert board["summary"] == {
        "totalPeople": 0,
        "avgUtilization": 0.0,
        "peakUtilization": 0.0,
        "peakPerson": None,
        "totalAssignments": 0,
        "overallocatedCount": 0,
    }
    assert board["utilizationDistribution"] == {"underutilized": 0, "optimal": 0, "high": 0, "overallocated": 0}
    assert board["teamOverview"] == board["availablePeople"] == board["recentAssignments"] == []


def test_utilisation_peak_week_and_hours_outside_the_window(staff, registry):
    ada = make_person(registry, name="Ada", weekly_capacity=40)
    make_assignment(registry, person=ada, weekly_hours={W2: 30, W3: 10})
    make_assignment(registry, person=ada, weekly_hours={W2: 20, "2026-11-16": 40, "2026-12-21": 40})
    row = _row(_board(staff), ada)
    assert [week["hours"] for week in row.pop("weekly")] == [0, 50, 10, 0]
    assert row == {
        "personId": ada.id,
        "name": "Ada",
        "departmentName": None,
        "allocatedHours": 60.0,
        "capacity": 160.0,
        "utilizationPercent": 37.5,
        "band": "underutilized",
        "isOverallocated": True,
        "peakUtilizationPercent": 125.0,
        "peakWeek": W2,
    }


def test_time_off_reduces_capacity_pro_rata_over_weekdays(staff, registry):
    ada = make_person(registry, name="Ada", weekly_capacity=40)
    # Thursday W1 to Tuesday W2: two weekdays off in each week, the weekend in between does not count.
    make_timeoff(registry, person=ada, start_date=date(2026, 11, 26), end_date=date(2026, 12, 1))
    # A Saturday and Sunday in W3: no weekday, no capacity lost.
    make_timeoff(registry, person=ada, start_date=date(2026, 12, 12), end_date=date(2026, 12, 13))
    # All of W4 and beyond the window.
    make_timeoff(registry, person=ada, start_date=date(2026, 12, 14), end_date=date(2027, 1, 8))
    make_assignment(registry, person=ada, weekly_hours={W1: 24, W2: 30, W3: 40, W4: 8})
    row = _row(_board(staff), ada)
    assert row["capacity"] == 24 + 24 + 40 + 0
    assert row["allocatedHours"] == 102
    assert row["utilizationPercent"] == round(102 / 88 * 100, 1)
    # W4 has hours and no capacity at all: that week is over-allocated without a finite figure.
    assert row["isOverallocated"] is True
    assert row["peakWeek"] == W4
    assert _row(_board(staff, "?weeks=3"), ada)["peakUtilizationPercent"] == 125.0  # W2: 30 of 24


def test_bands_and_distribution(staff, registry):
    people = {}
    for name, hours in [("A69", 69.9), ("B70", 70), ("C84", 84.9), ("D85", 85), ("E100", 100), ("F101", 100.5)]:
        people[name] = make_person(registry, name=name, weekly_capacity=100)
        make_assignment(registry, person=people[name], weekly_hours={W1: hours})
    board = _board(staff, "?weeks=1")
    bands = {row["name"]: (row["band"], row["isOverallocated"]) for row in board["teamOverview"]}
    assert bands == {
        "A69": ("underutilized", False),
        "B70": ("optimal", False),
        "C84": ("optimal", False),
        "D85": ("high", False),
        "E100": ("high", False),
        "F101": ("overallocated", True),
    }
    assert board["utilizationDistribution"] == {"underutilized": 1, "optimal": 2, "high": 2, "overallocated": 1}
    assert board["summary"]["overallocatedCount"] == 1
    assert board["summary"]["peakUtilization"] == 100.5
    assert board["summary"]["peakPerson"] == "F101"
    assert board["summary"]["avgUtilization"] == round((69.9 + 70 + 84.9 + 85 + 100 + 100.5) / 6, 1)
    assert board["summary"]["totalPeople"] == 6 and board["summary"]["totalAssignments"] == 6


def test_overallocated_first_then_by_utilisation(staff, registry):
    idle = make_person(registry, name="Idle", weekly_capacity=40)
    half = make_person(registry, name="Half", weekly_capacity=40)
    busy = make_person(registry, name="Busy", weekly_capacity=40)
    over = make_person(registry, name="Over", weekly_capacity=40)
    make_assignment(registry, person=half, weekly_hours={W1: 20})
    make_assignment(registry, person=busy, weekly_hours={W1: 36})
    make_assignment(registry, person=over, weekly_hours={W1: 50})
    names = [row["name"] for row in _board(staff, "?weeks=1")["teamOverview"]]
    assert names == ["Over", "Busy", "Half", "Idle"]
    assert idle.id  # the idle person is listed, last


def test_available_people_are_the_five_with_most_free_hours(staff, registry):
    for name, hours in [("P0", 0), ("P1", 5), ("P2", 10), ("P3", 15), ("P4", 20), ("P5", 36)]:
        make_assignment(registry, person=make_person(registry, name=name, weekly_capacity=36), weekly_hours={W1: hours})
    available = _board(staff, "?weeks=1")["availablePeople"]
    assert [(p["name"], p["freeHours"]) for p in available] == [
        ("P0", 36),
        ("P1", 31),
        ("P2", 26),
        ("P3", 21),
        ("P4", 16),
    ]


def test_recent_assignments_newest_first_limited_to_ten(manager, registry):
    ada, harbour = make_person(registry, name="Ada"), make_project(registry, name="Harbour")
    made = [make_assignment(registry, person=ada, project=harbour, weekly_hours={W1: 1}) for _ in range(12)]
    oldest = made[0]
    etag = manager.get(f"/api/assignments/{oldest.id}/").headers["ETag"]
    assert (
        manager.patch(f"/api/assignments/{oldest.id}/", {"roleOnProject": "Lead"}, {"If-Match": etag}).status_int == 200
    )
    recent = _board(manager)["recentAssignments"]
    assert len(recent) == 10
    assert recent[0]["id"] == oldest.id
    assert (recent[0]["personName"], recent[0]["projectName"], recent[0]["roleOnProject"]) == ("Ada", "Harbour", "Lead")
    assert recent[0]["weeklyHours"] == {W1: 1}
    assert [r["id"] for r in recent[1:]] == [a.id for a in reversed(made[3:])]


def test_department_filter_and_inactive_people(staff, registry):
    structures, civil = make_department(registry, name="Structures"), make_department(registry, name="Civil")
    ada = make_person(registry, name="Ada", department_id=structures.id)
    make_person(registry, name="Gone", department_id=structures.id, is_active=False)
    bob = make_person(registry, name="Bob", department_id=civil.id)
    make_assignment(registry, person=ada, weekly_hours={W1: 10})
    make_assignment(registry, person=bob, weekly_hours={W1: 10})
    board = _board(staff, f"?departmentId={structures.id}")
    assert [(row["name"], row["departmentName"]) for row in board["teamOverview"]] == [("Ada", "Structures")]
    assert board["summary"]["totalPeople"] == 1 and board["summary"]["totalAssignments"] == 1
    assert [r["personName"] for r in board["recentAssignments"]] == ["Ada"]
    assert _board(staff)["summary"]["totalPeople"] == 2
    assert _board(staff, "?departmentId=987654")["summary"]["totalPeople"] == 0
    assert staff.get("/api/dashboard/?departmentId=abc").status_int == 400
    assert _board(staff, "?departmentId=99999999999999999999")["summary"]["totalPeople"] == 0


def test_dashboard_needs_authentication(testapp):
    response = testapp.get("/api/dashboard/", status="*")
    assert response.status_int == 401 and response.json["code"] == "not_authenticated"


def test_hours_with_no_capacity_rank_first_without_a_finite_figure(staff, registry):
    make_assignment(registry, person=make_person(registry, name="Busy", weekly_capacity=40), weekly_hours={W1: 60})
    make_assignment(registry, person=make_person(registry, name="Nocap", weekly_capacity=0), weekly_hours={W1: 4})
    make_person(registry, name="Idle", weekly_capacity=0)
    board = _board(staff, "?weeks=1")
    rows = [(r["name"], r["utilizationPercent"], r["band"], r["isOverallocated"]) for r in board["teamOverview"]]
    assert rows == [
        ("Nocap", None, "overallocated", True),
        ("Busy", 150.0, "overallocated", True),
        ("Idle", 0.0, "underutilized", False),
    ]
    assert board["summary"]["overallocatedCount"] == 2
    assert board["summary"]["avgUtilization"] == 75.0  # over the finite figures only


def test_one_person_week_by_week(staff, registry):
    ada = make_person(registry, name="Ada", weekly_capacity=40)
    make_person(registry, name="Bob")
    make_timeoff(registry, person=ada, start_date=date(2026, 11, 30), end_date=date(2026, 11, 30))  # Monday W2
    make_assignment(registry, person=ada, weekly_hours={W1: 20, W2: 40})
    board = _board(staff, f"?weeks=3&personId={ada.id}")
    assert [row["name"] for row in board["teamOverview"]] == ["Ada"]
    assert _row(board, ada)["weekly"] == [
        {"week": W1, "hours": 20, "capacity": 40, "utilizationPercent": 50.0, "band": "underutilized"},
        {"week": W2, "hours": 40, "capacity": 32, "utilizationPercent": 125.0, "band": "overallocated"},
        {"week": W3, "hours": 0, "capacity": 40, "utilizationPercent": 0.0, "band": "underutilized"},
    ]


def test_asking_for_one_person_includes_them_even_when_inactive(staff, registry):
    gone = make_person(registry, name="Gone", is_active=False)
    assert _board(staff)["teamOverview"] == []
    assert [row["name"] for row in _board(staff, f"?personId={gone.id}")["teamOverview"]] == ["Gone"]


def test_team_overview_is_paged_in_a_stable_order_with_figures_over_everyone(staff, registry):
    # 7 people, three of them with the same utilisation: the order between them is by name, then id.
    for name, hours in [("Eve", 10), ("Cat", 10), ("Dan", 10), ("Ann", 30), ("Bob", 45), ("Fay", 0), ("Gus", 20)]:
        make_assignment(registry, person=make_person(registry, name=name, weekly_capacity=40), weekly_hours={W1: hours})
    whole = _board(staff, "?weeks=1")
    assert [r["name"] for r in whole["teamOverview"]] == ["Bob", "Ann", "Gus", "Cat", "Dan", "Eve", "Fay"]
    assert (whole["total"], whole["offset"], whole["limit"]) == (7, 0, 50)
    pages = [_board(staff, f"?weeks=1&limit=3&offset={offset}") for offset in (0, 3, 6, 9)]
    assert [[r["name"] for r in page["teamOverview"]] for page in pages] == [
        ["Bob", "Ann", "Gus"],
        ["Cat", "Dan", "Eve"],
        ["Fay"],
        [],
    ]
    for page in pages:  # every page has the figures over all seven
        assert page["total"] == page["summary"]["totalPeople"] == 7
        assert page["summary"] == whole["summary"]
        assert page["utilizationDistribution"] == whole["utilizationDistribution"]
        assert page["availablePeople"] == whole["availablePeople"]
    assert pages[2]["teamOverview"] == whole["teamOverview"][6:]  # the same rows, weeks included
    assert whole["summary"]["peakPerson"] == "Bob" and whole["summary"]["overallocatedCount"] == 1


@pytest.mark.parametrize(
    "query, offset, limit",
    [("?limit=500", 0, 200), ("?limit=200", 0, 200), ("?offset=99999999999999", 2**31 - 1, 50)],
)
def test_limit_is_capped_at_200_and_offset_at_the_largest_id(staff, query, offset, limit):
    board = _board(staff, query)
    assert (board["offset"], board["limit"]) == (offset, limit)


@pytest.mark.parametrize("query", ["?limit=0", "?limit=-1", "?offset=-1", "?offset=x", "?limit=2.5"])
def test_limit_below_1_or_offset_below_0_is_400(staff, query):
    response = staff.get(f"/api/dashboard/{query}")
    assert response.status_int == 400 and response.json["code"] == "invalid"


def test_the_queries_do_not_grow_with_the_people(staff, registry, wsgi_app):
    """The same statements with the same number of parameters for 3 people as for 30: the old IN
    list of every person's id failed over 65,535 people on PostgreSQL."""
    from sqlalchemy import event

    def add(count):
        for n in range(count):
            person = make_person(registry, name=f"P{n:02d}")
            make_assignment(registry, person=person, weekly_hours={W1: n})
            make_timeoff(registry, person=person, start_date=date(2026, 11, 24), end_date=date(2026, 11, 24))

    def statements():
        seen = []

        def record(conn, cursor, statement, parameters, context, executemany):
            seen.append(len(parameters or ()))

        engine = wsgi_app.registry.planner_engine
        event.listen(engine, "before_cursor_execute", record)
        try:
            board = _board(staff, "?weeks=12&limit=2")
        finally:
            event.remove(engine, "before_cursor_execute", record)
        return board["summary"]["totalPeople"], seen

    add(3)
    few = statements()
    add(27)
    many = statements()
    assert (few[0], many[0]) == (3, 30)
    assert few[1] == many[1]


def test_the_answer_is_what_the_openapi_document_says(staff, registry):
    from backend_api.dashboard.schemas import DashboardOut

    ada = make_person(registry, name="Ada", weekly_capacity=0)
    make_assignment(registry, person=ada, weekly_hours={W1: 4})
    make_assignment(registry, person=make_person(registry, name="Bob"), weekly_hours={W2: 10})
    board = _board(staff)
    assert board["summary"]["peakUtilization"] is None  # the nullable fields are null somewhere
    assert DashboardOut.model_validate(board).model_dump(mode="json", by_alias=True) == board
