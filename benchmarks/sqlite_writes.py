"""SQLite writes under contention: 16 concurrent writers against the real server (`serve
--workers 2`) on a temp database, each on a person of its own: one GET for the ETag, then PATCH
after PATCH with If-Match, each sending the ETag the previous one answered.

Migrates and seeds BENCH_PEOPLE people (default 1,000) through the CLI, runs BENCH_SECONDS
(default 15) with wrk (sqlite_writes.lua) when /usr/bin/wrk is there, else with Python threads,
and prints PATCH req/s, p50 and p99 in milliseconds and the answers other than 200. Prints
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
WRK = "/usr/bin/wrk"


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


def _writer(token: str, ident: int, until: float, patches: list, failures: list) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=60)
    path = f"/api/people/{ident}/"
    _, etag, _ = _call(conn, "GET", path, token)
    n = 0
    while time.monotonic() < until:
        n += 1
        start = time.perf_counter()
        status, answered, _ = _call(conn, "PATCH", path, token, {"notes": f"write {n}"}, {"If-Match": etag or ""})
        patches.append(time.perf_counter() - start)
        etag = answered or etag
        if status != 200:
            failures.append(status)


def _with_threads(token: str, ids: list[int]) -> tuple[int, float, float, float, int]:
    """(PATCHes, seconds, p50 ms, p99 ms, answers other than 200)."""
    patches: list[float] = []
    failures: list[int] = []
    until = time.monotonic() + SECONDS
    threads = [
        threading.Thread(target=_writer, args=(token, ident, until, patches, failures)) for ident in ids[:WRITERS]
    ]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    ordered = sorted(patches)

    def ms(q: float) -> float:
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000

    return len(patches), time.monotonic() - started, ms(0.5), ms(0.99), len(failures)


def _with_wrk(token: str, ids: list[int]) -> tuple[int, float, float, float, int]:
    """The same run by wrk (one thread per connection, so each keeps its own ETag)."""
    env = {**os.environ, "BENCH_TOKEN": token, "BENCH_IDS": ",".join(map(str, ids[:WRITERS]))}
    script = str(Path(__file__).with_suffix(".lua"))
    out = subprocess.run(
        [WRK, f"-t{WRITERS}", f"-c{WRITERS}", f"-d{SECONDS:.0f}s", "-s", script, f"http://127.0.0.1:{PORT}"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    requests, seconds, p50, p99, failed = out.strip().splitlines()[-1].split()
    # Each connection's first request is its GET: counted out of the PATCHes.
    return int(requests) - WRITERS, float(seconds), float(p50), float(p99), int(failed)


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
        tool = "wrk" if os.path.exists(WRK) else "Python threads"
        patches, seconds, p50, p99, failed = (_with_wrk if tool == "wrk" else _with_threads)(token, ids)
    finally:
        server.terminate()
        server.wait(timeout=30)
    print(f"SQLite, {len(ids)} people, {WRITERS} writers PATCHing with If-Match ({tool}), {seconds:.1f} s, 2 workers")
    print(f"  PATCH {patches / seconds:7.1f} req/s   p50 {p50:7.1f} ms   p99 {p99:7.1f} ms   not 200: {failed}")


if __name__ == "__main__":
    main()
