import os
import socket
import subprocess
import sys
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


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class RealServer:
    """`python -m backend_api serve` in its own process group; `base` is its URL."""

    def __init__(self, database_url: str, workers: int = 4, port: int | None = None, **env):
        self.port = port or free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "backend_api",
                "serve",
                "--port",
                str(self.port),
                "--workers",
                str(workers),
                "--threads",
                "8",
            ],
            cwd=ROOT,
            env={**os.environ, "DATABASE_URL": database_url, **env},
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def wait_until_healthy(self) -> "RealServer":
        deadline = time.monotonic() + 30
        while True:  # wait for the condition "health answers", not for a fixed time
            try:
                if httpx.get(f"{self.base}/api/health/", timeout=1).status_code == 200:
                    return self
            except httpx.HTTPError:
                pass
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"server did not start: {self.output()}")
            time.sleep(0.05)

    def exit_code(self) -> int:
        """Wait for a server that is expected to give up on its own."""
        try:
            return self.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            raise AssertionError(f"the server did not exit: {self.output()}") from None

    def output(self) -> str:
        if self.process.poll() is None:
            self.stop()
        return self.process.stdout.read().decode()

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, 15)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:  # a hung server must not outlive its test
            os.killpg(self.process.pid, 9)
            self.process.wait()


@pytest.fixture
def live_server(database_url):
    """The API as production serves it (`python -m backend_api serve`: waitress, 4 workers) on the
    test database; yields its base URL."""
    server = RealServer(database_url).wait_until_healthy()
    yield server.base
    server.stop()


class Outage:
    """A way to the test database that can be cut and restored. PostgreSQL: through a TCP proxy
    that stops (connections refused, open ones dropped); SQLite: through a symlinked directory that
    vanishes ("unable to open database file" for every new connection)."""

    def __init__(self, database_url: str, tmp_path: Path):
        from sqlalchemy.engine import make_url

        from tests.tcpproxy import TcpProxy

        url = make_url(database_url)
        if url.get_backend_name() == "sqlite":
            self._proxy, database = None, Path(url.database)
            self._link, self._target = tmp_path / "database-dir", database.parent
            self.url = url.set(database=str(self._link / database.name)).render_as_string(hide_password=False)
        else:
            self._proxy = TcpProxy(url.host or "127.0.0.1", url.port or 5432)
            self.url = url.set(host="127.0.0.1", port=self._proxy.port).render_as_string(hide_password=False)
        self.up()

    def down(self) -> None:
        if self._proxy:
            self._proxy.stop()
        else:
            self._link.unlink(missing_ok=True)

    def up(self) -> None:
        if self._proxy:
            self._proxy.start()
        else:
            self._link.symlink_to(self._target, target_is_directory=True)


@pytest.fixture
def outage(database_url, tmp_path):
    cut = Outage(database_url, tmp_path)
    yield cut
    cut.down()
