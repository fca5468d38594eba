"""Cache-Control for every API response.

Planning data is per user and changes under people's feet: browsers and proxies may keep a copy
but must revalidate it (ETag / If-None-Match) every time, and a shared cache must never hand one
user's response to another. Token responses are never stored at all: a feature names the routes
that answer them with `config.add_no_store_route(name)`, so core knows none of them.
"""


def cache_control_tween_factory(handler, registry):
    no_store = frozenset(registry.planner_no_store_routes)  # every include has run by now

    def tween(request):
        response = handler(request)
        if "Cache-Control" not in response.headers:
            route = request.matched_route.name if request.matched_route else None
            response.headers["Cache-Control"] = "no-store" if route in no_store else "private, no-cache"
        vary = {v.strip() for v in (response.headers.get("Vary") or "").split(",") if v.strip()}
        response.headers["Vary"] = ", ".join(sorted(vary | {"Authorization"}))
        return response

    return tween


def add_no_store_route(config, route_name: str) -> None:
    """The config directive: answers of this route are never stored (`no-store`)."""
    config.registry.planner_no_store_routes.add(route_name)


def includeme(config):
    from pyramid.tweens import EXCVIEW

    config.registry.planner_no_store_routes = set()
    config.add_directive("add_no_store_route", add_no_store_route)
    config.add_tween("backend_api.core.caching.cache_control_tween_factory", over=EXCVIEW)
