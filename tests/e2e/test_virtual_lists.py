"""Lists of any length stay light (issue 8, P24): with 10,000 people the page holds only the rows
on screen, scrolls end to end as one list, and Back comes back to the same place.

The 10,000 people are written straight into the e2e server's database, in a department of their
own that the tests filter on, and removed afterwards: the other tests keep the 60 demo people."""

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import create_engine, delete, insert

from backend_api.core.timeutil import now
from backend_api.departments.models import Department
from backend_api.people.models import Person, search_keys
from tests.e2e.conftest import ARTIFACTS

PEOPLE = 10_000
DEPARTMENT = "Virtual list crowd"
MAX_ROWS = 60

# Counts the list's rows in the page after every DOM change, keeping the largest count seen.
COUNT_ROWS = """(label) => {
  const count = () => document.querySelectorAll(
    `[aria-label="${label}"] [role=row], [aria-label="${label}"] [role=listitem]`).length;
  window.__rows = { max: count() };
  new MutationObserver(() => { window.__rows.max = Math.max(window.__rows.max, count()); })
    .observe(document.body, { childList: true, subtree: true });
}"""


def person_name(n: int) -> str:
    return f"Crowd person {n:05d}"


def bulk_people(database_url: str, count: int, department: str) -> int:
    """`count` people in a new department, in one INSERT (the API would take minutes); returns its id."""
    engine = create_engine(database_url)
    stamp = now()
    with engine.begin() as db:
        department_id = db.execute(
            insert(Department.__table__).values(
                name=department, description="", created_at=stamp, updated_at=stamp, version=1
            )
        ).inserted_primary_key[0]
        rows = [
            {
                "name": person_name(n),
                "email": None,
                "phone": "",
                "location": "",
                "job_title": "Engineer",
                "department_id": department_id,
                "skills": [],
                "weekly_capacity": 36,
                "hire_date": None,
                "notes": "",
                "is_active": True,
                "created_at": stamp,
                "updated_at": stamp,
                "version": 1,
                **search_keys(person_name(n), None),
            }
            for n in range(1, count + 1)
        ]
        db.execute(insert(Person.__table__), rows)
    engine.dispose()
    return department_id


def remove_department(database_url: str, department_id: int) -> None:
    engine = create_engine(database_url)
    with engine.begin() as db:
        db.execute(delete(Person.__table__).where(Person.__table__.c.department_id == department_id))
        db.execute(delete(Department.__table__).where(Department.__table__.c.id == department_id))
    engine.dispose()


@pytest.fixture(scope="module")
def crowd(app_server):
    department_id = bulk_people(app_server["database_url"], PEOPLE, DEPARTMENT)
    yield department_id
    remove_department(app_server["database_url"], department_id)


def _crowd_people(tab, phone: bool):
    tab.sign_in("admin", path="/people")
    page = tab.page
    page.get_by_label("Department").select_option(label=DEPARTMENT)
    expect(page.get_by_text(f"{PEOPLE:,} people")).to_be_visible()
    page.evaluate("document.activeElement && document.activeElement.blur()")
    expect(
        page.get_by_role("list" if phone else "table", name="People").get_by_role("link", name=person_name(1))
    ).to_be_visible()


def _rows_seen(page) -> int:
    return page.evaluate("window.__rows.max")


def _scroll_to_the_end(page, last_link, use_keyboard: bool) -> None:
    """End (or scrollTo the bottom) until the last row is on screen: rows are measured as they
    appear, so the first jump can land a little short of the end."""
    for _ in range(5):
        if use_keyboard:
            page.keyboard.press("End")
        else:
            page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
        try:
            expect(last_link).to_be_in_viewport(timeout=5_000)
            return
        except AssertionError:
            continue
    expect(last_link).to_be_in_viewport()


@pytest.mark.parametrize("phone", [False, True], ids=["desktop", "phone"])
def test_ten_thousand_people_scroll_end_to_end_with_few_rows_in_the_page(open_tab, crowd, phone):
    tab = open_tab(phone=phone)
    page = tab.page
    _crowd_people(tab, phone)
    people = page.get_by_role("list" if phone else "table", name="People")
    if not phone:
        expect(people).to_have_attribute("aria-rowcount", str(PEOPLE + 1))
    page.evaluate(COUNT_ROWS, "People")

    # Down by the wheel a few screens at a time, then straight to the end.
    page.mouse.move(200, 400)
    for _ in range(8):
        page.mouse.wheel(0, 2_500)
    expect(people.locator("[aria-busy=true]")).to_have_count(0)
    last = page.get_by_role("link", name=person_name(PEOPLE))
    _scroll_to_the_end(page, last, use_keyboard=not phone)
    expect(people.locator("[aria-busy=true]")).to_have_count(0)
    if phone:
        item = people.get_by_role("listitem").filter(has=last)
        expect(item).to_have_attribute("aria-posinset", str(PEOPLE))
        expect(item).to_have_attribute("aria-setsize", str(PEOPLE))
    else:
        expect(people.get_by_role("row").filter(has=last)).to_have_attribute("aria-rowindex", str(PEOPLE + 1))
    page.screenshot(path=ARTIFACTS / f"people-10000-end-{'phone' if phone else 'desktop'}.png")

    # And back to the top.
    page.evaluate("window.scrollTo(0, 0)")
    expect(people.get_by_role("link", name=person_name(1))).to_be_visible()
    assert _rows_seen(page) <= MAX_ROWS, f"{_rows_seen(page)} rows in the page at once"
    tab.assert_no_horizontal_scroll()
    if phone:
        page.set_viewport_size({"width": 320, "height": 700})
        expect(people.get_by_role("link", name=person_name(1))).to_be_visible()
        tab.assert_no_horizontal_scroll()
        page.screenshot(path=ARTIFACTS / "people-10000-320px.png")


@pytest.mark.parametrize("phone", [False, True], ids=["desktop", "phone"])
def test_back_from_a_person_comes_back_to_the_same_place(open_tab, crowd, phone):
    tab = open_tab(phone=phone)
    page = tab.page
    _crowd_people(tab, phone)
    people = page.get_by_role("list" if phone else "table", name="People")
    page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight * 0.4)")
    expect(people.locator("[aria-busy=true]")).to_have_count(0)
    # The first row wholly below the top bar: its link is the one to follow.
    link = people.get_by_role("link", name=re.compile(r"Crowd person")).nth(6)
    expect(link).to_be_in_viewport()
    name = link.inner_text()
    assert name not in (person_name(1), person_name(2))
    link.click()
    expect(page).to_have_url(re.compile(r"/people/\d+$"))
    expect(page.get_by_role("heading", name=name)).to_be_visible()

    page.go_back()
    tab.wait_loaded()
    expect(page.get_by_text(f"{PEOPLE:,} people")).to_be_visible()
    expect(people.get_by_role("link", name=name)).to_be_in_viewport()

    # A new visit (not Back) starts at the top.
    if phone:
        tab.open("/people")
    else:
        page.get_by_role("navigation").get_by_role("link", name="People").first.click()
        tab.wait_loaded()
    expect(people.get_by_role("link", name=person_name(1))).to_be_in_viewport()
