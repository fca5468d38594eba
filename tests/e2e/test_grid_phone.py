"""The planning grid on a phone (cards with week chips and steppers), on a desktop (sticky week
header, keyboard model) and its pager. Each test makes its own person and projects through the
API ("Aaaa …" sorts first, so they are on the grid's first page) and removes them afterwards."""

import datetime as dt
import itertools
import re

from playwright.sync_api import expect

from tests.e2e.test_conflicts import Api, _view

_seq = itertools.count(1)


def _weeks(count: int = 3) -> list[str]:
    monday = dt.date.today() - dt.timedelta(days=dt.date.today().weekday())
    return [(monday + dt.timedelta(weeks=n)).isoformat() for n in range(count)]


class Plan:
    """A person with one assignment per project, the given hours in the first weeks."""

    def __init__(self, api: Api, label: str, projects: int, hours: list[float]):
        n = next(_seq)
        self.api = api
        self.person = api.create("/people/", {"name": f"Aaaa {label} {n}", "weeklyCapacity": 40})
        self.projects = [api.create("/projects/", {"name": f"{label} grid {n}-{p}"}) for p in range(projects)]
        self.assignments = [
            api.create(
                "/assignments/",
                {
                    "personId": self.person["id"],
                    "projectId": p["id"],
                    "weeklyHours": dict(zip(_weeks(), hours, strict=False)),
                },
            )
            for p in self.projects
        ]

    def stored(self, index: int = 0) -> dict:
        return self.api.get(f"/assignments/{self.assignments[index]['id']}/")["weeklyHours"]

    def remove(self) -> None:
        for a in self.assignments:
            self.api.delete(f"/assignments/{a['id']}/")
        for p in self.projects:
            self.api.delete(f"/projects/{p['id']}/")
        self.api.delete(f"/people/{self.person['id']}/")


def _show_project(tab, project: dict) -> None:
    tab.page.get_by_label("Project", exact=True).select_option(label=project["name"])
    expect(tab.page.locator("[data-assignment]")).to_have_count(1)


def test_phone_cards_steppers_and_typing_save(open_tab):
    tab = open_tab(phone=True)
    page = tab.page
    # Made before signing in: the grid's project filter lists what exists when it first loads.
    plan = Plan(Api(tab), "Phone", 1, [8, 8, 8])
    tab.sign_in("manager", path="/assignments")
    try:
        tab.open("/assignments")
        cards = page.get_by_role("list", name="Planning grid")
        expect(cards).to_be_visible()
        # Only the cards are built on a phone: no desktop grid, one field and one set of steppers per assignment.
        expect(page.get_by_role("grid")).to_have_count(0)
        assignments = page.locator("[data-assignment]")
        count = assignments.count()
        assert page.locator("[data-assignment] input").count() == count
        assert page.locator("[data-assignment] .stepper").count() == 4 * count
        tab.shot("phone-grid-cards")
        _view(tab, "phone-grid")

        _show_project(tab, plan.projects[0])
        card = page.locator("[data-assignment]")
        chip = card.locator(".week-chip").nth(2)
        chip.click()
        expect(chip).to_have_attribute("aria-pressed", "true")
        field = card.locator(".week-editor").get_by_role("textbox")
        expect(field).to_have_value("8")
        expect(field).to_have_attribute("inputmode", "decimal")
        assert field.evaluate("el => getComputedStyle(el).fontSize") == "16px"
        for stepper in card.locator(".stepper").all():
            box = stepper.bounding_box()
            assert box["width"] >= 44 and box["height"] >= 44, box

        card.get_by_role("button", name=re.compile(r"^\+4 h, ")).click()
        expect(field).to_have_value("12")
        card.get_by_role("button", name=re.compile(r"^−1 h, ")).click()
        expect(field).to_have_value("11")
        expect(chip).to_contain_text("11")
        expect(card.locator(".row-total")).to_have_text("27")  # 8 + 8 + 11
        _view(tab, "phone-grid-stepped")
        assert plan.stored()[_weeks()[2]] == 11

        # The stepper stops at 0.
        field.fill("2")
        field.press("Enter")
        expect(card.locator(".row-total")).to_have_text("18")
        card.get_by_role("button", name=re.compile(r"^−4 h, ")).click()
        expect(field).to_have_value("0")
        assert plan.stored()[_weeks()[2]] == 0

        # Typing a value saves it.
        first_week = card.locator(".week-chip").nth(0)
        first_week.click()
        # Typed once the chosen week's field is on screen (the editor follows the selection).
        expect(first_week).to_have_attribute("aria-pressed", "true")
        expect(field).to_have_value("8")
        field.fill("7.5")
        field.press("Enter")
        expect(card.locator(".row-total")).to_have_text("15.5")  # 7.5 + 8 + 0
        page.reload()
        tab.wait_loaded()
        expect(page.locator("[data-assignment]")).to_have_count(1)  # the filter stays
        expect(page.locator("[data-assignment] .week-chip").nth(0)).to_contain_text("7.5")
        expect(page.locator("[data-assignment] .week-editor").get_by_role("textbox")).to_have_value("7.5")

        # The filters are on screen after scrolling through the cards.
        page.get_by_label("Project", exact=True).select_option(value="")
        expect(page.locator("[data-assignment]").nth(5)).to_be_visible()
        page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
        page.wait_for_function("window.scrollY > 500")
        box = page.get_by_label("Department", exact=True).bounding_box()
        assert 0 <= box["y"] < 844, box
        _view(tab, "phone-grid-scrolled")

        page.set_viewport_size({"width": 320, "height": 700})
        page.evaluate("window.scrollTo(0, 0)")
        tab.assert_no_horizontal_scroll()
        _view(tab, "phone-320-grid")
    finally:
        plan.remove()


def _focused(page) -> str:
    return page.evaluate(
        "() => document.activeElement.getAttribute('aria-label') || document.activeElement.textContent"
    )


def test_desktop_grid_sticky_header_and_keyboard(open_tab):
    tab = open_tab()
    page = tab.page
    plan = Plan(Api(tab), "Keys", 2, [8, 8, 8])
    tab.sign_in("manager", path="/assignments")
    name, first, second = plan.person["name"], plan.projects[0]["name"], plan.projects[1]["name"]
    try:
        tab.open("/assignments")
        grid = page.get_by_role("grid", name="Planning grid")
        expect(grid).to_be_visible()
        expect(page.get_by_role("list", name="Planning grid")).to_have_count(0)
        _view(tab, "desktop-grid")

        # The week header stays in view while the page scrolls.
        header = grid.get_by_role("columnheader").nth(1)
        page.mouse.move(640, 500)
        page.mouse.wheel(0, 2000)
        page.wait_for_function("window.scrollY > 800")
        box = header.bounding_box()
        assert 0 <= box["y"] < 100, box
        _view(tab, "desktop-grid-scrolled")
        # A tablet (48–62em) has the top bar of phones: the header sticks under it, and the grid fits.
        page.set_viewport_size({"width": 800, "height": 1000})
        page.evaluate("window.scrollTo(0, 1500)")
        page.wait_for_function("window.scrollY > 800")
        bar = page.get_by_role("button", name="Open menu").bounding_box()
        box = header.bounding_box()
        assert bar["y"] + bar["height"] <= box["y"] + 1 and box["y"] < 120, (bar, box)
        tab.assert_no_horizontal_scroll()
        _view(tab, "tablet-grid-scrolled")
        page.set_viewport_size({"width": 1280, "height": 800})
        page.evaluate("window.scrollTo(0, 0)")

        # One Tab stop into the grid.
        expect(grid.locator("[tabindex='0']")).to_have_count(1)
        cell = grid.get_by_role("textbox", name=f"{name}, {first}, week of", exact=False).first
        cell.focus()
        expect(grid.locator("[tabindex='0']")).to_have_count(1)
        expect(cell).to_have_attribute("tabindex", "0")
        label = cell.get_attribute("aria-label")
        week = label.rsplit("week of ", 1)[1]

        page.keyboard.press("ArrowRight")
        assert _focused(page).startswith(f"{name}, {first}, week of ") and _focused(page) != label
        page.keyboard.press("ArrowLeft")
        assert _focused(page) == label
        page.keyboard.press("ArrowDown")
        assert _focused(page) == f"{name}, {second}, week of {week}"
        page.keyboard.press("ArrowUp")
        assert _focused(page) == label
        page.keyboard.press("Home")
        assert page.evaluate("() => document.activeElement.tagName") == "A"
        assert page.evaluate("() => document.activeElement.textContent") == first
        page.keyboard.press("End")
        assert page.evaluate("() => document.activeElement.getAttribute('role')") == "gridcell"
        page.keyboard.press("Home")
        for _ in range(3):  # past "Set all weeks" and "Remove"
            page.keyboard.press("ArrowRight")
        assert _focused(page) == label
        expect(grid.locator("[tabindex='0']")).to_have_count(1)

        row = grid.locator("tr[data-assignment]").filter(has=page.get_by_role("textbox", name=label, exact=True))
        total = row.locator(".row-total")
        expect(total).to_have_text("24")
        # Escape puts the saved value back, and nothing is saved.
        page.keyboard.press("9")
        expect(cell).to_have_value("9")
        expect(cell).to_have_attribute("data-editing", "true")
        page.keyboard.press("Escape")
        expect(cell).to_have_value("8")
        expect(cell).not_to_have_attribute("data-editing", "true")
        page.keyboard.press("ArrowRight")
        page.keyboard.press("ArrowLeft")
        assert _focused(page) == label

        # Enter edits (the caret at the end), Enter again saves; the keyboard stays on the cell.
        page.keyboard.press("Enter")
        expect(cell).to_have_attribute("data-editing", "true")
        page.keyboard.type("5")
        expect(cell).to_have_value("85")
        page.keyboard.press("Enter")
        expect(total).to_have_text("101")
        expect(cell).to_have_value("85")
        page.wait_for_function(f"() => document.activeElement.getAttribute('aria-label') === {label!r}")

        # Typing a digit replaces the value.
        page.keyboard.type("12")
        expect(cell).to_have_value("12")
        page.keyboard.press("Enter")
        expect(total).to_have_text("28")
        assert plan.stored()[_weeks()[0]] == 12
        page.reload()
        tab.wait_loaded()
        expect(page.get_by_role("textbox", name=label, exact=True)).to_have_value("12")
    finally:
        plan.remove()


def test_pager_jumps_to_the_last_page_and_back(open_tab):
    tab = open_tab(phone=True)
    page = tab.page
    tab.sign_in("manager", path="/assignments")
    pages = page.get_by_role("navigation", name="Pages")
    picker = pages.get_by_label("Page", exact=True)
    expect(picker).to_have_value("1")
    last = picker.locator("option").last.get_attribute("value")
    assert int(last) > 2
    for name in ("First page", "Previous page", "Next page", "Last page"):
        box = pages.get_by_role("button", name=name).bounding_box()
        assert box["width"] >= 44 and box["height"] >= 44, (name, box)
    expect(pages.get_by_role("button", name="First page")).to_be_disabled()
    tab.assert_no_horizontal_scroll()

    pages.get_by_role("button", name="Last page").click()
    expect(picker).to_have_value(last)
    expect(pages.get_by_role("status")).to_have_text(f"Page {last} of {last}")
    expect(pages.get_by_role("button", name="Next page")).to_be_disabled()
    expect(page.locator("[data-person]").first).to_be_visible()
    tab.shot("phone-grid-last-page")

    picker.select_option("2")
    expect(pages.get_by_role("status")).to_have_text(f"Page 2 of {last}")
    pages.get_by_role("button", name="First page").click()
    expect(picker).to_have_value("1")
    expect(pages.get_by_role("button", name="Previous page")).to_be_disabled()
