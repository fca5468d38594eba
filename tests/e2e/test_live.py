"""Live updates between two people in two browsers (issue 12): what one saves, the other's list,
open form, planning grid, project page, person page and dashboard show without a reload; a tab
that lost its connection catches up; a revoked session stops receiving.

A (manager) works through the API or the UI, B (admin, or user) watches in another browser. The
delays printed are for information: the benchmark (benchmarks/live.py) holds the target."""

import datetime as dt
import itertools
import re
import time

import pytest
from playwright.sync_api import expect

from tests.e2e.server import PASSWORD
from tests.e2e.test_conflicts import Api, _edit, _open_edit
from tests.e2e.test_pwa import WebsocketSwitch

_seq = itertools.count(1)
MONDAY = dt.date.today() - dt.timedelta(days=dt.date.today().weekday())


def _since(started: float) -> str:
    return f"{(time.monotonic() - started) * 1000:.0f} ms"


def _manager_and_admin(open_tab, phone: bool = False):
    """A (manager) and B (admin), each signed in in a browser of their own, and A's API."""
    a, b = open_tab(phone=phone), open_tab(phone=phone)
    a.sign_in("manager", path="/people")
    b.sign_in("admin", path="/people")
    return a, b, Api(a)


def _people_list(tab, name: str) -> None:
    tab.open("/people")
    tab.page.get_by_label("Search").fill(name)
    expect(tab.page.locator("main").get_by_role("link", name=name, exact=True).first).to_be_visible()


@pytest.mark.parametrize("phone", [False, True], ids=["desktop", "phone"])
def test_a_saved_person_reaches_the_other_users_list_form_and_page(open_tab, phone):
    device = "phone" if phone else "desktop"
    a, b, api = _manager_and_admin(open_tab, phone)
    name = f"Live person {next(_seq)} {device}"
    person = api.create("/people/", {"name": name, "jobTitle": "Engineer"})
    path = f"/people/{person['id']}"
    try:
        _people_list(b, name)
        a.open(path)
        expect(_edit(a, job_title="Surveyor")).to_have_count(0)
        started = time.monotonic()
        expect(b.page.locator("main").get_by_text("Surveyor", exact=True).first).to_be_visible()
        print(f"\n{device}: list updated {_since(started)} after A's save")
        expect(b.page.locator(".live-changed").first).to_be_attached()
        b.shot(f"{device}-live-list")

        # B has the edit form open when A saves: B is told at once, and nothing B typed is lost.
        b.open(path)
        dialog = _open_edit(b)
        dialog.get_by_label("Location", exact=True).fill("Typed by B")
        expect(_edit(a, job_title="Lead surveyor")).to_have_count(0)
        started = time.monotonic()
        text = dialog.locator(".conflict-banner .conflict-text")
        expect(text).to_have_text("manager just changed this. Reload latest, or review the changes.")
        print(f"{device}: open form told {_since(started)} after A's save")
        expect(dialog.get_by_label("Location", exact=True)).to_have_value("Typed by B")
        dialog.locator(".conflict-banner").get_by_role("button", name="Review changes").click()
        expect(dialog.get_by_role("listitem", name="Job title")).to_contain_text("Lead surveyor")
        expect(dialog.get_by_role("button", name="Keep my changes")).to_have_count(0)  # nothing refused yet
        b.shot(f"{device}-live-form-banner")
        dialog.locator(".conflict-banner").get_by_role("button", name="Reload latest").click()
        expect(dialog.get_by_role("textbox", name="Job title")).to_have_value("Lead surveyor")
        dialog.get_by_role("button", name="Cancel").click()
        expect(dialog).to_have_count(0)
    finally:
        api.delete(f"{path}/")
    # Deleted by A while B has the page open.
    expect(b.page.get_by_role("status").filter(has_text="Deleted by manager.")).to_be_visible()
    expect(b.page.get_by_role("button", name="Edit", exact=True)).to_have_count(0)
    b.shot(f"{device}-live-deleted")
    assert not b.errors


def test_grid_project_page_person_page_and_dashboard_follow_the_other_user(open_tab):
    a, b = open_tab(), open_tab()
    n = next(_seq)
    a.sign_in("manager", path="/people")
    api = Api(a)
    week = MONDAY.isoformat()
    person = api.create("/people/", {"name": f"Aaaa Live {n}", "weeklyCapacity": 40})
    project = api.create("/projects/", {"name": f"Live grid {n}"})
    assignment = api.create(
        "/assignments/", {"personId": person["id"], "projectId": project["id"], "weeklyHours": {week: 8}}
    )
    deliverable = api.create(
        "/deliverables/", {"projectId": project["id"], "description": f"Tender set {n}", "date": "2027-03-01"}
    )
    b.sign_in("admin", path="/assignments")  # after the project exists: the grid's filter lists it
    try:
        # The planning grid: A's saved hours appear in B's cell, the row highlighted.
        b.page.get_by_label("Project", exact=True).select_option(label=project["name"])
        row = b.page.get_by_role("grid", name="Planning grid").locator("tr[data-assignment]")
        expect(row).to_have_count(1)
        api.patch(f"/assignments/{assignment['id']}/", {"weeklyHours": {week: 20}})
        started = time.monotonic()
        expect(row.get_by_role("textbox").first).to_have_value("20")
        print(f"\ngrid cell updated {_since(started)} after the save")
        expect(row).to_have_class(re.compile(r"\blive-changed\b"))
        b.shot("desktop-live-grid")

        # The project page: a deliverable ticked by A is ticked on B's screen.
        b.open(f"/projects/{project['id']}")
        tick = b.page.get_by_role("checkbox", name=f"Completed: Tender set {n}")
        expect(tick).not_to_be_checked()
        api.patch(f"/deliverables/{deliverable['id']}/", {"isCompleted": True})
        expect(tick).to_be_checked()

        # The person page: utilisation follows the hours.
        b.open(f"/people/{person['id']}")
        expect(b.page.get_by_text("50 %").first).to_be_visible()  # 20 of 40 h
        api.patch(f"/assignments/{assignment['id']}/", {"weeklyHours": {week: 30}})
        expect(b.page.get_by_text("75 %").first).to_be_visible()

        # The dashboard: one more person.
        b.open("/")
        people = b.page.get_by_role("group", name="People", exact=True).locator(".rt-r-size-6")
        before = int(people.inner_text().replace(",", ""))
        extra = api.create("/people/", {"name": f"Aaaa Live extra {n}"})
        expect(people).to_have_text(f"{before + 1:,}")
        api.delete(f"/people/{extra['id']}/")
        expect(people).to_have_text(f"{before:,}")
    finally:
        for path in (f"/assignments/{assignment['id']}/", f"/projects/{project['id']}/", f"/people/{person['id']}/"):
            api.delete(path)
    assert not b.errors


def test_a_tab_that_lost_its_connection_catches_up(open_tab):
    a, b = open_tab(), open_tab()
    switch = WebsocketSwitch(b.page)
    a.sign_in("manager", path="/people")
    b.sign_in("admin", path="/people")
    api = Api(a)
    name = f"Live reconnect {next(_seq)}"
    person = api.create("/people/", {"name": name, "jobTitle": "Engineer"})
    try:
        _people_list(b, name)
        switch.drop()
        expect(b.page.locator("#connection-banner")).to_be_visible()
        api.patch(f"/people/{person['id']}/", {"jobTitle": "Changed while B was away"})
        switch.restore()
        expect(b.page.locator("#connection-banner")).to_have_count(0)
        expect(b.page.locator("main").get_by_text("Changed while B was away", exact=True).first).to_be_visible()
    finally:
        api.delete(f"/people/{person['id']}/")


def test_a_revoked_session_is_signed_out_at_once(open_tab):
    """An admin sets B's password (which ends B's sessions): B's open page goes to sign-in by
    itself, without B doing anything."""
    a, b = open_tab(), open_tab()
    a.sign_in("manager", path="/people")
    b.sign_in("user", path="/people")
    admin = Api(a, "admin")
    user = next(u for u in admin.get("/auth/users/?pageSize=200")["results"] if u["username"] == "user")

    def set_password(password: str) -> None:
        resp = admin.request.post(
            f"{admin.base}/auth/users/{user['id']}/set_password/", data={"password": password}, headers=admin.headers
        )
        assert resp.ok, resp.text()

    b.allow_status(401)
    set_password("a temporary password 42")
    try:
        expect(b.page.get_by_role("button", name="Sign in")).to_be_visible()
    finally:
        set_password(PASSWORD)


@pytest.mark.parametrize("phone", [False, True], ids=["desktop", "phone"])
def test_a_users_profile_lists_a_new_browser_and_drops_a_revoked_one(open_tab, phone, tmp_path):
    """Not an admin: a sign-in elsewhere shows in their Active sessions at once, and goes when
    that session is revoked."""
    a = open_tab(phone=phone)
    a.sign_in("user", path="/profile")
    rows = a.page.locator("main [data-session]:visible")  # a table on desktops, cards on phones
    expect(rows.first).to_be_visible()
    before = rows.count()
    started = time.monotonic()
    elsewhere = Api(a, "user")  # a script signing in: one more session of the account
    expect(rows).to_have_count(before + 1)
    print(f"new session listed {_since(started)} after the sign-in")
    a.page.screenshot(path=tmp_path / f"profile-live-{'phone' if phone else 'desktop'}.png", full_page=True)
    mine = next(s for s in elsewhere.get("/auth/sessions/")["results"] if s["current"])
    resp = elsewhere.request.post(
        f"{elsewhere.base}/auth/sessions/revoke/", data={"sessionId": mine["id"]}, headers=elsewhere.headers
    )
    assert resp.ok, resp.text()
    expect(rows).to_have_count(before)


@pytest.mark.parametrize("phone", [False, True], ids=["desktop", "phone"])
def test_who_else_has_a_person_open_and_what_they_do(open_tab, phone):
    device = "phone" if phone else "desktop"
    a, b, api = _manager_and_admin(open_tab, phone)
    person = api.create("/people/", {"name": f"Presence person {next(_seq)} {device}"})
    path = f"/people/{person['id']}"
    try:
        b.open(path)
        a.open(path)
        present = b.page.get_by_role("status", name="Who else has this open")
        expect(present).to_contain_text("manager is viewing this")
        dialog = _open_edit(a)
        expect(present).to_contain_text("manager is editing this")
        b.shot(f"{device}-presence-editing")
        dialog.get_by_role("button", name="Cancel").click()
        expect(present).to_contain_text("manager is viewing this")
        a.open("/people")  # left: gone at once
        expect(present).to_have_count(0)
        # B's edit form shows who else is in the item too.
        a.open(path)
        b_dialog = _open_edit(b)
        expect(b_dialog.get_by_role("status", name="Who else has this open")).to_contain_text("manager is viewing this")
        b_dialog.get_by_role("button", name="Cancel").click()
    finally:
        api.delete(f"{path}/")


def test_presence_expires_when_a_tab_closes_and_shows_in_grid_cells(open_tab):
    a, b = open_tab(), open_tab()
    n = next(_seq)
    a.sign_in("manager", path="/people")
    api = Api(a)
    person = api.create("/people/", {"name": f"Aaaa Presence {n}", "weeklyCapacity": 40})
    project = api.create("/projects/", {"name": f"Presence grid {n}"})
    assignment = api.create(
        "/assignments/", {"personId": person["id"], "projectId": project["id"], "weeklyHours": {MONDAY.isoformat(): 8}}
    )
    b.sign_in("admin", path="/assignments")
    try:
        a.open("/assignments")
        for tab in (a, b):
            tab.page.get_by_label("Project", exact=True).select_option(label=project["name"])
            expect(tab.page.locator("tr[data-assignment]")).to_have_count(1)
        cell = a.page.get_by_role("grid", name="Planning grid").locator("tr[data-assignment]").get_by_role("textbox")
        cell.first.fill("12")  # typing, not saved yet
        badge = b.page.locator("tr[data-assignment] .cell-editor")
        expect(badge).to_have_text("MA")
        expect(badge).to_have_attribute("title", "manager is editing this")
        b.shot("desktop-presence-grid-cell")
        cell.first.press("Enter")  # saved and left: the initials go
        expect(badge).to_have_count(0)

        # A closes the tab while on the person's page: nothing says goodbye, the presence expires.
        a.open(f"/people/{person['id']}")
        b.open(f"/people/{person['id']}")
        present = b.page.get_by_role("status", name="Who else has this open")
        expect(present).to_contain_text("manager is viewing this")
        a.page.close()
        expect(present).to_have_count(0, timeout=60_000)  # 30 s on the API, then B's next heartbeat
    finally:
        for path in (f"/assignments/{assignment['id']}/", f"/projects/{project['id']}/", f"/people/{person['id']}/"):
            api.delete(path)
