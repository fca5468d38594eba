"""Cache-Control for every API response.

Planning data is per user and changes under people's feet: browsers and proxies may keep a copy
but must revalidate it (ETag / If-None-Match) every time, and a shared cache must never hand one
user's response to another. Token responses are never stored at all.
"""

NO_STORE_ROUTES = frozenset(
    {
        "auth_token",
        "auth_refresh",
        "auth_logout",
        "auth_cookie_token",
        "auth_app_grant",
        "auth_access_grant",
        "auth_cookie_logout",
    }
)


def cache_control_tween_factory(handler, registry):
    def tween(request):
        response = handler(request)
        if "Cache-Control" not in response.headers:
            route = request.matched_route.name if request.matched_route else None
            response.headers["Cache-Control"] = "no-store" if route in NO_STORE_ROUTES else "private, no-cache"
        vary = {v.strip() for v in (response.headers.get("Vary") or "").split(",") if v.strip()}
        response.headers["Vary"] = ", ".join(sorted(vary | {"Authorization"}))
        return response

    return tween


def includeme(config):
    from pyramid.tweens import EXCVIEW

    config.add_tween("backend_api.core.caching.cache_control_tween_factory", over=EXCVIEW)
