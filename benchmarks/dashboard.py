"""The dashboard at scale: GET /api/dashboard/?weeks=12 with 1,000, 10,000 and 100,000 people.

Seeds people (10 departments, capacity 20–40 h), two assignments each with hours in the 12 weeks
from this Monday plus four weeks of history, and a week of time off for every tenth person, in
bulk (COPY on PostgreSQL, executemany on SQLite), then calls the endpoint in process (the WSGI
app, no socket) and prints the p50 server time and the response's size per size. On SQLite (a
temp file) and on PostgreSQL (TEST_DATABASE_URL or DATABASE_URL, default
postgresql://postgres@127.0.0.1:5432/postgres_dashboard: a fresh database created beside it and
dropped afterwards; skipped with a message when the server cannot be reached). Prints figures;
asserts no time.

    BENCH_DASHBOARD_SIZES=1000,10000 .venv/bin/python benchmarks/dashboard.py    # a quick run
"""

import json
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("PLANNER_VAR_DIR", tempfile.mkdtemp(prefix="planner-bench-var-"))
os.environ.setdefault("JWT_SECRET", "bench-" + "x" * 40)
os.environ.setdefault("BCRYPT_ROUNDS", "4")

import webtest  # noqa: E402
from sqlalchemy import create_engine, text  # noqa: E402

from alembic import command  # noqa: E402
from backend_api import main as make_app  # noqa: E402
from backend_api.__main__ import alembic_config  # noqa: E402
from backend_api.auth.services import create_user  # noqa: E402
from backend_api.core.timeutil import monday, now  # noqa: E402
from backend_api.people.models import search_keys  # noqa: E402
from benchmarks.harness.databases import bulk_insert, fresh_postgres  # noqa: E402

SIZES = [int(n) for n in os.environ.get("BENCH_DASHBOARD_SIZES", "1000,10000,100000").split(",")]
RUNS = {1_000: 15, 10_000: 7}  # calls per size; 3 for anything larger
PROJECTS = 20
DEPARTMENTS = 10
DEFAULT_PG = "postgresql://postgres@127.0.0.1:5432/postgres_dashboard"

PEOPLE_COLUMNS = (
    "created_at, updated_at, version, name, email, phone, location, job_title, department_id, skills, "
    "weekly_capacity, notes, is_active, name_key, email_key"
)
ASSIGNMENT_COLUMNS = "created_at, updated_at, version, person_id, project_id, role_on_project, weekly_hours, notes"
TIMEOFF_COLUMNS = "created_at, updated_at, version, person_id, start_date, end_date, kind, notes"


def rows(first: int, last: int, stamp):
    """People first+1..last (their ids, in a table seeded in id order), their assignments and time off."""
    rng = random.Random(first)
    this_monday = monday(now().date())
    weeks = [(this_monday + timedelta(weeks=n)).isoformat() for n in range(-4, 12)]
    people, assignments, timeoff = [], [], []
    for person_id in range(first + 1, last + 1):
        name = f"Bench person {person_id:06d}"
        email = f"bench{person_id}@example.org"
        keys = search_keys(name, email)
        capacity = rng.choice([20.0, 30.0, 36.0, 37.5, 40.0])
        people.append(
            (stamp, stamp, 1, name, email, "", "", "", 1 + person_id % DEPARTMENTS, "[]", capacity, "", True)
            + (keys["name_key"], keys["email_key"])
        )
        for _ in range(2):
            load = capacity * rng.uniform(0.2, 0.7)
            hours = json.dumps({week: round(load, 1) for week in weeks if rng.random() < 0.9})
            assignments.append((stamp, stamp, 1, person_id, 1 + rng.randrange(PROJECTS), "", hours, ""))
        if person_id % 10 == 0:
            start = this_monday + timedelta(weeks=rng.randrange(12))
            timeoff.append((stamp, stamp, 1, person_id, start, start + timedelta(days=4), "vacation", ""))
    return people, assignments, timeoff


def sqlite_row(row: tuple) -> tuple:
    """Timestamps and dates in SQLAlchemy's own text format for SQLite."""
    return tuple(
        v.strftime("%Y-%m-%d %H:%M:%S.%f") if isinstance(v, datetime) else v.isoformat() if isinstance(v, date) else v
        for v in row
    )


def prepare(url: str) -> None:
    command.upgrade(alembic_config(url), "head")
    engine = create_engine(url)
    stamp = now()
    with engine.begin() as db:
        for n in range(1, DEPARTMENTS + 1):
            db.execute(
                text(
                    "INSERT INTO departments (created_at, updated_at, version, name, description) "
                    "VALUES (:s, :s, 1, :name, '')"
                ),
                {"s": stamp, "name": f"Department {n}"},
            )
        for n in range(1, PROJECTS + 1):
            db.execute(
                text(
                    "INSERT INTO projects (created_at, updated_at, version, name, client, status, description) "
                    "VALUES (:s, :s, 1, :name, '', 'active', '')"
                ),
                {"s": stamp, "name": f"Project {n}"},
            )
    engine.dispose()


def grow(url: str, have: int, want: int) -> None:
    """Add people have+1..want with their assignments and time off, in bulk."""
    start = time.perf_counter()
    tables = zip(
        ("people", "assignments", "timeoff"),
        (PEOPLE_COLUMNS, ASSIGNMENT_COLUMNS, TIMEOFF_COLUMNS),
        rows(have, want, now()),
        strict=True,
    )
    if url.startswith("sqlite"):
        tables = ((table, columns, map(sqlite_row, values)) for table, columns, values in tables)
    bulk_insert(url, tables)
    print(f"  seeded {want - have:,} people in {time.perf_counter() - start:.1f} s", flush=True)


def measure(client: webtest.TestApp, headers: dict, runs: int) -> tuple[float, int, int]:
    """p50 ms, response bytes and status of GET /api/dashboard/?weeks=12."""
    times, response = [], None
    client.get("/api/dashboard/?weeks=12", headers=headers, status="*")  # warm caches and plans
    for _ in range(runs):
        start = time.perf_counter()
        response = client.get("/api/dashboard/?weeks=12", headers=headers, status="*")
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), len(response.body), response.status_int


def bench(label: str, url: str) -> None:
    print(f"\n{label}", flush=True)
    prepare(url)
    app = make_app({}, database_url=url)
    _, writer = app.registry.planner_sessions
    with writer() as db, db.begin():
        create_user(db, "bench", "bench-password-1", "", "user")
    client = webtest.TestApp(app)
    token = client.post_json("/api/auth/token/", {"username": "bench", "password": "bench-password-1"}).json
    headers = {"Authorization": f"Bearer {token['access']}"}
    have = 0
    for size in SIZES:
        grow(url, have, size)
        have = size
        p50, size_bytes, status = measure(client, headers, RUNS.get(size, 3))
        note = "" if status == 200 else f"  (status {status})"
        print(f"  {size:>7,} people × 12 weeks: p50 {p50:8.1f} ms, {size_bytes / 1e6:7.3f} MB{note}", flush=True)
    app.registry.planner_engine.dispose()


def postgres() -> None:
    with fresh_postgres(os.environ.get("TEST_DATABASE_URL") or os.environ.get("DATABASE_URL") or DEFAULT_PG) as url:
        if url:
            bench("PostgreSQL", url)


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="planner-bench-") as directory:
        bench("SQLite", f"sqlite:///{directory}/dashboard.db")
    postgres()


if __name__ == "__main__":
    main()
