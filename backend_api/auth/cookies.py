"""The browser's session: the refresh token in an HttpOnly cookie, and the checks that make it safe.

- `planner_refresh` is HttpOnly (no page script can read it), SameSite=Strict and scoped to
  /api/auth/, so the browser sends it only to the few endpoints that need it.
- `planner_csrf` is readable by the app's own scripts, which send it back in `X-CSRF-Token`
  (double submit). It is an HMAC of the session's key: another session's value never matches, and
  it needs no storage of its own. A page of another site can neither read it nor set the header.
- Requests another site caused (`Sec-Fetch-Site: cross-site`, or an `Origin` that is not this
  host) are refused before any cookie is looked at.
"""

import hashlib
import hmac
from urllib.parse import urlsplit

from backend_api.core.error_codes import ErrorCode
from backend_api.core.errors import ApiError, unauthenticated
from backend_api.core.security import TokenError, decode_token

from .services import from_trusted_proxy

REFRESH_COOKIE = "planner_refresh"
CSRF_COOKIE = "planner_csrf"
CSRF_HEADER = "X-CSRF-Token"
REFRESH_PATH = "/api/auth/"


def csrf_token(secret: str, session_key: str) -> str:
    return hmac.new(secret.encode(), f"csrf:{session_key}".encode(), hashlib.sha256).hexdigest()


def _secure(request, settings) -> bool:
    if settings.cookie_secure != "auto":
        return settings.cookie_secure == "true"
    forwarded = request.headers.get("X-Forwarded-Proto", "") if from_trusted_proxy(request) else ""
    return request.scheme == "https" or forwarded.strip().lower() == "https"


def set_session_cookies(request, settings, refresh_token: str) -> str:
    """Put the session's cookies on the response; returns the CSRF token."""
    claims = decode_token(settings.jwt_secret, refresh_token, "refresh")
    csrf = csrf_token(settings.jwt_secret, claims["sk"])
    common = dict(max_age=settings.refresh_token_days * 86400, secure=_secure(request, settings), samesite="strict")
    request.response.set_cookie(REFRESH_COOKIE, refresh_token, path=REFRESH_PATH, httponly=True, **common)
    # Path=/: the app's scripts read it on every page.
    request.response.set_cookie(CSRF_COOKIE, csrf, path="/", httponly=False, **common)
    return csrf


def clear_session_cookies(request, settings) -> None:
    common = dict(max_age=0, secure=_secure(request, settings), samesite="strict")
    request.response.set_cookie(REFRESH_COOKIE, "", path=REFRESH_PATH, httponly=True, **common)
    request.response.set_cookie(CSRF_COOKIE, "", path="/", **common)


def _own_host(request) -> str:
    forwarded = request.headers.get("X-Forwarded-Host", "") if from_trusted_proxy(request) else ""
    return (forwarded.split(",")[0].strip() or request.host).lower()


def same_origin_only(request) -> None:
    """403 `cross_site` for a request another site's page made (a form post, a fetch)."""
    if request.headers.get("Sec-Fetch-Site", "").lower() == "cross-site":
        raise ApiError(403, ErrorCode.CROSS_SITE, "Requests from other sites are refused here.")
    origin = request.headers.get("Origin")
    if origin is not None and urlsplit(origin).netloc.lower() != _own_host(request):
        raise ApiError(403, ErrorCode.CROSS_SITE, "Requests from other sites are refused here.")


def server_only(request) -> None:
    """403 `server_only` for a request a browser made: browsers always send these headers on a
    script's POST and no script can leave them out, so a page script (an injected one included)
    cannot trade a grant code for an access token even when it got hold of one."""
    if any(request.headers.get(name) is not None for name in ("Origin", "Sec-Fetch-Site", "Sec-Fetch-Mode")):
        raise ApiError(403, ErrorCode.SERVER_ONLY, "This endpoint is for the app server, not for browsers.")


def refresh_from_cookie(request, settings) -> str:
    """The refresh token of a same-origin request whose X-CSRF-Token matches its cookie and its
    session; 401 without a usable cookie, 403 `csrf_failed` when the header is missing or wrong."""
    same_origin_only(request)
    token = request.cookies.get(REFRESH_COOKIE, "")
    if not token:
        raise unauthenticated(ErrorCode.NOT_AUTHENTICATED)
    try:
        claims = decode_token(settings.jwt_secret, token, "refresh")
    except TokenError:
        raise unauthenticated(ErrorCode.TOKEN_INVALID) from None
    sent = request.headers.get(CSRF_HEADER, "").encode()
    expected = csrf_token(settings.jwt_secret, str(claims["sk"])).encode()
    if (
        not sent
        or not hmac.compare_digest(sent, request.cookies.get(CSRF_COOKIE, "").encode())
        or not hmac.compare_digest(sent, expected)
    ):
        raise ApiError(
            403, ErrorCode.CSRF_FAILED, f"The {CSRF_HEADER} header is missing or does not match this session."
        )
    return token
