"""Health (liveness and readiness) and the OpenAPI document."""

from pyramid.view import view_config
from sqlalchemy import text

from .openapi import Operation, build_document, describe


@view_config(route_name="health", request_method="GET", renderer="json")
def health(request):
    """Liveness: the process answers. No database, so an outage does not get healthy workers restarted."""
    return {"status": "ok"}


@view_config(route_name="health_ready", request_method="GET", renderer="json")
def ready(request):
    """Readiness: the database answers too (a 503 from the error views when it does not)."""
    with request.registry.planner_engine.connect() as conn:
        conn.execute(text("SELECT 1"))
    return {"status": "ok"}


@view_config(route_name="openapi", request_method="GET", renderer="json")
def openapi(request):
    return build_document(request.registry)


def includeme(config):
    config.add_route("health", "/api/health/")
    config.add_route("health_ready", "/api/health/ready/")
    config.add_route("openapi", "/api/openapi.json")
    config.scan(__name__)
    describe(
        config,
        Operation("health", "GET", "Liveness check", response={"type": "object"}, permission=None),
        Operation(
            "health_ready",
            "GET",
            "Readiness check: the database answers (503 when not)",
            response={"type": "object"},
            permission=None,
        ),
        Operation("openapi", "GET", "This document", response={"type": "object"}, permission=None),
    )
