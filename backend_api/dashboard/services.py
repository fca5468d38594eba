"""Utilisation over the next N weeks: the figures over everyone in view and one page of the team
overview, in three queries whatever the number of people (queries.py): the board (summary,
distribution and the chosen people's weeks, in one statement), the assignment count and the recent
assignments. Python only shapes the few rows it gets back.

Capacity in a week = weekly capacity less time off, pro rata over Monday–Friday.
Bands (bands.py): under 70 % underutilized, 70–85 optimal, 85–100 high, over 100 overallocated.
"""

from datetime import date, timedelta

from sqlalchemy import text

from backend_api.core.timeutil import iso, monday, now

from . import queries
from .bands import Band, band

RECENT = 10
AVAILABLE = 5
PAGE_SIZE = 50
MAX_PAGE_SIZE = 200

__all__ = ["AVAILABLE", "MAX_PAGE_SIZE", "PAGE_SIZE", "RECENT", "Band", "band", "dashboard", "percent"]


def percent(hours: float, capacity: float) -> float | None:
    if capacity > 0:
        return round(hours / capacity * 100, 1)
    return 0.0 if hours == 0 else None  # booked with no capacity at all: no finite figure


def person_row(person_id: int, name: str, department_name: str | None, weeks: list[tuple[str, float, float]]) -> dict:
    """A team overview row from its (week, hours, capacity) figures, in week order."""
    allocated = capacity = 0.0
    peak, peak_week = -1.0, None
    weekly = []
    for key, week_hours, week_capacity in weeks:
        allocated += week_hours
        capacity += week_capacity
        week_percent = percent(week_hours, week_capacity)
        weekly.append(
            {
                "week": key,
                "hours": round(week_hours, 2),
                "capacity": round(week_capacity, 2),
                "utilizationPercent": week_percent,
                "band": band(week_percent),
            }
        )
        week_value = float("inf") if week_percent is None else week_percent
        if week_value > peak:
            peak, peak_week = week_value, key
    utilization = percent(allocated, capacity)
    peak_percent = None if peak == float("inf") else peak
    return {
        "personId": person_id,
        "name": name,
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


def dashboard(
    db,
    weeks: int,
    department_id: int | None,
    today: date | None = None,
    person_id: int | None = None,
    offset: int = 0,
    limit: int = PAGE_SIZE,
) -> dict:
    week_keys = [monday(today or now().date()) + timedelta(weeks=i) for i in range(weeks)]
    people = queries.team(department_id, person_id)
    dialect = db.get_bind().dialect.name
    rows = queries.weekly(dialect, people, week_keys)
    if dialect == "postgresql":
        # The planner cannot estimate rows of CTEs joined on computed columns (millions, for
        # thousands) and JIT-compiles the statement: 12 s of compiling for 0.1 s of work.
        db.execute(text("SET LOCAL jit = off"))
    found = db.execute(queries.board(dialect, rows, weeks, offset, limit, AVAILABLE)).mappings().all()

    figures = found[0]  # the same figures on every row, and always one row
    shown: dict[str, list[dict]] = {"page": [], "free": [], "peak": []}  # in rank order
    for r in found:
        if r["role"] is not None:
            weekly = [(key.isoformat(), float(r[f"h{i}"]), float(r[f"c{i}"])) for i, key in enumerate(week_keys)]
            shown[r["role"]].append(person_row(r["person_id"], r["name"], r["department_name"], weekly))
    peak_row = shown["peak"][0] if shown["peak"] else None
    total, finite = figures["total"], figures["finite"]

    recent = db.execute(queries.recent(people, RECENT)).all()
    return {
        "weeks": [w.isoformat() for w in week_keys],
        "summary": {
            "totalPeople": total,
            "avgUtilization": round(figures["utilization_sum"] / finite, 1) if finite else 0.0,
            "peakUtilization": peak_row["peakUtilizationPercent"] if peak_row else 0.0,
            "peakPerson": peak_row["name"] if peak_row else None,
            "totalAssignments": db.scalar(queries.assignment_count(people)),
            "overallocatedCount": int(figures["over_count"] or 0),
        },
        "utilizationDistribution": {b.value: int(figures[f"band_{b.value}"] or 0) for b in Band},
        "total": total,
        "offset": offset,
        "limit": limit,
        "teamOverview": shown["page"],
        "availablePeople": [
            {**row, "freeHours": round(row["capacity"] - row["allocatedHours"], 2)} for row in shown["free"]
        ],
        "recentAssignments": [
            {
                "id": a.id,
                "personId": a.person_id,
                "projectId": a.project_id,
                "personName": person_name,
                "projectName": project_name,
                "roleOnProject": a.role_on_project,
                "weeklyHours": a.weekly_hours,
                "updatedAt": iso(a.updated_at),
            }
            for a, person_name, project_name in recent
        ],
    }
