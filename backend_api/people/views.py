from sqlalchemy import exists, func, or_, select
from sqlalchemy.dialects.postgresql import JSONB

from backend_api.assignments.models import Assignment
from backend_api.core.errors import ApiError
from backend_api.core.resource import Resource, names_by_id, register
from backend_api.departments.models import Department

from .models import Person
from .schemas import PersonIn, PersonOut


class PeopleResource(Resource):
    model, schema, out, label = Person, PersonIn, PersonOut, "Person"
    filters = {"departmentId": "department_id", "isActive": "is_active", "location": "location",
               "jobTitle": "job_title", "email": "email"}
    ordering = {"name": "name", "email": "email", "weeklyCapacity": "weekly_capacity",
                "hireDate": "hire_date", "createdAt": "created_at", "updatedAt": "updated_at", "id": "id"}
    default_ordering = ("name",)
    extra_params = ("skill", "search")
    unique = {"email": "email"}
    foreign = {"departmentId": (Department, "Department")}

    def extra_filters(self, params):
        conditions = []
        if params.get("skill"):
            conditions.append(has_skill(self.db, params["skill"]))
        if params.get("search"):
            needle = "%" + escape_like(params["search"].strip().lower()) + "%"
            conditions.append(or_(func.lower(Person.name).like(needle, escape="\\"),
                                  func.lower(Person.email).like(needle, escape="\\")))
        return conditions

    def extras(self, objs):
        names = names_by_id(self.db, Department, {o.department_id for o in objs})
        return {o.id: {"department_name": names.get(o.department_id)} for o in objs}

    def before_delete(self, obj):
        count = self.db.scalar(select(func.count()).where(Assignment.person_id == obj.id))
        if count:
            raise ApiError(400, "invalid", f"{obj.name} still has {count} assignment(s). Remove or reassign "
                           "them before deleting this person.", errors={"assignments": [f"{count} assignment(s)."]})


def escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def has_skill(db, skill: str):
    """Case-insensitive membership in the JSON skills list, on either engine."""
    skill = skill.strip().lower()
    if db.get_bind().dialect.name == "postgresql":
        element = func.jsonb_array_elements_text(func.cast(Person.skills, JSONB)).table_valued("value")
    else:
        element = func.json_each(Person.skills).table_valued("value")
    return exists(select(1).select_from(element).where(func.lower(element.c.value) == skill))


def includeme(config):
    register(config, PeopleResource, "people", "person", "people")
