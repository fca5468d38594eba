"""Utilisation over the next N weeks, in one pass over three queries (people, their assignments,
their time off) — never a query per person.

Capacity in a week = weekly capacity less time off, pro rata over Monday–Friday.
Bands: under 70 % underutilized, 70–85 optimal, 85–100 high, over 100 overallocated.
"""

from collections import defaultdict
from datetime import date, timedelta
from enum import StrEnum

from sqlalchemy import select
from sqlmodel import col

from backend_api.assignments.models import Assignment
from backend_api.assignments.queries import names_for
from backend_api.core.timeutil import iso, monday, now
from backend_api.departments.models import Department
from backend_api.people.models import Person
from backend_api.timeoff.models import TimeOff

RECENT = 10
AVAILABLE = 5


class Band(StrEnum):
    """Utilisation bands, lowest first; the API sends each row's band, so no client recomputes it."""

    UNDERUTILIZED = "underutilized"
    OPTIMAL = "optimal"
    HIGH = "high"
    OVERALLOCATED = "overallocated"


def band(percent: float | None) -> Band:
    if percent is None or percent > 100:
        return Band.OVERALLOCATED
    if percent >= 85:
        return Band.HIGH
    if percent >= 70:
        return Band.OPTIMAL
    return Band.UNDERUTILIZED


def weekdays_off(start: date, end: date, week: date) -> int:
    first, last = max(start, week), min(end, week + timedelta(days=4))
    return max((last - first).days + 1, 0)


def percent(hours: float, capacity: float) -> float | None:
    if capacity > 0:
        return round(hours / capacity * 100, 1)
    return 0.0 if hours == 0 else None  # booked with no capacity at all: no finite figure


def dashboard(
    db, weeks: int, department_id: int | None, today: date | None = None, person_id: int | None = None
) -> dict:
    week_keys = [monday(today or now().date()) + timedelta(weeks=i) for i in range(weeks)]
    first, last = week_keys[0], week_keys[-1] + timedelta(days=6)
    keys = {w.isoformat() for w in week_keys}

    people_query = (
        select(Person, col(Department.name))
        .outerjoin(Department, col(Department.id) == col(Person.department_id))
        .order_by(col(Person.name))
    )
    if person_id is not None:  # one person's page, active or not: the same figures, week by week
        people_query = people_query.where(col(Person.id) == person_id)
    else:
        people_query = people_query.where(col(Person.is_active).is_(True))
    if department_id is not None:
        people_query = people_query.where(col(Person.department_id) == department_id)
    people = list(db.execute(people_query))
    ids = [p.id for p, _ in people]

    # person -> week -> hours
    hours: defaultdict[int, defaultdict[str, float]] = defaultdict(lambda: defaultdict(float))
    assignment_count = 0
    for person_id, weekly in db.execute(
        select(col(Assignment.person_id), col(Assignment.weekly_hours)).where(col(Assignment.person_id).in_(ids))
    ):
        assignment_count += 1
        for week, value in (weekly or {}).items():
            if week in keys:
                hours[person_id][week] += float(value)

    days_off: defaultdict[int, defaultdict[str, int]] = defaultdict(lambda: defaultdict(int))
    for person_id, start, end in db.execute(
        select(col(TimeOff.person_id), col(TimeOff.start_date), col(TimeOff.end_date)).where(
            col(TimeOff.person_id).in_(ids), col(TimeOff.end_date) >= first, col(TimeOff.start_date) <= last
        )
    ):
        for week in week_keys:
            days_off[person_id][week.isoformat()] += weekdays_off(start, end, week)

    overview = []
    for person, department_name in people:
        allocated = capacity = 0.0
        peak, peak_week = -1.0, None
        weekly = []
        for week in week_keys:
            key = week.isoformat()
            week_capacity = person.weekly_capacity * max(5 - days_off[person.id][key], 0) / 5
            week_hours = hours[person.id][key]
            allocated += week_hours
            capacity += week_capacity
            week_percent = percent(week_hours, week_capacity)
            week_value = float("inf") if week_percent is None else week_percent
            weekly.append(
                {
                    "week": key,
                    "hours": round(week_hours, 2),
                    "capacity": round(week_capacity, 2),
                    "utilizationPercent": week_percent,
                    "band": band(week_percent),
                }
            )
            if week_value > peak:
                peak, peak_week = week_value, key
        utilization = percent(allocated, capacity)
        peak_percent = None if peak == float("inf") else peak
        overview.append(
            {
                "personId": person.id,
                "name": person.name,
                "departmentName": department_name,
                "allocatedHours": round(allocated, 2),
                "capacity": round(capacity, 2),
                "utilizationPercent": utilization,
                "band": band(utilization),
                "isOverallocated": peak_percent is None or peak_percent > 100,
                "peakUtilizationPercent": peak_percent,
                "peakWeek": peak_week,
                "weekly": weekly,
            }
        )
    # None (hours with no capacity) ranks highest. Not `percent or 1e9`: 0.0 is falsy, which put
    # idle people above busy ones.
    overview.sort(
        key=lambda row: (
            not row["isOverallocated"],
            -(float("inf") if row["utilizationPercent"] is None else row["utilizationPercent"]),
        )
    )

    distribution = dict.fromkeys(Band, 0)
    for row in overview:
        distribution[row["band"]] += 1
    finite = [row["utilizationPercent"] for row in overview if row["utilizationPercent"] is not None]
    peak_row = max(
        overview,
        key=lambda r: float("inf") if r["peakUtilizationPercent"] is None else r["peakUtilizationPercent"],
        default=None,
    )
    available = sorted(overview, key=lambda r: r["capacity"] - r["allocatedHours"], reverse=True)[:AVAILABLE]

    recent = list(
        db.scalars(
            select(Assignment)
            .where(col(Assignment.person_id).in_(ids))
            .order_by(col(Assignment.updated_at).desc(), col(Assignment.id).desc())
            .limit(RECENT)
        )
    )
    names = names_for(db, recent)
    return {
        "weeks": [w.isoformat() for w in week_keys],
        "summary": {
            "totalPeople": len(overview),
            "avgUtilization": round(sum(finite) / len(finite), 1) if finite else 0.0,
            "peakUtilization": peak_row["peakUtilizationPercent"] if peak_row else 0.0,
            "peakPerson": peak_row["name"] if peak_row else None,
            "totalAssignments": assignment_count,
            "overallocatedCount": sum(1 for row in overview if row["isOverallocated"]),
        },
        "utilizationDistribution": distribution,
        "teamOverview": overview,
        "availablePeople": [
            {**row, "freeHours": round(row["capacity"] - row["allocatedHours"], 2)} for row in available
        ],
        "recentAssignments": [
            {
                "id": a.id,
                "personId": a.person_id,
                "projectId": a.project_id,
                "personName": names[a.id]["person_name"],
                "projectName": names[a.id]["project_name"],
                "roleOnProject": a.role_on_project,
                "weeklyHours": a.weekly_hours,
                "updatedAt": iso(a.updated_at),
            }
            for a in recent
        ],
    }
