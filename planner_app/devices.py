"""A browser's User-Agent in words ("Chrome on Linux"), for the list of signed-in devices.

Only the browsers and systems people actually use are named; anything else keeps the first word
of its agent string (a script's "python-httpx"), and an empty one is an unknown device.
"""

from __future__ import annotations

import re

# Order matters: Edge and Opera also say Chrome, Chrome also says Safari, Android also says Linux.
_BROWSERS = [
    ("Edge", re.compile(r"\bEdg(e|A|iOS)?/")),
    ("Opera", re.compile(r"\b(OPR|Opera)/")),
    ("Samsung Internet", re.compile(r"\bSamsungBrowser/")),
    ("Firefox", re.compile(r"\b(Firefox|FxiOS)/")),
    ("Chrome", re.compile(r"\b(HeadlessChrome|Chrome|CriOS|Chromium)/")),
    ("Safari", re.compile(r"\bVersion/[\d.]+.*\bSafari/")),
]
_SYSTEMS = [
    ("iOS", re.compile(r"\b(iPhone|iPad|iPod)\b")),
    ("Android", re.compile(r"\bAndroid\b")),
    ("Windows", re.compile(r"\bWindows\b")),
    ("ChromeOS", re.compile(r"\bCrOS\b")),
    ("macOS", re.compile(r"\bMac OS X\b|\bMacintosh\b")),
    ("Linux", re.compile(r"\bLinux\b|\bX11\b")),
]


def _first_match(table: list[tuple[str, re.Pattern]], agent: str) -> str:
    return next((name for name, pattern in table if pattern.search(agent)), "")


def device_name(user_agent: str | None) -> str:
    agent = (user_agent or "").strip()
    if not agent:
        return "Unknown device"
    browser, system = _first_match(_BROWSERS, agent), _first_match(_SYSTEMS, agent)
    if browser and system:
        return f"{browser} on {system}"
    if browser or system:
        return browser or f"A browser on {system}"
    return agent.split("/", 1)[0].split()[0][:40]
