"""The API client's sessions, people search and admin calls, against the real API in process."""

import asyncio

import pytest

from planner_app.services.client import ApiClient, Credentials
from planner_app.services.errors import ApiError
from tests.factories import PASSWORD, make_person, make_user

FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0"


def run(coro):
    return asyncio.run(coro)


def test_sign_in_records_the_browsers_address_and_agent(embedded_api, registry):
    """The app calls the API from the server: the session must show the browser, not the app server."""
    user = make_user(registry, "user")

    async def go():
        creds = Credentials()
        async with ApiClient(creds, client_ip="203.0.113.9", user_agent=FIREFOX) as client:
            await client.login(user.username, PASSWORD)
            return await client.sessions()

    (session,) = run(go())
    assert session.ip == "203.0.113.9" and session.user_agent == FIREFOX and session.current


def test_revoking_another_session_signs_that_one_out(embedded_api, registry):
    user = make_user(registry, "user")

    async def go():
        mine, other = Credentials(), Credentials()
        for creds in (mine, other):
            async with ApiClient(creds) as client:
                await client.login(user.username, PASSWORD)
        async with ApiClient(mine) as client:
            victim = next(s for s in await client.sessions() if not s.current)
            revoked = await client.revoke_session(victim.id)
        async with ApiClient(other) as client:
            with pytest.raises(ApiError) as ended:
                await client.me()
        return revoked, ended.value

    revoked, ended = run(go())
    assert not revoked.is_active
    assert ended.code == "session_revoked" and ended.message == "You were signed out from another device."


def test_people_search_is_typed_and_bounded(signed_in, registry):
    for n in range(25):
        make_person(registry, name=f"Typeahead Tester {n:02}")

    async def go():
        async with ApiClient(await signed_in("user")) as client:
            return await client.search_people("typeahead tes"), await client.search_people("t")

    found, too_short = run(go())
    assert len(found) == 20 and all(p.name.startswith("Typeahead Tester") for p in found)
    assert too_short == []


def test_admin_actions_and_their_audit_trail(signed_in, registry):
    target = make_user(registry, "user")

    async def go():
        async with ApiClient(await signed_in("admin")) as client:
            promoted = await client.change_role(target.id, "manager")
            disabled = await client.toggle_active(target.id)
            await client.set_password(target.id, "a-new-long-password")
            with pytest.raises(ApiError) as weak:
                await client.set_password(target.id, "x")
            created = await client.users.create({"username": "newbie", "password": "newbie-password-1", "role": "user"})
            listed = await client.users.list(search="newbi")
            await client.users.delete(created.id)
            audit = await client.audit(page_size=10)
        return promoted, disabled, weak.value, listed, audit

    promoted, disabled, weak, listed, audit = run(go())
    assert promoted.role == "manager" and not disabled.is_active
    assert weak.field_errors()["password"].startswith("The password must have at least")
    assert [u.username for u in listed.results] == ["newbie"]
    assert [e.action for e in audit.results[:5]] == [
        "delete_user",
        "create_user",
        "set_password",
        "toggle_active",
        "change_role",
    ]
    assert audit.results[4].meta["to"] == "manager" and audit.results[4].target_id == target.id


def test_the_last_admin_cannot_be_demoted_and_says_so(signed_in, registry):
    async def go():
        creds = await signed_in("admin")
        async with ApiClient(creds) as client:
            me = await client.me()
            admins = await client.users.list(role="admin", is_active=True)
            for other in admins.results:
                if other.id != me.id:
                    await client.toggle_active(other.id)
            with pytest.raises(ApiError) as refused:
                await client.change_role(me.id, "user")
        return refused.value

    refused = run(go())
    assert refused.code == "last_admin" and "last active admin" in refused.message
