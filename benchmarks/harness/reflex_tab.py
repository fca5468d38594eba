"""A browser tab without the browser: what the app server sees of a signed-in tab on one page,
spoken with python-socketio (Reflex's own wire protocol), so that a benchmark can open fifty of them
on this machine's two cores and measure the app rather than fifty Chromium pages.

What a real tab does, and so this one does:
- it connects to `/_event` with its tab token and carries the page's hydrate-and-load event in the
  connect packet (reflex's state.js);
- it answers the app's `plannerAuth.grant(challenge)` script as assets/auth.js does: the browser's
  cookie, posted to the API for a one-time code, handed back to the callback event the script names;
- it sends the people list's first window (`show_range`) once the list has come, as the virtual
  list does;
- it applies each state update it receives, and notes when a job title `t<n>` first reached it.

It answers no other script: a renewal is due only after minutes (a benchmark is over by then)."""

import re
import threading
import time
import uuid

import httpx
import socketio
from reflex.state import State

from planner_app.states.auth import AuthState
from planner_app.states.people import PeopleState

NAMESPACE = "/_event"
SCRIPT = re.compile(r'^plannerAuth\.(\w+)\("([^"]*)"')
CALLBACK_EVENT = re.compile(r'ReflexEvent\("([^"]+)"')
TITLE = re.compile(r"^t(\d+)$")
PEOPLE_STATE = PeopleState.get_full_name()


def _field(var) -> str:
    """The name a state's var has on the wire (`people_rx_state_`)."""
    return var._js_expr.rsplit(".", 1)[-1]


PEOPLE_FIELD = _field(PeopleState.people)
SIGNED_IN_FLAG = f"{AuthState.get_full_name()}.{_field(AuthState.signed_in_flag)}"


class Browser:
    """What the tabs of one browser share: its cookie jar (the HttpOnly refresh cookie), used by
    one request at a time, as a browser's grants rotate that cookie in turn."""

    def __init__(self, base: str, username: str, password: str):
        self.base = base
        self.http = httpx.Client(base_url=base, timeout=30)
        self._lock = threading.Lock()
        resp = self.http.post("/api/auth/token/cookie/", json={"username": username, "password": password})
        resp.raise_for_status()

    def grant(self, challenge: str) -> dict:
        """plannerAuth.grant: the cookie and the challenge for a one-time code."""
        with self._lock:
            csrf = self.http.cookies.get("planner_csrf", "")
            resp = self.http.post("/api/auth/token/app/", json={"challenge": challenge}, headers={"X-CSRF-Token": csrf})
        return {**resp.json(), "status": resp.status_code, "retryAfter": None, "challenge": challenge}

    def close(self) -> None:
        self.http.close()


class Tab:
    """One tab on `path`. `titles` holds when (CLOCK_MONOTONIC seconds) each change n first reached
    it; `shown` the titles of the people list it holds now."""

    def __init__(self, browser: Browser, path: str = "/people/"):
        self.browser = browser
        self.router_data = {"pathname": path, "asPath": path}
        self.titles: dict[int, float] = {}
        self.shown: set[str] = set()
        self.loaded = threading.Event()
        self.sio = socketio.Client(reconnection=False)
        self.sio.on("event", self._on_update, namespace=NAMESPACE)

    def open(self) -> None:
        hydrate = {
            "name": f"{State.get_full_name()}.hydrate_and_load",
            "payload": {"vars": {SIGNED_IN_FLAG: "1"}},
            "router_data": self.router_data,
        }
        self.sio.connect(
            f"{self.browser.base}?token={uuid.uuid4()}",
            socketio_path=NAMESPACE,
            namespaces=[NAMESPACE],
            transports=["websocket"],
            auth={"event": hydrate},
        )

    def close(self) -> None:
        self.sio.disconnect()

    def _send(self, name: str, payload: dict) -> None:
        self.sio.emit("event", {"name": name, "payload": payload, "router_data": self.router_data}, namespace=NAMESPACE)

    def _on_update(self, update: dict) -> None:
        at = time.monotonic()
        people = (update.get("delta") or {}).get(PEOPLE_STATE, {}).get(PEOPLE_FIELD)
        if people is not None:
            self._take(people, at)
        for event in update.get("events") or ():
            if event.get("name") == "_call_script":
                self._run_script(event["payload"])

    def _take(self, people: list[dict], at: float) -> None:
        self.shown = {row["job_title"] for row in people if TITLE.match(row.get("job_title") or "")}
        for title in self.shown:
            self.titles.setdefault(int(title[1:]), at)
        if people and not self.loaded.is_set():
            self.loaded.set()
            self._send(f"{PEOPLE_STATE}.show_range", {"first": 0, "last": 11})

    def _run_script(self, payload: dict) -> None:
        script = SCRIPT.match(payload.get("javascript_code", ""))
        callback = CALLBACK_EVENT.search(payload.get("callback") or "")
        if script and callback and script.group(1) == "grant":
            result = self.browser.grant(script.group(2))
            self._send(callback.group(1), {"result": result})
