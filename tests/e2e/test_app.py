"""The app in a real browser against the production build (see conftest.py)."""

import re

from playwright.sync_api import expect

from tests.e2e.conftest import pick_person


def _first_item(page, name: str, phone: bool):
    """The first entry of a list: a table row on wide screens, a card on phones."""
    return page.get_by_role("list" if phone else "table", name=name).get_by_role("link").first


PAGES = [
    # path, screenshot name, something that only shows once the page's data has loaded
    ("/", "dashboard", lambda p, phone: _first_item(p, "Team overview", phone)),
    ("/people", "people", lambda p, phone: _first_item(p, "People", phone)),
    ("/departments", "departments", lambda p, phone: p.get_by_role("button", name=re.compile("^Edit ")).first),
    ("/projects", "projects", lambda p, phone: _first_item(p, "Projects", phone)),
    (
        "/assignments",
        "assignments",
        lambda p, phone: p.get_by_role("list" if phone else "grid", name="Planning grid").get_by_role("textbox").first,
    ),
    (
        "/calendar",
        "calendar",
        lambda p, phone: p.get_by_role("link", name=re.compile(r"\(vacation|holiday|sick|other\)|:")).first,
    ),
    ("/timeoff", "timeoff", lambda p, phone: _first_item(p, "Time off", phone)),
    ("/profile", "profile", lambda p, phone: p.get_by_text("This device").filter(visible=True)),
    ("/settings", "settings", lambda p, phone: p.get_by_label("Role of admin").filter(visible=True)),
]


def test_sign_in_redirects_back_and_sign_out_signs_out(open_tab):
    tab = open_tab()
    page = tab.page
    tab.goto("/projects")
    expect(page).to_have_url(re.compile(r"/login\?next=%2Fprojects"))
    tab.allow_status(401)  # the browser's own sign-in request is the one refused
    page.get_by_label("Username").fill("manager")
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_have_text("Wrong username or password.")

    page.get_by_label("Password").fill("e2e-password-123")
    page.get_by_role("button", name="Sign in").click()
    expect(tab.heading("Projects")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/projects/?$"))

    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("button", name="Sign in")).to_be_visible()
    assert page.evaluate("() => localStorage.getItem('planner_signed_in')") in (None, "", '""')
    assert not [c for c in page.context.cookies() if c["name"] == "planner_refresh"]
    tab.goto("/people")
    expect(page).to_have_url(re.compile(r"/login"))


def test_every_page_renders_with_data(open_tab):
    tab = open_tab()
    tab.sign_in("admin")
    for path, name, loaded in PAGES:
        tab.open(path)
        expect(loaded(tab.page, False)).to_be_visible()
        tab.assert_no_horizontal_scroll()
        tab.shot(f"desktop-{name}")
    # Detail pages, reached the way people reach them.
    tab.open("/people")
    tab.page.get_by_role("table", name="People").get_by_role("link").first.click()
    expect(tab.page.get_by_role("heading", name="Utilisation per week")).to_be_visible()
    tab.shot("desktop-person")
    tab.open("/projects")
    tab.page.get_by_role("table", name="Projects").get_by_role("link").first.click()
    expect(tab.page.get_by_role("heading", name="Deliverables")).to_be_visible()
    tab.shot("desktop-project")
    tab.goto("/login")
    tab.shot("desktop-login")


def test_create_edit_and_delete_a_person(open_tab):
    tab = open_tab()
    page = tab.page
    tab.sign_in("manager", path="/people")
    page.get_by_role("button", name="Add person").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Name").fill("Aaron Aalto")
    dialog.get_by_label("Email").fill("aaron@nowhere")  # the browser lets it through, the API does not
    dialog.get_by_label("Job title").fill("Site engineer")
    dialog.get_by_label("Department").select_option(index=1)
    dialog.get_by_label("Weekly capacity").fill("32")
    dialog.get_by_role("button", name="Save").click()
    # The API's message for the field is shown on the field.
    expect(dialog.locator("#person-new-email-error")).to_be_visible()
    dialog.get_by_label("Email").fill("aaron.aalto@example.com")
    dialog.get_by_role("button", name="Save").click()
    expect(dialog).to_have_count(0)

    page.get_by_label("Search").fill("Aaron Aalto")
    page.get_by_role("table", name="People").get_by_role("link", name="Aaron Aalto").click()
    expect(page.get_by_role("heading", name="Aaron Aalto")).to_be_visible()
    expect(page.get_by_text("Site engineer", exact=True)).to_be_visible()

    page.get_by_role("button", name="Edit").click()
    dialog = page.get_by_role("dialog")
    expect(dialog.get_by_label("Job title")).to_have_value("Site engineer")
    dialog.get_by_label("Job title").fill("Lead engineer")
    dialog.get_by_role("button", name="Save").click()
    expect(dialog).to_have_count(0)
    expect(page.get_by_text("Lead engineer", exact=True)).to_be_visible()

    page.get_by_role("button", name="Delete").click()
    confirm = page.get_by_role("alertdialog")
    expect(confirm).to_contain_text("Aaron Aalto")
    confirm.get_by_role("button", name="Delete").click()
    expect(tab.heading("People")).to_be_visible()
    page.get_by_label("Search").fill("Aaron Aalto")
    expect(page.get_by_text("No people match these filters")).to_be_visible()


# Scroll down a frame at a time until the person's link is in the list, then bring it on screen.
SCROLL_TO_LINK = """async ([list, name]) => {
  window.scrollTo(0, 0);
  for (let step = 0; step < 200; step++) {
    const link = [...document.querySelectorAll(`[aria-label="${list}"] a`)].find((a) => a.textContent === name);
    if (link) { link.scrollIntoView({ block: "center" }); return true; }
    window.scrollBy(0, 300);
    await new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)));
  }
  return false;
}"""


def _hours_of(page, person: str):
    """The cell of the person's hours in the team overview, stepping through its pages until they are on one."""
    overview = page.get_by_role("table", name="Team overview")
    while not overview.get_by_role("link", name=person, exact=True).count():
        following = page.get_by_role("button", name="Next page")
        assert following.is_visible() and following.is_enabled(), f"{person} is not in the team overview"
        shown = page.get_by_text(re.compile(r"^Showing ")).inner_text()
        following.click()
        expect(page.get_by_text(re.compile(r"^Showing "))).not_to_have_text(shown)
    assert page.evaluate(SCROLL_TO_LINK, ["Team overview", person]), f"{person} is not in the team overview"
    row = overview.get_by_role("row").filter(has=page.get_by_role("link", name=person, exact=True))
    return row.get_by_role("cell").nth(2)


def test_grid_edit_updates_row_total_and_dashboard(open_tab):
    tab = open_tab()
    page = tab.page
    tab.sign_in("manager", path="/assignments")
    grid = page.get_by_role("grid", name="Planning grid")
    first_row = grid.locator("tr[data-assignment]").first
    cell = first_row.get_by_role("textbox").first
    expect(cell).to_be_visible()
    person_row = grid.locator("tr[data-person]").first
    person = person_row.get_by_role("link").first.inner_text()
    before_total = float(first_row.locator(".row-total").inner_text() or 0)
    before_cell = float(cell.input_value() or 0)

    tab.open("/?weeks=1")
    before_dashboard = _hours_of(page, person).inner_text()

    tab.open("/assignments")
    cell = grid.locator("tr[data-assignment]").first.get_by_role("textbox").first
    cell.fill(f"{before_cell + 40:g}")
    cell.press("Enter")
    expect(grid.locator("tr[data-assignment]").first.locator(".row-total")).to_have_text(f"{before_total + 40:g}")
    tab.open("/?weeks=1")
    # The board may first show what this tab read before, then its fresh figures.
    hours_cell = _hours_of(page, person)
    expect(hours_cell).not_to_have_text(before_dashboard)
    after = hours_cell.inner_text()
    assert float(after.split("/")[0]) == float(before_dashboard.split("/")[0]) + 40


def test_tab_key_saves_a_cell(open_tab):
    tab = open_tab()
    page = tab.page
    tab.sign_in("manager", path="/assignments")
    row = page.get_by_role("grid", name="Planning grid").locator("tr[data-assignment]").nth(1)
    cells = row.get_by_role("textbox")
    expect(cells.first).to_be_visible()
    before_total = float(row.locator(".row-total").inner_text() or 0)
    before = float(cells.nth(1).input_value() or 0)
    label = cells.nth(1).get_attribute("aria-label")
    cells.nth(1).fill(f"{before + 2:g}")
    cells.nth(1).press("Tab")
    expect(cells.nth(2)).to_be_focused()
    expect(row.locator(".row-total")).to_have_text(f"{before_total + 2:g}")
    page.reload()
    tab.wait_loaded()
    expect(page.get_by_role("textbox", name=label, exact=True).first).to_have_value(f"{before + 2:g}")


def test_settings_is_for_admins_only(open_tab):
    user = open_tab()
    user.sign_in("user", path="/settings")
    expect(user.page.get_by_role("heading", name="Only admins can open Settings")).to_be_visible()
    # A user reads the plan but has nothing to change it with.
    user.open("/people")
    expect(user.page.get_by_role("button", name="Add person")).to_have_count(0)
    user.open("/assignments")
    expect(user.page.get_by_role("grid", name="Planning grid").get_by_role("textbox").first).not_to_be_editable()
    admin = open_tab()
    admin.sign_in("admin", path="/settings")
    expect(admin.page.get_by_role("heading", name="Users")).to_be_visible()


def test_phone_layout_has_a_drawer_cards_and_no_sideways_scroll(open_tab):
    tab = open_tab(phone=True)
    page = tab.page
    tab.goto("/login")
    expect(page.get_by_role("button", name="Sign in")).to_be_visible()
    tab.assert_no_horizontal_scroll()
    tab.shot("phone-login")
    tab.sign_in("admin")
    for path, name, loaded in PAGES:
        tab.open(path)
        expect(loaded(page, True)).to_be_visible()
        tab.assert_no_horizontal_scroll()
        tab.shot(f"phone-{name}")
    for path, list_name, name, heading in (
        ("/people", "People", "person", "Utilisation per week"),
        ("/projects", "Projects", "project", "Deliverables"),
    ):
        tab.open(path)
        _first_item(page, list_name, True).click()
        tab.wait_loaded()
        expect(page.get_by_role("heading", name=heading)).to_be_visible()
        tab.assert_no_horizontal_scroll()
        tab.shot(f"phone-{name}")
    # Navigation through the drawer menu; lists are cards.
    page.get_by_role("button", name="Open menu").click()
    page.get_by_role("dialog").get_by_role("link", name="People").click()
    expect(tab.heading("People")).to_be_visible()
    expect(page.get_by_role("table", name="People")).to_be_hidden()
    expect(_first_item(page, "People", True)).to_be_visible()
    tab.assert_no_horizontal_scroll()


def test_add_set_all_weeks_and_remove_an_assignment(open_tab):
    tab = open_tab()
    page = tab.page
    tab.sign_in("manager", path="/assignments")
    grid = page.get_by_role("grid", name="Planning grid")
    person_row = grid.locator("tr[data-person]").last
    person = person_row.get_by_role("link").first.inner_text()
    page.get_by_role("button", name=f"Add assignment for {person}").click()
    dialog = page.get_by_role("dialog")
    picker = dialog.get_by_label("Project", exact=True)
    project = picker.locator("option").nth(1).inner_text()
    picker.select_option(label=project)
    dialog.get_by_label("Role on project").fill("Checker")
    dialog.get_by_label("Hours per week").fill("3")
    dialog.get_by_role("button", name="Save").click()
    expect(dialog).to_have_count(0)
    # A new assignment is the person's last row (the person may already work on that project).
    new_cell = page.get_by_role("textbox", name=re.compile(f"^{re.escape(person)}, {re.escape(project)}, week of")).last
    expect(new_cell).to_have_value("3")

    page.get_by_role("button", name=f"Set all weeks for {project}").last.click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Hours per week").fill("5")
    dialog.get_by_role("button", name="Save").click()
    expect(dialog).to_have_count(0)
    row = grid.locator("tr[data-assignment]").filter(
        has=page.get_by_role("textbox", name=re.compile(re.escape(f"{person}, {project},")))
    )
    expect(row.last.locator(".row-total")).to_have_text("60")

    page.get_by_role("button", name=f"Remove assignment to {project}").last.click()
    page.get_by_role("alertdialog").get_by_role("button", name="Delete").click()
    expect(row).to_have_count(0)


def test_a_revoked_session_lands_on_login_with_the_reason(open_tab):
    tab = open_tab()
    page = tab.page
    tab.sign_in("user", path="/people")
    # Another device signs this session out: rotate the browser's refresh token (read by the test
    # harness from the cookie jar, which no page script can), then log out with it.
    refresh = next(c["value"] for c in page.context.cookies() if c["name"] == "planner_refresh")
    tokens = page.request.post(f"{tab.base_url}/api/auth/token/refresh/", data={"refresh": refresh}).json()
    logout = page.request.post(
        f"{tab.base_url}/api/auth/logout/",
        data={"refresh": tokens["refresh"]},
        headers={"Authorization": f"Bearer {tokens['access']}"},
    )
    assert logout.status == 204
    # Nothing to click: the session's end reaches the open page at once.
    expect(page.get_by_role("status")).to_have_text("You were signed out from another device.")
    expect(page.get_by_role("button", name="Sign in")).to_be_visible()


def test_a_new_tab_is_signed_in_and_signing_out_signs_out_every_tab(open_tab):
    first = open_tab()
    first.sign_in("manager", path="/people")
    second = first.page.context.new_page()
    second_tab = type(first)(second, first.base_url)
    second_tab.open("/projects")  # the browser's refresh cookie signs this tab in
    expect(second_tab.heading("Projects")).to_be_visible()

    first.page.get_by_role("button", name="Sign out").click()
    expect(first.page.get_by_role("button", name="Sign in")).to_be_visible()
    expect(second.get_by_role("button", name="Sign in")).to_be_visible()  # by itself, at once
    assert not second_tab.errors


def test_filters_paging_and_calendar_navigation(open_tab):
    tab = open_tab()
    page = tab.page
    tab.sign_in("user")
    # Dashboard: period and department live in the URL.
    page.get_by_label("Period").select_option("8")
    expect(page).to_have_url(re.compile(r"\?weeks=8$"))
    tab.wait_loaded()
    department = page.get_by_label("Department").locator("option").nth(1).inner_text()
    page.get_by_label("Department").select_option(label=department)
    expect(page).to_have_url(re.compile(r"\?weeks=8&department=\d+$"))
    tab.wait_loaded()
    overview = page.get_by_role("table", name="Team overview")
    expect(overview.get_by_role("row").nth(1)).to_contain_text(department)
    page.reload()
    tab.wait_loaded()
    expect(page.get_by_label("Period")).to_have_value("8")

    # People: one list scrolled to its end (no pages to step through), then a filter.
    tab.open("/people")
    total = page.get_by_text(re.compile(r"^\d+ people$"))
    expect(total).to_be_visible()
    count = int(total.inner_text().split()[0])
    people = page.get_by_role("table", name="People")
    expect(people).to_have_attribute("aria-rowcount", str(count + 1))
    page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
    expect(people.locator(f'[aria-rowindex="{count + 1}"]').get_by_role("link")).to_be_visible()
    page.get_by_label("Department").select_option(label=department)
    expect(page.get_by_role("table", name="People").get_by_role("row").nth(1)).to_contain_text(department)

    # Projects: status filter.
    tab.open("/projects")
    page.get_by_label("Status filter").select_option("active")
    expect(page.get_by_role("table", name="Projects").get_by_role("row").nth(1)).to_contain_text("Active")

    # Calendar: next, then back to today.
    tab.open("/calendar")
    period = page.get_by_text(re.compile(r"^\d+ \w+ – \d+ \w+ \d{4}$"))
    first = period.inner_text()
    page.get_by_role("button", name="Next weeks").click()
    expect(period).not_to_have_text(first)
    page.get_by_role("button", name="Today").click()
    expect(period).to_have_text(first)


def test_department_with_a_manager_and_an_assignment_for_anyone(open_tab):
    tab = open_tab()
    page = tab.page
    tab.sign_in("manager", path="/departments")
    page.get_by_role("button", name="Add department").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Name").fill("Acoustics")
    manager = pick_person(dialog.get_by_role("combobox", name="Manager"), "an")
    dialog.get_by_role("button", name="Save").click()
    expect(dialog).to_have_count(0)
    row = page.get_by_role("table", name="Departments").get_by_role("row").filter(has_text="Acoustics")
    expect(row).to_contain_text(manager)
    page.get_by_role("button", name="Delete Acoustics").click()
    page.get_by_role("alertdialog").get_by_role("button", name="Delete").click()
    expect(row).to_have_count(0)

    tab.open("/assignments")
    page.get_by_role("button", name="Add assignment", exact=True).click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_role("button", name="Save").click()
    expect(dialog.get_by_text("Choose a person.")).to_be_visible()
    # Late in the alphabet, so on another page of the grid than the first.
    person = pick_person(dialog.get_by_role("combobox", name="Person"), "wen")
    dialog.get_by_label("Project", exact=True).select_option(index=1)
    dialog.get_by_role("button", name="Save").click()
    expect(dialog).to_have_count(0)
    expect(page.get_by_role("status").filter(has_text=f"Added {person}")).to_be_visible()


def test_project_deliverables_add_complete_and_delete(open_tab):
    tab = open_tab()
    page = tab.page
    tab.sign_in("manager", path="/projects")
    page.get_by_role("table", name="Projects").get_by_role("link").first.click()
    tab.wait_loaded()
    page.get_by_role("button", name="Add deliverable").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Description").fill("Tender drawings")
    dialog.get_by_label("Date").fill("2027-03-01")
    dialog.get_by_label("Percentage").fill("40")
    dialog.get_by_role("button", name="Save").click()
    expect(dialog).to_have_count(0)
    expect(page.get_by_text("1 Mar 2027 · 40 %")).to_be_visible()

    done = page.get_by_role("checkbox", name="Completed: Tender drawings")
    done.click()
    expect(done).to_be_checked()
    page.reload()
    tab.wait_loaded()
    expect(page.get_by_role("checkbox", name="Completed: Tender drawings")).to_be_checked()

    page.get_by_role("button", name="Delete deliverable Tender drawings").click()
    page.get_by_role("alertdialog").get_by_role("button", name="Delete").click()
    expect(page.get_by_text("Tender drawings")).to_have_count(0)
