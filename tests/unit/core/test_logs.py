"""The API's logs: one JSON line per request with its ids, route, status and duration; the request's
ids on every other line it logs; never a username, an e-mail address, a password or a token."""

import io
import json
import logging
from datetime import datetime, timedelta

import pytest

from backend_api.core.logs import make_handler
from backend_api.dashboard import views as dashboard_views
from tests.factories import PASSWORD, make_user


@pytest.fixture
def log_lines():
    """Every line the API logs during the test, as JSON objects."""
    stream = io.StringIO()
    handler = make_handler(stream, "json")
    logger = logging.getLogger("backend_api")
    level = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    logger.removeHandler(handler)
    logger.setLevel(level)


def access(lines):
    return [line for line in lines if line["logger"] == "backend_api.access"]


def test_a_request_is_one_json_line_with_its_fields(testapp, registry, log_lines):
    user = make_user(registry, "manager", email="ana@example.com")
    tokens = testapp.post_json("/api/auth/token/", {"username": user.username, "password": PASSWORD}).json
    testapp.get("/api/people/", headers={"Authorization": f"Bearer {tokens['access']}", "X-Request-ID": "evt-1"})
    line = access(log_lines())[-1]
    assert {k: line[k] for k in ("request_id", "user_id", "method", "route", "route_pattern", "path", "status")} == {
        "request_id": "evt-1",
        "user_id": user.id,
        "method": "GET",
        "route": "people",
        "route_pattern": "/api/people/",
        "path": "/api/people/",
        "status": 200,
    }
    assert isinstance(line["duration_ms"], float) and line["level"] == "INFO"
    assert datetime.fromisoformat(line["time"]).utcoffset() == timedelta(0)


def test_one_line_per_request_and_unknown_paths_have_no_route(testapp, log_lines):
    testapp.get("/api/health/")
    testapp.get("/api/no-such-thing/", status=404)
    lines = access(log_lines())
    assert [(line["route"], line["status"]) for line in lines] == [("health", 200), (None, 404)]
    assert lines[0]["user_id"] is None


def test_no_username_email_password_or_token_in_any_line_even_on_a_failed_login(testapp, registry, log_lines):
    user = make_user(registry, "user", email="secret.person@example.com")
    testapp.post_json("/api/auth/token/", {"username": user.username, "password": "wrong password!"}, status=401)
    testapp.post_json("/api/auth/token/", {"username": "nobody-such", "password": PASSWORD}, status=401)
    tokens = testapp.post_json("/api/auth/token/", {"username": user.username, "password": PASSWORD}).json
    second = testapp.post_json("/api/auth/token/refresh/", {"refresh": tokens["refresh"]}).json
    testapp.post_json("/api/auth/token/refresh/", {"refresh": second["refresh"]})
    testapp.post_json("/api/auth/token/refresh/", {"refresh": tokens["refresh"]}, status=401)  # reuse
    text = json.dumps(log_lines())
    assert len(access(log_lines())) == 6
    for secret in (
        user.username,
        "nobody-such",
        "secret.person",
        "wrong password!",
        PASSWORD,
        tokens["access"],
        tokens["refresh"],
    ):
        assert secret not in text


def test_a_traceback_line_carries_the_request_and_user_id(testapp, registry, monkeypatch, log_lines):
    def boom(*_args, **_kw):
        raise RuntimeError("boom")

    monkeypatch.setattr(dashboard_views, "dashboard", boom)
    user = make_user(registry, "admin")
    tokens = testapp.post_json("/api/auth/token/", {"username": user.username, "password": PASSWORD}).json
    testapp.get(
        "/api/dashboard/",
        headers={"Authorization": f"Bearer {tokens['access']}", "X-Request-ID": "evt-500"},
        status=500,
    )
    (error,) = [line for line in log_lines() if line["level"] == "ERROR"]
    assert error["request_id"] == "evt-500" and error["user_id"] == user.id
    assert "RuntimeError: boom" in error["exc_info"]


def test_text_format_for_people_and_no_other_format():
    stream = io.StringIO()
    handler = make_handler(stream, "text")
    record = logging.LogRecord("backend_api.access", logging.INFO, __file__, 1, "GET /api/health/ 200", None, None)
    record.request_id, record.status = "r-1", 200
    handler.handle(record)
    assert stream.getvalue().rstrip().endswith("GET /api/health/ 200 request_id=r-1 status=200")
    with pytest.raises(ValueError, match="LOG_FORMAT"):
        make_handler(stream, "xml")
