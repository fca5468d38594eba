"""Error reports to Sentry (sentry-sdk), only when SENTRY_DSN is set.

sentry-sdk's Pyramid integration reports every 500; each report is tagged with the route, the
request id (the same as in the logs and the X-Request-ID header) and the user id. Nothing that
identifies a person or opens a session leaves: no request bodies, cookies, Authorization or
forwarded-address headers, query strings (search text), local variables of the stack frames
(a password is one), and of the user only the id.
"""

import sentry_sdk

from .metrics import route_label

# Lower case: headers arrive in any case.
PRIVATE_HEADERS = frozenset(
    {"authorization", "cookie", "set-cookie", "x-forwarded-for", "x-real-ip", "forwarded", "x-client-user-agent"}
)


def scrub(event: dict, _hint: dict) -> dict:
    request = event.get("request")
    if request:
        for key in ("data", "cookies", "query_string", "env"):
            request.pop(key, None)
        headers = request.get("headers")
        if isinstance(headers, dict):
            request["headers"] = {k: v for k, v in headers.items() if k.lower() not in PRIVATE_HEADERS}
        if "url" in request:
            request["url"] = request["url"].split("?", 1)[0]
    user = event.get("user")
    if user:
        event["user"] = {"id": user["id"]} if user.get("id") is not None else {}
    return event


def options(settings) -> dict:
    return dict(
        dsn=settings.sentry_dsn,
        environment=settings.environment,
        # send_default_pii is left at its default, off (sentry-sdk 2.7x warns when it is passed at all).
        include_local_variables=False,
        max_request_body_size="never",
        before_send=scrub,
    )


def tag_request_tween_factory(handler, registry):
    """Tags each report with the request it happened in. The values are read when a report is
    made: the route and the user are known only once the request has been routed and authenticated."""

    def tween(request):
        def tag(event, _hint):
            user_id = request.environ.get("planner.user_id")
            event.setdefault("tags", {}).update(
                route=route_label(request),
                request_id=request.request_id,
                user_id=str(user_id) if user_id is not None else "-",
            )
            if user_id is not None:
                event["user"] = {"id": str(user_id)}
            return event

        # The integration gives each request its own isolation scope, so this goes with the request.
        sentry_sdk.get_isolation_scope().add_event_processor(tag)
        return handler(request)

    return tween


def includeme(config):
    """Included by main() only when SENTRY_DSN is set; each worker initialises its own client."""
    from pyramid.tweens import EXCVIEW

    sentry_sdk.init(**options(config.registry.planner_settings))
    config.add_tween("backend_api.core.sentry.tag_request_tween_factory", over=EXCVIEW)
