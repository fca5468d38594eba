"""Presence: PUT a tab's heartbeat, DELETE it when the tab leaves, GET who has an item open.
Thin: the rules are in services.py."""

from dataclasses import replace

from pyramid.view import view_config

from backend_api.core.changes import UserRef, acting_user
from backend_api.core.openapi import Operation, describe
from backend_api.core.params import enum, ident, read, text
from backend_api.core.permissions import Permission
from backend_api.core.resource import json_body_as, no_content

from . import services
from .models import Watched
from .schemas import PresenceIn, PresenceList

TAB_MESSAGE = "Use 1 to 64 letters, digits, - or _."
TAB = text("tab", pattern="^[A-Za-z0-9_-]{1,64}$", message=TAB_MESSAGE, description="The browser tab (the app's id).")
PARAMS = (
    enum("resource", Watched, required=True),
    ident("objectId", description=f"The item. Omitted: every item of the resource (at most {services.MAX_LISTED})."),
    replace(TAB, description="The caller's tab: its row has `you: true`."),
)


def _tab(request) -> str:
    return read(request, TAB, source=request.matchdict)["tab"]


def _actor(request) -> UserRef:
    actor = acting_user(request)
    if actor is None:  # the permission check ran the security policy, which set it
        raise RuntimeError("presence views need a signed-in user")
    return actor


@view_config(route_name="presence_tab", request_method="PUT", permission=Permission.VIEW)
def announce(request):
    tab = _tab(request)
    body = json_body_as(request, PresenceIn)
    services.announce(request.db, _actor(request), request.identity.session_id, tab, body)
    return no_content(request)


@view_config(route_name="presence_tab", request_method="DELETE", permission=Permission.VIEW)
def leave(request):
    services.leave(request.db, _actor(request), request.identity.session_id, _tab(request))
    return no_content(request)


@view_config(route_name="presence", request_method="GET", renderer="json", permission=Permission.VIEW)
def present(request):
    values = read(request, *PARAMS)
    results = services.present(
        request.db, values["resource"], values["objectId"], request.identity.session_id, values["tab"]
    )
    return {"results": results}


def includeme(config):
    config.add_route("presence", "/api/presence/")
    config.add_route("presence_tab", "/api/presence/{tab}/")
    config.scan(__name__)
    describe(
        config,
        Operation(
            "presence_tab",
            "PUT",
            f"This tab has an item open, for {services.PRESENCE_SECONDS} s: repeat it sooner to stay present",
            request=PresenceIn,
            status=204,
            path_params=(TAB,),
        ),
        Operation("presence_tab", "DELETE", "This tab has nothing open any more", status=204, path_params=(TAB,)),
        Operation("presence", "GET", "Who has an item open, editing first", response=PresenceList, params=PARAMS),
    )
