"""The installable app, and its honesty when offline (issue 8, item 1): manifest and service worker,
the offline page, no data from a cache, the banner while Reflex's websocket is down, the update notice."""

import json
import re
import uuid

import pytest
from playwright.sync_api import expect

from planner_app import styles
from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, DESKTOP, PASSWORD, PHONE, ROOT, Tab, close_tabs

# What a browser logs, as errors, for requests made while it is offline: expected in these tests.
OFFLINE_NOISE = re.compile(r"net::ERR_INTERNET_DISCONNECTED|WebSocket connection to .* failed")


@pytest.fixture
def installed_tab(request, app_url, browser, tmp_path):
    """installed_tab(phone=False) → a Tab in a persistent (not incognito) browser profile, as an
    install needs, once the service worker controls the page. Console errors fail the test, except
    those for requests made while offline."""
    contexts, tabs = [], []

    def make(phone: bool = False, path: str = "/login") -> Tab:
        context = browser.browser_type.launch_persistent_context(
            str(tmp_path / f"profile-{len(contexts)}"),
            executable_path=CHROMIUM,
            args=CHROMIUM_ARGS,
            **(PHONE if phone else DESKTOP),
        )
        contexts.append(context)
        tab = Tab(context.pages[0], app_url)
        tabs.append(tab)
        tab.goto(path)
        # The worker is registered under the build version the page was built with.
        version = re.search(r"\?v=(\w+)$", tab.page.locator('head script[src^="/pwa.js"]').get_attribute("src")).group(
            1
        )
        assert tab.page.evaluate("() => navigator.serviceWorker.ready.then((r) => r.active.scriptURL)").endswith(
            f"/sw.js?v={version}"
        )
        tab.page.wait_for_function("() => navigator.serviceWorker.controller !== null")
        return tab

    yield make
    close_tabs(request, tabs, contexts, expected_errors=OFFLINE_NOISE)


def test_the_manifest_matches_the_design_tokens():
    manifest = json.loads((ROOT / "assets/manifest.webmanifest").read_text())
    assert manifest["theme_color"] == styles.THEME_COLOR
    for icon in manifest["icons"]:
        assert (ROOT / "assets" / icon["src"].lstrip("/")).is_file(), icon


def test_the_app_is_installable(installed_tab):
    tab = installed_tab()
    page = tab.page
    cdp = page.context.new_cdp_session(page)
    assert cdp.send("Page.getInstallabilityErrors") == {"installabilityErrors": []}
    manifest = cdp.send("Page.getAppManifest")
    assert manifest["errors"] == []
    assert manifest["url"] == f"{tab.base_url}/manifest.webmanifest"
    head = page.locator("head")
    expect(head.locator('meta[name="theme-color"]')).to_have_attribute("content", styles.THEME_COLOR)
    expect(head.locator('link[rel="apple-touch-icon"]')).to_have_attribute("href", "/icons/apple-touch-icon-180.png")
    expect(head.locator('meta[name="apple-mobile-web-app-capable"]')).to_have_attribute("content", "yes")
    expect(head.locator('meta[name="apple-mobile-web-app-title"]')).to_have_attribute("content", "Planner")


@pytest.mark.parametrize("phone", [False, True], ids=["desktop", "phone"])
def test_offline_reload_shows_the_offline_page_and_never_cached_data(installed_tab, phone):
    tab = installed_tab(phone=phone)
    page, context = tab.page, tab.page.context
    tab.sign_in("admin", path="/people")

    context.set_offline(True)
    page.reload()
    expect(page.get_by_role("heading", name="You are offline")).to_be_visible()
    expect(page.get_by_text("Your changes are not saved until you reconnect.")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/people/?$"))  # Retry reloads the page that failed
    tab.shot(f"{'phone' if phone else 'desktop'}-offline-page")

    # Data is never answered from a cache: the API fails like the network does.
    assert page.evaluate("() => fetch('/api/health/').then((r) => `status ${r.status}`, () => 'failed')") == "failed"
    cached = page.evaluate(
        "async () => (await Promise.all((await caches.keys()).map(async (name) =>"
        " (await (await caches.open(name)).keys()).map((r) => new URL(r.url).pathname)))).flat()"
    )
    assert "/offline.html" in cached
    assert not [path for path in cached if re.match(r"/(api/|_event|ping|_health)", path)], cached

    # Retry while still offline: the page is reloaded and says so again.
    page.evaluate("() => { window.beforeRetry = true; }")
    page.get_by_role("button", name="Retry").click()
    page.wait_for_function("() => window.beforeRetry === undefined")
    expect(page.get_by_role("heading", name="You are offline")).to_be_visible()

    # Back online, the page retries by itself and the app is there again, still signed in.
    context.set_offline(False)
    tab.wait_loaded()
    expect(tab.heading("People")).to_be_visible()


class WebsocketSwitch:
    """Reflex's websocket, and only it, through Playwright: `drop()` closes it and makes every
    reconnect fail (a malformed first frame), `restore()` lets the next attempt through."""

    def __init__(self, page):
        self.down = False
        self.routes = []
        page.route_web_socket(re.compile(r"/_event/"), self._handle)

    def _handle(self, ws):
        if self.down:
            ws.send("not socket.io")
            return
        self.routes.append(ws)
        ws.connect_to_server()

    def drop(self):
        self.down = True
        for ws in self.routes:
            ws.close()
        self.routes.clear()

    def restore(self):
        self.down = False


def _department_names(tab) -> list[str]:
    page = tab.page
    tokens = page.request.post(
        f"{tab.base_url}/api/auth/token/", data={"username": "admin", "password": PASSWORD}
    ).json()
    resp = page.request.get(
        f"{tab.base_url}/api/departments/?pageSize=200", headers={"Authorization": f"Bearer {tokens['access']}"}
    )
    assert resp.ok, resp.text()
    return [d["name"] for d in resp.json()["results"]]


@pytest.mark.parametrize("phone", [False, True], ids=["desktop", "phone"])
def test_while_the_websocket_is_down_saves_are_paused_and_not_replayed(open_tab, phone):
    tab = open_tab(phone=phone)
    page = tab.page
    switch = WebsocketSwitch(page)
    tab.sign_in("admin", path="/departments")
    name = f"Offline test {uuid.uuid4().hex[:8]}"
    page.get_by_role("button", name="Add department").first.click()
    dialog = page.get_by_role("dialog", name="Add department")
    dialog.get_by_label("Name").fill(name)

    switch.drop()
    # By id: the open dialog is modal, so Radix hides the rest of the page from screen readers;
    # inside the dialog the form itself says that saves are paused.
    banner = page.locator("#connection-banner")
    expect(banner).to_be_visible()
    expect(banner).to_have_attribute("role", "status")
    expect(banner).to_have_text(
        re.compile(r"^Offline — reconnecting…\s*Saves are paused\. Your changes are kept here\.$")
    )
    hint = "() => getComputedStyle(document.querySelector('[role=dialog] form'), '::after').content"
    assert page.evaluate(hint) == '"Saves are paused until you are back online."'
    box = banner.bounding_box()
    assert box["y"] == 0 and box["width"] == page.viewport_size["width"], box  # across the top, not over the bottom bar
    tab.assert_no_horizontal_scroll()
    save = dialog.get_by_role("button", name="Save")
    expect(save).to_have_css("opacity", "0.5")
    dialog.get_by_label("Name").press("Enter")  # neither Enter nor a tap submits
    save.click()
    expect(banner).to_have_attribute("data-nudge", "")
    expect(dialog.get_by_label("Name")).to_have_value(name)
    page.wait_for_function("() => document.getElementById('connection-banner').getAnimations().length === 0")
    tab.shot(f"{'phone' if phone else 'desktop'}-connection-banner")

    switch.restore()
    expect(banner).to_have_count(0)
    expect(save).to_have_css("opacity", "1")
    assert page.evaluate(hint) == "none"
    # Reconnecting remounts the page; what was typed is put back.
    expect(dialog.get_by_label("Name")).to_have_value(name)
    # Nothing was queued: Reflex sends queued events first on reconnect, so had the taps been kept,
    # this save would meet the department already saved (names are unique) instead of creating it.
    save.click()
    expect(dialog).to_have_count(0)
    assert _department_names(tab).count(name) == 1


def test_a_new_version_is_offered_and_taken_on_reload(installed_tab):
    tab = installed_tab(phone=True)
    page = tab.page
    # A new deployment, as the browser sees one: the same worker under another version.
    page.evaluate(
        "() => navigator.serviceWorker.register('/sw.js?v=next-deployment', {scope: '/', updateViaCache: 'none'})"
    )
    notice = page.get_by_role("status").filter(has_text="A new version is available")
    expect(notice).to_be_visible()
    reload = notice.get_by_role("button", name="Reload")
    box = reload.bounding_box()
    assert box["height"] >= 44 and box["width"] >= 44, box
    tab.shot("phone-update-notice")

    # Caches of an older deployment, to be dropped when the new worker takes over.
    page.evaluate("() => Promise.all(['planner-shell-old', 'planner-assets-old'].map((name) => caches.open(name)))")
    reload.click()
    page.wait_for_function("() => navigator.serviceWorker.controller?.scriptURL.endsWith('v=next-deployment')")
    expect(page.get_by_role("button", name="Sign in")).to_be_visible()
    names = page.evaluate("() => caches.keys()")
    assert "planner-shell-next-deployment" in names and not {"planner-shell-old", "planner-assets-old"} & set(names), (
        names
    )


def test_a_grid_cell_left_while_disconnected_is_kept_but_not_saved(open_tab):
    tab = open_tab()
    page = tab.page
    switch = WebsocketSwitch(page)
    tab.sign_in("manager", path="/assignments")
    row = page.get_by_role("grid", name="Planning grid").locator("tr[data-assignment]").nth(2)
    cells = row.get_by_role("textbox")
    expect(cells.first).to_be_visible()
    total = row.locator(".row-total")
    before_total = float(total.inner_text() or 0)
    label, other = cells.nth(0).get_attribute("aria-label"), cells.nth(1).get_attribute("aria-label")
    typed = f"{float(cells.nth(0).input_value() or 0) + 3:g}"

    switch.drop()
    expect(page.locator("#connection-banner")).to_be_visible()
    cells.nth(0).fill(typed)
    cells.nth(0).press("Tab")  # leaving the cell would save it
    expect(cells.nth(1)).to_be_focused()

    switch.restore()
    expect(page.locator("#connection-banner")).to_have_count(0)
    kept = page.get_by_role("textbox", name=label, exact=True).first
    expect(kept).to_have_value(typed)
    # A save made now lands after anything Reflex had queued: the total counts it, not the +3.
    cell = page.get_by_role("textbox", name=other, exact=True).first
    cell.fill(f"{float(cell.input_value() or 0) + 1:g}")
    cell.press("Tab")
    expect(total).to_have_text(f"{before_total + 1:g}")
