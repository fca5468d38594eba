"""Sizing figures of the scale-out topology (deploy/scaled.py): GET /api/people/{id}/ with a Bearer
token, with wrk, through nginx and straight to the API workers, on a fresh PostgreSQL database with
the demo data. Prints req/s and latency; asserts no time.

    SCALED_API_WORKERS=2 BENCH_SECONDS=10 BENCH_CONNECTIONS=16 .venv/bin/python benchmarks/scaled.py

Needs PostgreSQL, Redis, nginx and wrk (skipped with the reason otherwise). The database is
`planner_scaled_bench` on TEST_DATABASE_URL's server (or the local one), made afresh.
"""

import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from deploy import scaled  # noqa: E402

SERVER_URL = os.environ.get("TEST_DATABASE_URL") or "postgresql://postgres@127.0.0.1:5432/postgres"
SECONDS = int(os.environ.get("BENCH_SECONDS", 10))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", 16))
PASSWORD = "bench-password-123"


def fresh_database() -> str | None:
    import psycopg
    from sqlalchemy.engine import make_url

    server = make_url(SERVER_URL)
    try:
        with psycopg.connect(
            server.set(drivername="postgresql").render_as_string(False), autocommit=True, connect_timeout=3
        ) as conn:
            conn.execute('DROP DATABASE IF EXISTS "planner_scaled_bench" WITH (FORCE)')
            conn.execute('CREATE DATABASE "planner_scaled_bench"')
    except psycopg.Error as error:
        print(f"skipped: PostgreSQL is not reachable at {SERVER_URL}: {error}")
        return None
    return server.set(database="planner_scaled_bench").render_as_string(hide_password=False)


def wrk(url: str, token: str) -> str:
    done = subprocess.run(
        ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{SECONDS}s", "--latency", "-H", f"Authorization: Bearer {token}", url],
        capture_output=True,
        text=True,
        check=True,
    )
    rate = re.search(r"Requests/sec:\s+([\d.]+)", done.stdout).group(1)
    p50 = re.search(r"50%\s+(\S+)", done.stdout).group(1)
    p99 = re.search(r"99%\s+(\S+)", done.stdout).group(1)
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", done.stdout)
    errors = f", {non_2xx.group(1)} non-2xx" if non_2xx else ""
    return f"{float(rate):8.0f} req/s  p50 {p50:>8}  p99 {p99:>8}{errors}"


def main() -> None:
    missing = [tool for tool in (scaled.NGINX, "wrk") if not shutil.which(tool)]
    if missing:
        print(f"skipped: not installed: {', '.join(missing)}")
        return
    topology = scaled.Topology.from_env(os.environ)
    try:
        import redis

        redis.Redis.from_url(topology.redis_url, socket_connect_timeout=2).ping()
    except Exception as error:  # whatever redis-py raises: no Redis to run on
        print(f"skipped: Redis is not reachable at {topology.redis_url}: {error}")
        return
    database_url = fresh_database()
    if database_url is None:
        return
    var_dir = Path(tempfile.mkdtemp(prefix="planner-scaled-bench-"))
    topology = scaled.Topology.from_env({**os.environ, "DATABASE_URL": database_url, "SCALED_VAR_DIR": str(var_dir)})
    admin = {"PLANNER_ADMIN_USERNAME": "admin", "PLANNER_ADMIN_PASSWORD": PASSWORD}
    try:
        with scaled.running(topology, env=admin, log=lambda _line: None):
            api = f"{topology.url}/api"
            token = httpx.post(f"{api}/auth/token/", json={"username": "admin", "password": PASSWORD}).json()["access"]
            person = httpx.get(f"{api}/people/?pageSize=1", headers={"Authorization": f"Bearer {token}"}).json()
            path = f"/people/{person['results'][0]['id']}/"
            print(
                f"GET /api{path}, wrk {CONNECTIONS} connections for {SECONDS} s, "
                f"API {topology.api_workers} worker(s), {os.cpu_count()} cores"
            )
            for label, base in (
                (f"through nginx :{topology.nginx_port}", api),
                (f"API directly :{topology.api_port}", topology.api_url),
            ):
                print(f"  {label:<22}{wrk(base + path, token)}")
    finally:
        shutil.rmtree(var_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
