from backend_api.core.errors import field_error
from backend_api.core.resource import Resource, register

from .models import Department
from .schemas import DepartmentIn, DepartmentOut


class DepartmentsResource(Resource):
    model, schema, out, label = Department, DepartmentIn, DepartmentOut, "Department"
    filters = {"parentId": "parent_id", "managerId": "manager_id", "name": "name"}
    ordering = {"name": "name", "createdAt": "created_at", "updatedAt": "updated_at", "id": "id"}
    default_ordering = ("name",)
    unique = {"name": "name"}
    foreign = {"parentId": "Department", "managerId": "Person"}

    def check(self, values, obj):
        super().check(values, obj)
        if obj is not None and values.get("parent_id") is not None:
            # Walk up from the new parent: reaching this department would close a loop.
            seen, parent = set(), values["parent_id"]
            while parent is not None and parent not in seen:
                if parent == obj.id:
                    raise field_error("parentId", "A department cannot sit inside itself.")
                seen.add(parent)
                parent = self.db.get(Department, parent).parent_id


def includeme(config):
    register(config, DepartmentsResource, "departments", "department", "departments")
