from sqlalchemy import select
from sqlmodel import col

from backend_api.core.params import ident
from backend_api.core.resource import BAD_FILTER, Resource, register
from backend_api.people.models import Person
from backend_api.projects.models import Project

from . import guards
from .models import Assignment
from .schemas import AssignmentIn, AssignmentOut


class AssignmentsResource(Resource):
    model, schema, out, label = Assignment, AssignmentIn, AssignmentOut, "Assignment"
    filters = {"personId": "person_id", "projectId": "project_id"}
    # By name, so a planning grid can page through people alphabetically without re-sorting.
    ordering = {
        "personName": select(col(Person.name)).where(col(Person.id) == col(Assignment.person_id)).scalar_subquery(),
        "projectName": select(col(Project.name)).where(col(Project.id) == col(Assignment.project_id)).scalar_subquery(),
        "createdAt": "created_at",
        "updatedAt": "updated_at",
        "personId": "person_id",
        "projectId": "project_id",
        "id": "id",
    }
    default_ordering = ("-updatedAt",)
    extra_params = (ident("departmentId", message=BAD_FILTER, description="People of this department."),)
    foreign = {"personId": "Person", "projectId": "Project"}
    names = {"person_name": "person_id", "project_name": "project_id"}
    merge_fields = frozenset({"weeklyHours"})

    def extra_filters(self, values):
        department = values["departmentId"]
        if department is None:
            return []
        return [col(Assignment.person_id).in_(select(col(Person.id)).where(col(Person.department_id) == department))]


def includeme(config):
    register(config, AssignmentsResource, "assignments", "assignment", "assignments")
    config.add_delete_guard(Person, guards.person_has_none)
    config.add_delete_guard(Project, guards.project_has_none)
