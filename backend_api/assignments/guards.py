"""A person or a project with assignments cannot be deleted: the planning data would be lost.
Declared here, by the feature whose rows point at theirs (core/resource.add_delete_guard), so
people and projects need not know assignments."""

from sqlalchemy import func, select

from backend_api.core.error_codes import ErrorCode
from backend_api.core.errors import ApiError

from .models import Assignment


def _count(db, column, ident: int) -> int:
    return db.scalar(select(func.count()).where(column == ident))


def person_has_none(db, person) -> None:
    count = _count(db, Assignment.person_id, person.id)
    if count:
        raise ApiError(
            400,
            ErrorCode.INVALID,
            f"{person.name} still has {count} assignment(s). Remove or reassign them before deleting this person.",
            errors={"assignments": [f"{count} assignment(s)."]},
        )


def project_has_none(db, project) -> None:
    count = _count(db, Assignment.project_id, project.id)
    if count:
        raise ApiError(
            400,
            ErrorCode.INVALID,
            f"{project.name} still has {count} assignment(s). Remove them before deleting this project.",
            errors={"assignments": [f"{count} assignment(s)."]},
        )
