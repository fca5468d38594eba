"""Logs: one JSON object a line (LOG_FORMAT=text for people at a terminal), and one access line
per request with its request id, user id, route, status and duration.

Every record logged while a request is handled — a traceback, a warning deep in a service —
carries that request's `request_id` and `user_id` (a filter reads them from the request being
handled in this thread), so one id finds every line of one request, and, since the app sends
the id of the Reflex event that made the call, every line of one user action.

Lines hold ids only: never a username, an e-mail address, a token or a request body.
"""

import contextvars
import logging
import sys
import time

from pythonjsonlogger.json import JsonFormatter

from .settings import process_settings

access_log = logging.getLogger("backend_api.access")
_current_request = contextvars.ContextVar("planner_request", default=None)
FORMATS = ("json", "text")
# The fields of an access line, in the order a text line shows them.
ACCESS_FIELDS = ("request_id", "user_id", "method", "route", "route_pattern", "path", "status", "duration_ms")


class RequestContext(logging.Filter):
    """Adds the handled request's ids to every record that does not carry its own."""

    def filter(self, record: logging.LogRecord) -> bool:
        request = _current_request.get()
        if request is not None:
            if not hasattr(record, "request_id"):
                record.request_id = request.request_id
            if not hasattr(record, "user_id"):
                record.user_id = request.environ.get("planner.user_id")
        return True


class TextFormatter(logging.Formatter):
    """The classic line, then `key=value` for each request field the record has."""

    def format(self, record: logging.LogRecord) -> str:
        line = super().format(record)
        fields = " ".join(f"{key}={getattr(record, key)}" for key in ACCESS_FIELDS if hasattr(record, key))
        return f"{line} {fields}" if fields else line


def make_handler(stream, fmt: str) -> logging.Handler:
    if fmt not in FORMATS:
        raise ValueError(f"LOG_FORMAT must be one of {', '.join(FORMATS)}, not {fmt!r}")
    handler = logging.StreamHandler(stream)
    if fmt == "json":
        # `time` in ISO 8601, UTC, as log shippers expect.
        handler.setFormatter(
            JsonFormatter(
                "%(levelname)s %(name)s %(message)s",
                timestamp="time",
                rename_fields={"levelname": "level", "name": "logger"},
            )
        )
    else:
        handler.setFormatter(TextFormatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
    handler.addFilter(RequestContext())
    return handler


def configure_logging(name: str = "") -> None:
    """Send the records of logger `name` (the root by default) to stderr in LOG_FORMAT, at LOG_LEVEL.
    A host that logs in its own way (the Reflex app) passes "backend_api": only the API's lines."""
    logger = logging.getLogger(name or None)
    settings = process_settings()
    logger.handlers[:] = [make_handler(sys.stderr, settings.log_format)]
    logger.setLevel(settings.log_level)
    if name:
        logger.propagate = False


def access_log_tween_factory(handler, registry):
    def tween(request):
        token = _current_request.set(request)
        started = time.perf_counter()
        try:
            response = handler(request)
            route = request.matched_route
            access_log.info(
                "%s %s %s",
                request.method,
                request.path,
                response.status_int,
                extra={
                    "request_id": request.request_id,
                    "user_id": request.environ.get("planner.user_id"),
                    "method": request.method,
                    "route": route.name if route is not None else None,
                    "route_pattern": route.pattern if route is not None else None,
                    # The path holds ids only; the query string (search text) is left out.
                    "path": request.path,
                    "status": response.status_int,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                },
            )
            return response
        finally:
            _current_request.reset(token)

    return tween


def includeme(config):
    from pyramid.tweens import EXCVIEW

    config.add_tween("backend_api.core.logs.access_log_tween_factory", over=EXCVIEW)
