"""A project's details open in a sheet over the list, with their own URL: Back closes the sheet
and the list is where it was; a link to the sheet opens it; the full page is one tap further."""

import re

from playwright.sync_api import expect

from tests.e2e.conftest import ARTIFACTS


def _first_details(page):
    return page.get_by_role("link", name=re.compile(r"^View details of ")).filter(visible=True).first


def test_on_a_phone_details_open_in_a_sheet_that_back_closes(open_tab):
    tab = open_tab(phone=True)
    tab.sign_in("user", path="/projects")
    page = tab.page
    page.mouse.wheel(0, 300)
    page.wait_for_function("() => window.scrollY > 0")
    details = _first_details(page)
    details.scroll_into_view_if_needed()
    scrolled = page.evaluate("window.scrollY")
    name = details.get_attribute("aria-label").removeprefix("View details of ")
    details.click()
    sheet = page.get_by_role("dialog", name=name)
    expect(sheet).to_be_visible()
    expect(page).to_have_url(re.compile(r"/projects/?#project-\d+$"))
    expect(sheet.get_by_text("Client")).to_be_visible()
    # Over the list, not instead of it: the list is still there, scrolled where it was.
    expect(page.locator("#page-content")).to_be_attached()
    assert page.evaluate("window.scrollY") == scrolled
    page.wait_for_function("() => document.getAnimations().every((a) => a.playState !== 'running')")
    box = sheet.bounding_box()
    assert abs(box["y"] + box["height"] - 844) < 2, box  # a bottom sheet
    page.screenshot(path=str(ARTIFACTS / "phone-project-sheet.png"))

    page.go_back()
    expect(page.get_by_role("dialog")).to_have_count(0)
    expect(page).to_have_url(re.compile(r"/projects/?#all$"))
    assert page.evaluate("window.scrollY") == scrolled
    expect(page.locator("#page-content")).to_be_visible()

    # Close and Escape go back to the list too.
    _first_details(page).click()
    expect(page.get_by_role("dialog")).to_be_visible()
    page.get_by_role("button", name="Close details").click()
    expect(page.get_by_role("dialog")).to_have_count(0)
    expect(page).to_have_url(re.compile(r"#all$"))
    _first_details(page).click()
    expect(page.get_by_role("dialog")).to_be_visible()
    page.keyboard.press("Escape")
    expect(page.get_by_role("dialog")).to_have_count(0)
    expect(page).to_have_url(re.compile(r"#all$"))


def test_a_link_to_a_sheet_opens_it_and_the_full_page_is_one_step_away(open_tab):
    tab = open_tab()
    tab.sign_in("admin", path="/projects")
    page = tab.page
    details = _first_details(page)
    name = details.get_attribute("aria-label").removeprefix("View details of ")
    details.click()
    expect(page.get_by_role("dialog", name=name)).to_be_visible()
    link = page.url
    # A panel at the right on wide screens.
    page.wait_for_function("() => document.getAnimations().every((a) => a.playState !== 'running')")
    box = page.get_by_role("dialog").bounding_box()
    assert abs(box["x"] + box["width"] - 1280) < 2 and box["x"] > 600, box
    page.screenshot(path=str(ARTIFACTS / "desktop-project-sheet.png"))

    other = open_tab()
    other.sign_in("user", path="/projects")
    other.goto(link.replace(other.base_url, ""))
    other.wait_loaded()
    expect(other.page.get_by_role("dialog", name=name)).to_be_visible()
    other.page.get_by_role("button", name="Close details").click()
    expect(other.page.get_by_role("dialog")).to_have_count(0)
    expect(other.page).to_have_url(re.compile(r"/projects/?#all$"))

    page.get_by_role("dialog").get_by_role("link", name="Open the project page").click()
    expect(tab.heading("Project")).to_be_visible()
    expect(page.get_by_role("heading", name="Deliverables")).to_be_visible()
    expect(page.get_by_role("heading", name=name)).to_be_visible()
