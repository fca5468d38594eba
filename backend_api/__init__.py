"""The Planner REST API: a Pyramid WSGI application (see API.md for the contract)."""

from pyramid.config import Configurator
from pyramid.renderers import JSON

from .core.changes import Announcer
from .core.db import make_engine, session_factories
from .core.edge import WithRegistry, edge
from .core.security import RootFactory
from .core.settings import load_settings
from .core.throttle import make_throttle

FEATURES = (
    "people",
    "departments",
    "projects",
    "assignments",
    "deliverables",
    "timeoff",
    "dashboard",
    "events",
    "presence",
)


def main(global_config=None, **overrides):
    """Build the WSGI app. Settings come from the environment; keyword overrides win (tests)."""
    settings = load_settings(overrides)
    engine = make_engine(settings.database_url)
    with Configurator(root_factory=RootFactory) as config:
        config.registry.planner_settings = settings
        config.registry.planner_engine = engine
        config.registry.planner_announcer = Announcer(settings.redis_url)
        config.registry.planner_sessions = session_factories(engine, config.registry.planner_announcer)
        config.registry.planner_throttle = make_throttle(settings, engine)
        config.add_renderer("json", JSON())
        config.include(".core.db")
        config.include(".core.requestid")
        config.include(".core.logs")
        config.include(".core.metrics")
        if settings.sentry_dsn:
            config.include(".core.sentry")
        config.include(".core.caching")
        config.include(".core.errors")
        config.include(".core.resource")
        config.include(".core.operations")
        config.include(".auth")  # its views, and the security policy that reads its sessions
        for feature in FEATURES:
            config.include(f".{feature}.views")
        return mounted_anywhere(edge(config.make_wsgi_app(), settings.max_request_bytes))


def mounted_anywhere(app):
    """Routes live under /api. When a host mounts this app at /api (Reflex's api_transformer via
    a2wsgi), it arrives as SCRIPT_NAME=/api; fold that back into the path so one route table serves
    both the standalone server and the mounted one."""

    def wsgi(environ, start_response):
        script = environ.get("SCRIPT_NAME", "")
        if script.endswith("/api"):
            environ["SCRIPT_NAME"] = script[: -len("/api")]
            environ["PATH_INFO"] = "/api" + environ.get("PATH_INFO", "")
        return app(environ, start_response)

    return WithRegistry(wsgi, app.registry)
