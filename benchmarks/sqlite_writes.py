"""SQLite writes under contention: 16 concurrent writers, each GET (for the ETag) then PATCH with
If-Match on a person of its own, against the real server (`serve --workers 2`) on a temp database.

Migrates and seeds BENCH_PEOPLE people (default 1,000) through the CLI, runs BENCH_SECONDS
(default 15) and prints PATCH req/s and the p50/p99 of PATCH and of GET in milliseconds. Prints
figures; asserts no time.

    .venv/bin/python benchmarks/sqlite_writes.py
"""

import http.client
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PEOPLE = int(os.environ.get("BENCH_PEOPLE", 1_000))
SECONDS = float(os.environ.get("BENCH_SECONDS", 15))
WRITERS = int(os.environ.get("BENCH_WRITERS", 16))
PORT = int(os.environ.get("BENCH_PORT", 6601))
PASSWORD = "bench-password-1"


def _env(var: str) -> dict:
    return {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{var}/bench.db",
        "PLANNER_VAR_DIR": var,
        "JWT_SECRET": "bench-" + "x" * 40,
        "BCRYPT_ROUNDS": "4",
        "PLANNER_ENV": "production",
    }


def _cli(env: dict, *args: str) -> None:
    subprocess.run([sys.executable, "-m", "backend_api", *args], cwd=ROOT, env=env, check=True, capture_output=True)


def _call(conn, method: str, path: str, token: str | None = None, body=None, headers=None):
    sent = {"Content-Type": "application/json", **(headers or {})}
    if token:
        sent["Authorization"] = f"Bearer {token}"
    conn.request(method, path, body=None if body is None else json.dumps(body), headers=sent)
    response = conn.getresponse()
    return response.status, response.getheader("ETag"), response.read()


def _wait_for_server(proc) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"the server exited with {proc.returncode}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=2)
            if _call(conn, "GET", "/api/health/")[0] == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("the server did not start")


def _people_ids(conn, token: str) -> list[int]:
    ids, page = [], 1
    while True:
        status, _, body = _call(conn, "GET", f"/api/people/?pageSize=200&page={page}", token)
        data = json.loads(body)
        ids += [p["id"] for p in data["results"]]
        if not data["next"]:
            return ids
        page += 1


def _writer(token: str, ids: list[int], until: float, patches: list, gets: list, failures: list) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=60)
    n = 0
    while time.monotonic() < until:
        ident = ids[n % len(ids)]
        n += 1
        start = time.perf_counter()
        status, etag, _ = _call(conn, "GET", f"/api/people/{ident}/", token)
        middle = time.perf_counter()
        gets.append(middle - start)
        status, _, _ = _call(
            conn, "PATCH", f"/api/people/{ident}/", token, {"notes": f"write {n}"}, {"If-Match": etag or ""}
        )
        patches.append(time.perf_counter() - middle)
        if status != 200:
            failures.append(status)


def _ms(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000 if ordered else float("nan")


def main() -> None:
    var = tempfile.mkdtemp(prefix="planner-bench-writes-")
    env = _env(var)
    _cli(env, "migrate")
    _cli(env, "seed-demo", "--people", str(PEOPLE))
    _cli(env, "create-user", "--username", "bench", "--password", PASSWORD, "--role", "admin")
    server = subprocess.Popen(
        [sys.executable, "-m", "backend_api", "serve", "--port", str(PORT), "--workers", "2"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait_for_server(server)
        conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
        _, _, body = _call(conn, "POST", "/api/auth/token/", body={"username": "bench", "password": PASSWORD})
        token = json.loads(body)["access"]
        ids = _people_ids(conn, token)
        patches, gets, failures = [], [], []
        until = time.monotonic() + SECONDS
        threads = [
            threading.Thread(target=_writer, args=(token, ids[i::WRITERS], until, patches, gets, failures))
            for i in range(WRITERS)
        ]
        started = time.monotonic()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.monotonic() - started
    finally:
        server.terminate()
        server.wait(timeout=30)
    print(f"SQLite, {len(ids)} people, {WRITERS} writers (GET + PATCH If-Match), {elapsed:.1f} s, 2 workers")
    for name, samples in (("PATCH", patches), ("GET", gets)):
        print(
            f"  {name:5} {len(samples) / elapsed:7.1f} req/s"
            f"   p50 {_ms(samples, 0.5):7.1f} ms   p99 {_ms(samples, 0.99):7.1f} ms"
        )
    print(f"  PATCH answers other than 200: {len(failures)}")


if __name__ == "__main__":
    main()
