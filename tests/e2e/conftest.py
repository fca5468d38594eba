"""End-to-end harness: the real production build, served as `make run` serves it (`make serve-app`),
on a free port against a fresh SQLite database with the demo data; Debian's Chromium driven by
Playwright. The server is built and started once per test session."""

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Page, expect, sync_playwright

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
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
DESKTOP = {"viewport": {"width": 1280, "height": 800}}
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True, "device_scale_factor": 2}
START_TIMEOUT_SECONDS = 300
PASSWORD = "e2e-password-123"
USERS = {"admin": "admin", "manager": "manager", "user": "user"}  # username -> role

expect.set_options(timeout=15_000)


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
            pytest.fail(f"the app server exited with {proc.returncode}:\n{log.read_text()[-3000:]}")
        try:
            if httpx.get(f"{base_url}/api/health/", timeout=2).status_code == 200 and httpx.get(base_url, timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)  # polling for a condition: the build takes tens of seconds
    pytest.fail(f"the app did not come up within {START_TIMEOUT_SECONDS} s:\n{log.read_text()[-3000:]}")


@pytest.fixture(scope="session")
def app_url(app_server):
    return app_server["url"]


@pytest.fixture(scope="session")
def app_server():
    """The served app: {"url", "database_url"} (the database, for tests that seed in bulk)."""
    if not Path(CHROMIUM).exists() or not (ROOT / "tools/node_modules/.bin/bun").exists():
        pytest.fail("the browser tests need Chromium and bun: run `make chromium bun` (make test does)")
    ARTIFACTS.mkdir(exist_ok=True)
    for old in ARTIFACTS.glob("*.png"):  # this run's screenshots only
        old.unlink()
    workdir = Path(tempfile.mkdtemp(prefix="planner-e2e-"))
    port = _free_port()
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{workdir / 'e2e.db'}",
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
        _backend(env, "create-user", "--username", username, "--password", PASSWORD, "--email", f"{username}@e2e.test", "--role", role)
    log = ARTIFACTS / "server.log"
    with log.open("w") as out:
        proc = subprocess.Popen(
            ["make", "--no-print-directory", "serve-app"], cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    base_url = f"http://localhost:{port}"
    try:
        _wait_until_serving(base_url, proc, log)
        yield {"url": base_url, "database_url": env["DATABASE_URL"]}
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        shutil.rmtree(workdir, ignore_errors=True)


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class Tab:
    """A browser page that records console errors, with the app's common steps."""

    def __init__(self, page: Page, base_url: str):
        self.page = page
        self.base_url = base_url
        self.errors: list[str] = []
        page.on("console", lambda msg: msg.type == "error" and self.errors.append(msg.text))
        page.on("pageerror", lambda exc: self.errors.append(str(exc)))

    def goto(self, path: str) -> None:
        self.page.goto(self.base_url + path)

    def open(self, path: str) -> None:
        """Go to a page behind login and wait for its data."""
        self.goto(path)
        self.wait_loaded()

    def sign_in(self, username: str, password: str = PASSWORD, path: str = "/") -> None:
        self.goto(path)
        expect(self.page.get_by_role("button", name="Sign in")).to_be_visible()
        self.page.get_by_label("Username").fill(username)
        self.page.get_by_label("Password").fill(password)
        self.page.get_by_role("button", name="Sign in").click()
        expect(self.page.get_by_role("button", name="Sign in")).to_have_count(0)
        self.wait_loaded()

    def wait_loaded(self) -> None:
        """Until the page's data is in: the shell shows the page once its on_load handlers ran."""
        expect(self.page.locator("#page-content")).to_be_visible()
        expect(self.page.get_by_role("status").filter(has_text="Loading")).to_have_count(0)

    def heading(self, name: str):
        return self.page.get_by_role("heading", name=name, exact=True, level=1)

    def shot(self, name: str) -> None:
        # Chromium cannot capture a page taller than its largest texture (a virtualised list of
        # thousands of rows is): then the viewport only.
        tall = self.page.evaluate("document.documentElement.scrollHeight") > 16_000
        self.page.screenshot(path=ARTIFACTS / f"{name}.png", full_page=not tall)

    def assert_no_horizontal_scroll(self) -> None:
        widths = self.page.evaluate("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
        assert widths[0] <= widths[1], f"{self.page.url} scrolls sideways: {widths}"


def pick_person(combobox, text: str, index: int = 0) -> str:
    """Choose a person in a typeahead with the keyboard: type, ↓ to the option, Enter. Returns the name."""
    combobox.fill(text)
    listbox = combobox.page.locator(f"#{combobox.get_attribute('aria-controls')}")
    expect(listbox).to_be_visible()
    for _ in range(index + 1):
        combobox.press("ArrowDown")
    option = listbox.get_by_role("option").nth(index)
    expect(option).to_have_attribute("aria-selected", "true")
    name = option.locator("span, p").first.inner_text()
    combobox.press("Enter")
    expect(listbox).to_be_hidden()
    expect(combobox).to_have_value(name)
    return name


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call":
        item.e2e_failed = report.failed
    return report


@pytest.fixture
def open_tab(request, app_url, browser):
    """open_tab(phone=False) → a signed-out Tab in a fresh browser context; console errors fail the
    test, and a failed test leaves a screenshot of each of its tabs in artifacts/."""
    contexts, tabs = [], []

    def make(phone: bool = False) -> Tab:
        context = browser.new_context(**(PHONE if phone else DESKTOP))
        contexts.append(context)
        tab = Tab(context.new_page(), app_url)
        tabs.append(tab)
        return tab

    yield make
    if getattr(request.node, "e2e_failed", False):
        for n, tab in enumerate(tabs):
            tab.shot(f"failed-{request.node.name}-{n}")
    for context in contexts:
        context.close()
    errors = [e for tab in tabs for e in tab.errors]
    assert not errors, f"console errors: {errors}"
