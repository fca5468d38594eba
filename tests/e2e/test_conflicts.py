"""Two tabs of one user editing the same item (C1/C2), and one browser changing hands (C3).
A deliverable ticked over someone else's change is covered in tests/app/test_conflicts.py: in a
browser the live update (tests/e2e/test_live.py) shows the change before the tick can be stale.

Each test makes its own items through the API, so it does not depend on the demo data or on
what other tests changed; what the browser saved is checked through the API too."""

import datetime as dt
import itertools
import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import ARTIFACTS, PASSWORD, Tab

# The banner names who saved first, and when: here the same user, in the other tab.
CONFLICT_TEXT = re.compile(r"^You updated this item (just now|1 minute ago) in another tab\. Reload latest\.$")
# What an open form says the moment the other tab saves (live updates), before any Save.
LIVE_TEXT = "You just changed this in another tab. Reload latest, or review the changes."
_seq = itertools.count(1)


class Api:
    """The REST API as a script would use it, signed in as `username`."""

    def __init__(self, tab: Tab, username: str = "manager"):
        self.request = tab.page.request
        self.base = f"{tab.base_url}/api"
        token = self.request.post(f"{self.base}/auth/token/", data={"username": username, "password": PASSWORD}).json()[
            "access"
        ]
        self.headers = {"Authorization": f"Bearer {token}"}

    def get(self, path: str) -> dict:
        resp = self.request.get(self.base + path, headers=self.headers)
        assert resp.ok, resp.text()
        return resp.json()

    def create(self, path: str, body: dict) -> dict:
        resp = self.request.post(self.base + path, data=body, headers=self.headers)
        assert resp.status == 201, resp.text()
        return resp.json()

    def patch(self, path: str, changes: dict) -> None:
        etag = self.request.get(self.base + path, headers=self.headers).headers["etag"]
        resp = self.request.patch(self.base + path, data=changes, headers={**self.headers, "If-Match": etag})
        assert resp.ok, resp.text()

    def delete(self, path: str) -> None:
        resp = self.request.delete(self.base + path, headers=self.headers)
        assert resp.status == 204, resp.text()


def _second_tab(first: Tab) -> Tab:
    """Another page of the same browser: signed in through its refresh cookie."""
    return Tab(first.page.context.new_page(), first.base_url)


def _view(tab: Tab, name: str) -> None:
    tab.page.screenshot(path=ARTIFACTS / f"{name}.png")


def _open_edit(tab: Tab):
    tab.page.get_by_role("button", name="Edit", exact=True).click()
    dialog = tab.page.get_by_role("dialog")
    expect(dialog).to_be_visible()
    return dialog


def _fill_and_save(dialog, **fields: str):
    for label, value in fields.items():
        dialog.get_by_label(label.replace("_", " ").capitalize(), exact=True).fill(value)
    dialog.get_by_role("button", name="Save").click()
    return dialog


def _edit(tab: Tab, **fields: str):
    return _fill_and_save(_open_edit(tab), **fields)


def _conflict_round_trip(tab_a: Tab, tab_b: Tab, api: Api, path: str, a_field: str, b_field: str, shots: str) -> None:
    """B has the form open when A saves: B's banner says so at once. B saves anyway: refused, and
    Reload latest shows A's value. Again, and B keeps their change: stored on top of A's."""
    a_label, b_label = a_field.replace("_", " ").capitalize(), b_field.replace("_", " ").capitalize()
    dialog = _open_edit(tab_b)
    expect(_edit(tab_a, **{a_field: "From tab A"})).to_have_count(0)
    banner = dialog.locator(".conflict-banner")
    expect(banner.locator(".conflict-text")).to_have_text(LIVE_TEXT)
    if shots:
        _view(tab_b, f"{shots}-live-banner")
    # Nothing new is pinned: the form still shows the version B opened, and saving it is refused.
    expect(dialog.get_by_label(a_label, exact=True)).not_to_have_value("From tab A")

    _fill_and_save(dialog, **{b_field: "From tab B"})
    expect(banner.locator(".conflict-text")).to_have_text(CONFLICT_TEXT)
    expect(banner).to_be_in_viewport()  # Save is at the bottom of a long form: the banner is brought into view
    # Non-blocking: what B typed is still in the form.
    expect(dialog.get_by_label(b_label, exact=True)).to_have_value("From tab B")
    if shots:
        _view(tab_b, f"{shots}-banner")
    banner.get_by_role("button", name="Review changes").click()
    changes = dialog.get_by_role("list", name="Changes")
    expect(changes.get_by_role("listitem", name=a_label)).to_contain_text("From tab A")
    expect(changes.get_by_role("listitem", name=b_label)).to_contain_text("From tab B")
    if shots:
        dialog.get_by_role("button", name="Keep my changes").scroll_into_view_if_needed()
        _view(tab_b, f"{shots}-review")

    banner.get_by_role("button", name="Reload latest").click()
    expect(banner).to_have_count(0)
    expect(dialog.get_by_label(a_label, exact=True)).to_have_value("From tab A")
    expect(dialog.get_by_label(b_label, exact=True)).not_to_have_value("From tab B")
    dialog.get_by_role("button", name="Cancel").click()

    # Round two: keep B's change on top of A's newer one.
    dialog = _open_edit(tab_b)
    expect(_edit(tab_a, **{a_field: "From tab A again"})).to_have_count(0)
    expect(dialog.locator(".conflict-banner .conflict-text")).to_have_text(LIVE_TEXT)
    _fill_and_save(dialog, **{b_field: "From tab B again"})
    expect(dialog.locator(".conflict-banner .conflict-text")).to_have_text(CONFLICT_TEXT)
    dialog.locator(".conflict-banner").get_by_role("button", name="Review changes").click()
    dialog.get_by_role("button", name="Keep my changes").click()
    expect(dialog).to_have_count(0)
    stored = api.get(path)
    camel = lambda f: re.sub(r"_(\w)", lambda m: m.group(1).upper(), f)  # noqa: E731
    assert (stored[camel(a_field)], stored[camel(b_field)]) == ("From tab A again", "From tab B again")
    expect(tab_b.page.get_by_text("From tab B again", exact=True)).to_be_visible()


@pytest.mark.parametrize("phone", [False, True], ids=["desktop", "phone"])
def test_person_edited_in_two_tabs(open_tab, phone):
    tab_a = open_tab(phone=phone)
    tab_a.sign_in("manager", path="/people")
    api = Api(tab_a)
    person = api.create("/people/", {"name": f"Conflict person {next(_seq)}", "jobTitle": "Engineer"})
    path = f"/people/{person['id']}"
    tab_a.open(path)
    tab_b = _second_tab(tab_a)
    tab_b.open(path)
    try:
        _conflict_round_trip(
            tab_a, tab_b, api, f"{path}/", "job_title", "location", "phone-conflict" if phone else "desktop-conflict"
        )
    finally:
        api.delete(f"{path}/")
    assert not tab_b.errors


def test_project_edited_in_two_tabs(open_tab):
    tab_a = open_tab()
    tab_a.sign_in("manager", path="/projects")
    api = Api(tab_a)
    project = api.create("/projects/", {"name": f"Conflict project {next(_seq)}", "client": "Acme"})
    path = f"/projects/{project['id']}"
    tab_a.open(path)
    tab_b = _second_tab(tab_a)
    tab_b.open(path)
    try:
        _conflict_round_trip(tab_a, tab_b, api, f"{path}/", "client", "description", "")
    finally:
        api.delete(f"{path}/")
    assert not tab_b.errors


@pytest.mark.parametrize("phone", [False, True], ids=["desktop", "phone"])
def test_assignment_cell_edited_in_two_tabs(open_tab, phone):
    device = "phone" if phone else "desktop"
    tab_a = open_tab(phone=phone)
    api = Api(tab_a)
    monday = dt.date.today() - dt.timedelta(days=dt.date.today().weekday())
    weeks = [(monday + dt.timedelta(weeks=n)).isoformat() for n in range(3)]
    n = next(_seq)
    # First by name, so on the grid's first page; its own project, to filter the grid by.
    person = api.create("/people/", {"name": f"Aaaa Conflict {n}", "weeklyCapacity": 40})
    project = api.create("/projects/", {"name": f"Conflict grid {n}"})
    assignment = api.create(
        "/assignments/", {"personId": person["id"], "projectId": project["id"], "weeklyHours": dict.fromkeys(weeks, 8)}
    )
    # Signed in after the project exists: the grid's project filter lists it.
    tab_a.sign_in("manager", path="/assignments")
    tab_b = _second_tab(tab_a)
    try:
        for tab in (tab_a, tab_b):
            tab.open("/assignments")
            tab.page.get_by_label("Project", exact=True).select_option(label=project["name"])
            expect(tab.page.locator("[data-assignment]")).to_have_count(1)

        def cell(tab: Tab, week: int):
            if phone:
                # A phone card edits the week whose chip was tapped, in one field under the chips.
                card = tab.page.get_by_role("list", name="Planning grid").locator("[data-assignment]")
                chip = card.locator(".week-chip").nth(week)
                if chip.get_attribute("aria-pressed") != "true":
                    chip.click()
                    expect(chip).to_have_attribute("aria-pressed", "true")
                return card.locator(".week-editor").get_by_role("textbox")
            return (
                tab.page.get_by_role("grid", name="Planning grid")
                .locator("tr[data-assignment]")
                .get_by_role("textbox")
                .nth(week)
            )

        def row_total(tab: Tab):
            return tab.page.locator("[data-assignment] .row-total")

        # B is typing in week 2 when A saves that very week: B's cell is left as B typed it.
        cell(tab_b, 1).fill("12")
        cell(tab_a, 1).fill("10")
        cell(tab_a, 1).press("Enter")
        expect(row_total(tab_a)).to_have_text("26")  # 8 + 10 + 8
        expect(cell(tab_b, 1)).to_have_value("12")
        cell(tab_b, 1).press("Enter")
        banner = tab_b.page.locator(".conflict-banner")
        expect(banner.locator(".conflict-text")).to_have_text(CONFLICT_TEXT)
        # The conflicting cell shows the saved value, highlighted, with B's one click away.
        expect(cell(tab_b, 1)).to_have_value("10")
        expect(cell(tab_b, 1)).to_have_attribute("aria-invalid", "true")
        use_mine = tab_b.page.get_by_role("button", name=re.compile(r"^Use mine: 12 for "))
        expect(use_mine).to_have_text("use mine: 12")
        _view(tab_b, f"{device}-grid-conflict")

        banner.get_by_role("button", name="Reload latest").click()
        expect(banner).to_have_count(0)
        expect(cell(tab_b, 1)).to_have_value("10")

        # Round two: the same again, and B keeps theirs.
        cell(tab_b, 1).fill("12")
        cell(tab_a, 1).fill("9")
        cell(tab_a, 1).press("Enter")
        expect(row_total(tab_a)).to_have_text("25")  # 8 + 9 + 8
        cell(tab_b, 1).press("Enter")
        expect(use_mine).to_be_visible()
        banner.get_by_role("button", name="Review changes").click()
        expect(banner.get_by_role("listitem")).to_contain_text("12")
        _view(tab_b, f"{device}-grid-review")
        banner.get_by_role("button", name="Keep my changes").click()
        expect(banner).to_have_count(0)
        expect(cell(tab_b, 1)).to_have_value("12")
        stored = api.get(f"/assignments/{assignment['id']}/")["weeklyHours"]
        assert [stored[w] for w in weeks] == [8, 12, 8]
        expect(cell(tab_a, 1)).to_have_value("12")  # what B kept, on A's screen without a reload

        # Different weeks of one row do not conflict: both saves stand, each screen shows both.
        cell(tab_b, 0).fill("4")
        cell(tab_a, 2).fill("6")
        cell(tab_a, 2).press("Enter")
        expect(row_total(tab_a)).to_have_text("26")  # 8 + 12 + 6
        expect(row_total(tab_b)).to_have_text("26")  # B's screen has A's save: B saves on top of it
        cell(tab_b, 0).press("Enter")
        expect(row_total(tab_b)).to_have_text("22")  # 4 + 12 + 6
        expect(banner).to_have_count(0)
        expect(row_total(tab_a)).to_have_text("22")
        stored = api.get(f"/assignments/{assignment['id']}/")["weeklyHours"]
        assert [stored[w] for w in weeks] == [4, 12, 6]

        # The one-click way: the same week again, "use mine" saves B's.
        cell(tab_b, 1).fill("14")
        cell(tab_a, 1).fill("2")
        cell(tab_a, 1).press("Enter")
        expect(row_total(tab_a)).to_have_text("12")  # 4 + 2 + 6
        cell(tab_b, 1).press("Enter")
        tab_b.page.get_by_role("button", name=re.compile(r"^Use mine: 14 for ")).click()
        expect(banner).to_have_count(0)
        expect(cell(tab_b, 1)).to_have_value("14")
        stored = api.get(f"/assignments/{assignment['id']}/")["weeklyHours"]
        assert [stored[w] for w in weeks] == [4, 14, 6]
    finally:
        for path in (f"/assignments/{assignment['id']}/", f"/projects/{project['id']}/", f"/people/{person['id']}/"):
            api.delete(path)
    assert not tab_b.errors


# Records, from the moment B presses Sign in, every state of the account block and whether any
# control only an admin or manager has was ever on screen.
WATCH_RENDERS = """() => {
    window.__renders = [];
    const look = () => {
        const signOut = [...document.querySelectorAll('button')].find(b => b.innerText.includes('Sign out'));
        window.__renders.push({
            account: signOut ? signOut.parentElement.innerText : '',
            editing: [...document.querySelectorAll('button')].some(b => /Add person|Add project/.test(b.innerText)),
            content: !!document.querySelector('#page-content'),
        });
    };
    new MutationObserver(look).observe(document.body, {subtree: true, childList: true, characterData: true});
}"""


def test_a_browser_changing_hands_shows_only_the_new_users_view(open_tab):
    tab = open_tab()
    page = tab.page
    tab.sign_in("admin", path="/people")
    expect(page.get_by_role("button", name="Add person")).to_be_visible()
    tab.open("/projects")
    expect(page.get_by_role("button", name="Add project")).to_be_visible()
    tab.open("/people")
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("button", name="Sign in")).to_be_visible()

    tab.goto("/people")
    expect(page.get_by_role("button", name="Sign in")).to_be_visible()
    page.evaluate(WATCH_RENDERS)
    page.get_by_label("Username").fill("user")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    tab.wait_loaded()
    expect(page.get_by_role("table", name="People").get_by_role("link").first).to_be_visible()
    expect(page.get_by_role("button", name="Add person")).to_have_count(0)

    renders = page.evaluate("() => window.__renders")
    shown = [r for r in renders if r["account"]]
    assert shown, "the shell never rendered"
    # From the first render after sign-in: B's name and role, never A's, and no A-only controls.
    assert all(r["account"].split()[:2] == ["user", "user"] for r in shown), shown[:3]
    assert not any(r["editing"] for r in renders)
