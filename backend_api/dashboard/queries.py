"""The dashboard's SQL: every person-week of the people in view, and the figures over them, computed
by the database — aggregates over all of them, the rows of one page, and nothing that grows with the
data sent either way (no list of ids: the people in view are a CTE every query joins).

Person-weeks (`cells`) are the people in view × the weeks asked for: hours summed from the
assignments' `weekly_hours` JSON (its entries joined to the weeks, so hours outside the window
drop out) and capacity less time off, counted in weekdays: the period's Monday–Friday days that a
time-off row covers (rows that overlap add up, as the same days booked twice would).
"""

from datetime import date, timedelta

from sqlalchemy import Date, Float, Numeric, String, and_, case, cast, func, literal, or_, select, true, union_all

from backend_api.assignments.models import Assignment
from backend_api.departments.models import Department
from backend_api.people.models import Person
from backend_api.projects.models import Project
from backend_api.timeoff.models import TimeOff

from .bands import HIGH_FROM, OPTIMAL_FROM, OVER_ABOVE, Band

WORKDAYS = 5


def team(department_id: int | None, person_id: int | None):
    """The people in view: the active ones (of a department), or one person, active or not."""
    query = select(Person.id, Person.name, Person.department_id, Person.weekly_capacity)
    if person_id is not None:
        query = query.where(Person.id == person_id)
    else:
        query = query.where(Person.is_active.is_(True))
    if department_id is not None:
        query = query.where(Person.department_id == department_id)
    return query.cte("team")


def _rows(name: str, values: list[tuple], columns: tuple[tuple[str, type], ...]):
    """A small constant table as a CTE (a UNION ALL of one-row SELECTs: SQLite names no VALUES columns)."""
    selects = [select(*(literal(v, t()).label(c) for v, (c, t) in zip(row, columns, strict=True))) for row in values]
    return union_all(*selects).cte(name)


def cells(dialect: str, people, weeks: list[date]):
    """(person_id, week, hours, capacity) for every person in `people` and every week."""
    week_rows = _rows("weeks", [(w.isoformat(),) for w in weeks], (("week", String),))
    day_rows = _rows(
        "days",
        [(w.isoformat(), w + timedelta(days=n)) for w in weeks for n in range(WORKDAYS)],
        (("week", String), ("day", Date)),
    )
    # PostgreSQL's json_each_text gives text values; SQLite's json_each the JSON number itself.
    each = func.json_each_text if dialect == "postgresql" else func.json_each
    entries = each(Assignment.weekly_hours).table_valued("key", "value")
    hours = (
        select(
            Assignment.person_id,
            entries.c.key.label("week"),
            func.sum(cast(entries.c.value, Float)).label("hours"),
        )
        .select_from(Assignment)
        .join(people, people.c.id == Assignment.person_id)
        .join(entries, true())
        .join(week_rows, week_rows.c.week == entries.c.key)
        .group_by(Assignment.person_id, entries.c.key)
        .cte("hours")
    )
    off = (
        select(TimeOff.person_id, day_rows.c.week, func.count().label("days"))
        .join(people, people.c.id == TimeOff.person_id)
        .join(day_rows, day_rows.c.day.between(TimeOff.start_date, TimeOff.end_date))
        .group_by(TimeOff.person_id, day_rows.c.week)
        .cte("off")
    )
    days_off = func.coalesce(off.c.days, 0)
    return (
        select(
            people.c.id.label("person_id"),
            week_rows.c.week,
            func.coalesce(hours.c.hours, 0.0).label("hours"),
            # weekly_capacity * max(5 - days off, 0) / 5, as the person page has always shown it.
            case((days_off >= WORKDAYS, 0.0), else_=people.c.weekly_capacity * (WORKDAYS - days_off) / WORKDAYS).label(
                "capacity"
            ),
        )
        .select_from(people)
        .join(week_rows, true())
        .outerjoin(hours, and_(hours.c.person_id == people.c.id, hours.c.week == week_rows.c.week))
        .outerjoin(off, and_(off.c.person_id == people.c.id, off.c.week == week_rows.c.week))
        .cte("cells")
    )


def _round1(value):
    # PostgreSQL rounds to digits only numerics; SQLite's CAST AS NUMERIC keeps the real.
    return func.round(cast(value, Numeric), 1)


def _percent(hours, capacity):
    """Hours over capacity in per cent to one decimal; 0 for nothing booked against nothing; NULL
    for hours booked against no capacity at all (services.percent, in SQL)."""
    return case((capacity > 0, _round1(hours / capacity * 100)), (hours == 0, 0.0), else_=None)


def band_of(percent):
    """services.band in SQL, from the same thresholds."""
    return case(
        (or_(percent.is_(None), percent > OVER_ABOVE), Band.OVERALLOCATED.value),
        (percent >= HIGH_FROM, Band.HIGH.value),
        (percent >= OPTIMAL_FROM, Band.OPTIMAL.value),
        else_=Band.UNDERUTILIZED.value,
    )


def board(people, grid, offset: int, limit: int, available: int):
    """One statement for the whole board: each chosen person's weeks (the page's rows, the
    `available` with most free hours, the one with the highest peak), each carrying the figures
    over everyone in view (window aggregates), ordered by the team overview's position."""
    per_person = (
        select(
            grid.c.person_id,
            func.sum(grid.c.hours).label("allocated"),
            func.sum(grid.c.capacity).label("capacity"),
            func.max(_percent(grid.c.hours, grid.c.capacity)).label("peak"),
            # A week with hours and no capacity: over-allocated, with no finite figure.
            func.max(case((and_(grid.c.capacity <= 0, grid.c.hours > 0), 1), else_=0)).label("unbounded"),
        )
        .group_by(grid.c.person_id)
        .cte("per_person")
    )
    utilization = _percent(per_person.c.allocated, per_person.c.capacity)
    scored = (
        select(
            per_person.c.person_id,
            people.c.name,
            people.c.department_id,
            utilization.label("utilization"),
            case((or_(per_person.c.unbounded == 1, per_person.c.peak > OVER_ABOVE), 1), else_=0).label("over"),
            # Unbounded peaks tie (the overview's order decides), above every finite one.
            case((per_person.c.unbounded == 1, None), else_=per_person.c.peak).label("peak"),
            per_person.c.unbounded,
            (per_person.c.capacity - per_person.c.allocated).label("free"),
        )
        .join(people, people.c.id == per_person.c.person_id)
        .cte("scored")
    )
    band = band_of(scored.c.utilization)
    # Over-allocated first, then the busiest (no finite figure ranks highest), then by name.
    order = [
        scored.c.over.desc(),
        scored.c.utilization.is_(None).desc(),
        scored.c.utilization.desc(),
        scored.c.name,
        scored.c.person_id,
    ]
    peak_order = [scored.c.unbounded.desc(), func.coalesce(scored.c.peak, 0).desc(), *order]
    ranked = select(
        scored.c.person_id,
        scored.c.name,
        scored.c.department_id,
        func.row_number().over(order_by=order).label("position"),
        func.row_number().over(order_by=[scored.c.free.desc(), *order]).label("free_position"),
        func.row_number().over(order_by=peak_order).label("peak_position"),
        func.count().over().label("total"),
        func.count(scored.c.utilization).over().label("finite"),
        # Floats, as Python adds them: an exact numeric sum rounds 85.05 up where 85.0499… rounds down.
        func.sum(cast(scored.c.utilization, Float)).over().label("utilization_sum"),
        func.sum(scored.c.over).over().label("over_count"),
        *(func.sum(case((band == b.value, 1), else_=0)).over().label(f"band_{b.value}") for b in Band),
    ).subquery("ranked")
    chosen = (
        select(ranked)
        .where(
            or_(
                ranked.c.position.between(offset + 1, offset + limit),
                ranked.c.free_position <= available,
                ranked.c.peak_position == 1,
            )
        )
        .subquery("chosen")
    )
    return (
        select(chosen, Department.name.label("department_name"), grid.c.week, grid.c.hours, grid.c.capacity)
        .join(grid, grid.c.person_id == chosen.c.person_id)
        .outerjoin(Department, Department.id == chosen.c.department_id)
        .order_by(chosen.c.position, grid.c.week)
    )


def assignment_count(people):
    return select(func.count()).select_from(Assignment).join(people, people.c.id == Assignment.person_id)


def recent(people, count: int):
    """The `count` assignments of the people in view changed last, with their person's and project's names."""
    return (
        select(Assignment, people.c.name.label("person_name"), Project.name.label("project_name"))
        .join(people, people.c.id == Assignment.person_id)
        .outerjoin(Project, Project.id == Assignment.project_id)
        .order_by(Assignment.updated_at.desc(), Assignment.id.desc())
        .limit(count)
    )
