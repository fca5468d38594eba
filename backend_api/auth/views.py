"""Token, session and current-user endpoints. Thin: parsing here, rules in services.py."""

from pyramid.view import view_config

from backend_api.core.error_codes import ErrorCode
from backend_api.core.errors import ApiError, unauthenticated
from backend_api.core.openapi import Operation, describe
from backend_api.core.permissions import Permission
from backend_api.core.resource import json_body_as, no_content

from . import services
from .models import User
from .schemas import (
    RefreshRequest,
    RevokeRequest,
    SessionList,
    SessionOut,
    TokenPair,
    TokenRequest,
    UserOut,
    session_out,
    user_out,
)
from .usernames import username_key


@view_config(route_name="auth_token", request_method="POST", renderer="json")
def obtain_token(request):
    return throttled_login(request, json_body_as(request, TokenRequest))


def throttled_login(request, body: TokenRequest) -> dict:
    """A new session's token pair, for every way of signing in (JSON here, the browser's cookie
    in cookie_views.py): one throttle, one count per name and address whichever way is used."""
    ip = services.client_ip(request)
    name = username_key(body.username)
    throttle = request.registry.planner_throttle
    wait = throttle.attempt(name, ip)  # counted before the password is checked
    if wait:
        raise ApiError(
            429,
            ErrorCode.THROTTLED,
            f"Too many failed sign-in attempts. Try again in {wait} seconds.",
            extra={"retryAfter": wait},
            headers={"Retry-After": str(wait)},
        )
    tokens = services.login(
        request.db, request.registry.planner_settings, body.username, body.password, ip, services.client_agent(request)
    )
    # Once the sign-in is committed: on SQLite this request holds the write lock until then.
    request.add_finished_callback(lambda _request: throttle.succeeded(name, ip))
    return tokens


@view_config(route_name="auth_refresh", request_method="POST", renderer="json")
def refresh_token(request):
    body = json_body_as(request, RefreshRequest)
    return services.refresh(request.db, request.registry.planner_settings, body.refresh)


@view_config(route_name="auth_logout", request_method="POST")
def logout(request):
    body = json_body_as(request, RefreshRequest)
    services.logout(request.db, request.registry.planner_settings, body.refresh)
    return no_content(request)


@view_config(route_name="auth_me", request_method="GET", renderer="json", permission=Permission.SELF)
def me(request):
    user = request.db.get(User, request.identity.user_id)
    if user is None:
        raise unauthenticated(ErrorCode.TOKEN_INVALID)
    return user_out(user)


@view_config(route_name="auth_sessions", request_method="GET", renderer="json", permission=Permission.SELF)
def sessions(request):
    identity = request.identity
    return {
        "results": [session_out(s, identity.session_id) for s in services.list_sessions(request.db, identity.user_id)]
    }


@view_config(route_name="auth_sessions_revoke", request_method="POST", renderer="json", permission=Permission.SELF)
def revoke(request):
    body = json_body_as(request, RevokeRequest)
    identity = request.identity
    session = services.revoke_session(request.db, identity.user_id, body.session_id)
    return session_out(session, identity.session_id)


def includeme(config):
    config.add_route("auth_token", "/api/auth/token/")
    config.add_route("auth_refresh", "/api/auth/token/refresh/")
    config.add_route("auth_logout", "/api/auth/logout/")
    config.add_route("auth_me", "/api/auth/me/")
    config.add_route("auth_sessions", "/api/auth/sessions/")
    config.add_route("auth_sessions_revoke", "/api/auth/sessions/revoke/")
    config.scan(__name__)
    for route in ("auth_token", "auth_refresh", "auth_logout"):  # their answers hold tokens
        config.add_no_store_route(route)
    describe(
        config,
        Operation(
            "auth_token",
            "POST",
            "Sign in: a new session and its token pair",
            request=TokenRequest,
            response=TokenPair,
            permission=None,
            errors=(401, 429),
        ),
        Operation(
            "auth_refresh",
            "POST",
            "Rotate the refresh token",
            request=RefreshRequest,
            response=TokenPair,
            permission=None,
            errors=(401,),
        ),
        Operation(
            "auth_logout",
            "POST",
            "Revoke the session of this refresh token",
            request=RefreshRequest,
            status=204,
            permission=None,
            errors=(401,),
        ),
        Operation("auth_me", "GET", "The signed-in user", response=UserOut, permission=Permission.SELF),
        Operation(
            "auth_sessions", "GET", "Own sessions, newest first", response=SessionList, permission=Permission.SELF
        ),
        Operation(
            "auth_sessions_revoke",
            "POST",
            "Revoke one of own sessions",
            request=RevokeRequest,
            response=SessionOut,
            permission=Permission.SELF,
            errors=(404,),
        ),
    )
