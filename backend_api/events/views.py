from pyramid.view import view_config

from backend_api.auth.models import Role
from backend_api.core.history import EventsPage, events_after, feed, last_seq, visible_to
from backend_api.core.openapi import Operation, describe
from backend_api.core.params import integer, read
from backend_api.core.permissions import Permission

MAX_LIMIT = 500
PARAMS = (
    integer(
        "after",
        minimum=0,
        description="The `last` of the previous answer (0: from the oldest kept event). "
        "Omitted: no events, only the current `last` to follow from.",
    ),
    integer("limit", default=100, cap=MAX_LIMIT, description="Events in this answer."),
)


@view_config(route_name="events", request_method="GET", renderer="json", permission=Permission.VIEW)
def events_view(request):
    values = read(request, *PARAMS)
    if values["after"] is None:
        return feed([], last_seq(request.db), more=False, reset=False)
    identity = request.identity
    return events_after(
        request.db, values["after"], values["limit"], visible_to(identity.user_id, identity.role == Role.ADMIN)
    )


def includeme(config):
    config.add_route("events", "/api/events/")
    config.scan(__name__)
    describe(
        config,
        Operation(
            "events",
            "GET",
            "Changes after a sequence id, oldest first: follow with `after` = the last answer's `last`",
            response=EventsPage,
            params=PARAMS,
        ),
    )
