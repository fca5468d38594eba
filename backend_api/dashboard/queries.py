"""The dashboard's SQL: the figures over everyone in view computed by the database — aggregates over
all of them, the rows of one page, and nothing that grows with the data sent either way (no list of
ids: the people in view are a CTE every query joins).

One row per person, with one hours and one capacity column per week asked for (`h0`, `c0`, …; at
most 12), not a row per person-week: grouping by person alone streams through the assignments in
person order, where grouping by (person, week) sorted every JSON entry (5× slower on SQLite at
10,000 people). Hours are read from the assignments' `weekly_hours` JSON by key, so weeks outside
the window are never looked at; capacity is less time off counted in weekdays: the period's
Monday–Friday days that a time-off row covers (rows that overlap add up, as the same days booked
twice would).
"""

from datetime import date, timedelta

from sqlalchemy import (
    Date,
    Float,
    Integer,
    Numeric,
    String,
    and_,
    case,
    cast,
    column,
    func,
    literal,
    or_,
    select,
    true,
    union_all,
)
from sqlmodel import col

from backend_api.assignments.models import Assignment
from backend_api.departments.models import Department
from backend_api.people.models import Person
from backend_api.projects.models import Project
from backend_api.timeoff.models import TimeOff

from .bands import HIGH_FROM, OPTIMAL_FROM, OVER_ABOVE, Band

WORKDAYS = 5


def team(department_id: int | None, person_id: int | None):
    """The people in view: the active ones (of a department), or one person, active or not."""
    query = select(col(Person.id), col(Person.name), col(Person.department_id), col(Person.weekly_capacity))
    if person_id is not None:
        query = query.where(col(Person.id) == person_id)
    else:
        query = query.where(col(Person.is_active).is_(True))
    if department_id is not None:
        query = query.where(col(Person.department_id) == department_id)
    return query.cte("team")


def _days(weeks: list[date]):
    """(week index, day) of every weekday of the weeks: a UNION ALL of one-row SELECTs, as SQLite
    names no columns of a VALUES list."""
    rows = [
        select(literal(i, Integer).label("week"), literal(w + timedelta(days=n), Date).label("day"))
        for i, w in enumerate(weeks)
        for n in range(WORKDAYS)
    ]
    return union_all(*rows).cte("days")


def _hours_by_week(dialect: str, weeks: list[date]) -> tuple[list, list]:
    """The hours of each week in an assignment row, and what to join for them. PostgreSQL reads the
    JSON once per row (json_to_record, its keys as typed columns; `->>` parsed the text again for
    each week: 0.6 s at 10,000 people); SQLite's json_extract caches the parsed value."""
    if dialect == "postgresql":
        record = (
            func.json_to_record(col(Assignment.weekly_hours))
            .table_valued(*(column(w.isoformat(), Float) for w in weeks))
            .render_derived(name="week_hours", with_types=True)
        )
        return [record.c[w.isoformat()] for w in weeks], [record]
    return [col(Assignment.weekly_hours)[w.isoformat()].as_float() for w in weeks], []


def weekly(dialect: str, people, weeks: list[date]):
    """Per person in `people`: id, name, department_id and `h<i>` / `c<i>`, the hours and capacity
    of week i."""
    values, joins = _hours_by_week(dialect, weeks)
    summed = select(
        col(Assignment.person_id),
        *(func.sum(func.coalesce(value, 0.0)).label(f"h{i}") for i, value in enumerate(values)),
    ).join(people, people.c.id == col(Assignment.person_id))
    for table in joins:
        summed = summed.join(table, true())
    hours = summed.group_by(col(Assignment.person_id)).cte("hours")
    days = _days(weeks)
    off = (
        select(
            col(TimeOff.person_id),
            *(func.sum(case((days.c.week == i, 1), else_=0)).label(f"d{i}") for i in range(len(weeks))),
        )
        .join(people, people.c.id == col(TimeOff.person_id))
        .join(days, days.c.day.between(col(TimeOff.start_date), col(TimeOff.end_date)))
        .group_by(col(TimeOff.person_id))
        .cte("off")
    )
    columns = []
    for i in range(len(weeks)):
        days_off = func.coalesce(off.c[f"d{i}"], 0)
        columns.append(func.coalesce(hours.c[f"h{i}"], 0.0).label(f"h{i}"))
        # weekly_capacity * max(5 - days off, 0) / 5, as the person page has always shown it.
        columns.append(
            case((days_off >= WORKDAYS, 0.0), else_=people.c.weekly_capacity * (WORKDAYS - days_off) / WORKDAYS).label(
                f"c{i}"
            )
        )
    return (
        select(people.c.id.label("person_id"), people.c.name, people.c.department_id, *columns)
        .outerjoin(hours, hours.c.person_id == people.c.id)
        .outerjoin(off, off.c.person_id == people.c.id)
        .cte("weekly")
    )


def _round1(value):
    # PostgreSQL rounds to digits only numerics; SQLite's CAST AS NUMERIC keeps the real.
    return func.round(cast(value, Numeric), 1)


def _percent(hours, capacity):
    """Hours over capacity in per cent to one decimal; 0 for nothing booked against nothing; NULL
    for hours booked against no capacity at all (services.percent, in SQL)."""
    return case((capacity > 0, _round1(hours / capacity * 100)), (hours == 0, 0.0), else_=None)


def band_of(percent):
    """bands.band in SQL, from the same thresholds."""
    return case(
        (or_(percent.is_(None), percent > OVER_ABOVE), Band.OVERALLOCATED.value),
        (percent >= HIGH_FROM, Band.HIGH.value),
        (percent >= OPTIMAL_FROM, Band.OPTIMAL.value),
        else_=Band.UNDERUTILIZED.value,
    )


def _greatest(dialect: str, values: list):
    """The largest of several values: GREATEST on PostgreSQL, the many-argument max() on SQLite
    (with one argument max() would be the aggregate)."""
    if len(values) == 1:
        return values[0]
    return (func.greatest if dialect == "postgresql" else func.max)(*values)


def _ranking(t) -> list:
    """Team overview order: over-allocated first, then the busiest (no finite figure ranks
    highest), then by name."""
    return [t.c.over.desc(), t.c.utilization.is_(None).desc(), t.c.utilization.desc(), t.c.name, t.c.person_id]


def _most_free(t) -> list:
    return [t.c.free.desc(), *_ranking(t)]


def _highest_peak(t) -> list:
    return [t.c.unbounded.desc(), t.c.peak.desc(), *_ranking(t)]


def _top(scored, role: str, order, limit: int, offset: int = 0):
    """The people at places offset+1..offset+limit in `order`, numbered from 1 (`rank`). A sort with
    a LIMIT keeps only `limit` rows while it reads; a rank over everyone (a window) sorted all of them,
    once per order: 2× slower at 10,000 people on SQLite."""
    first = select(scored).order_by(*order(scored)).limit(limit).offset(offset).subquery(f"top_{role}")
    return select(
        first.c.person_id,
        literal(role, String).label("role"),
        func.row_number().over(order_by=order(first)).label("rank"),
    )


def board(dialect: str, rows, weeks: int, offset: int, limit: int, available: int):
    """One statement for the whole board: the figures over everyone in view (one aggregate row),
    each with the weekly figures of the people it shows — the page's rows (`role` "page"), the
    `available` with most free hours ("free") and the one with the highest peak ("peak") — in
    `rank` order; a person shown in several places comes once per place."""
    h = [rows.c[f"h{i}"] for i in range(weeks)]
    c = [rows.c[f"c{i}"] for i in range(weeks)]
    allocated, capacity = sum(h[1:], h[0]), sum(c[1:], c[0])
    # A week with hours and no capacity: over-allocated, with no finite figure, above every finite
    # peak. The peak is rounded once: the largest of the rounded figures is the rounded largest.
    unbounded = or_(*(and_(c[i] <= 0, h[i] > 0) for i in range(weeks)))
    ratios = [case((c[i] > 0, h[i] / c[i] * 100), else_=0.0) for i in range(weeks)]
    peak = _round1(_greatest(dialect, ratios))
    scored = select(
        rows.c.person_id,
        rows.c.name,
        _percent(allocated, capacity).label("utilization"),
        case((or_(unbounded, peak > OVER_ABOVE), 1), else_=0).label("over"),
        case((unbounded, 1), else_=0).label("unbounded"),
        peak.label("peak"),
        (capacity - allocated).label("free"),
    ).cte("scored")
    band = band_of(scored.c.utilization)
    figures = select(
        func.count().label("total"),
        func.count(scored.c.utilization).label("finite"),
        # Floats, as Python adds them: an exact numeric sum rounds 85.05 up where 85.0499… rounds down.
        func.sum(cast(scored.c.utilization, Float)).label("utilization_sum"),
        func.sum(scored.c.over).label("over_count"),
        *(func.sum(case((band == b.value, 1), else_=0)).label(f"band_{b.value}") for b in Band),
    ).subquery("figures")
    shown = union_all(
        _top(scored, "page", _ranking, limit, offset),
        _top(scored, "free", _most_free, available),
        _top(scored, "peak", _highest_peak, 1),
    ).subquery("shown")
    return (
        select(
            *figures.c,
            shown.c.role,
            shown.c.rank,
            *rows.c,
            col(Department.name).label("department_name"),
        )
        .select_from(figures)
        # Outer joins: the figures come back even when nobody is shown (a page past the end).
        .outerjoin(shown, true())
        .outerjoin(rows, rows.c.person_id == shown.c.person_id)
        .outerjoin(Department, col(Department.id) == rows.c.department_id)
        .order_by(shown.c.role, shown.c.rank)
    )


def assignment_count(people):
    return select(func.count()).select_from(Assignment).join(people, people.c.id == col(Assignment.person_id))


def recent(people, count: int):
    """The `count` assignments of the people in view changed last, with their person's and project's names."""
    return (
        select(Assignment, people.c.name.label("person_name"), col(Project.name).label("project_name"))
        .join(people, people.c.id == col(Assignment.person_id))
        .outerjoin(Project, col(Project.id) == col(Assignment.project_id))
        .order_by(col(Assignment.updated_at).desc(), col(Assignment.id).desc())
        .limit(count)
    )
