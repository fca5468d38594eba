"""What a phone downloads and runs on the first signed-in load (issue 8, "weight").

Serves the production build (as `make run` does, via tests/e2e/server.py), signs in on a fresh
390 px phone profile and prints, for the login page and then the dashboard: the JavaScript
transferred over the wire (compressed), its decoded size, how much of it ran (V8 precise coverage),
and the encodings the server chose. Prints figures; asserts nothing.

    make bench            # every benchmark
    .venv/bin/python benchmarks/first_load.py
"""

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from playwright.sync_api import expect, sync_playwright  # noqa: E402

from tests.e2e.server import CHROMIUM, CHROMIUM_ARGS, PASSWORD, running_app  # noqa: E402

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True, "device_scale_factor": 2}
SCRIPTS = """() => performance.getEntriesByType('resource')
    .filter(e => e.initiatorType === 'script' || e.name.endsWith('.js'))
    .map(e => ({name: e.name, transfer: e.transferSize, encoded: e.encodedBodySize, decoded: e.decodedBodySize}))"""


def _used_bytes(coverage: list[dict], lengths: dict[str, int]) -> tuple[int, int]:
    """(bytes that ran, bytes in all) over the app's scripts, from V8 block coverage: a range's count
    applies to it minus the nested ranges inside it, which the list gives later."""
    used = total = 0
    for script in coverage:
        length = lengths.get(script["scriptId"])
        if not length or "/assets/" not in script["url"]:
            continue
        counts = bytearray(length)
        for function in script["functions"]:
            for r in function["ranges"]:
                counts[r["startOffset"] : r["endOffset"]] = (b"\1" if r["count"] else b"\0") * (
                    r["endOffset"] - r["startOffset"]
                )
        used += sum(counts)
        total += length
    return used, total


def _kib(n: int) -> str:
    return f"{n / 1024:,.0f} KiB"


def measure(base_url: str) -> None:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        # A first visit: no service worker yet (one that installs mid-run would serve later scripts
        # from its cache and hide their size on the wire).
        context = browser.new_context(**PHONE, service_workers="block")
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        lengths: dict[str, int] = {}
        cdp.on("Debugger.scriptParsed", lambda e: lengths.__setitem__(e["scriptId"], e["length"]))
        cdp.send("Debugger.enable")
        cdp.send("Profiler.enable")
        cdp.send("Profiler.startPreciseCoverage", {"callCount": False, "detailed": True})
        encodings: dict[str, str] = {}
        page.on(
            "response",
            lambda r: r.url.endswith(".js") and encodings.__setitem__(r.url, r.headers.get("content-encoding", "none")),
        )

        page.goto(base_url + "/login")
        expect(page.get_by_role("button", name="Sign in")).to_be_visible()
        login = page.evaluate(SCRIPTS)
        page.get_by_label("Username").fill("admin")
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        expect(page.locator("#page-content")).to_be_visible(timeout=60_000)
        everything = page.evaluate(SCRIPTS)
        used, total = _used_bytes(cdp.send("Profiler.takePreciseCoverage")["result"], lengths)
        browser.close()

    for label, entries in (("login page", login), ("login + signed-in dashboard", everything)):
        print(
            f"{label}: {len(entries)} scripts, {_kib(sum(e['transfer'] for e in entries))} transferred, "
            f"{_kib(sum(e['encoded'] for e in entries))} compressed body, "
            f"{_kib(sum(e['decoded'] for e in entries))} decoded"
        )
    print(f"JavaScript that ran by the dashboard: {_kib(used)} of {_kib(total)} parsed ({used / max(total, 1):.0%})")
    chosen = sorted(set(encodings.values()))
    print(f"content-encoding of the scripts: {', '.join(chosen)}")
    biggest = sorted(everything, key=lambda e: -e["encoded"])[:5]
    print(
        "largest scripts (compressed): "
        + ", ".join(f"{e['name'].rsplit('/', 1)[-1]} {_kib(e['encoded'])}" for e in biggest)
    )


if __name__ == "__main__":
    with running_app(Path(tempfile.mkdtemp(prefix="planner-bench-")) / "server.log") as (url, _):
        measure(url)
