"""The dashboard's team overview in pages (issue 11): 50 rows at a time, a pager to step through
them by mouse or keyboard, the page in the URL (Back from a person comes back to it), filters back
to page 1, and the same on a phone (cards) as on a desktop (a table) — with 10,000 people too."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import ARTIFACTS
from tests.e2e.test_a11y import AXE, _check
from tests.e2e.test_virtual_lists import bulk_people, remove_department

CROWD = 10_000
CROWD_DEPARTMENT = "Dashboard crowd"
PAGE = 50


def _showing(page):
    return page.get_by_text(re.compile(r"^Showing "))


def _team(page, phone: bool):
    return page.get_by_role("list" if phone else "table", name="Team overview")


def _rows(page, phone: bool):
    return _team(page, phone).get_by_role("listitem" if phone else "link")


@pytest.mark.parametrize("phone", [False, True], ids=["desktop", "phone"])
def test_pages_of_the_team_overview_with_the_pager_and_the_keyboard(open_tab, phone):
    tab = open_tab(phone=phone)
    page = tab.page
    page.add_init_script(path=str(AXE))
    tab.sign_in("manager")
    expect(_showing(page)).to_have_text(re.compile(r"^Showing 1–50 of \d+ people$"))
    total = int(_showing(page).inner_text().split()[-2].replace(",", ""))
    assert total > PAGE, "the demo data has more than one page of people"
    expect(_rows(page, phone)).to_have_count(PAGE)
    first_name = _team(page, phone).get_by_role("link").first.inner_text()

    # The keyboard: Tab reaches Next page, Enter takes it.
    following = page.get_by_role("button", name="Next page")
    following.focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"[?&]page=2$"))
    tab.wait_loaded()
    expect(_showing(page)).to_have_text(f"Showing 51–{min(total, 100)} of {total} people")
    expect(_team(page, phone).get_by_role("link", name=first_name, exact=True)).to_have_count(0)
    width = 390 if phone else 1280
    tab.shot(f"dashboard-{width}-page-2")
    assert _check(page, width) == []
    if phone:
        box = page.get_by_role("button", name="Previous page").bounding_box()
        assert box["width"] >= 44 and box["height"] >= 44

    page.get_by_role("button", name="Previous page").click()
    tab.wait_loaded()
    expect(_showing(page)).to_have_text(f"Showing 1–50 of {total} people")
    tab.shot(f"dashboard-{width}")


def test_back_from_a_person_comes_back_to_the_same_page_and_filters_start_at_page_1(open_tab):
    tab = open_tab(phone=True)
    tab.sign_in("admin")
    page = tab.page
    page.get_by_role("button", name="Next page").click()
    expect(page).to_have_url(re.compile(r"page=2"))
    expect(_showing(page)).to_have_text(re.compile(r"^Showing 51–"))  # the second page's rows are in
    link = _team(page, True).get_by_role("link").nth(4)
    name = link.inner_text()
    link.click()
    expect(page.get_by_role("heading", name=name)).to_be_visible()

    page.go_back()
    tab.wait_loaded()
    expect(page).to_have_url(re.compile(r"page=2"))
    expect(_showing(page)).to_have_text(re.compile(r"^Showing 51–"))
    expect(_team(page, True).get_by_role("link", name=name, exact=True)).to_be_visible()

    page.get_by_label("Period").select_option("8")
    expect(page).to_have_url(re.compile(r"\?weeks=8$"))
    tab.wait_loaded()
    expect(_showing(page)).to_have_text(re.compile(r"^Showing 1–50 of "))


@pytest.fixture
def crowd(app_server):
    department_id = bulk_people(app_server["database_url"], CROWD, CROWD_DEPARTMENT)
    yield department_id
    remove_department(app_server["database_url"], department_id)


def test_ten_thousand_people_are_two_hundred_pages_of_fifty(open_tab, crowd):
    tab = open_tab()
    page = tab.page
    tab.sign_in("admin", path=f"/?weeks=1&department={crowd}")
    expect(_showing(page)).to_have_text(f"Showing 1–50 of {CROWD:,} people")
    expect(_rows(page, False)).to_have_count(PAGE)
    page.get_by_role("button", name="Last page").click()
    expect(page).to_have_url(re.compile(r"page=200$"))
    tab.wait_loaded()
    expect(_showing(page)).to_have_text(f"Showing 9,951–10,000 of {CROWD:,} people")
    expect(_rows(page, False)).to_have_count(PAGE)
    page.screenshot(path=ARTIFACTS / "dashboard-10000-last-page.png")
