"""What the live-update benchmarks share: the people whose titles change, the writer that saves
them at a steady rate, the sampler of the app's CPU and memory, and the delay figures.

Every change sets one of PEOPLE people ("Aaaa Bench …", first in the people list, so every tab
shows them) a new job title `t<n>`; a tab has had change n once `t<n>` reaches it."""

import contextlib
import multiprocessing
import os
import statistics
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

import httpx
import psutil

from tests.e2e.server import PASSWORD, running_app

PEOPLE = 10
RATE = float(os.environ.get("BENCH_RATE", 10))
SECONDS = float(os.environ.get("BENCH_SECONDS", 30))
SETTLE_SECONDS = 5  # after the last save, for the last updates to arrive


def api_token(base: str, username: str, password: str) -> str:
    resp = httpx.post(f"{base}/api/auth/token/", json={"username": username, "password": password})
    resp.raise_for_status()
    return resp.json()["access"]


def add_bench_people(base: str, token: str) -> list[int]:
    with httpx.Client(base_url=f"{base}/api", headers={"Authorization": f"Bearer {token}"}) as api:
        return [
            api.post("/people/", json={"name": f"Aaaa Bench {i:02}", "jobTitle": "t0"}).json()["id"]
            for i in range(PEOPLE)
        ]


def app_process(base: str) -> psutil.Process:
    """The process listening on base's port (the app server; its workers are its children)."""
    port = urlparse(base).port
    for conn in psutil.net_connections("tcp"):
        if conn.laddr and conn.laddr.port == port and conn.status == psutil.CONN_LISTEN and conn.pid:
            return psutil.Process(conn.pid)
    raise SystemExit(f"no process listens on port {port}")


def tree_rss_mib(root: psutil.Process) -> float:
    return sum(p.memory_info().rss for p in [root, *root.children(recursive=True)]) / 2**20


class Sampler(threading.Thread):
    """CPU and memory of the app process tree, and apart the CPU of the clients' processes (they
    share this machine's cores with the app), sampled every half second until `stop` is set."""

    def __init__(self, app: psutil.Process, clients: list[psutil.Process]):
        super().__init__(daemon=True)
        self.procs = [app, *app.children(recursive=True)]
        self.clients = clients
        self.stop = threading.Event()
        self.cpu: list[float] = []
        self.client_cpu: list[float] = []
        self.rss: list[float] = []

    @staticmethod
    def _cpu(procs: list[psutil.Process]) -> float:
        total = 0.0
        for p in procs:
            with contextlib.suppress(psutil.Error):
                total += p.cpu_percent(None)
        return total

    def run(self):
        self._cpu(self.procs + self.clients)
        while not self.stop.wait(0.5):
            self.cpu.append(self._cpu(self.procs))
            self.client_cpu.append(self._cpu(self.clients))
            alive = [p for p in self.procs if p.is_running()]
            self.rss.append(sum(p.memory_info().rss for p in alive) / 2**20)

    def app_figures(self, rss_before: float) -> str:
        return (
            f"app process: CPU mean {statistics.mean(self.cpu):.0f} %, max {max(self.cpu):.0f} % of one core; "
            f"RSS {rss_before:.0f} MiB before, {max(self.rss):.0f} MiB peak"
        )


class Saved(dict[int, tuple[int, float, float]]):
    """Change n → (person id, epoch ms and CLOCK_MONOTONIC seconds of the save's answer)."""

    def last_of_each(self) -> dict[int, int]:
        """The change each person's title ends with: person id → n."""
        return {pid: n for n, (pid, _, _) in sorted(self.items())}


def _write(base: str, token: str, people: list[int], rate: float, seconds: float) -> Saved:
    """Save `rate` changes a second for `seconds`, round the people, each with its ETag."""
    saved = Saved()
    headers = {"Authorization": f"Bearer {token}"}
    with httpx.Client(base_url=f"{base}/api", headers=headers, timeout=30) as api:
        etags = {pid: api.get(f"/people/{pid}/").headers["ETag"] for pid in people}
        start, n = time.monotonic(), 0
        while time.monotonic() - start < seconds:
            n += 1
            pid = people[n % len(people)]
            resp = api.patch(f"/people/{pid}/", json={"jobTitle": f"t{n}"}, headers={"If-Match": etags[pid]})
            resp.raise_for_status()
            saved[n] = (pid, time.time() * 1000, time.monotonic())
            etags[pid] = resp.headers["ETag"]
            time.sleep(max(0.0, start + n / rate - time.monotonic()))
    return saved


def start_writer(base: str, token: str, people: list[int], rate: float, seconds: float) -> "Future[Saved]":
    """The writer in a process of its own: the clients' threads in this one would hold its GIL
    and slow the writer down. A fresh interpreter (spawn), as this one runs threads already."""
    pool = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"))
    future = pool.submit(_write, base, token, people, rate, seconds)
    pool.shutdown(wait=False)
    return future


def percentiles(delays: list[float]) -> str:
    delays = sorted(delays)
    if not delays:
        return "nothing seen"
    p95 = delays[max(int(len(delays) * 0.95) - 1, 0)]
    return f"p50 {statistics.median(delays):.0f} ms, p95 {p95:.0f} ms, max {delays[-1]:.0f} ms over {len(delays)}"


@dataclass
class Run:
    saved: Saved
    app_figures: str  # the app's CPU and memory, in words
    client_cpu: float  # the clients' mean CPU, % of one core


@dataclass
class Served:
    """The app as `make run` serves it, with the bench people and the writer's token."""

    base: str
    token: str
    people: list[int]
    app: psutil.Process

    def write(self, clients: list[psutil.Process], wait: Callable[[float], None] = time.sleep) -> Run:
        """Save RATE changes a second for SECONDS, and SETTLE_SECONDS more for the last updates,
        sampling the app and the `clients`; `wait(seconds)` meanwhile (Playwright's, to hand its
        events over)."""
        rss_before = tree_rss_mib(self.app)
        sampler = Sampler(self.app, clients)
        sampler.start()
        writer = start_writer(self.base, self.token, self.people, RATE, SECONDS)
        while not writer.done():
            wait(0.2)
        wait(SETTLE_SECONDS)
        sampler.stop.set()
        return Run(writer.result(), sampler.app_figures(rss_before), statistics.mean(sampler.client_cpu))


@contextlib.contextmanager
def served() -> Iterator[Served]:
    workdir = Path(os.environ.get("BENCH_DIR", "/tmp"))
    with running_app(workdir / "planner-bench-live.log") as (base, _database_url):
        token = api_token(base, "manager", PASSWORD)
        yield Served(base, token, add_bench_people(base, token), app_process(base))


def saves_line(tabs: int, saved: Saved) -> str:
    return f"tabs {tabs}, {len(saved)} saves in {SECONDS:g} s ({len(saved) / SECONDS:.1f}/s), on SQLite, embedded API"
