"""The full API under load, side by side with bare Pyramid doing the same work (benchmarks/baseline/).

On SQLite (a temp file) and, when TEST_DATABASE_URL is set, PostgreSQL (a fresh database, dropped
afterwards): builds BENCH_PEOPLE people (default 100,000) in 20 departments through the real
migrations, starts the Planner API and the baseline as servers (`python -m backend_api serve`,
BENCH_WORKERS pre-forked workers each, the same waitress), and drives both with wrk (Debian's
package): GET /api/people/{id}/ at random ids and PATCH with If-Match, BENCH_CONNECTIONS connections,
BENCH_SECONDS per run, BENCH_ROUNDS interleaved rounds (Planner, baseline, Planner, baseline, …) so
that drift of the machine falls on both. Prints req/s, p50/p99, server CPU per request, non-2xx
answers and Planner ÷ baseline per round and the median. Prints figures; asserts no time.

    BENCH_PEOPLE=20000 BENCH_SECONDS=5 BENCH_ROUNDS=2 .venv/bin/python benchmarks/api_load.py   # quick
    BENCH_ENGINES=postgresql TEST_DATABASE_URL=postgresql://postgres@127.0.0.1/postgres …      # one engine
"""

import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("PLANNER_VAR_DIR", tempfile.mkdtemp(prefix="planner-bench-var-"))
os.environ.setdefault("JWT_SECRET", "bench-" + "x" * 40)
os.environ.setdefault("BCRYPT_ROUNDS", "4")

from sqlalchemy import create_engine, insert, select, text  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402

from alembic import command  # noqa: E402
from backend_api.__main__ import alembic_config  # noqa: E402
from backend_api.auth.services import create_user  # noqa: E402
from backend_api.core.concurrency import make_etag  # noqa: E402
from backend_api.core.timeutil import now  # noqa: E402
from backend_api.departments.models import Department  # noqa: E402
from backend_api.people.models import Person, search_keys  # noqa: E402
from benchmarks.harness.databases import bulk_insert, fresh_postgres  # noqa: E402

PEOPLE = int(os.environ.get("BENCH_PEOPLE", 100_000))
SECONDS = int(os.environ.get("BENCH_SECONDS", 10))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", 3))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", 16))
WORKERS = int(os.environ.get("BENCH_WORKERS", 2))
ENGINES = os.environ.get("BENCH_ENGINES", "sqlite,postgresql").split(",")
WRK_THREADS = 2
PATCH_SPAN = 5_000  # ids per wrk thread in a PATCH run (at most): far more than the requests in flight
DEPARTMENTS = 20
WRK_DIR = Path(__file__).resolve().parent / "wrk"
PASSWORD = "bench-password-1"


@dataclass
class Run:
    rps: float
    p50_ms: float
    p99_ms: float
    cpu_ms: float  # server CPU (all processes) per request
    failures: int  # non-2xx/3xx answers, socket errors and timeouts


COLUMNS = (
    "created_at, updated_at, version, name, email, phone, location, job_title, department_id, skills, "
    "weekly_capacity, notes, is_active, name_key, email_key"
)


def people_rows(first_department: int, stamp):
    """One tuple per person, in COLUMNS order; keys by the app's own search_keys()."""
    for i in range(PEOPLE):
        name, email = f"Person {i:06d}", f"person{i}@example.com"
        keys = search_keys(name, email)  # name_key, email_key
        department = first_department + i % DEPARTMENTS
        skills = '["Python", "SQL"]'
        yield (stamp, stamp, 1, name, email, "", "", "Engineer", department, skills, 37.5, "", True, *keys.values())


def build(url: str) -> None:
    """The schema by the migrations, departments, people (bulk: COPY on PostgreSQL) and an admin."""
    start = time.perf_counter()
    command.upgrade(alembic_config(url), "head")
    engine = create_engine(url)
    with Session(engine) as db, db.begin():
        db.execute(insert(Department), [dict(name=f"Department {d}", description="") for d in range(DEPARTMENTS)])
        first_department = db.scalar(select(Department.id).order_by(Department.id))
        create_user(db, "bench", PASSWORD, "", "admin")
    engine.dispose()
    # SQLite takes SQLAlchemy's text form of a timestamp; COPY the datetime itself.
    stamp = now().strftime("%Y-%m-%d %H:%M:%S.%f") if url.startswith("sqlite") else now()
    bulk_insert(url, [("people", COLUMNS, people_rows(first_department, stamp))])
    print(f"  built {PEOPLE:,} people through the migrations in {time.perf_counter() - start:.0f} s", flush=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """A server process (and its workers) on a port of its own, stopped with SIGTERM."""

    def __init__(self, name: str, argv: list[str], url: str, probe: str):
        self.name, self.port = name, free_port()
        env = dict(os.environ, DATABASE_URL=url, ACCESS_TOKEN_MINUTES="600", LOG_LEVEL="INFO")
        self.process = subprocess.Popen(
            [sys.executable, *argv, "--port", str(self.port), "--workers", str(WORKERS)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,  # the API's JSON request log is still written, as in production
            stderr=subprocess.DEVNULL,
        )
        self.base = f"http://127.0.0.1:{self.port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(self.base + probe, timeout=2).close()
                return
            except urllib.error.HTTPError:
                return  # it answers
            except OSError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"{name} did not start") from None
                time.sleep(0.2)

    def cpu_seconds(self) -> float:
        parent = psutil.Process(self.process.pid)
        total = 0.0
        for proc in [parent, *parent.children(recursive=True)]:
            try:
                times = proc.cpu_times()
                total += times.user + times.system
            except psutil.NoSuchProcess:
                pass
        return total

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(20)
        except subprocess.TimeoutExpired:
            self.process.kill()


def sign_in(server: Server) -> str:
    body = json.dumps({"username": "bench", "password": PASSWORD}).encode()
    request = urllib.request.Request(
        server.base + "/api/auth/token/", body, {"Content-Type": "application/json"}, method="POST"
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())["access"]


def write_etags(url: str, first_id: int, span: int, path: Path) -> None:
    """The current ETag of every row a PATCH run edits, by the API's own make_etag."""
    engine = create_engine(url)
    with Session(engine) as db:
        people = db.scalars(select(Person).where(Person.id.between(first_id, first_id + WRK_THREADS * span)))
        lines = [f"[{p.id}] = '{make_etag(p)}'," for p in people]
    engine.dispose()
    path.write_text("etags = {\n" + "\n".join(lines) + "\n}\n")


def percentile(output: str, which: int) -> float:
    """Milliseconds at a percentile of wrk's latency distribution (a line such as `  99%  1.23s`;
    anchored, as "71.50%" in the thread stats above it would match too)."""
    found = re.search(rf"^\s*{which}%\s+([\d.]+)(us|ms|s|m)\s*$", output, re.M)
    if found is None:
        raise RuntimeError(f"no {which}% latency in wrk's output:\n{output}")
    number, unit = found.groups()
    return float(number) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60_000}[unit]


def wrk(server: Server, script: str, seconds: int, env: dict) -> Run:
    cpu_before = server.cpu_seconds()
    output = subprocess.run(
        [
            "wrk",
            f"-t{WRK_THREADS}",
            f"-c{CONNECTIONS}",
            f"-d{seconds}s",
            "--timeout",
            "10s",
            "--latency",
            "-s",
            str(WRK_DIR / script),
            server.base,
        ],
        env=dict(os.environ, **env),
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    cpu = server.cpu_seconds() - cpu_before
    requests = int(re.search(r"(\d+) requests in", output).group(1))
    failures = sum(int(n) for n in re.findall(r"Non-2xx or 3xx responses: (\d+)", output))
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    failures += sum(int(n) for n in errors.groups()) if errors else 0
    return Run(
        rps=float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        p50_ms=percentile(output, 50),
        p99_ms=percentile(output, 99),
        cpu_ms=cpu * 1000 / max(requests, 1),
        failures=failures,
    )


def line(label: str, run: Run, ratio: float | None = None) -> str:
    text_ = f"    {label:<20}{run.rps:9.0f}{run.p50_ms:9.1f}{run.p99_ms:9.1f}{run.cpu_ms:12.2f}{run.failures:9d}"
    return text_ + (f"{ratio:9.2f}" if ratio is not None else "")


def bench(label: str, url: str) -> None:
    print(f"\n{label}", flush=True)
    build(url)
    engine = create_engine(url)
    with engine.connect() as conn:
        first_id, last_id = conn.execute(text("SELECT min(id), max(id) FROM people")).one()
    engine.dispose()
    planner = Server("Planner", ["-m", "backend_api", "serve"], url, "/api/health/")
    baseline = Server("bare Pyramid", ["benchmarks/baseline/pyramid_app.py"], url, "/api/people/1/")
    servers = (planner, baseline)
    try:
        token = sign_in(planner)  # the baseline checks the same token against the same session row
        etags = Path(tempfile.mkstemp(prefix="planner-etags-", suffix=".lua")[1])
        get_env = dict(BENCH_TOKEN=token, BENCH_FIRST_ID=str(first_id), BENCH_LAST_ID=str(last_id))
        span = min(PATCH_SPAN, (last_id - first_id + 1) // WRK_THREADS)
        patch_env = dict(BENCH_TOKEN=token, BENCH_FIRST_ID=str(first_id), BENCH_SPAN=str(span), BENCH_ETAGS=str(etags))
        for server in servers:  # warm caches, pools and the JIT-less interpreter alike
            wrk(server, "get.lua", 3, get_env)
        results: dict[tuple[str, str], list[Run]] = {}
        print(
            f"  {WORKERS} workers each, wrk {WRK_THREADS} threads x {CONNECTIONS} connections, "
            f"{SECONDS} s per run, {ROUNDS} rounds"
        )
        print(f"    {'':<20}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'CPU ms/req':>12}{'failed':>9}{'÷ base':>9}")
        for round_ in range(1, ROUNDS + 1):
            print(f"  round {round_}", flush=True)
            for method, script in (("GET", "get.lua"), ("PATCH", "patch.lua")):
                runs = {}
                for server in servers:
                    if method == "PATCH":
                        # wrk stops with requests still in flight: let them commit first, or their
                        # rows' ETags are stale and the next run starts with up to one 412 a connection.
                        time.sleep(1)
                        write_etags(url, first_id, span, etags)
                    runs[server.name] = wrk(server, script, SECONDS, get_env if method == "GET" else patch_env)
                    results.setdefault((method, server.name), []).append(runs[server.name])
                ratio = runs["Planner"].rps / runs["bare Pyramid"].rps
                print(line(f"{method} Planner", runs["Planner"], ratio))
                print(line(f"{method} bare Pyramid", runs["bare Pyramid"]), flush=True)
        print("  median over rounds")
        for method in ("GET", "PATCH"):
            medians = {name: median_run(results[(method, name)]) for name in ("Planner", "bare Pyramid")}
            print(line(f"{method} Planner", medians["Planner"], medians["Planner"].rps / medians["bare Pyramid"].rps))
            print(line(f"{method} bare Pyramid", medians["bare Pyramid"]), flush=True)
        etags.unlink()
    finally:
        for server in servers:
            server.stop()


def median_run(runs: list[Run]) -> Run:
    return Run(
        *(statistics.median(getattr(r, field) for r in runs) for field in ("rps", "p50_ms", "p99_ms", "cpu_ms")),
        failures=sum(r.failures for r in runs),
    )


def main() -> None:
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed: `make bench` installs it (apt-get install wrk)")
    if "sqlite" in ENGINES:
        with tempfile.TemporaryDirectory(prefix="planner-bench-") as directory:
            bench("SQLite", f"sqlite:///{directory}/load.db")
    if "postgresql" not in ENGINES:
        return
    base = os.environ.get("TEST_DATABASE_URL")
    if not base:
        print("\nTEST_DATABASE_URL not set: PostgreSQL skipped")
        return
    with fresh_postgres(base) as url:
        if url:
            bench("PostgreSQL", url)


if __name__ == "__main__":
    main()
