"""The browser's way in: sign-in that leaves the refresh token in an HttpOnly cookie, the grant
that gives the app server an access token (grants.py), and sign-out. Thin: the checks are in
cookies.py, the rules in services.py and grants.py. Scripts keep using the JSON endpoints."""

from pyramid.view import view_config

from backend_api.core.openapi import Operation, describe
from backend_api.core.resource import json_body_as, no_content

from . import cookies, grants, services
from .schemas import AccessRequest, AccessToken, CookieSession, GrantCodeOut, GrantRequest, TokenRequest
from .views import throttled_login


@view_config(route_name="auth_cookie_token", request_method="POST", renderer="json")
def cookie_sign_in(request):
    cookies.same_origin_only(request)  # nobody else's page may sign a browser in (login CSRF)
    tokens = throttled_login(request, json_body_as(request, TokenRequest))
    return {"csrf": cookies.set_session_cookies(request, request.registry.planner_settings, tokens["refresh"])}


@view_config(route_name="auth_app_grant", request_method="POST", renderer="json")
def app_grant(request):
    settings = request.registry.planner_settings
    refresh = cookies.refresh_from_cookie(request, settings)
    body = json_body_as(request, GrantRequest)
    # The browser's call rotates its cookie, as a JSON refresh would: a stolen old one is a replay.
    tokens = services.refresh(request.db, settings, refresh)
    cookies.set_session_cookies(request, settings, tokens["refresh"])
    return {"code": grants.issue(request.db, settings, tokens["refresh"], body.challenge)}


@view_config(route_name="auth_access_grant", request_method="POST", renderer="json")
def access_grant(request):
    cookies.server_only(request)
    body = json_body_as(request, AccessRequest)
    return {"access": grants.redeem(request.db, request.registry.planner_settings, body.code, body.verifier)}


@view_config(route_name="auth_cookie_logout", request_method="POST")
def cookie_logout(request):
    settings = request.registry.planner_settings
    services.logout(request.db, settings, cookies.refresh_from_cookie(request, settings))
    cookies.clear_session_cookies(request, settings)
    return no_content(request)


def includeme(config):
    config.add_route("auth_cookie_token", "/api/auth/token/cookie/")
    config.add_route("auth_app_grant", "/api/auth/token/app/")
    config.add_route("auth_access_grant", "/api/auth/token/access/")
    config.add_route("auth_cookie_logout", "/api/auth/logout/cookie/")
    config.scan(__name__)
    # Their answers hold tokens or grant codes, or set or clear the session's cookies.
    for route in ("auth_cookie_token", "auth_app_grant", "auth_access_grant", "auth_cookie_logout"):
        config.add_no_store_route(route)
    describe(
        config,
        Operation(
            "auth_cookie_token",
            "POST",
            "Sign in from a browser: the refresh token is set as an "
            "HttpOnly cookie, the answer holds only the CSRF token",
            request=TokenRequest,
            response=CookieSession,
            permission=None,
            errors=(401, 403, 429),
        ),
        Operation(
            "auth_app_grant",
            "POST",
            "With the refresh cookie and X-CSRF-Token: rotate the cookie "
            "and get a one-time code for this PKCE challenge",
            request=GrantRequest,
            response=GrantCodeOut,
            permission=None,
            errors=(401, 403),
        ),
        Operation(
            "auth_access_grant",
            "POST",
            "App server only: trade a grant code and its verifier for an access token",
            request=AccessRequest,
            response=AccessToken,
            permission=None,
            errors=(401, 403),
        ),
        Operation(
            "auth_cookie_logout",
            "POST",
            "With the refresh cookie and X-CSRF-Token: revoke its session and clear the cookies",
            status=204,
            permission=None,
            errors=(401, 403),
        ),
    )
