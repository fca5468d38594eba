"""Live updates under load: BENCH_TABS signed-in tabs (default 50) on the people list while a
writer saves BENCH_RATE changes a second (default 10) for BENCH_SECONDS (default 30).

The production app is built and served as `make run` serves it (one process, the API inside, a
temp SQLite database with the demo data), as the e2e tests do. The tabs are headless: each speaks
Reflex's websocket protocol and answers the sign-in grant as a browser tab does
(benchmarks/harness/reflex_tab.py), so fifty of them cost this machine a fraction of one core,
where fifty Chromium pages took more than its two (benchmarks/live_browser.py measures the screen
with real pages). Each change sets one of ten people a new job title `t<n>`.

Prints the delay from each save's answer (its commit) to each tab's state holding it (the update
over the tab's websocket), p50, p95 and max; how many of the last titles a tab's final state lacks
(missed: its screen would be wrong), and titles a tab skipped because a newer one of the same
person came in the same update (coalescing, not a loss); the app process's CPU (% of one core) and
resident memory, and the tabs' own CPU. Prints figures; asserts no time.

    BENCH_TABS=10 BENCH_SECONDS=10 .venv/bin/python benchmarks/live.py      # a quick run
"""

import os
import sys
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.harness.live import percentiles, saves_line, served  # noqa: E402
from benchmarks.harness.reflex_tab import Browser, Tab  # noqa: E402
from tests.e2e.server import PASSWORD  # noqa: E402

TABS = int(os.environ.get("BENCH_TABS", 50))
LOAD_TIMEOUT_SECONDS = 60


def main() -> None:
    with served() as app:
        browser = Browser(app.base, "admin", PASSWORD)
        tabs = [Tab(browser) for _ in range(TABS)]
        for tab in tabs:
            tab.open()
        if not all(tab.loaded.wait(LOAD_TIMEOUT_SECONDS) for tab in tabs):
            raise SystemExit(f"not every tab loaded the people list within {LOAD_TIMEOUT_SECONDS} s")
        run = app.write([psutil.Process()])
        for tab in tabs:
            tab.close()
        browser.close()

    saved = run.saved
    delays, skipped = [], 0
    for tab in tabs:
        for n, (_, _, at) in saved.items():
            if n in tab.titles:
                delays.append((tab.titles[n] - at) * 1000)
            else:
                skipped += 1
    last_of = saved.last_of_each()
    missed = sum(1 for tab in tabs for n in last_of.values() if f"t{n}" not in tab.shown)
    print(saves_line(TABS, saved))
    print(f"delay from commit to the tab's state: {percentiles(delays)}")
    print(f"missed (a tab's final state without a person's last title): {missed} of {len(tabs) * len(last_of)}")
    print(f"coalesced (a title replaced by a newer one before it reached a tab): {skipped}")
    print(run.app_figures)
    print(f"the {TABS} headless tabs: CPU mean {run.client_cpu:.0f} % of one core")


if __name__ == "__main__":
    main()
