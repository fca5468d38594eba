"""The scale-out topology (deploy/scaled.py, `make serve-scaled`) in a browser: PostgreSQL, Redis,
the API under two workers, two Reflex app backends with their state in Redis, nginx in front. An
edit through one backend reaches the other backend's browser live, and so does presence.

Browser A is pinned to app backend 1 (app1.localhost), browser B to backend 2 (app2.localhost),
by nginx's `map $host`; which backend took each websocket is read from nginx's X-Planner-Backend
header on the upgrade. A third browser on the round-robin address shows that no sticky sessions
are needed: its tab's state survives reloads that land on the other backend.

Skipped when PostgreSQL, Redis or nginx is not there. The database is its own, made afresh."""

import datetime as dt
import os
import shutil
import tempfile
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import expect

from deploy import scaled
from tests.e2e.conftest import ARTIFACTS, DESKTOP, Tab, close_tabs
from tests.e2e.server import CHROMIUM, PASSWORD, ROOT

SERVER_URL = os.environ.get("TEST_DATABASE_URL") or "postgresql://postgres@127.0.0.1:5432/postgres"
REDIS_URL = os.environ.get("SCALED_TEST_REDIS_URL", "redis://127.0.0.1:6379/9")
PORTS = {"nginx": 3100, "apps": (3101, 3102), "api": 6610}


def _database_url() -> str:
    """A database of this test's own on the server of TEST_DATABASE_URL (or the local one), empty."""
    import psycopg
    from sqlalchemy.engine import make_url

    server = make_url(SERVER_URL)
    name = "planner_scaled_e2e"
    with psycopg.connect(server.set(drivername="postgresql").render_as_string(False), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return server.set(database=name).render_as_string(hide_password=False)


def _missing() -> str | None:
    if not Path(scaled.NGINX).exists():
        return f"nginx is not installed ({scaled.NGINX}: apt-get install nginx-light)"
    try:
        import redis

        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except Exception as error:  # whatever redis-py raises: no Redis to test against
        return f"Redis is not reachable at {REDIS_URL}: {error}"
    try:
        import psycopg
        from sqlalchemy.engine import make_url

        psycopg.connect(
            make_url(SERVER_URL).set(drivername="postgresql").render_as_string(False), connect_timeout=3
        ).close()
    except Exception as error:  # the driver's error, whatever it is
        return f"PostgreSQL is not reachable at {SERVER_URL}: {error}"
    return None


@pytest.fixture(scope="module")
def topology():
    problem = _missing()
    if problem:
        pytest.skip(problem)
    if not Path(CHROMIUM).exists() or not (ROOT / "tools/node_modules/.bin/bun").exists():
        pytest.fail("the browser tests need Chromium and bun: run `make chromium bun` (make test does)")
    ARTIFACTS.mkdir(exist_ok=True)
    var_dir = Path(tempfile.mkdtemp(prefix="planner-scaled-"))
    topo = scaled.Topology(
        database_url=_database_url(),
        redis_url=REDIS_URL,
        var_dir=var_dir,
        nginx_port=PORTS["nginx"],
        app_ports=PORTS["apps"],
        api_port=PORTS["api"],
    )
    admin = {"PLANNER_ADMIN_USERNAME": "admin", "PLANNER_ADMIN_PASSWORD": PASSWORD}
    try:
        with scaled.running(topo, env=admin, log=lambda _line: None):
            yield topo
    except scaled.TopologyFailed as error:
        pytest.fail(str(error))
    finally:
        for log in (var_dir / "logs").glob("*.log"):  # kept for a look after the run
            shutil.copy(log, ARTIFACTS / f"scaled-{log.name}")
        shutil.rmtree(var_dir, ignore_errors=True)


class Api:
    """The REST API through nginx, as a script uses it, signed in as the admin."""

    def __init__(self, base_url: str, headers: dict | None = None, **transport):
        self.http = httpx.Client(
            base_url=f"{base_url}/api", headers=headers, timeout=10, transport=httpx.HTTPTransport(**transport)
        )
        token = self.post("/auth/token/", {"username": "admin", "password": PASSWORD})["access"]
        self.http.headers["Authorization"] = f"Bearer {token}"

    def post(self, path: str, body: dict) -> dict:
        resp = self.http.post(path, json=body)
        assert resp.status_code in (200, 201), resp.text
        return resp.json()

    def get(self, path: str, **headers) -> dict:
        resp = self.http.get(path, headers=headers)
        assert resp.status_code == 200, resp.text
        return resp.json()


class Browser:
    """A browser of its own (a separate context) on one host name, noting which backend took each
    of its websockets."""

    def __init__(self, browser, host: str, port: int):
        self.context = browser.new_context(**DESKTOP)
        self.tab = Tab(self.context.new_page(), f"http://{host}:{port}")
        self.backends: list[str] = []
        cdp = self.context.new_cdp_session(self.tab.page)
        cdp.send("Network.enable")
        cdp.on("Network.webSocketHandshakeResponseReceived", self._handshake)

    def _handshake(self, event: dict) -> None:
        headers = {k.lower(): v for k, v in event["response"]["headers"].items()}
        self.backends.append(headers.get("x-planner-backend", "?"))

    def grid_for(self, project: str):
        """The planning grid showing the one project's assignment (the filter is tab state)."""
        self.tab.open("/assignments")
        self.tab.page.get_by_label("Project", exact=True).select_option(label=project)
        rows = self.tab.page.locator("tr[data-assignment]")
        expect(rows).to_have_count(1)
        return rows


def _monday() -> str:
    today = dt.date.today()
    return (today - dt.timedelta(days=today.weekday())).isoformat()


def test_an_edit_on_one_backend_is_seen_through_the_other(request, topology, browser):
    api = Api(topology.url)
    person = api.post("/people/", {"name": "Aaaa Scaled", "weeklyCapacity": 40})
    project = api.post("/projects/", {"name": "Scale-out check"})
    assignment = api.post(
        "/assignments/", {"personId": person["id"], "projectId": project["id"], "weeklyHours": {_monday(): 8}}
    )
    a = Browser(browser, "app1.localhost", topology.nginx_port)
    b = Browser(browser, "app2.localhost", topology.nginx_port)
    c = Browser(browser, "localhost", topology.nginx_port)
    tabs, contexts = [a.tab, b.tab, c.tab], [a.context, b.context, c.context]
    try:
        label = f"{person['name']}, {project['name']}, week of"
        # B has the old value on screen first (and its backend's response cache).
        b.tab.sign_in("admin", path="/assignments")
        b_cell = b.grid_for(project["name"]).get_by_role("textbox", name=label, exact=False).first
        expect(b_cell).to_have_value("8")

        a.tab.sign_in("admin", path="/assignments")
        row = a.grid_for(project["name"])
        cell = row.get_by_role("textbox", name=label, exact=False).first
        expect(cell).to_have_value("8")
        cell.focus()
        a.tab.page.keyboard.type("12")
        a.tab.page.keyboard.press("Enter")
        expect(row.locator(".row-total")).to_have_text("12")
        assert api.get(f"/assignments/{assignment['id']}/")["weeklyHours"][_monday()] == 12
        # Live, across app backends: B's screen follows without a reload (the API's Redis
        # announcement wakes backend 2's reader of the change log).
        expect(b_cell).to_have_value("12")

        # Presence across backends: B typing in the cell shows B's initials on A's screen.
        b_cell.fill("7")
        badge = row.locator(".cell-editor")
        expect(badge).to_have_text("AD")
        b_cell.press("Escape")  # undone, and the cell left: the initials go
        b.tab.heading("Assignments").click()
        expect(badge).to_have_count(0)

        b.tab.page.reload()
        b.tab.wait_loaded()
        b_cell = b.tab.page.get_by_role("textbox", name=label, exact=False).first
        expect(b_cell).to_have_value("12")  # the project filter stayed: B's tab state, kept in Redis
        a.tab.shot("scaled-browser-a")
        b.tab.shot("scaled-browser-b")

        app1, app2 = (f"127.0.0.1:{port}" for port in topology.app_ports)
        assert a.backends and set(a.backends) == {app1}, a.backends
        assert b.backends and set(b.backends) == {app2}, b.backends

        # Round robin, no stickiness: each reload's websocket goes to the next backend, and the
        # tab's state (signed in, its project filter) is there whichever one it is.
        c.tab.sign_in("admin", path="/assignments")
        c.grid_for(project["name"])
        for _ in range(3):
            c.tab.page.reload()
            c.tab.wait_loaded()
            expect(c.tab.page.get_by_label("Project", exact=True)).to_have_value(str(project["id"]))
            expect(c.tab.page.get_by_role("textbox", name=label, exact=False).first).to_have_value("12")
        assert set(c.backends) == {app1, app2}, c.backends
        c.tab.shot("scaled-browser-c")
    finally:
        close_tabs(request, tabs, contexts)


def test_the_api_sees_the_real_client_address(topology):
    """Through nginx from another loopback address: the API records that address, not the proxy's
    and not the one a client claims in X-Forwarded-For."""
    api = Api(topology.url, headers={"X-Forwarded-For": "198.51.100.7"}, local_address="127.0.0.2")
    sessions = api.get("/auth/sessions/")["results"]
    assert sessions[0]["ip"] == "127.0.0.2", sessions[0]
