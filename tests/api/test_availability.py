"""A database that cannot be reached answers 503 `unavailable` with Retry-After, never a 500;
/api/health/ is liveness (no database), /api/health/ready/ readiness (SELECT 1)."""

import logging
import socket

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from webtest import TestApp

from backend_api import main
from backend_api.core.db import database_unavailable
from backend_api.dashboard import views
from tests.conftest import ENGINE
from tests.factories import PASSWORD, make_user


@pytest.fixture
def cut_app(outage):
    """The API on the test database through the way `outage` can cut."""
    app = main({}, database_url=outage.url)
    yield TestApp(app, extra_environ={"REMOTE_ADDR": "10.0.0.1"})
    app.registry.planner_engine.dispose()


def _sign_in(app, username):
    return app.post_json("/api/auth/token/", {"username": username, "password": PASSWORD}, status="*")


def assert_unavailable(response):
    assert response.status_int == 503
    assert response.headers["Retry-After"] == "5"
    assert response.json["code"] == "unavailable"
    assert set(response.json) == {"detail", "code"}


def test_an_outage_is_503_ready_says_so_health_does_not_and_service_comes_back(cut_app, outage, registry):
    user = make_user(registry)
    assert cut_app.get("/api/health/ready/").json == {"status": "ok"}
    signed_in = _sign_in(cut_app, user.username)
    assert signed_in.status_int == 200

    outage.down()
    # A worker with nothing pooled must connect anew (the SQLite way in; PostgreSQL: pre-ping fails).
    cut_app.app.registry.planner_engine.dispose()
    assert_unavailable(cut_app.get("/api/health/ready/", status="*"))
    assert_unavailable(_sign_in(cut_app, user.username))
    # A signed-in call fails already while its token's session is looked up.
    assert_unavailable(
        cut_app.get("/api/people/", headers={"Authorization": f"Bearer {signed_in.json['access']}"}, status="*")
    )
    assert cut_app.get("/api/health/").status_int == 200

    outage.up()
    assert cut_app.get("/api/health/ready/").status_int == 200
    assert _sign_in(cut_app, user.username).status_int == 200


@pytest.mark.skipif(ENGINE != "postgres", reason="a server restart drops pooled connections on PostgreSQL only")
def test_a_pooled_connection_dropped_by_a_restart_is_replaced_on_the_next_request(cut_app, outage, registry):
    user = make_user(registry)
    assert _sign_in(cut_app, user.username).status_int == 200  # leaves connections in the pool
    outage.down()
    outage.up()
    assert _sign_in(cut_app, user.username).status_int == 200


def test_an_outage_is_logged_once_with_the_request_id(cut_app, outage, caplog):
    outage.down()
    cut_app.app.registry.planner_engine.dispose()
    with caplog.at_level(logging.INFO, logger="backend_api"):
        cut_app.get("/api/health/ready/", headers={"X-Request-ID": "req-outage-1"}, status="*")
    warnings = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(warnings) == 1
    assert "database unavailable request_id=req-outage-1" in warnings[0].getMessage()


def test_an_exhausted_pool_is_503(admin, monkeypatch):
    def busy(*_args, **_kw):
        raise PoolTimeout("QueuePool limit of size 10 overflow 10 reached")

    monkeypatch.setattr(views, "dashboard", busy)
    assert_unavailable(admin.get("/api/dashboard/"))


def _error_of(url: str, statement: str = "SELECT 1") -> DBAPIError:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            conn.execute(text(statement))
    except DBAPIError as error:
        return error
    finally:
        engine.dispose()
    raise AssertionError("the statement worked")


def test_only_errors_of_reaching_the_database_count_as_unavailable(tmp_path):
    assert database_unavailable(_error_of(f"sqlite:///{tmp_path}/missing-dir/x.db"))
    assert database_unavailable(_error_of("postgresql+psycopg://postgres@127.0.0.1:1/x"))  # refused
    # A fault of the code or the schema stays a 500.
    assert not database_unavailable(_error_of(f"sqlite:///{tmp_path}/x.db", "SELECT * FROM no_such_table"))
    assert not database_unavailable(_error_of(f"sqlite:///{tmp_path}/x.db", "SELEKT 1"))


def test_a_fault_of_the_code_in_the_database_stays_a_500(admin, monkeypatch, registry):
    def broken(db, *_args, **_kw):
        db.execute(text("SELECT * FROM no_such_table"))

    monkeypatch.setattr(views, "dashboard", broken)
    assert admin.get("/api/dashboard/").status_int == 500


def test_with_redis_down_sign_in_works_and_is_still_throttled(database_url, registry):
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        closed = probe.getsockname()[1]
    app = TestApp(
        main({}, database_url=database_url, redis_url=f"redis://127.0.0.1:{closed}/4", throttle_user_failures=2),
        extra_environ={"REMOTE_ADDR": "10.0.0.1"},
    )
    user = make_user(registry)
    assert _sign_in(app, user.username).status_int == 200
    for _ in range(2):
        app.post_json("/api/auth/token/", {"username": user.username, "password": "wrong wrong"}, status=401)
    throttled = _sign_in(app, user.username)
    assert throttled.status_int == 429 and int(throttled.headers["Retry-After"]) > 0
