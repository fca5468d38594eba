"""What the shared resource tests need to know about each of the six resources: a valid create
body, a factory for arranging rows, a valid change, one ordering and one filter to exercise."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from backend_api.assignments.models import Assignment
from backend_api.deliverables.models import Deliverable
from backend_api.departments.models import Department
from backend_api.people.models import Person
from backend_api.projects.models import Project
from backend_api.timeoff.models import TimeOff
from tests import factories as f


@dataclass(frozen=True)
class Spec:
    name: str
    path: str
    body: Callable[[Any], dict]  # registry -> a valid create body
    make: Callable[..., Any]  # (registry, **columns) -> a committed row
    change: dict  # a valid PATCH body
    order: tuple[str, str, list]  # (wire field, column, three values in ascending order)
    filter: Callable[[Any], tuple[str, int]]  # registry -> (query string, id of the one row it matches)
    bad_filter: tuple[str, str] | None  # (typed query parameter, value of the wrong type)
    bulk: Callable[[Any, int], None]  # (registry, n): n rows in one transaction
    unknown_field: str = "colour"
    read_only: tuple[str, ...] = field(default=())

    def url(self, obj_or_id) -> str:
        ident = obj_or_id if isinstance(obj_or_id, int) else obj_or_id.id
        return f"{self.path}{ident}/"

    def columns_for_order(self, column: str, value) -> dict:
        columns = {column: value}
        if self.name == "timeoff":  # keep the row valid: it is validated again when serialized
            columns["end_date"] = value
        return columns

    def __str__(self) -> str:
        return self.name


def _bulk(registry, rows: list) -> None:
    _, writer = registry.planner_sessions
    with writer() as session, session.begin():
        session.add_all(rows)


def _bulk_people(registry, n):
    _bulk(registry, [Person(name=f"Bulk {i:03d}", email=f"bulk{i}@example.com") for i in range(n)])


def _bulk_departments(registry, n):
    _bulk(registry, [Department(name=f"Bulk {i:03d}") for i in range(n)])


def _bulk_projects(registry, n):
    _bulk(registry, [Project(name=f"Bulk {i:03d}", project_number=f"B-{i}") for i in range(n)])


def _bulk_assignments(registry, n):
    person, project = f.make_person(registry), f.make_project(registry)
    _bulk(registry, [Assignment(person_id=person.id, project_id=project.id, role_on_project=f"R{i}") for i in range(n)])


def _bulk_deliverables(registry, n):
    project = f.make_project(registry)
    _bulk(registry, [Deliverable(project_id=project.id, date=date(2027, 1, 4) + timedelta(days=i)) for i in range(n)])


def _bulk_timeoff(registry, n):
    person = f.make_person(registry)
    _bulk(
        registry,
        [
            TimeOff(
                person_id=person.id,
                start_date=date(2027, 1, 4) + timedelta(days=i),
                end_date=date(2027, 1, 4) + timedelta(days=i),
            )
            for i in range(n)
        ],
    )


def _one_of(registry, make, param: str, matching: dict, other: dict) -> tuple[str, int]:
    value = next(iter(matching.values()))
    wire = str(value).lower() if isinstance(value, bool) else value
    hit = make(registry, **matching)
    make(registry, **other)
    return f"{param}={wire}", hit.id


def _assignment_by_person(registry) -> tuple[str, int]:
    person = f.make_person(registry)
    hit = f.make_assignment(registry, person=person)
    f.make_assignment(registry)
    return f"personId={person.id}", hit.id


SPECS = [
    Spec(
        name="people",
        path="/api/people/",
        body=lambda reg: {
            "name": "Ada Lovelace",
            "email": "ada@example.com",
            "skills": ["Revit"],
            "weeklyCapacity": 32,
            "hireDate": "2024-02-01",
        },
        make=f.make_person,
        change={"jobTitle": "Architect"},
        order=("weeklyCapacity", "weekly_capacity", [10.0, 20.0, 30.0]),
        filter=lambda reg: _one_of(reg, f.make_person, "location", {"location": "Oslo"}, {"location": "Bergen"}),
        bad_filter=("departmentId", "abc"),
        bulk=_bulk_people,
        read_only=("departmentName",),
    ),
    Spec(
        name="departments",
        path="/api/departments/",
        body=lambda reg: {"name": "Structures", "description": "Steel and concrete"},
        make=f.make_department,
        change={"description": "Steel only"},
        order=("name", "name", ["Acoustics", "Bridges", "Civil"]),
        filter=lambda reg: _one_of(reg, f.make_department, "name", {"name": "Acoustics"}, {"name": "Bridges"}),
        bad_filter=("parentId", "abc"),
        bulk=_bulk_departments,
    ),
    Spec(
        name="projects",
        path="/api/projects/",
        body=lambda reg: {
            "name": "Harbour bridge",
            "projectNumber": "P-100",
            "status": "active",
            "startDate": "2026-11-02",
            "endDate": "2027-03-31",
            "estimatedHours": 1200,
        },
        make=f.make_project,
        change={"status": "on_hold"},
        order=("startDate", "start_date", [date(2026, 1, 5), date(2026, 2, 2), date(2026, 3, 2)]),
        filter=lambda reg: _one_of(reg, f.make_project, "status", {"status": "completed"}, {"status": "planning"}),
        bad_filter=None,  # only text filters: any value is valid
        bulk=_bulk_projects,
    ),
    Spec(
        name="assignments",
        path="/api/assignments/",
        body=lambda reg: {
            "personId": f.make_person(reg).id,
            "projectId": f.make_project(reg).id,
            "roleOnProject": "Engineer",
            "weeklyHours": {"2026-11-23": 16},
        },
        make=f.make_assignment,
        change={"roleOnProject": "Lead"},
        order=("createdAt", "created_at", [datetime(2026, 1, d, tzinfo=UTC) for d in (1, 2, 3)]),
        filter=_assignment_by_person,
        bad_filter=("personId", "abc"),
        bulk=_bulk_assignments,
        read_only=("personName", "projectName"),
    ),
    Spec(
        name="deliverables",
        path="/api/deliverables/",
        body=lambda reg: {
            "projectId": f.make_project(reg).id,
            "date": "2026-12-14",
            "description": "Tender drawings",
            "percentage": 50,
        },
        make=f.make_deliverable,
        change={"isCompleted": True},
        order=("date", "date", [date(2026, 12, 1), date(2026, 12, 8), date(2026, 12, 15)]),
        filter=lambda reg: _one_of(
            reg, f.make_deliverable, "isCompleted", {"is_completed": True}, {"is_completed": False}
        ),
        bad_filter=("isCompleted", "maybe"),
        bulk=_bulk_deliverables,
        read_only=("projectName",),
    ),
    Spec(
        name="timeoff",
        path="/api/timeoff/",
        body=lambda reg: {
            "personId": f.make_person(reg).id,
            "startDate": "2026-12-21",
            "endDate": "2026-12-24",
            "kind": "vacation",
        },
        make=f.make_timeoff,
        change={"notes": "Skiing"},
        order=("startDate", "start_date", [date(2026, 12, 1), date(2026, 12, 8), date(2026, 12, 15)]),
        filter=lambda reg: _one_of(reg, f.make_timeoff, "kind", {"kind": "sick"}, {"kind": "vacation"}),
        bad_filter=("personId", "1,x"),
        bulk=_bulk_timeoff,
        read_only=("personName",),
    ),
]

BY_NAME = {spec.name: spec for spec in SPECS}
