"""Metrics scraped from a real `python -m backend_api serve --workers 2` with METRICS_PORT: the
parent serves the sum over both workers, so N requests are counted N times whichever worker took them."""

import glob
import socket
import threading
import time

import httpx
import psutil
import pytest
from prometheus_client.parser import text_string_to_metric_families

from tests.api.conftest import RealServer, free_port
from tests.factories import PASSWORD, make_person, make_user

REQUESTS = 20


@pytest.fixture
def metrics_server(database_url, tmp_path):
    port = free_port()
    (tmp_path / "counter_1.db").write_bytes(b"stale")  # an earlier run's numbers: must not count
    server = RealServer(
        database_url,
        workers=2,
        METRICS_PORT=str(port),
        PROMETHEUS_MULTIPROC_DIR=str(tmp_path),
        THROTTLE_USER_FAILURES="2",
    ).wait_until_healthy()
    server.metrics_url, server.multiproc_dir = f"http://127.0.0.1:{port}/metrics", tmp_path
    yield server
    server.stop()


def scrape(url: str) -> dict[tuple, float]:
    text = httpx.get(url, timeout=5).text
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def value(samples, name, **labels) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


def test_counts_add_up_across_two_workers(metrics_server, registry):
    api, metrics_url, multiproc_dir = metrics_server.base, metrics_server.metrics_url, metrics_server.multiproc_dir
    before = value(scrape(metrics_url), "planner_http_requests_total", method="GET", route="health", status="200")

    def hit(_n):
        for _ in range(REQUESTS // 4):
            httpx.get(f"{api}/api/health/", timeout=10)  # a new connection each: any worker may take it

    threads = [threading.Thread(target=hit, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    samples = scrape(metrics_url)
    labels = {"method": "GET", "route": "health", "status": "200"}
    assert value(samples, "planner_http_requests_total", **labels) - before == REQUESTS
    assert value(samples, "planner_http_request_duration_seconds_count", **labels) - before == REQUESTS
    assert value(samples, "planner_http_request_duration_seconds_bucket", le="+Inf", **labels) - before == REQUESTS
    # Both workers wrote numbers of their own, and the stale file of an earlier run is gone.
    files = glob.glob(f"{multiproc_dir}/counter_*.db")
    assert len(files) == 2 and f"{multiproc_dir}/counter_1.db" not in files
    print(f"\nmetrics: {REQUESTS} requests over 2 workers counted {REQUESTS}")


def test_the_counts_of_a_worker_that_died_stay_in_the_sum(metrics_server, registry):
    api, metrics_url = metrics_server.base, metrics_server.metrics_url
    labels = {"method": "GET", "route": "health", "status": "200"}
    for _ in range(10):
        httpx.get(f"{api}/api/health/", timeout=10)
    counted = value(scrape(metrics_url), "planner_http_requests_total", **labels)
    parent = psutil.Process(metrics_server.process.pid)
    workers = {child.pid for child in parent.children()}
    # A worker that has counted (its file exists): its numbers must outlive it.
    victim = psutil.Process(
        next(pid for pid in sorted(workers) if (metrics_server.multiproc_dir / f"counter_{pid}.db").exists())
    )
    victim.kill()
    victim.wait(timeout=10)
    deadline = time.monotonic() + 30
    while len({c.pid for c in parent.children()} - workers) < 1:  # until the supervisor replaced it
        assert time.monotonic() < deadline, "the dead worker was not replaced"
        time.sleep(0.05)
    for _ in range(10):
        httpx.get(f"{api}/api/health/", timeout=10)
    samples = scrape(metrics_url)
    assert value(samples, "planner_http_requests_total", **labels) == counted + 10
    assert value(samples, "planner_http_requests_in_flight") == 0


def test_login_failures_throttled_attempts_and_412_conflicts_are_counted(metrics_server, registry):
    api, metrics_url = metrics_server.base, metrics_server.metrics_url
    user = make_user(registry, "manager")
    person = make_person(registry)
    with httpx.Client(base_url=api, timeout=10) as client:
        # THROTTLE_USER_FAILURES=2: two wrong passwords are checked, the next two are throttled.
        statuses = [
            client.post("/api/auth/token/", json={"username": user.username, "password": "wrong wrong"}).status_code
            for _ in range(4)
        ]
        other = make_user(registry, "manager")
        token = client.post("/api/auth/token/", json={"username": other.username, "password": PASSWORD}).json()
        headers = {"Authorization": f"Bearer {token['access']}"}
        etag = client.get(f"/api/people/{person.id}/", headers=headers).headers["ETag"]
        first = client.patch(f"/api/people/{person.id}/", json={"jobTitle": "a"}, headers={**headers, "If-Match": etag})
        stale = client.patch(f"/api/people/{person.id}/", json={"jobTitle": "b"}, headers={**headers, "If-Match": etag})
    assert statuses == [401, 401, 429, 429] and (first.status_code, stale.status_code) == (200, 412)

    samples = scrape(metrics_url)
    assert value(samples, "planner_logins_total", outcome="invalid_credentials") == 2
    assert value(samples, "planner_logins_total", outcome="success") == 1
    assert value(samples, "planner_login_throttled_total") == 2
    assert value(samples, "planner_precondition_failed_total", route="person") == 1
    assert value(samples, "planner_http_requests_total", method="PATCH", route="person", status="412") == 1


def test_a_taken_metrics_port_stops_the_server_before_it_forks_workers(database_url, registry):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        server = RealServer(database_url, workers=2, METRICS_PORT=str(taken.getsockname()[1]))
        assert server.exit_code() == 1
    output = server.output()
    assert "cannot serve metrics" in output and "Address already in use" in output
    # It stopped before opening the API's socket, so before any worker existed to be left behind.
    assert "serving the API" not in output
