from pyramid.view import view_config

from backend_api.core.openapi import Operation, describe
from backend_api.core.params import integer, read
from backend_api.core.permissions import Permission
from backend_api.core.schemas import MAX_ID

from .schemas import DashboardOut
from .services import MAX_PAGE_SIZE, PAGE_SIZE, dashboard

# Ids are capped at the largest possible id (no such row: an empty board), not sent to the database
# as an out-of-range integer (a 500).
PARAMS = (
    integer("weeks", default=4, maximum=12, message="Choose between 1 and 12 weeks."),
    integer("departmentId", cap=MAX_ID),
    integer("personId", cap=MAX_ID),
    integer(
        "limit",
        default=PAGE_SIZE,
        cap=MAX_PAGE_SIZE,
        description="Rows of the team overview in this answer.",
    ),
    integer("offset", default=0, minimum=0, cap=MAX_ID, description="Rows of the team overview to skip."),
)


@view_config(route_name="dashboard", request_method="GET", renderer="json", permission=Permission.VIEW)
def dashboard_view(request):
    values = read(request, *PARAMS)
    return dashboard(
        request.db,
        values["weeks"],
        values["departmentId"],
        person_id=values["personId"],
        offset=values["offset"],
        limit=values["limit"],
    )


def includeme(config):
    config.add_route("dashboard", "/api/dashboard/")
    config.scan(__name__)
    describe(
        config,
        Operation("dashboard", "GET", "Utilisation over the next weeks", response=DashboardOut, params=PARAMS),
    )
