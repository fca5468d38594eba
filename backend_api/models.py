"""Every table, imported in one place for alembic and the tests."""

from backend_api.assignments.models import Assignment
from backend_api.auth.models import AuditLog, RevokedRefreshToken, TokenSession, User
from backend_api.core.changes import ChangeEvent
from backend_api.core.throttle import LoginAttempt
from backend_api.deliverables.models import Deliverable
from backend_api.departments.models import Department
from backend_api.people.models import Person
from backend_api.presence.models import Presence
from backend_api.projects.models import Project
from backend_api.timeoff.models import TimeOff

__all__ = [
    "Assignment",
    "AuditLog",
    "ChangeEvent",
    "Deliverable",
    "Department",
    "LoginAttempt",
    "Person",
    "Presence",
    "Project",
    "RevokedRefreshToken",
    "TimeOff",
    "TokenSession",
    "User",
]
