"""Production server: waitress threads in several pre-forked worker processes sharing one
listening socket (the API is stateless — sessions are rows — so any worker can serve any call),
kept alive by a supervisor, the parent process.

The parent refuses to start (exit 1) when it cannot bind, read its settings or reach the database,
so a process manager sees the failure instead of a server that answers nothing. A worker that dies is replaced;
when workers keep dying right after they start, or the app cannot be built at all, the server
cannot serve and says so with exit 1. SIGTERM or SIGINT stops the workers and exits 0.
"""

import logging
import os
import select
import signal
import socket
import sys
import time
from collections import deque
from collections.abc import Callable

log = logging.getLogger("backend_api.server")

BUILD_FAILED = 3  # a worker's exit status when the app cannot be built: no restart will help
QUICK_DEATH_SECONDS = 10  # a worker dying sooner than this after its start is a sign of a crash loop...
CRASH_LOOP_DEATHS = 5  # ...and this many such deaths within CRASH_LOOP_WINDOW seconds is one
CRASH_LOOP_WINDOW = 60
BACKOFF_SECONDS = 0.5  # the wait before replacing a quick death, doubled with each one in the window
MAX_BACKOFF_SECONDS = 8
STOP_GRACE_SECONDS = 10  # after SIGTERM, workers still running this long later are killed


def serve(host: str, port: int, workers: int, threads: int) -> None:
    from .core import metrics
    from .core.logs import configure_logging

    configure_logging()
    metrics_port = metrics.configured_port()
    if metrics_port:
        # First of all: nothing may count before the workers are told where to write.
        metrics.prepare_multiprocess()
        try:
            metrics.serve_metrics(metrics_port)  # in the parent: the sum over every worker
        except OSError as error:
            log.error("cannot serve metrics on port %s: %s", metrics_port, error)
            sys.exit(1)
    try:
        sock = listen(host, port)
    except OSError as error:
        log.error("cannot listen on %s:%s: %s", host, port, error)
        sys.exit(1)
    problem = startup_problem()
    if problem:
        log.error("cannot start: %s", problem)
        sys.exit(1)
    print(f"serving the API on http://{host}:{port}/api/ with {workers} worker(s) x {threads} threads", flush=True)
    sys.exit(Supervisor(workers, lambda: work(sock, threads), worker_exited=metrics.worker_exited).run())


def listen(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(1024)
    return sock


def startup_problem() -> str | None:
    """Why the server cannot start (settings, or a database it cannot reach), or None. The engine is
    disposed before any fork: connections must not be shared with the workers."""
    from sqlalchemy import text

    from .core.db import make_engine
    from .core.settings import load_settings

    try:
        settings = load_settings()
    except (RuntimeError, ValueError) as error:
        return f"settings: {error}"
    engine = None
    try:
        engine = make_engine(settings.database_url)
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except Exception as error:  # whatever the driver raises, the server cannot start on it
        return "the database cannot be reached: " + " ".join(str(error).split())
    finally:
        if engine is not None:
            engine.dispose()
    return None


def work(sock: socket.socket, threads: int) -> int:
    """One worker: build the app (engines and pools must not cross a fork) and serve until killed."""
    import waitress

    from backend_api import main

    try:
        app = main({})
    except Exception:
        log.exception("the app cannot be built")
        return BUILD_FAILED
    # waitress reads a whole body (spilling to a temporary file) before the app runs. The app
    # refuses anything over the cap with its JSON 413; waitress's own, plain, 413 is the
    # backstop that stops reading at twice the cap.
    # Proxy headers pass through to the app, which believes X-Forwarded-For only from
    # TRUSTED_PROXIES (auth/services.client_ip); waitress would strip them, leaving every
    # user behind a proxy with the proxy's address (one shared throttle, wrong sessions).
    waitress.serve(
        app,
        sockets=[sock],
        threads=threads,
        ident="planner",
        max_request_body_size=2 * app.registry.planner_settings.max_request_bytes,
        clear_untrusted_proxy_headers=False,
    )
    return 0


class Supervisor:
    """Keeps `workers` child processes running `work` (which returns the child's exit status).

    Seams for whoever needs to follow the workers (multiprocess metrics): `starting()` runs once in
    the parent before the first fork, `worker_exited(pid)` after each child is reaped, whatever
    its end.
    """

    STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)

    def __init__(
        self,
        workers: int,
        work: Callable[[], int],
        starting: Callable[[], None] = lambda: None,
        worker_exited: Callable[[int], None] = lambda pid: None,
    ):
        self.workers, self.work = max(workers, 1), work
        self.starting, self.worker_exited = starting, worker_exited
        self.children: dict[int, float] = {}  # pid -> monotonic start time
        self._quick_deaths: deque[float] = deque()
        self._wake_r = self._wake_w = -1

    def run(self) -> int:
        """Supervise until a stop signal (0) or until the workers cannot be kept up (1)."""
        self.starting()
        self._wake_r, self._wake_w = os.pipe()
        os.set_blocking(self._wake_r, False)
        os.set_blocking(self._wake_w, False)
        # The handlers do nothing: the wakeup fd carries each signal's number to the select below.
        previous_fd = signal.set_wakeup_fd(self._wake_w)
        previous = {sig: signal.signal(sig, lambda *_: None) for sig in (signal.SIGCHLD, *self.STOP_SIGNALS)}
        try:
            return self._supervise()
        finally:
            self._stop_children()
            signal.set_wakeup_fd(previous_fd)
            for sig, handler in previous.items():
                signal.signal(sig, handler)
            os.close(self._wake_r)
            os.close(self._wake_w)

    def _supervise(self) -> int:
        due: list[float] = [time.monotonic()] * self.workers  # when each missing worker is to be started
        while True:
            now = time.monotonic()
            ready = [at for at in due if at <= now]
            due = [at for at in due if at > now]
            for _ in ready:
                self._spawn()
            timeout = max(min(due) - now, 0) if due else None
            if any(sig in self.STOP_SIGNALS for sig in self._wait(timeout)):
                log.info("stopping %d worker(s)", len(self.children))
                return 0
            for pid, code, lived in self._reap():
                log.warning(
                    "worker %d exited (%s) after %.1fs", pid, f"signal {-code}" if code < 0 else f"status {code}", lived
                )
                if code == BUILD_FAILED:
                    log.error("the app cannot be built: stopping the server")
                    return 1
                delay = self._backoff(lived)
                if delay is None:
                    log.error("workers die within %ds of their start: stopping the server", QUICK_DEATH_SECONDS)
                    return 1
                due.append(time.monotonic() + delay)

    def _backoff(self, lived: float) -> float | None:
        """Seconds to wait before replacing a worker that lived `lived` seconds; None in a crash loop."""
        now = time.monotonic()
        while self._quick_deaths and self._quick_deaths[0] < now - CRASH_LOOP_WINDOW:
            self._quick_deaths.popleft()
        if lived >= QUICK_DEATH_SECONDS:
            return 0.0
        self._quick_deaths.append(now)
        if len(self._quick_deaths) >= CRASH_LOOP_DEATHS:
            return None
        return min(BACKOFF_SECONDS * 2 ** (len(self._quick_deaths) - 1), MAX_BACKOFF_SECONDS)

    def _spawn(self) -> None:
        # Signals wait until the child has dropped the parent's handlers and wakeup fd: a SIGTERM
        # landing in between would be ignored by the child, and reach the parent's pipe as its own.
        signals = {signal.SIGCHLD, *self.STOP_SIGNALS}
        signal.pthread_sigmask(signal.SIG_BLOCK, signals)
        pid = os.fork()
        if pid == 0:
            status = 1
            try:
                signal.set_wakeup_fd(-1)
                os.close(self._wake_r)
                os.close(self._wake_w)
                for sig in signals:
                    signal.signal(sig, signal.SIG_DFL)
                signal.pthread_sigmask(signal.SIG_UNBLOCK, signals)
                status = self.work()
            except BaseException:
                log.exception("worker failed")
            finally:
                os._exit(status)
        signal.pthread_sigmask(signal.SIG_UNBLOCK, signals)
        self.children[pid] = time.monotonic()
        log.info("worker %d started", pid)

    def _wait(self, timeout: float | None) -> bytes:
        """Block until a signal arrives (or the timeout); the signal numbers received."""
        try:
            select.select([self._wake_r], [], [], timeout)
            return os.read(self._wake_r, 1024)
        except (BlockingIOError, InterruptedError):
            return b""

    def _reap(self) -> list[tuple[int, int, float]]:
        """The children that ended, each taken out of `children`: (pid, exit code, seconds it lived)."""
        ended = []
        while self.children:
            pid, status = os.waitpid(-1, os.WNOHANG)
            if pid == 0:
                break
            started = self.children.pop(pid, None)
            if started is not None:
                self.worker_exited(pid)
                ended.append((pid, os.waitstatus_to_exitcode(status), time.monotonic() - started))
        return ended

    def _stop_children(self) -> None:
        for pid in self.children:
            _kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + STOP_GRACE_SECONDS
        while True:
            self._reap()
            if not self.children:
                return
            if time.monotonic() > deadline:
                for pid in self.children:
                    _kill(pid, signal.SIGKILL)
                deadline = float("inf")
            self._wait(0.1)


def _kill(pid: int, sig: int) -> None:
    try:
        os.kill(pid, sig)
    except ProcessLookupError:
        pass
