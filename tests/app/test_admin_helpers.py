"""Pure helpers of the sessions and admin screens: devices in words, times ago, audit lines."""

import datetime as dt

import pytest

from planner_app.devices import device_name
from planner_app.planning import ago
from planner_app.services.models import AuditActor, AuditEntry, Session
from planner_app.states.audit import audit_rows, describe_action
from planner_app.states.profile import session_rows

CHROME_LINUX = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36"


@pytest.mark.parametrize(
    "agent, words",
    [
        (CHROME_LINUX, "Chrome on Linux"),
        (CHROME_LINUX.replace("Chrome/", "HeadlessChrome/"), "Chrome on Linux"),
        (
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36 Edg/131.0",
            "Edge on Windows",
        ),
        ("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7; rv:133.0) Gecko/20100101 Firefox/133.0", "Firefox on macOS"),
        (
            "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15",
            "Safari on macOS",
        ),
        (
            "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1",
            "Safari on iOS",
        ),
        (
            "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/131.0 Mobile/15E148 Safari/604.1",
            "Chrome on iOS",
        ),
        (
            "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Mobile Safari/537.36",
            "Chrome on Android",
        ),
        (
            "Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/26.0 Chrome/122.0 Mobile Safari/537.36",
            "Samsung Internet on Android",
        ),
        (
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36 OPR/115.0",
            "Opera on Windows",
        ),
        (
            "Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36",
            "Chrome on ChromeOS",
        ),
        ("python-httpx/0.28.1", "python-httpx"),
        ("curl/8.5.0", "curl"),
        ("", "Unknown device"),
        (None, "Unknown device"),
    ],
)
def test_user_agents_in_words(agent, words):
    assert device_name(agent) == words


NOW = dt.datetime(2026, 11, 24, 12, 0, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    "iso, words",
    [
        ("2026-11-24T11:59:30Z", "just now"),
        ("2026-11-24T12:00:05Z", "just now"),  # a clock a little ahead
        ("2026-11-24T11:59:00Z", "1 minute ago"),
        ("2026-11-24T11:15:00+00:00", "45 minutes ago"),
        ("2026-11-24T09:00:00Z", "3 hours ago"),
        ("2026-11-22T12:00:00Z", "2 days ago"),
        ("2026-09-01T08:00:00Z", "1 Sep 2026"),
        ("", ""),
        ("yesterday", "yesterday"),
    ],
)
def test_ago(iso, words):
    assert ago(iso, now=NOW) == words


def test_session_rows_put_this_device_first_and_leave_revoked_out():
    sessions = [
        Session(
            id=3,
            issued_at="2026-11-24T10:00:00Z",
            last_used_at="2026-11-24T10:00:00Z",
            ip="10.0.0.3",
            user_agent=CHROME_LINUX,
        ),
        Session(
            id=2,
            issued_at="2026-11-23T10:00:00Z",
            last_used_at="2026-11-24T10:00:00Z",
            ip="",
            user_agent="",
            current=True,
        ),
        Session(id=1, issued_at="2026-11-20T10:00:00Z", last_used_at="2026-11-20T10:00:00Z", is_active=False),
    ]
    rows = session_rows(sessions)
    assert [r.id for r in rows] == [2, 3]
    assert rows[0].current and rows[0].ip == "—" and rows[0].device == "Unknown device"
    assert rows[1].device == "Chrome on Linux" and rows[1].signed_in == "24 Nov 2026"


def _entry(action: str, meta: dict, target_id: int = 7) -> AuditEntry:
    return AuditEntry(
        id=1,
        actor=AuditActor(id=1, username="admin"),
        action=action,
        target_type="user",
        target_id=target_id,
        meta=meta,
        created_at="2026-11-24T10:00:00Z",
    )


def test_audit_actions_in_words():
    assert describe_action(_entry("change_role", {"from": "user", "to": "manager"})) == "Role user → manager"
    assert describe_action(_entry("toggle_active", {"isActive": False, "sessionsRevoked": 2})) == "Disabled the account"
    assert describe_action(_entry("toggle_active", {"isActive": True})) == "Enabled the account"
    assert describe_action(_entry("create_user", {"username": "ada", "role": "user"})) == "Created the account (user)"
    assert describe_action(_entry("set_password", {"sessionsRevoked": 1})) == "Set a new password"
    assert describe_action(_entry("rename_user", {})) == "Rename user"


def test_audit_whom_is_a_username_where_known():
    rows = audit_rows(
        [_entry("delete_user", {"username": "gone"}, 5), _entry("change_role", {}, 7), _entry("set_password", {}, 9)],
        {7: "bob"},
    )
    assert [r.whom for r in rows] == ["gone", "bob", "user #9"]
    assert rows[0].who == "admin"
