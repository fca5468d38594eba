"""One factory per model: insert a row with sensible defaults, committed, and return it."""

import itertools
from datetime import date

from backend_api.assignments.models import Assignment
from backend_api.auth.services import create_user
from backend_api.deliverables.models import Deliverable
from backend_api.departments.models import Department
from backend_api.people.models import Person
from backend_api.projects.models import Project
from backend_api.timeoff.models import TimeOff

PASSWORD = "correct horse battery"
_seq = itertools.count(1)


def _save(registry, obj):
    _, writer = registry.planner_sessions
    with writer() as session, session.begin():
        session.add(obj)
        session.flush()
        session.refresh(obj)
        session.expunge(obj)
    return obj


def make_user(registry, role: str = "user", username: str | None = None, password: str = PASSWORD, **kw):
    _, writer = registry.planner_sessions
    with writer() as session, session.begin():
        user = create_user(session, username or f"{role}{next(_seq)}", password, kw.pop("email", ""), role, **kw)
        session.flush()
        session.expunge(user)
    return user


def make_department(registry, **kw):
    return _save(registry, Department(**{"name": f"Department {next(_seq)}", **kw}))


def make_person(registry, **kw):
    n = next(_seq)
    return _save(registry, Person(**{"name": f"Person {n}", "email": f"person{n}@example.com", **kw}))


def make_project(registry, **kw):
    n = next(_seq)
    return _save(registry, Project(**{"name": f"Project {n}", "project_number": f"T-{n}", "status": "active", **kw}))


def make_assignment(registry, person=None, project=None, **kw):
    person = person or make_person(registry)
    project = project or make_project(registry)
    return _save(registry, Assignment(**{"person_id": person.id, "project_id": project.id, **kw}))


def make_deliverable(registry, project=None, **kw):
    project = project or make_project(registry)
    return _save(
        registry,
        Deliverable(**{"project_id": project.id, "date": date(2026, 12, 7), "description": "Design review", **kw}),
    )


def make_timeoff(registry, person=None, **kw):
    person = person or make_person(registry)
    return _save(
        registry,
        TimeOff(**{"person_id": person.id, "start_date": date(2026, 12, 7), "end_date": date(2026, 12, 9), **kw}),
    )
