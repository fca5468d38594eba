"""Live updates to the screen: BENCH_TABS Chromium pages (default 10) on the people list while a
writer saves BENCH_RATE changes a second (default 10) for BENCH_SECONDS (default 30).

The production app is built and served as `make run` serves it (one process, the API inside, a
temp SQLite database with the demo data), as the e2e tests do. Ten people named "Aaaa Bench …"
head the list, so every tab shows them; each change sets one of them a new job title `t<n>`
through the API, and every page notes when a title appears on its screen (a MutationObserver).
Prints two delays from each save's answer (its commit), p50, p95 and max:

- **to the tab's state**: the tab's new state reaching it over its websocket, as the browser's
  network stack stamped the frame (DevTools' Network.webSocketFrameReceived, on the same
  CLOCK_MONOTONIC as this script): no page rendering in it, but a browser too busy to read its
  sockets delays it as well.
- **to the screen**: the title appearing on the page (a MutationObserver).

Many tabs are many users' machines; here they share the app's two cores, so the browser runs at
the lowest CPU priority (nice 19) to leave the app the cores it would have. Even so the pages
fall behind with many tabs (the browser's CPU is printed; fifty pages took more than both cores):
then both delays are the browser's, not the app's. benchmarks/live.py measures fifty tabs
without Chromium.

And how many of the last titles a tab never showed (missed: its screen would be wrong), and the app
process's CPU (% of one core) and resident memory during the run. Titles a tab skipped because a
newer one of the same person came in the same batch are counted apart: that is coalescing, not a
loss. Prints figures; asserts no time.

    BENCH_TABS=5 BENCH_SECONDS=10 .venv/bin/python benchmarks/live_browser.py      # a quick run
"""

import os
import re
import sys
import tempfile
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.harness.live import percentiles, saves_line, served  # noqa: E402
from tests.e2e.server import CHROMIUM, CHROMIUM_ARGS, PASSWORD  # noqa: E402

TABS = int(os.environ.get("BENCH_TABS", 10))

# Every text `t<n>` that appears on the page, with when (epoch ms, the machine's one clock).
WATCH = """() => {
    window.__seen = {};
    const note = (text) => {
        const m = /^t(\\d+)$/.exec((text || '').trim());
        if (m && !(m[1] in window.__seen)) window.__seen[m[1]] = Date.now();
    };
    new MutationObserver((records) => {
        for (const r of records) {
            if (r.type === 'characterData') note(r.target.textContent);
            for (const n of r.addedNodes) {
                if (n.nodeType === 3) note(n.textContent);
                else if (n.querySelectorAll) {
                    for (const e of [n, ...n.querySelectorAll('*')]) if (e.childElementCount === 0) note(e.textContent);
                }
            }
        }
    }).observe(document.body, {subtree: true, childList: true, characterData: true});
}"""
TITLE_IN_FRAME = re.compile(r'\\*"t(\d+)\\*"')  # a title in a websocket frame's JSON (quoted once or twice)
SHOWN = """() => [...document.querySelectorAll('main *')].filter(e => e.childElementCount === 0)
    .map(e => e.textContent.trim()).filter(t => /^t\\d+$/.test(t))"""


def _nice_chromium(directory: Path) -> str:
    """A launcher that runs Chromium at the lowest CPU priority (Playwright needs one executable)."""
    launcher = directory / "chromium-nice"
    launcher.write_text(f'#!/bin/sh\nexec nice -n 19 {CHROMIUM} "$@"\n')
    launcher.chmod(0o755)
    return str(launcher)


class Frames:
    """When each title `t<n>` first reached one tab over its websocket, in seconds of
    CLOCK_MONOTONIC (the browser's stamp, not when Playwright hands the event over)."""

    def __init__(self, context, page):
        self.first: dict[int, float] = {}
        self._cdp = context.new_cdp_session(page)
        self._cdp.on("Network.webSocketFrameReceived", self._on_frame)
        self._cdp.send("Network.enable")

    def _on_frame(self, event: dict) -> None:
        for n in TITLE_IN_FRAME.findall(event["response"].get("payloadData", "")):
            self.first.setdefault(int(n), event["timestamp"])


def _browser_processes() -> list[psutil.Process]:
    return [p for p in psutil.process_iter(["name"]) if "chrom" in (p.info["name"] or "")]


def main() -> None:
    from playwright.sync_api import sync_playwright

    with served() as app, sync_playwright() as playwright, tempfile.TemporaryDirectory() as launchers:
        browser = playwright.chromium.launch(executable_path=_nice_chromium(Path(launchers)), args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1280, "height": 800})
        first = context.new_page()
        first.goto(f"{app.base}/people")
        first.get_by_label("Username").fill("admin")
        first.get_by_label("Password").fill(PASSWORD)
        first.get_by_role("button", name="Sign in").click()
        pages = [first]
        while len(pages) < TABS:
            pages.append(context.new_page())
        frames = []
        for page in pages:
            if page is not first:
                page.goto(f"{app.base}/people")
            page.get_by_text("Aaaa Bench 00").first.wait_for()
            page.evaluate(WATCH)
            frames.append(Frames(context, page))
        # This thread hands Playwright's events over meanwhile.
        run = app.write(_browser_processes(), wait=lambda seconds: first.wait_for_timeout(seconds * 1000))
        seen = [page.evaluate("() => window.__seen") for page in pages]
        shown = [set(page.evaluate(SHOWN)) for page in pages]
        browser.close()

    saved = run.saved
    last_of = saved.last_of_each()
    to_screen, to_state, skipped = [], [], 0
    for tab, tab_frames in zip(seen, frames, strict=True):
        for n, (_, at_ms, at_monotonic) in saved.items():
            if n in tab_frames.first:
                to_state.append((tab_frames.first[n] - at_monotonic) * 1000)
            if str(n) in tab:
                to_screen.append(tab[str(n)] - at_ms)
            else:
                skipped += 1
    missed = sum(1 for tab in shown for n in last_of.values() if f"t{n}" not in tab)
    print(saves_line(TABS, saved))
    print(f"delay from commit to the tab's state (websocket frame): {percentiles(to_state)}")
    print(f"delay from commit to screen: {percentiles(to_screen)}")
    print(f"missed (a tab's final screen without a person's last title): {missed} of {len(shown) * len(last_of)}")
    print(f"coalesced (a title replaced by a newer one before a tab showed it): {skipped}")
    print(run.app_figures)
    print(f"browser ({TABS} pages): CPU mean {run.client_cpu:.0f} % of one core")


if __name__ == "__main__":
    main()
