import contextlib
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
import pytest

from tests.factories import PASSWORD, make_user


class ApiClient:
    """A signed-in caller: every request carries its Bearer token; status is never asserted here."""

    def __init__(self, testapp, username: str, password: str = PASSWORD):
        self.app = testapp
        tokens = testapp.post_json("/api/auth/token/", {"username": username, "password": password}).json
        self.access, self.refresh = tokens["access"], tokens["refresh"]

    def _headers(self, headers):
        return {"Authorization": f"Bearer {self.access}", **(headers or {})}

    def get(self, url, headers=None, **kw):
        return self.app.get(url, headers=self._headers(headers), status="*", **kw)

    def post(self, url, body=None, headers=None):
        return self.app.post_json(url, body if body is not None else {}, headers=self._headers(headers), status="*")

    def patch(self, url, body, headers=None):
        return self.app.patch_json(url, body, headers=self._headers(headers), status="*")

    def put(self, url, body, headers=None):
        return self.app.put_json(url, body, headers=self._headers(headers), status="*")

    def delete(self, url, headers=None):
        return self.app.delete(url, headers=self._headers(headers), status="*")


@pytest.fixture
def client_for(testapp, registry):
    def make(role: str = "admin", **kw) -> ApiClient:
        user = make_user(registry, role, **kw)
        return ApiClient(testapp, user.username)

    return make


@pytest.fixture
def admin(client_for):
    return client_for("admin")


@pytest.fixture
def manager(client_for):
    return client_for("manager")


@pytest.fixture
def staff(client_for):
    return client_for("user")


ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def running_server(database_url, workers: int = 4, env: dict | None = None):
    """`python -m backend_api serve` (waitress, pre-forked workers) on the test database, with `env`
    added to the environment; yields its base URL."""
    port = _free_port()
    env = {**os.environ, "DATABASE_URL": database_url, **(env or {})}
    # Its output to a file: a pipe nobody reads would stop the server once a few hundred log lines filled it.
    output = tempfile.TemporaryFile()
    process = subprocess.Popen([sys.executable, "-m", "backend_api", "serve", "--port", str(port),
                                "--workers", str(workers), "--threads", "8"], cwd=ROOT, env=env,
                               stdout=output, stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:  # wait for the condition "health answers", not for a fixed time
        try:
            if httpx.get(f"{base}/api/health/", timeout=1).status_code == 200:
                break
        except httpx.HTTPError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            output.seek(0)
            raise RuntimeError(f"server did not start: {output.read().decode()}")
        time.sleep(0.05)
    try:
        yield base
    finally:
        os.killpg(process.pid, 15)
        process.wait(timeout=10)
        output.close()


@pytest.fixture
def live_server(database_url):
    """The API as production serves it, 4 workers; yields its base URL."""
    with running_server(database_url) as base:
        yield base
