"""One user action can be followed into the API: every call a Reflex event makes carries an
X-Request-ID starting with that event's id, and the API logs it on its lines."""

import asyncio
import logging

from reflex_base.event.context import EventContext

from planner_app.services.client import ApiClient
from planner_app.states.auth import AuthState
from tests.app.conftest import Browser, last_challenge
from tests.app.test_states import substate
from tests.factories import PASSWORD, make_user


def logged_request_ids(caplog) -> list[str]:
    return [record.request_id for record in caplog.records if record.name == "backend_api.access"]


def test_the_calls_of_one_client_share_its_prefix_and_are_numbered(embedded_api, signed_in, caplog):
    creds = asyncio.run(signed_in())
    caplog.set_level(logging.INFO, logger="backend_api.access")

    async def two_calls():
        async with ApiClient(creds, request_id_prefix="evt42") as client:
            await client.me()
            await client.people.list()

    asyncio.run(two_calls())
    first, second = logged_request_ids(caplog)
    assert first.startswith("evt42-") and second.startswith("evt42-")
    assert int(second.rsplit("-", 1)[1]) == int(first.rsplit("-", 1)[1]) + 1


def test_a_sign_in_event_sends_its_reflex_event_id_on_every_call(embedded_api, registry, root_state, caplog):
    user = make_user(registry, "manager")
    auth = substate(root_state, AuthState)
    auth.sign_in({"username": user.username, "password": PASSWORD})
    granted = asyncio.run(Browser(user.username).sign_in(last_challenge(auth)))  # the browser's own calls
    caplog.set_level(logging.INFO, logger="backend_api.access")
    event = EventContext(token="tab-token", state_manager=None, enqueue_impl=None)

    async def finish_sign_in():
        with event:
            await auth.finish_sign_in(granted)

    asyncio.run(finish_sign_in())
    ids = logged_request_ids(caplog)
    assert len(ids) == 2 and auth.signed_in  # the grant's code traded for the token, then the user
    assert all(i.startswith(f"{event.txid}-") for i in ids) and ids[0] != ids[1]
    assert "tab-token" not in " ".join(ids)  # the tab's token is its key to the state: never in a log
