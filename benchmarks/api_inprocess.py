"""The API's own cost per read, in process: no socket, no server, no load generator.

Builds a temporary SQLite database (and, when TEST_DATABASE_URL is set, a fresh PostgreSQL one,
dropped afterwards) through the migrations with BENCH_PEOPLE people (default
10,000) spread over departments, builds the WSGI app on it and calls it directly (a WSGI environ
per request, as a server would), signed in with a Bearer token. Prints µs per request (wall p50, and
the process's CPU time per request, which other load on the machine disturbs less) and the SQL
statements each request ran, for a detail GET, a list page of 200, and a PATCH with If-Match.
Prints figures; asserts no time.

    BENCH_REQUESTS=500 .venv/bin/python benchmarks/api_inprocess.py     # a quick run
"""

import io
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("PLANNER_VAR_DIR", tempfile.mkdtemp(prefix="planner-bench-var-"))
os.environ.setdefault("JWT_SECRET", "bench-" + "x" * 40)
os.environ.setdefault("BCRYPT_ROUNDS", "4")
os.environ.setdefault("LOG_LEVEL", "WARNING")  # the access log would time the log handler, not the API

from sqlalchemy import event, insert  # noqa: E402

from alembic import command  # noqa: E402
from backend_api import main as make_app  # noqa: E402
from backend_api.__main__ import alembic_config  # noqa: E402
from backend_api.auth.services import create_user  # noqa: E402
from backend_api.departments.models import Department  # noqa: E402
from backend_api.people.models import Person, search_keys  # noqa: E402
from benchmarks.harness.databases import fresh_postgres  # noqa: E402

PEOPLE = int(os.environ.get("BENCH_PEOPLE", 10_000))
REQUESTS = int(os.environ.get("BENCH_REQUESTS", 2_000))
DEPARTMENTS = 25
PAGE = 200


def seed(app) -> None:
    _, writer = app.registry.planner_sessions
    with writer() as db, db.begin():
        db.execute(insert(Department), [{"name": f"Department {d}"} for d in range(DEPARTMENTS)])
        rows = []
        for i in range(PEOPLE):
            name, email = f"Person {i:05d}", f"person{i}@example.com"
            # Every tenth person has no department: the join must keep them.
            department = None if i % 10 == 0 else 1 + i % DEPARTMENTS
            keys = search_keys(name, email)
            rows.append({"name": name, "email": email, "department_id": department, "skills": ["Python"], **keys})
        db.execute(insert(Person), rows)
        create_user(db, "bench", "bench-password-1", "", "manager")


class Statements:
    """SQL statements the engine ran (every cursor execution, BEGIN/COMMIT included)."""

    def __init__(self, engine):
        self.all = self.selects = 0
        event.listen(engine, "before_cursor_execute", self._count)

    def _count(self, _conn, _cursor, statement, *_args):
        self.all += 1
        self.selects += statement.lstrip().upper().startswith("SELECT")

    def reset(self) -> None:
        self.all = self.selects = 0


def call(app, method: str, path: str, headers: dict, body: bytes = b"") -> tuple[int, dict, bytes]:
    """One request straight into the WSGI callable."""
    query = ""
    if "?" in path:
        path, query = path.split("?", 1)
    environ = {
        "REQUEST_METHOD": method,
        "SCRIPT_NAME": "",
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SERVER_NAME": "localhost",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "10.0.0.1",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(body),
        "wsgi.errors": sys.stderr,
        "wsgi.version": (1, 0),
        "wsgi.multithread": True,
        "wsgi.multiprocess": False,
        "wsgi.run_once": False,
        "CONTENT_LENGTH": str(len(body)),
    }
    if body:
        environ["CONTENT_TYPE"] = "application/json"
    for name, value in headers.items():
        environ["HTTP_" + name.upper().replace("-", "_")] = value
    answer = {}

    def start_response(status, response_headers, exc_info=None):
        answer["status"], answer["headers"] = int(status.split()[0]), dict(response_headers)

    chunks = app(environ, start_response)
    try:
        data = b"".join(chunks)
    finally:
        getattr(chunks, "close", lambda: None)()
    return answer["status"], answer["headers"], data


def timed(label: str, statements: Statements, count: int, request) -> None:
    for i in range(min(50, count)):  # warm up: caches, the pool, pydantic's first calls
        request(i)
    statements.reset()
    times = []
    cpu = time.process_time()
    for i in range(count):
        start = time.perf_counter()
        request(i)
        times.append((time.perf_counter() - start) * 1e6)
    cpu = (time.process_time() - cpu) / count * 1e6
    print(
        f"  {label:<36} {statistics.median(times):7.0f} µs p50 {cpu:7.0f} µs CPU"
        f"   {statements.selects / count:4.1f} SELECTs, {statements.all / count:4.1f} statements per request",
        flush=True,
    )


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="planner-bench-") as directory:
        measure(f"sqlite:///{directory}/api.db", "SQLite")
    if postgres := os.environ.get("TEST_DATABASE_URL"):
        with fresh_postgres(postgres) as url:
            if url is not None:
                measure(url, "PostgreSQL")


def measure(url: str, engine: str) -> None:
    command.upgrade(alembic_config(url), "head")
    app = make_app({}, database_url=url)
    seed(app)
    credentials = json.dumps({"username": "bench", "password": "bench-password-1"}).encode()
    status, _, body = call(app, "POST", "/api/auth/token/", {}, credentials)
    assert status == 200, body
    auth = {"Authorization": "Bearer " + json.loads(body)["access"]}
    statements = Statements(app.registry.planner_engine)
    print(f"\n{engine}, {PEOPLE:,} people, {REQUESTS:,} requests each (direct WSGI calls, one thread)")

    def detail(i):
        status, _, _ = call(app, "GET", f"/api/people/{1 + i * 7919 % PEOPLE}/", auth)
        assert status == 200, status

    def page(i):
        status, _, _ = call(app, "GET", f"/api/people/?pageSize={PAGE}&page={1 + i % 40}", auth)
        assert status == 200, status

    etags = {}

    def patch(i):
        ident = 1 + i * 7919 % PEOPLE
        if ident not in etags:
            etags[ident] = call(app, "GET", f"/api/people/{ident}/", auth)[1]["ETag"]
        body = json.dumps({"weeklyCapacity": 30 + i % 7}).encode()
        status, headers, _ = call(app, "PATCH", f"/api/people/{ident}/", {**auth, "If-Match": etags[ident]}, body)
        assert status == 200, status
        etags[ident] = headers["ETag"]

    timed("GET /api/people/{id}/", statements, REQUESTS, detail)
    timed(f"GET /api/people/?pageSize={PAGE}", statements, max(REQUESTS // 10, 50), page)
    # After the timed GETs: the first PATCH of each person fetches its ETag, outside the count.
    for i in range(REQUESTS // 4):
        ident = 1 + i * 7919 % PEOPLE
        etags[ident] = call(app, "GET", f"/api/people/{ident}/", auth)[1]["ETag"]
    timed("PATCH /api/people/{id}/ (If-Match)", statements, REQUESTS // 4, patch)
    app.registry.planner_engine.dispose()


if __name__ == "__main__":
    main()
