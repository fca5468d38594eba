"""Sentry reports: only with SENTRY_DSN; a 500 is reported once, tagged with route, request id and
user id, with no request body, cookie, token, query string or local variable. No network: the
reports land in a fake transport."""

import json

import pytest
import sentry_sdk
from sentry_sdk.transport import Transport
from webtest import TestApp

from backend_api import main
from backend_api.core import sentry
from backend_api.dashboard import views as dashboard_views
from tests.factories import PASSWORD, make_user


class Captured(Transport):
    def __init__(self, options=None):
        super().__init__(options)
        self.events = []

    def capture_envelope(self, envelope):
        self.events += [item.payload.json for item in envelope.items if item.type == "event"]


def explode(*_args, **_kwargs):
    # Here, not next to the test's secrets: a report carries the source lines around the raise.
    password = PASSWORD  # noqa: F841  (a local variable, which must not travel)
    raise RuntimeError("dashboard exploded")


@pytest.fixture
def reported(monkeypatch, database_url):
    """An app with Sentry on, and the list of the events it sent."""
    transport = Captured()
    monkeypatch.setattr(
        sentry, "options", lambda settings, real=sentry.options: {**real(settings), "transport": transport}
    )
    app = main({}, database_url=database_url, sentry_dsn="https://public@sentry.invalid/1")
    yield TestApp(app, extra_environ={"REMOTE_ADDR": "10.0.0.1"}), transport.events
    sentry_sdk.get_client().close()
    sentry_sdk.get_global_scope().set_client(None)


def test_a_500_is_reported_once_tagged_and_without_anything_private(reported, registry, monkeypatch):
    testapp, events = reported

    monkeypatch.setattr(dashboard_views, "dashboard", explode)
    user = make_user(registry, "admin", email="private.person@example.com")
    tokens = testapp.post_json("/api/auth/token/", {"username": user.username, "password": PASSWORD}).json
    testapp.get(
        "/api/dashboard/?weeks=4&q=private.person",
        status=500,
        headers={
            "Authorization": f"Bearer {tokens['access']}",
            "Cookie": "session=cookie-secret",
            "X-Forwarded-For": "203.0.113.9",
            "X-Request-ID": "evt-sentry-1",
        },
    )

    (event,) = events
    assert event["exception"]["values"][-1]["value"] == "dashboard exploded"
    assert {k: event["tags"][k] for k in ("route", "request_id", "user_id")} == {
        "route": "dashboard",
        "request_id": "evt-sentry-1",
        "user_id": str(user.id),
    }
    assert event["user"] == {"id": str(user.id)}
    assert not sentry_sdk.get_client().should_send_default_pii()
    sent = json.dumps(event)
    for secret in (tokens["access"], "cookie-secret", "203.0.113.9", PASSWORD, user.username, "private.person"):
        assert secret not in sent


def test_a_failed_sign_in_is_no_report(reported, registry):
    testapp, events = reported
    user = make_user(registry)
    testapp.post_json("/api/auth/token/", {"username": user.username, "password": "not the password"}, status=401)
    assert events == []


def test_scrub_drops_bodies_cookies_auth_headers_and_all_of_the_user_but_the_id():
    event = {
        "request": {
            "url": "http://x/api/people/?q=ana",
            "data": {"password": "p"},
            "cookies": {"s": "1"},
            "query_string": "q=ana",
            "env": {"REMOTE_ADDR": "203.0.113.9"},
            "headers": {
                "Authorization": "Bearer t",
                "cookie": "s=1",
                "X-Forwarded-For": "203.0.113.9",
                "Accept": "application/json",
            },
        },
        "user": {"id": "7", "username": "ana", "email": "ana@example.com", "ip_address": "203.0.113.9"},
    }
    assert sentry.scrub(event, {}) == {
        "request": {"url": "http://x/api/people/", "headers": {"Accept": "application/json"}},
        "user": {"id": "7"},
    }


def test_without_a_dsn_sentry_is_never_started(wsgi_app):
    assert not sentry_sdk.get_client().is_active()
