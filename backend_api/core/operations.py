"""Health and the OpenAPI document."""

from pyramid.view import view_config

from .openapi import Operation, build_document, describe


@view_config(route_name="health", request_method="GET", renderer="json")
def health(request):
    return {"status": "ok"}


@view_config(route_name="openapi", request_method="GET", renderer="json")
def openapi(request):
    return build_document(request.registry)


def includeme(config):
    config.scan(__name__)
    describe(config,
             Operation("/api/health/", "GET", "Liveness check", response={"type": "object"}, permission=None),
             Operation("/api/openapi.json", "GET", "This document", response={"type": "object"}, permission=None))
