"""The windowed lists (states/page.py WindowMixin): the state holds only the pages around the
rows on screen, however long the list, and filters start it again from the top."""

import asyncio

import pytest

from planner_app.states.auth import AuthState
from planner_app.states.page import WINDOW_PAGE, WINDOW_PAGES, window_pages
from planner_app.states.people import PeopleState
from tests.app.conftest import drain, sign_in_tab
from tests.app.test_states import substate
from tests.factories import make_person, make_user

PEOPLE = 260
MAX_ROWS = WINDOW_PAGE * WINDOW_PAGES


@pytest.mark.parametrize(
    ("first", "last", "count", "pages"),
    [
        (0, 25, 0, [0]),  # count not known yet: the first page tells it
        (0, 20, 30, [0, 1]),  # the margin below the screen reaches into page 1
        (0, 5, 5, [0]),
        (100, 110, 10_000, [3, 4]),
        (9_990, 10_000, 10_000, [399]),
        (0, 1_000, 10_000, [18, 19, 20, 21]),  # never more than WINDOW_PAGES, around the middle
        (500, 520, 40, [1]),  # the list got shorter than what was on screen
    ],
)
def test_window_pages(first, last, count, pages):
    assert list(window_pages(first, last, count)) == pages


def _people_page(root_state, registry):
    user = make_user(registry, "user")
    for n in range(PEOPLE):
        make_person(registry, name=f"Person {n:03d}", email=f"window{n}@example.com")
    auth = substate(root_state, AuthState)
    sign_in_tab(auth, user.username)
    people = substate(root_state, PeopleState)
    people.active = ""
    asyncio.run(drain(people.load()))
    return people


def _names(people) -> list[str]:
    return [p.name for p in people.people]


def test_scrolling_moves_a_bounded_window(embedded_api, registry, root_state):
    people = _people_page(root_state, registry)
    assert people.count == PEOPLE and people.total_text == f"{PEOPLE} people"
    assert people.window_start == 0 and _names(people)[0] == "Person 000"

    asyncio.run(drain(people.show_range(120, 135)))
    start = people.window_start
    assert start % WINDOW_PAGE == 0 and start <= 110 and start + len(people.people) >= 145
    assert _names(people) == [f"Person {n:03d}" for n in range(start, start + len(people.people))]
    assert len(people.people) <= MAX_ROWS

    # The end of the list: its last row is in, the top is dropped.
    asyncio.run(drain(people.show_range(PEOPLE - 12, PEOPLE)))
    assert _names(people)[-1] == f"Person {PEOPLE - 1:03d}"
    assert people.window_start > 0 and len(people.people) <= MAX_ROWS


def test_a_range_already_held_reads_nothing(embedded_api, registry, root_state, monkeypatch):
    people = _people_page(root_state, registry)
    asyncio.run(drain(people.show_range(60, 70)))
    held = (people.window_start, _names(people))

    async def no_read(self, page, size):
        raise AssertionError(f"page {page} read again")

    monkeypatch.setattr(PeopleState, "_fetch_page", no_read)
    asyncio.run(drain(people.show_range(62, 74)))
    assert (people.window_start, _names(people)) == held


def test_filters_start_the_list_again_from_the_top(embedded_api, registry, root_state):
    people = _people_page(root_state, registry)
    asyncio.run(drain(people.show_range(200, 215)))
    version = people.list_version
    asyncio.run(drain(people.set_filter("search", "Person 25")))
    assert people.list_version == version + 1 and people.window_start == 0
    assert _names(people) == [f"Person {n}" for n in range(250, 260)]
    assert people.count == 10 and people.total_text == "10 people"
