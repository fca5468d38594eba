"""The planning grid (/assignments) on a slow phone: main-thread long tasks and DOM size.

Builds and serves the production app as the e2e tests do (a temp SQLite database with the demo
data), then loads /assignments in Debian's Chromium at 390×844 (is_mobile, touch) with the CPU
slowed 4× (CDP Emulation.setCPUThrottlingRate), and at 1280×800 unthrottled for comparison.
Prints the longest task, the total blocking time (the part of each long task over 50 ms, as
Lighthouse counts it), the number of long tasks and DOM elements, and the time from a stepper
tap (or a typed cell) to its saved value on screen. Prints figures; asserts no time.

    .venv/bin/python benchmarks/grid_phone.py            # BENCH_RUNS=3 by default
"""

import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.e2e.server import CHROMIUM, CHROMIUM_ARGS, PASSWORD, running_app  # noqa: E402

RUNS = int(os.environ.get("BENCH_RUNS", 3))
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True, "device_scale_factor": 3}
DESKTOP = {"viewport": {"width": 1280, "height": 800}}

# Collects long tasks from the first moment of the page (buffered), in the page itself.
OBSERVE = """
window.__longtasks = [];
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) window.__longtasks.push([e.startTime, e.duration]);
}).observe({ type: "longtask", buffered: true });
"""
FIGURES = """() => {
  const tasks = window.__longtasks;
  return {
    longest: Math.max(0, ...tasks.map(t => t[1])),
    blocking: tasks.reduce((sum, t) => sum + Math.max(0, t[1] - 50), 0),
    count: tasks.length,
    nodes: document.getElementsByTagName("*").length,
    inputs: document.getElementsByTagName("input").length,
  };
}"""


def settle(page) -> None:
    """Until the main thread has been free of long tasks for a second (or 15 s have passed)."""
    deadline = time.monotonic() + 15
    seen = -1
    while time.monotonic() < deadline:
        count = page.evaluate("() => window.__longtasks.length")
        if count == seen:
            return
        seen = count
        page.wait_for_timeout(1000)


def measure(browser, base: str, profile: dict, throttle: float) -> dict:
    context = browser.new_context(**profile)
    page = context.new_page()
    page.goto(f"{base}/login?next=/assignments")
    page.get_by_label("Username").fill("manager")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.locator("[data-assignment]").first.wait_for()
    # Measured from a fresh load of the grid page, signed in.
    page.add_init_script(OBSERVE)
    cdp = context.new_cdp_session(page)
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": throttle})
    start = time.monotonic()
    page.reload()
    page.locator("[data-assignment] input, [data-assignment] .week-chip").first.wait_for()
    shown = time.monotonic() - start
    settle(page)
    figures = page.evaluate(FIGURES)
    figures["shown_s"] = shown
    # One edit, from the tap or key to its saved value on screen.
    row = page.locator("[data-assignment]").first
    total = row.locator(".row-total")
    before = total.inner_text()
    start = time.monotonic()
    stepper = row.locator(".stepper").filter(has_text="+1 h")
    if stepper.count():
        stepper.first.click()
    else:
        cell = row.locator("input").first
        cell.fill(str(float(cell.input_value() or 0) + 1).removesuffix(".0"))
        cell.press("Enter")
    page.wait_for_function("([el, text]) => el.innerText !== text", arg=[total.element_handle(), before])
    figures["edit_s"] = time.monotonic() - start
    context.close()
    return figures


def main() -> None:
    from playwright.sync_api import sync_playwright

    log = Path(tempfile.mkdtemp(prefix="planner-bench-grid-")) / "server.log"
    with running_app(log) as (base, _), sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for name, profile, throttle in (("phone 390×844, CPU ÷4", PHONE, 4), ("desktop 1280×800", DESKTOP, 1)):
            runs = [measure(browser, base, profile, throttle) for _ in range(RUNS)]
            print(f"/assignments, {name}, {RUNS} loads (median):")
            for key, unit in (
                ("longest", "ms"),
                ("blocking", "ms"),
                ("count", ""),
                ("nodes", ""),
                ("inputs", ""),
                ("shown_s", "s"),
                ("edit_s", "s"),
            ):
                values = sorted(r[key] for r in runs)
                print(
                    f"  {key:9} {values[len(values) // 2]:10.2f} {unit}   "
                    f"(all: {', '.join(f'{v:.2f}' for v in values)})"
                )
        browser.close()


if __name__ == "__main__":
    main()
