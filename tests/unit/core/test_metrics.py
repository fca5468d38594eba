"""The counters that the live scrape test does not reach, in one process (the plain registry)."""

import os

import pytest
from prometheus_client import REGISTRY
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from backend_api.core import metrics
from backend_api.core.db import make_engine
from backend_api.dashboard import views as dashboard_views
from tests.factories import PASSWORD, make_user


def count(name, **labels) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


def sign_in(testapp, user):
    return testapp.post_json("/api/auth/token/", {"username": user.username, "password": PASSWORD}).json


def test_a_replayed_refresh_token_counts_reuse_and_one_revoked_session(testapp, registry):
    tokens = sign_in(testapp, make_user(registry))
    second = testapp.post_json("/api/auth/token/refresh/", {"refresh": tokens["refresh"]}).json
    testapp.post_json("/api/auth/token/refresh/", {"refresh": second["refresh"]})
    reuse, revoked = (
        count("planner_refresh_reuse_total"),
        count("planner_sessions_revoked_total", reason="refresh_reuse"),
    )
    testapp.post_json("/api/auth/token/refresh/", {"refresh": tokens["refresh"]}, status=401)
    assert count("planner_refresh_reuse_total") == reuse + 1
    assert count("planner_sessions_revoked_total", reason="refresh_reuse") == revoked + 1


def test_sessions_revoked_counts_sessions_that_ended_not_calls(testapp, registry):
    user = make_user(registry)
    tokens = sign_in(testapp, user)
    logouts = count("planner_sessions_revoked_total", reason="logout")
    testapp.post_json("/api/auth/logout/", {"refresh": tokens["refresh"]}, status=204)
    assert count("planner_sessions_revoked_total", reason="logout") == logouts + 1

    admin = sign_in(testapp, make_user(registry, "admin"))
    sign_in(testapp, user), sign_in(testapp, user)
    everywhere = count("planner_sessions_revoked_total", reason="signed_out_everywhere")
    testapp.post_json(
        f"/api/auth/users/{user.id}/toggle_active/", {}, headers={"Authorization": f"Bearer {admin['access']}"}
    )
    assert count("planner_sessions_revoked_total", reason="signed_out_everywhere") == everywhere + 2
    disabled = count("planner_logins_total", outcome="account_disabled")
    testapp.post_json("/api/auth/token/", {"username": user.username, "password": PASSWORD}, status=401)
    assert count("planner_logins_total", outcome="account_disabled") == disabled + 1


def test_database_errors_are_counted_by_type(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path}/errors.db")
    before = count("planner_db_errors_total", error="OperationalError")
    with pytest.raises(OperationalError), engine.connect() as conn:
        conn.execute(text("SELECT * FROM no_such_table"))
    assert count("planner_db_errors_total", error="OperationalError") == before + 1


def test_a_multiprocess_directory_starts_empty(tmp_path, monkeypatch):
    monkeypatch.setenv(metrics.MULTIPROC_ENV, str(tmp_path))
    (tmp_path / "counter_4242.db").write_bytes(b"an earlier run")
    (tmp_path / "notes.txt").write_text("not ours")
    assert metrics.prepare_multiprocess() == str(tmp_path)
    assert sorted(os.listdir(tmp_path)) == ["notes.txt"]


def test_metrics_are_off_unless_a_port_is_given(monkeypatch):
    monkeypatch.delenv("METRICS_PORT", raising=False)
    assert metrics.configured_port() is None
    monkeypatch.setenv("METRICS_PORT", "0")
    assert metrics.configured_port() is None
    monkeypatch.setenv("METRICS_PORT", "9464")
    assert metrics.configured_port() == 9464


def test_a_dead_workers_requests_in_flight_leave_the_sum_and_its_counts_stay(tmp_path, monkeypatch):
    monkeypatch.setenv(metrics.MULTIPROC_ENV, str(tmp_path))
    for name in ("gauge_livesum_4242.db", "gauge_livesum_4343.db", "counter_4242.db"):
        (tmp_path / name).write_bytes(b"")
    metrics.worker_exited(4242)
    assert sorted(os.listdir(tmp_path)) == ["counter_4242.db", "gauge_livesum_4343.db"]


def test_a_request_is_in_flight_while_it_is_handled(testapp, registry, monkeypatch):
    seen = []

    def dashboard(*_args, **_kwargs):
        seen.append(count("planner_http_requests_in_flight"))
        return {}

    monkeypatch.setattr(dashboard_views, "dashboard", dashboard)
    tokens = sign_in(testapp, make_user(registry))
    testapp.get("/api/dashboard/", headers={"Authorization": f"Bearer {tokens['access']}"})
    assert seen == [1] and count("planner_http_requests_in_flight") == 0
