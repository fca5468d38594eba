"""Prometheus metrics (prometheus-client): what the API counts, and the scrape endpoint.

The endpoint is a port of its own (METRICS_PORT, off by default), bound to METRICS_HOST
(loopback by default), never a path of the public API.

With several workers (`python -m backend_api serve`) each worker writes its numbers to files in
PROMETHEUS_MULTIPROC_DIR and the server's parent process, which forks them, serves the sum of all
of them: a scrape sees every request whichever worker answered it. In a single process (tests,
the app's embedded API, which serves no metrics) the numbers live in the process.

prometheus-client chooses between the two when it is first imported, so it is imported on the
first count or scrape, not with this module: the server's parent imports this package before it
knows whether it will fork workers.
"""

import atexit
import glob
import logging
import os
import shutil
import tempfile
import threading
import time

from .settings import MULTIPROC_ENV, process_settings

log = logging.getLogger(__name__)


class _Metrics:
    def __init__(self):
        from prometheus_client import Counter, Gauge, Histogram

        self.requests = Counter(
            "planner_http_requests_total", "API requests answered, by route and status.", ["method", "route", "status"]
        )
        self.latency = Histogram(
            "planner_http_request_duration_seconds",
            "Time from the request reaching the application to its answer.",
            ["method", "route", "status"],
            buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
        )
        # livesum: the sum over the workers alive now (a dead worker's last value must not stick).
        self.in_flight = Gauge(
            "planner_http_requests_in_flight", "Requests being handled now, all workers.", multiprocess_mode="livesum"
        )
        self.conflicts = Counter(
            "planner_precondition_failed_total",
            "412 precondition_failed: a write against a version someone else changed.",
            ["route"],
        )
        self.logins = Counter("planner_logins_total", "Sign-ins whose password was checked, by outcome.", ["outcome"])
        self.throttled = Counter("planner_login_throttled_total", "Sign-in attempts refused with 429 by the throttle.")
        self.refresh_reuse = Counter(
            "planner_refresh_reuse_total", "Retired refresh tokens presented again (the session is revoked)."
        )
        self.sessions_revoked = Counter("planner_sessions_revoked_total", "Sessions ended, by why.", ["reason"])
        self.db_errors = Counter("planner_db_errors_total", "Errors raised by the database driver, by type.", ["error"])


_created: list[_Metrics] = []
_creating = threading.Lock()


def _metrics() -> _Metrics:
    # Under a lock: two threads of a fresh worker counting at once must not both register the metrics.
    if not _created:
        with _creating:
            if not _created:
                _created.append(_Metrics())
    return _created[0]


def route_label(request) -> str:
    # The route's name, never the path: ids and unknown paths would make a series each.
    return request.matched_route.name if request.matched_route is not None else "unmatched"


def request_done(request, status: int, seconds: float) -> None:
    labels = (request.method, route_label(request), str(status))
    _metrics().requests.labels(*labels).inc()
    _metrics().latency.labels(*labels).observe(seconds)


def conflict(request) -> None:
    _metrics().conflicts.labels(route_label(request)).inc()


def login(outcome: str) -> None:
    _metrics().logins.labels(outcome).inc()


def throttled() -> None:
    _metrics().throttled.inc()


def refresh_reused() -> None:
    _metrics().refresh_reuse.inc()


def sessions_revoked(reason: str, count: int = 1) -> None:
    if count:
        _metrics().sessions_revoked.labels(reason).inc(count)


def db_error(error: Exception) -> None:
    _metrics().db_errors.labels(type(error).__name__).inc()


def metrics_tween_factory(handler, registry):
    def tween(request):
        started = time.perf_counter()
        with _metrics().in_flight.track_inprogress():
            response = handler(request)
        request_done(request, response.status_int, time.perf_counter() - started)
        return response

    return tween


# ---- serving ----------------------------------------------------------------------------------
def configured_port() -> int | None:
    """METRICS_PORT: None when unset or 0 (no metrics served)."""
    return process_settings().metrics_port


def prepare_multiprocess() -> str:
    """Before the server forks its workers: a fresh PROMETHEUS_MULTIPROC_DIR for them to write to.
    A given one is emptied (numbers of an earlier run must not add to this one's); otherwise a
    temporary one is made and removed when the server exits."""
    path = process_settings().metrics_dir
    if path:
        os.makedirs(path, exist_ok=True)
        for stale in glob.glob(os.path.join(path, "*.db")):
            os.remove(stale)
    else:
        path = made = tempfile.mkdtemp(prefix="planner-metrics-")
        owner = os.getpid()

        def remove() -> None:
            # Only the parent removes it: a worker leaving through an exception runs atexit too.
            if os.getpid() == owner:
                shutil.rmtree(made, ignore_errors=True)

        atexit.register(remove)
        os.environ[MULTIPROC_ENV] = path  # the handoff to prometheus_client in the workers
    return path


def worker_exited(pid: int) -> None:
    """A worker is gone: its counts stay in the sum (counters never go back), its requests in flight go."""
    if process_settings().metrics_dir:
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(pid)


def serve_metrics(port: int) -> None:
    """In the server's parent, after prepare_multiprocess: serve on `port`, from a background
    thread, the sum over every worker. Before the workers are forked, so a port already taken
    stops the server at once rather than leaving workers without their parent."""
    from prometheus_client import CollectorRegistry, multiprocess, start_http_server

    registry = CollectorRegistry()
    multiprocess.MultiProcessCollector(registry)
    host = process_settings().metrics_host
    start_http_server(port, addr=host, registry=registry)
    log.info("metrics on http://%s:%s/metrics", host, port)


def includeme(config):
    from pyramid.tweens import EXCVIEW

    config.add_tween("backend_api.core.metrics.metrics_tween_factory", over=EXCVIEW)
