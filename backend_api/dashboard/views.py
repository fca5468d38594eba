from pyramid.view import view_config

from backend_api.core.openapi import Operation, describe
from backend_api.core.params import integer, read
from backend_api.core.permissions import Permission
from backend_api.core.schemas import MAX_ID

from .services import dashboard

# Ids are capped at the largest possible id (no such row: an empty board), not sent to the database
# as an out-of-range integer (a 500).
PARAMS = (
    integer("weeks", default=4, maximum=12, message="Choose between 1 and 12 weeks."),
    integer("departmentId", cap=MAX_ID),
    integer("personId", cap=MAX_ID),
)


@view_config(route_name="dashboard", request_method="GET", renderer="json", permission=Permission.VIEW)
def dashboard_view(request):
    values = read(request, *PARAMS)
    return dashboard(request.db, values["weeks"], values["departmentId"], person_id=values["personId"])


def includeme(config):
    config.add_route("dashboard", "/api/dashboard/")
    config.scan(__name__)
    describe(
        config,
        Operation("dashboard", "GET", "Utilisation over the next weeks", response={"type": "object"}, params=PARAMS),
    )
