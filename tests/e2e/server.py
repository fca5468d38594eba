"""The production app served as `make run` serves it (`make serve-app`), on a free port against a
fresh SQLite database with the demo data, in its own build directory. Used by the browser tests'
`app_url` fixture and by the browser benchmarks."""

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
START_TIMEOUT_SECONDS = 300
PASSWORD = "e2e-password-123"
USERS = {"admin": "admin", "manager": "manager", "user": "user"}  # username -> role


class ServerFailed(RuntimeError):
    """The app server exited or did not come up; the message ends with its log."""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _backend(env: dict, *args: str) -> None:
    subprocess.run([sys.executable, "-m", "backend_api", *args], env=env, cwd=ROOT, check=True, capture_output=True)


def _wait_until_serving(base_url: str, proc: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise ServerFailed(f"the app server exited with {proc.returncode}:\n{log.read_text()[-3000:]}")
        try:
            if (
                httpx.get(f"{base_url}/api/health/", timeout=2).status_code == 200
                and httpx.get(base_url, timeout=2).status_code == 200
            ):
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)  # polling for a condition: the build takes tens of seconds
    raise ServerFailed(f"the app did not come up within {START_TIMEOUT_SECONDS} s:\n{log.read_text()[-3000:]}")


@contextlib.contextmanager
def running_app(log: Path, prepare=None, app_dir: Path = ROOT) -> Iterator[tuple[str, str]]:
    """Build and serve the app; yields (base URL, DATABASE_URL). `prepare(database_url)` runs after
    the demo data and the test users are in and before the server starts (e.g. to add more people).
    `app_dir`: another checkout's app (with its .venv and tools), e.g. the code before a change."""
    workdir = Path(tempfile.mkdtemp(prefix="planner-e2e-"))
    port = _free_port()
    database_url = f"sqlite:///{workdir / 'e2e.db'}"
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "PLANNER_VAR_DIR": str(workdir),
        "PLANNER_ENV": "development",
        "APP_PORT": str(port),
        # Its own build and state directories, so a `make run` or another test run in this
        # checkout cannot rebuild the frontend under this server's feet.
        "REFLEX_WEB_WORKDIR": str(workdir / "web"),
        "REFLEX_STATES_WORKDIR": str(workdir / "states"),
    }
    env.pop("PLANNER_API_URL", None)  # the embedded topology, as `make run`
    _backend(env, "migrate")
    _backend(env, "seed-demo")
    for username, role in USERS.items():
        _backend(
            env,
            "create-user",
            "--username",
            username,
            "--password",
            PASSWORD,
            "--email",
            f"{username}@e2e.test",
            "--role",
            role,
        )
    if prepare is not None:
        prepare(database_url)
    with log.open("w") as out:
        proc = subprocess.Popen(
            ["make", "--no-print-directory", "serve-app"],
            cwd=app_dir,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    base_url = f"http://localhost:{port}"
    try:
        _wait_until_serving(base_url, proc, log)
        yield base_url, database_url
    finally:
        _stop(proc)
        shutil.rmtree(workdir, ignore_errors=True)


def _stop(proc: subprocess.Popen) -> None:
    """The server's whole process group (make, reflex, its workers); it may have exited already."""
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)
    except ProcessLookupError:
        return
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
