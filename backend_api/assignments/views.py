from sqlalchemy import select

from backend_api.core.errors import field_error
from backend_api.core.resource import MAX_ID, Resource, names_by_id, register
from backend_api.people.models import Person
from backend_api.projects.models import Project

from .models import Assignment
from .schemas import AssignmentIn, AssignmentOut


class AssignmentsResource(Resource):
    model, schema, out, label = Assignment, AssignmentIn, AssignmentOut, "Assignment"
    filters = {"personId": "person_id", "projectId": "project_id"}
    # By name, so a planning grid can page through people alphabetically without re-sorting.
    ordering = {"personName": select(Person.name).where(Person.id == Assignment.person_id).scalar_subquery(),
                "projectName": select(Project.name).where(Project.id == Assignment.project_id).scalar_subquery(),
                "createdAt": "created_at", "updatedAt": "updated_at", "personId": "person_id",
                "projectId": "project_id", "id": "id"}
    default_ordering = ("-updatedAt",)
    extra_params = ("departmentId",)
    foreign = {"personId": (Person, "Person"), "projectId": (Project, "Project")}
    merge_fields = frozenset({"weeklyHours"})

    def extra_filters(self, params):
        if not params.get("departmentId"):
            return []
        try:
            department = int(params["departmentId"])
            if abs(department) > MAX_ID:  # would reach the driver as an out-of-range integer
                raise ValueError
        except ValueError:
            raise field_error("departmentId", "Not a valid value for this filter.") from None
        return [Assignment.person_id.in_(select(Person.id).where(Person.department_id == department))]

    def extras(self, objs):
        return names_for(self.db, objs)


def names_for(db, assignments) -> dict[int, dict]:
    """personName / projectName for a page of assignments, in two queries."""
    people = names_by_id(db, Person, {a.person_id for a in assignments})
    projects = names_by_id(db, Project, {a.project_id for a in assignments})
    return {a.id: {"person_name": people.get(a.person_id), "project_name": projects.get(a.project_id)}
            for a in assignments}


def includeme(config):
    register(config, AssignmentsResource, "assignments", "assignment", "assignments")
