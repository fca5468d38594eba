"""X-Request-ID on every response: the client's own when it sent a sane one (the app sends the id
of the Reflex event that made the call), else a fresh one. core/logs.py puts it on every line."""

import re
import uuid

_SANE = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")


def request_id(request) -> str:
    sent = request.headers.get("X-Request-ID", "")
    return sent if _SANE.match(sent) else uuid.uuid4().hex


def request_id_tween_factory(handler, registry):
    def tween(request):
        response = handler(request)
        response.headers["X-Request-ID"] = request.request_id
        return response

    return tween


def includeme(config):
    from pyramid.tweens import EXCVIEW

    config.add_request_method(request_id, "request_id", reify=True)
    config.add_tween("backend_api.core.requestid.request_id_tween_factory", over=EXCVIEW)
