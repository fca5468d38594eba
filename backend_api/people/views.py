from sqlalchemy import exists, func, or_, select
from sqlalchemy.dialects.postgresql import JSONB
from sqlmodel import col

from backend_api.core.errors import field_error
from backend_api.core.openapi import Operation, describe
from backend_api.core.params import boolean, integer, read, text
from backend_api.core.permissions import Permission
from backend_api.core.resource import Resource, escape_like, register

from .models import Person, fold, search_keys
from .schemas import PeopleSearchOut, PersonIn, PersonOut
from .search import DEFAULT_LIMIT, MAX_LIMIT, MAX_QUERY, search_people


class PeopleResource(Resource):
    model, schema, out, label = Person, PersonIn, PersonOut, "Person"
    filters = {
        "departmentId": "department_id",
        "isActive": "is_active",
        "location": "location",
        "jobTitle": "job_title",
    }
    ordering = {
        "name": "name",
        "email": "email",
        "weeklyCapacity": "weekly_capacity",
        "hireDate": "hire_date",
        "createdAt": "created_at",
        "updatedAt": "updated_at",
        "id": "id",
    }
    default_ordering = ("name",)
    extra_params = (
        text("skill", description="Has this skill (any case)."),
        text("search", description="Name or email contains this."),
        text("email", description="This email address exactly (any case)."),
    )
    unique = {"email": "email"}
    foreign = {"departmentId": "Department"}
    names = {"department_name": "department_id"}

    def extra_filters(self, values):
        conditions = []
        if values["skill"]:
            conditions.append(has_skill(self.db, values["skill"]))
        if values["email"]:
            conditions.append(col(Person.email) == values["email"].strip().lower())  # stored lower-cased
        if values["search"]:
            # A paginated, counted list has to see every match; on the folded keys it is at least
            # right for non-ASCII names and can use PostgreSQL's trigram indexes.
            needle = "%" + escape_like(fold(values["search"].strip())) + "%"
            conditions.append(
                or_(col(Person.name_key).like(needle, escape="\\"), col(Person.email_key).like(needle, escape="\\"))
            )
        return conditions

    def _validate(self, data):
        # Updates are UPDATE statements that ORM events do not see: set the search keys here.
        values = super()._validate(data)
        return {**values, **search_keys(values["name"], values["email"])}


SEARCH_PARAMS = (
    text("q", default="", max_length=MAX_QUERY, description="At least 2 characters, or no results."),
    integer("limit", default=DEFAULT_LIMIT, cap=MAX_LIMIT),
    boolean("includeInactive", default=False),
)


def people_search(request):
    """GET /api/people/search/ (API.md, People search); the plan is in search.py."""
    values = read(request, *SEARCH_PARAMS)
    q = values["q"].strip()
    if "\x00" in q:
        raise field_error("q", "Remove the control characters.")
    people = search_people(request.db, q, values["limit"], values["includeInactive"], PeopleResource.reading())
    return {"results": PeopleResource(request).serialize_many(people)}


def has_skill(db, skill: str):
    """Case-insensitive membership in the JSON skills list, on either engine."""
    skill = skill.strip().lower()
    if db.get_bind().dialect.name == "postgresql":
        element = func.jsonb_array_elements_text(func.cast(col(Person.skills), JSONB)).table_valued("value")
    else:
        element = func.json_each(col(Person.skills)).table_valued("value")
    return exists(select(1).select_from(element).where(func.lower(element.c.value) == skill))


def includeme(config):
    # Before the resource's routes: /api/people/{id}/ would match search/ too.
    config.add_route("people_search", "/api/people/search/")
    register(config, PeopleResource, "people", "person", "people")
    config.add_view(
        people_search, route_name="people_search", request_method="GET", permission=Permission.VIEW, renderer="json"
    )
    describe(
        config,
        Operation(
            "people_search",
            "GET",
            "People whose name or email contains q, names starting with q first",
            response=PeopleSearchOut,
            params=SEARCH_PARAMS,
        ),
    )
