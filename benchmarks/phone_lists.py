"""Long lists on a phone: the production build with BENCH_PEOPLE extra people (default 10,000),
Chromium at 390×844 (is_mobile) with the CPU slowed four times (CDP), for People, the
Assignments grid and the dashboard (one page of its team overview). For each page it prints, while loading
and while scrolling to the end: DOM nodes, list rows in the page (the most seen at once while
scrolling) and the longest task (PerformanceObserver 'longtask'). Prints figures; asserts no time.

    .venv/bin/python benchmarks/phone_lists.py
    BENCH_APP_DIR=/tmp/other-checkout .venv/bin/python benchmarks/phone_lists.py   # serve another checkout's app

BENCH_APP_DIR serves the app of another checkout of this repository (with .venv and tools there),
e.g. to measure the code before a change; the data and the browser are set up the same way."""

import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from playwright.sync_api import expect, sync_playwright  # noqa: E402

from tests.e2e.conftest import PHONE  # noqa: E402
from tests.e2e.server import CHROMIUM, CHROMIUM_ARGS, PASSWORD, running_app  # noqa: E402
from tests.e2e.test_virtual_lists import bulk_people  # noqa: E402

PEOPLE = int(os.environ.get("BENCH_PEOPLE", 10_000))
APP_DIR = Path(os.environ.get("BENCH_APP_DIR", ROOT))
CPU_SLOWDOWN = 4
TIMEOUT_MS = 300_000  # a slowed phone against a loaded machine

# Installed in every document before the app's scripts: collect long tasks from the start.
LONGTASKS = """
window.__longtasks = [];
new PerformanceObserver((list) => { for (const e of list.getEntries()) window.__longtasks.push(e.duration); })
  .observe({ type: "longtask", buffered: true });
"""
ROWS = "document.querySelectorAll('main tr, main [role=row], main [role=listitem]').length"
COUNT_ROWS = f"""() => {{
  window.__rows = {ROWS};
  new MutationObserver(() => {{ window.__rows = Math.max(window.__rows, {ROWS}); }})
    .observe(document.body, {{ childList: true, subtree: true }});
}}"""
# Resolves once the page has been idle (no task running) after two frames.
SETTLED = """() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(
  () => requestIdleCallback(done, { timeout: 10000 }))))"""
# Scrolls down a screen at a time (a frame between steps) to the bottom, then waits for it to settle.
SCROLL_DOWN = """async () => {
  const frame = () => new Promise((r) => requestAnimationFrame(r));
  for (let step = 0; step < 400; step++) {
    const before = window.scrollY;
    window.scrollBy(0, Math.max(window.innerHeight * 6, document.documentElement.scrollHeight / 40));
    await frame(); await frame();
    if (window.scrollY === before) break;
  }
}"""


def figures(page) -> dict:
    page.evaluate(SETTLED)
    return {
        "nodes": page.evaluate("document.getElementsByTagName('*').length"),
        "rows": page.evaluate(ROWS),
        "longest": max(page.evaluate("window.__longtasks"), default=0.0),
        "tasks": len(page.evaluate("window.__longtasks")),
    }


def wait_loaded(page) -> None:
    expect(page.locator("#page-content")).to_be_visible(timeout=TIMEOUT_MS)
    expect(page.get_by_role("status").filter(has_text="Loading")).to_have_count(0, timeout=TIMEOUT_MS)


def measure(context, url: str, path: str) -> dict:
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    page.add_init_script(LONGTASKS)
    cdp = context.new_cdp_session(page)
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": CPU_SLOWDOWN})
    started = time.perf_counter()
    page.goto(url + path)
    wait_loaded(page)
    load = figures(page)
    load["seconds"] = time.perf_counter() - started

    page.evaluate("window.__longtasks = []")
    page.evaluate(COUNT_ROWS)
    started = time.perf_counter()
    page.evaluate(SCROLL_DOWN)
    expect(page.locator("main [aria-busy=true]")).to_have_count(0, timeout=TIMEOUT_MS)
    scroll = figures(page)
    scroll["seconds"] = time.perf_counter() - started
    scroll["max_rows"] = page.evaluate("window.__rows")
    page.close()
    return {"load": load, "scroll": scroll}


def main() -> None:
    log = Path(tempfile.mkdtemp(prefix="planner-bench-lists-")) / "server.log"
    print(f"app from {APP_DIR}; {PEOPLE:,} extra people; phone 390x844, CPU slowed {CPU_SLOWDOWN}x")
    crowd = lambda database_url: bulk_people(database_url, PEOPLE, "Benchmark crowd")  # noqa: E731
    with running_app(log, prepare=crowd, app_dir=APP_DIR) as (url, _), sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(**PHONE)
        sign_in = context.new_page()
        sign_in.goto(url + "/")
        sign_in.get_by_label("Username").fill("admin")
        sign_in.get_by_label("Password").fill(PASSWORD)
        sign_in.get_by_role("button", name="Sign in").click()
        wait_loaded(sign_in)
        sign_in.close()
        print(
            f"{'page':<26}{'phase':<8}{'DOM nodes':>10}{'rows':>7}{'most rows':>10}"
            f"{'longest task':>14}{'long tasks':>11}{'wall s':>8}"
        )
        for label, path in [
            ("People", "/people"),
            ("Assignments grid", "/assignments"),
            ("Dashboard, one page", "/"),
        ]:
            result = measure(context, url, path)
            for phase in ("load", "scroll"):
                f = result[phase]
                most = f.get("max_rows", "")
                print(
                    f"{label:<26}{phase:<8}{f['nodes']:>10,}{f['rows']:>7,}{most:>10}{f['longest']:>11.0f} ms"
                    f"{f['tasks']:>11}{f['seconds']:>8.1f}"
                )
        browser.close()


if __name__ == "__main__":
    main()
