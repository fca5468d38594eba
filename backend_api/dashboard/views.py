from pyramid.view import view_config

from backend_api.core.errors import field_error
from backend_api.core.openapi import Operation, describe
from backend_api.core.resource import MAX_ID, int_param

from .services import dashboard


@view_config(route_name="dashboard", request_method="GET", renderer="json", permission="view")
def dashboard_view(request):
    weeks = int_param(request, "weeks", 4, minimum=1)
    if weeks > 12:
        raise field_error("weeks", "Choose between 1 and 12 weeks.")
    department = request.params.get("departmentId")
    # Capped at the largest possible id (no such department: an empty board), not sent to the
    # database as an out-of-range integer (a 500).
    department_id = int_param(request, "departmentId", 0, maximum=MAX_ID) if department else None
    person = request.params.get("personId")
    person_id = int_param(request, "personId", 0, maximum=MAX_ID) if person else None
    return dashboard(request.db, weeks, department_id, person_id=person_id)


def includeme(config):
    config.scan(__name__)
    describe(config, Operation("/api/dashboard/", "GET", "Utilisation over the next weeks",
                               response={"type": "object"}, params=("weeks", "departmentId", "personId")))
