"""One JSON error envelope for every failure: {"detail", "code", "errors"?}.

Views raise ApiError; Pyramid's own 404/405/403 and any unexpected exception are turned into the
same envelope here, so a client never sees HTML or a traceback.
"""

import logging
from typing import Any

from pydantic import ValidationError
from pyramid.httpexceptions import HTTPException
from pyramid.response import Response
from pyramid.view import exception_view_config, forbidden_view_config, notfound_view_config
from sqlalchemy.exc import DBAPIError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from . import metrics
from .db import database_unavailable
from .error_codes import ErrorCode

log = logging.getLogger(__name__)


class ApiError(Exception):
    def __init__(
        self,
        status: int,
        code: ErrorCode,
        detail: str,
        errors: dict | None = None,
        extra: dict | None = None,
        headers: dict | None = None,
    ):
        super().__init__(detail)
        # ErrorCode(code): a free string that is no code fails here, in tests, not on a client.
        self.status, self.code, self.detail = status, ErrorCode(code), detail
        self.errors, self.extra, self.headers = errors, extra or {}, headers or {}


def invalid(errors: dict[str, list[str]], detail: str = "Some fields are not valid.") -> ApiError:
    return ApiError(400, ErrorCode.INVALID, detail, errors=errors)


def field_error(field: str, message: str, code: ErrorCode = ErrorCode.INVALID) -> ApiError:
    return ApiError(400, code, message, errors={field: [message]})


def not_found(what: str = "Item") -> ApiError:
    return ApiError(404, ErrorCode.NOT_FOUND, f"{what} not found.")


def permission_denied() -> ApiError:
    return ApiError(403, ErrorCode.PERMISSION_DENIED, "You do not have permission to do this.")


UNAUTHENTICATED_DETAILS = {
    ErrorCode.NOT_AUTHENTICATED: "Authentication credentials were not provided.",
    ErrorCode.TOKEN_INVALID: "The token is invalid or expired.",
    ErrorCode.SESSION_REVOKED: "This session has been signed out.",
    ErrorCode.ACCOUNT_DISABLED: "This account is disabled.",
    ErrorCode.INVALID_CREDENTIALS: "The username or password is incorrect.",
}


def unauthenticated(code: ErrorCode = ErrorCode.NOT_AUTHENTICATED, detail: str | None = None) -> ApiError:
    return ApiError(401, code, detail or UNAUTHENTICATED_DETAILS[code], headers={"WWW-Authenticate": "Bearer"})


def unavailable() -> ApiError:
    return ApiError(
        503,
        ErrorCode.UNAVAILABLE,
        "The service is unavailable for a moment. Please try again shortly.",
        headers={"Retry-After": "5"},
    )


def from_validation_error(exc: ValidationError) -> ApiError:
    """Pydantic errors keyed by the wire (camelCase) field name."""
    errors: dict[str, list[str]] = {}
    for err in exc.errors():
        loc = [str(part) for part in err["loc"] if part != "__root__"]
        field = loc[0] if loc else "nonFieldErrors"
        message = err["msg"].removeprefix("Value error, ")
        if len(loc) > 1:
            message = f"{'.'.join(loc[1:])}: {message}"
        errors.setdefault(field, []).append(message)
    return invalid(errors)


def render(request, error: ApiError):
    body: dict[str, Any] = {"detail": error.detail, "code": error.code}
    if error.errors:
        body["errors"] = error.errors
    body.update(error.extra)
    # A fresh response: whatever the failed view put on request.response (an ETag) must not leak.
    response = Response(status=error.status, json_body=body, content_type="application/json", charset="utf-8")
    response.headers.update(error.headers)
    return response


@exception_view_config(ApiError)
def api_error_view(exc, request):
    if exc.code == ErrorCode.PRECONDITION_FAILED:
        metrics.conflict(request)
    return render(request, exc)


@exception_view_config(ValidationError)
def validation_error_view(exc, request):
    return render(request, from_validation_error(exc))


@notfound_view_config()
def notfound_view(request):
    # A matched route with no view for this method is a 405, not a 404.
    if request.matched_route is not None:
        # RFC 9110: a 405 MUST list the methods the resource does support, in Allow.
        allow = ", ".join(allowed_methods(request.registry, request.matched_route.name))
        return render(
            request,
            ApiError(
                405,
                ErrorCode.METHOD_NOT_ALLOWED,
                f"Method {request.method} is not allowed here.",
                headers={"Allow": allow},
            ),
        )
    return render(request, ApiError(404, ErrorCode.NOT_FOUND, "Not found."))


def allowed_methods(registry, route_name: str) -> list[str]:
    """The methods the views of a route answer (from Pyramid's introspection; GET implies HEAD)."""
    methods: set[str] = set()
    for view in registry.introspector.get_category("views"):
        info = view["introspectable"]
        if info["route_name"] == route_name:
            declared = info["request_methods"]
            methods.update({declared} if isinstance(declared, str) else declared or ())
    if "GET" in methods:
        methods.add("HEAD")
    return sorted(methods)


@forbidden_view_config()
def forbidden_view(request):
    # Unauthenticated callers get 401 with the precise reason the security policy found.
    if request.authenticated_userid is None:
        return render(request, unauthenticated(getattr(request, "auth_error", None) or ErrorCode.NOT_AUTHENTICATED))
    return render(request, permission_denied())


@exception_view_config(HTTPException)
def http_exception_view(exc, request):
    known = {405: ErrorCode.METHOD_NOT_ALLOWED, 415: ErrorCode.UNSUPPORTED_MEDIA_TYPE}
    code = known.get(exc.status_int, ErrorCode.ERROR)
    return render(request, ApiError(exc.status_int, code, exc.title + "."))


@exception_view_config(DBAPIError)
def database_error_view(exc, request):
    """A database that cannot be reached is a 503 the client may retry, not a 500: one warning line,
    without a traceback (the cause is outside the code)."""
    if not database_unavailable(exc):
        return unexpected_error_view(exc, request)
    log.warning(
        "database unavailable request_id=%s: %s", getattr(request, "request_id", "-"), " ".join(str(exc.orig).split())
    )
    return render(request, unavailable())


@exception_view_config(PoolTimeout)
def pool_timeout_view(exc, request):
    # Every pooled connection stayed busy for the pool's whole timeout: overloaded, not broken.
    log.warning("database pool exhausted request_id=%s: %s", getattr(request, "request_id", "-"), exc)
    return render(request, unavailable())


@exception_view_config(Exception)
def unexpected_error_view(exc, request):
    log.exception("unhandled error request_id=%s", getattr(request, "request_id", "-"))
    return render(request, ApiError(500, ErrorCode.SERVER_ERROR, "Something went wrong on our side. Please try again."))


def includeme(config):
    config.scan(__name__)
