"""The person typeahead's state driven directly (no browser)."""

import asyncio

from planner_app.states.auth import AuthState
from planner_app.states.typeahead import TypeaheadState
from tests.app.conftest import drain, sign_in_tab
from tests.app.test_states import substate
from tests.factories import make_person, make_user


def _signed_in(root_state, registry, role: str):
    user = make_user(registry, role)
    auth = substate(root_state, AuthState)
    sign_in_tab(auth, user.username)
    return user


def test_typeahead_searches_moves_with_the_arrows_and_picks(embedded_api, registry, root_state):
    for n in range(3):
        make_person(registry, name=f"Quentin Q{n}", email=f"q{n}@example.com")
    _signed_in(root_state, registry, "user")
    ta = substate(root_state, TypeaheadState)
    asyncio.run(drain(ta.search("box", "q")))
    assert ta.hits.get("box") == [] and not ta.expanded["box"]  # one character: no search

    asyncio.run(drain(ta.search("box", "quent")))
    assert [h.name for h in ta.hits["box"]] == ["Quentin Q0", "Quentin Q1", "Quentin Q2"]
    assert ta.expanded["box"] and not ta.searching["box"] and ta.active["box"] == -1
    ta.key_down("box", "ArrowUp")  # from nothing, ↑ goes to the last
    assert ta.active["box"] == 2
    ta.key_down("box", "ArrowDown")  # and wraps round
    assert ta.active["box"] == 0
    ta.key_down("box", "ArrowDown")
    ta.key_down("box", "Enter")
    picked = ta.hits.get("box") or []
    assert ta.query["box"] == "Quentin Q1" and ta.chosen["box"] > 0 and not ta.expanded["box"] and picked == []

    asyncio.run(drain(ta.search("box", "Quentin Q")))  # typing again drops the choice
    assert ta.chosen["box"] == 0
    ta.key_down("box", "Escape")
    assert not ta.expanded["box"]


def test_two_typeaheads_on_one_page_keep_apart(embedded_api, registry, root_state):
    make_person(registry, name="Xavier One")
    make_person(registry, name="Yolanda Two")
    _signed_in(root_state, registry, "user")
    ta = substate(root_state, TypeaheadState)
    asyncio.run(drain(ta.search("a", "xavier")))
    asyncio.run(drain(ta.search("b", "yolanda")))
    ta.pick("a", 0)
    assert ta.query == {"a": "Xavier One", "b": "yolanda"}
    assert [h.name for h in ta.hits["b"]] == ["Yolanda Two"]
