"""The production server (`python -m backend_api serve`) under faults: workers killed, a port
taken, a database that is not there or goes away."""

import os
import signal
import socket
import time

import httpx
import psutil
import pytest

from tests.api.conftest import RealServer
from tests.conftest import ENGINE
from tests.factories import PASSWORD, make_user


def _workers(server: RealServer) -> list[int]:
    return [child.pid for child in psutil.Process(server.process.pid).children()]


def _until(condition, what: str, seconds: float = 30):
    """Wait for a condition (not for a time); the deadline only bounds a failure."""
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, what
        time.sleep(0.05)


@pytest.fixture
def server(database_url):
    running = RealServer(database_url, workers=2).wait_until_healthy()
    yield running
    running.stop()


def test_a_killed_worker_is_replaced_and_the_others_answer_meanwhile(server):
    _until(lambda: len(_workers(server)) == 2, "two workers")
    killed = _workers(server)[0]
    os.kill(killed, signal.SIGKILL)
    assert httpx.get(f"{server.base}/api/health/", timeout=10).status_code == 200
    _until(lambda: len(_workers(server)) == 2 and killed not in _workers(server), "the worker replaced")
    assert httpx.get(f"{server.base}/api/health/ready/", timeout=10).status_code == 200
    assert server.process.poll() is None


def test_sigterm_stops_the_workers_and_exits_0(server):
    _until(lambda: len(_workers(server)) == 2, "two workers")
    workers = _workers(server)
    server.process.send_signal(signal.SIGTERM)
    assert server.exit_code() == 0
    assert not any(psutil.pid_exists(pid) and psutil.Process(pid).status() != psutil.STATUS_ZOMBIE for pid in workers)


def test_a_port_in_use_exits_1(database_url):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        server = RealServer(database_url, port=taken.getsockname()[1])
        assert server.exit_code() == 1
    assert "cannot listen" in server.output()


@pytest.mark.parametrize(
    "unreachable", ["sqlite:///{tmp}/no-such-dir/planner.db", "postgresql://postgres@127.0.0.1:{closed}/planner"]
)
def test_a_database_that_cannot_be_reached_at_start_exits_1(unreachable, tmp_path):
    with socket.socket() as probe:  # a port nobody listens on: connections are refused
        probe.bind(("127.0.0.1", 0))
        closed = probe.getsockname()[1]
    server = RealServer(unreachable.format(tmp=tmp_path, closed=closed))
    assert server.exit_code() == 1
    assert "cannot start: the database cannot be reached" in server.output()


def test_settings_that_cannot_be_read_exit_1(database_url):
    server = RealServer(database_url, TRUSTED_PROXIES="10.0.0.0/8, not-an-address")
    assert server.exit_code() == 1
    assert "cannot start: settings: TRUSTED_PROXIES" in server.output()


def test_an_app_that_cannot_be_built_exits_1_instead_of_respawning_forever(database_url):
    server = RealServer(database_url, workers=2, REDIS_URL="nonsense://nowhere")
    assert server.exit_code() == 1
    assert "the app cannot be built" in server.output()


@pytest.mark.skipif(
    ENGINE != "postgres",
    reason="a SQLite worker keeps its open file; the outage is tested "
    "in-process (test_availability) and at start above",
)
def test_a_database_outage_is_503_until_it_is_back(outage, registry):
    user = make_user(registry)
    server = RealServer(outage.url, workers=2).wait_until_healthy()
    try:
        body = {"username": user.username, "password": PASSWORD}
        assert httpx.post(f"{server.base}/api/auth/token/", json=body).status_code == 200
        outage.down()
        for url in ("/api/health/ready/", "/api/auth/token/"):
            response = httpx.request(
                "GET" if url.endswith("ready/") else "POST",
                f"{server.base}{url}",
                json=None if url.endswith("ready/") else body,
            )
            assert (response.status_code, response.headers.get("Retry-After")) == (503, "5"), url
            assert response.json()["code"] == "unavailable"
        assert httpx.get(f"{server.base}/api/health/").status_code == 200
        outage.up()
        # The first request after the database is back works, whichever worker answers it.
        assert httpx.post(f"{server.base}/api/auth/token/", json=body).status_code == 200
        assert httpx.get(f"{server.base}/api/health/ready/").status_code == 200
        assert server.process.poll() is None
    finally:
        server.stop()
