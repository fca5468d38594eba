"""End-to-end harness: the real production build, served as `make run` serves it (`make serve-app`,
see server.py), on a free port against a fresh SQLite database with the demo data; Debian's
Chromium driven by Playwright. The server is built and started once per test session."""

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect, sync_playwright

from tests.e2e.server import CHROMIUM, CHROMIUM_ARGS, PASSWORD, ROOT, ServerFailed, running_app

ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
DESKTOP = {"viewport": {"width": 1280, "height": 800}}
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True, "device_scale_factor": 2}

expect.set_options(timeout=15_000)


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
    try:
        with running_app(ARTIFACTS / "server.log") as (base_url, database_url):
            yield {"url": base_url, "database_url": database_url}
    except ServerFailed as err:
        pytest.fail(str(err))


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
        self.allowed_statuses: set[int] = set()
        page.on(
            "console", lambda msg: msg.type == "error" and not self._allowed(msg.text) and self.errors.append(msg.text)
        )
        page.on("pageerror", lambda exc: self.errors.append(str(exc)))

    def allow_status(self, *statuses: int) -> None:
        """Refusals the test causes on purpose (a wrong password, no CSRF header): Chromium logs
        every 4xx answer to the page's own fetch (assets/auth.js) as a console error."""
        self.allowed_statuses.update(statuses)

    def _allowed(self, text: str) -> bool:
        return any(f"the server responded with a status of {status} " in text for status in self.allowed_statuses)

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
        if self.page.is_closed():  # a test closed it on purpose
            return
        tall = self.page.evaluate("document.documentElement.scrollHeight") > 16_000
        self.page.screenshot(path=ARTIFACTS / f"{name}.png", full_page=not tall)

    def assert_no_horizontal_scroll(self) -> None:
        widths = self.page.evaluate(
            "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
        )
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
    """open_tab(phone=False, device=None) → a signed-out Tab in a fresh browser context (a phone,
    the desktop, or `device`: Playwright context options); console errors fail the
    test, and a failed test leaves a screenshot of each of its tabs in artifacts/."""
    contexts, tabs = [], []

    def make(phone: bool = False, device: dict | None = None) -> Tab:
        context = browser.new_context(**(device or (PHONE if phone else DESKTOP)))
        contexts.append(context)
        tab = Tab(context.new_page(), app_url)
        tabs.append(tab)
        return tab

    yield make
    close_tabs(request, tabs, contexts)


def close_tabs(request, tabs: list[Tab], contexts: list, expected_errors=None) -> None:
    """After a test: a screenshot of each tab if it failed, contexts closed, and any console error
    (but those `expected_errors`, a compiled pattern, matches) fails it."""
    if getattr(request.node, "e2e_failed", False):
        for n, tab in enumerate(tabs):
            tab.shot(f"failed-{request.node.name}-{n}")
    for context in contexts:
        context.close()
    errors = [e for tab in tabs for e in tab.errors if expected_errors is None or not expected_errors.search(e)]
    assert not errors, f"console errors: {errors}"
