"""X-Request-ID on every response (the client's own when it sent a sane one) and one summary
log line per request with the request id and the user id."""

import logging
import re
import time
import uuid

log = logging.getLogger("backend_api.request")
_SANE = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")


def request_id(request) -> str:
    sent = request.headers.get("X-Request-ID", "")
    return sent if _SANE.match(sent) else uuid.uuid4().hex


def request_id_tween_factory(handler, registry):
    def tween(request):
        started = time.perf_counter()
        response = handler(request)
        response.headers["X-Request-ID"] = request.request_id
        log.info("%s %s %s %.1fms request_id=%s user_id=%s", request.method, request.path,
                 response.status_int, (time.perf_counter() - started) * 1000, request.request_id,
                 request.environ.get("planner.user_id", "-"))
        return response

    return tween


def includeme(config):
    from pyramid.tweens import EXCVIEW

    config.add_request_method(request_id, "request_id", reify=True)
    config.add_tween("backend_api.core.requestid.request_id_tween_factory", over=EXCVIEW)
