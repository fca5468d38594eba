"""services/client.py: typed results, ETags and If-Match, token refresh, errors in words."""

import asyncio

import httpx
import jwt
import pytest

from planner_app.services import transport as api_transport
from planner_app.services.client import ApiClient, Credentials
from planner_app.services.errors import ApiError
from planner_app.services.models import Person
from tests.factories import make_department, make_person


def run(coro):
    return asyncio.run(coro)


def test_lists_are_typed_and_paginated(signed_in, registry):
    department = make_department(registry, name="Structures")
    for n in range(3):
        make_person(registry, name=f"Ada {n}", department_id=department.id, weekly_capacity=32)

    async def go():
        async with ApiClient(await signed_in()) as client:
            return await client.people.list(page=1, page_size=2, ordering="name")

    page = run(go())
    assert page.count == 3 and len(page.results) == 2 and page.next
    first = page.results[0]
    assert isinstance(first, Person)
    assert (first.name, first.department_name, first.weekly_capacity) == ("Ada 0", "Structures", 32)


def test_update_sends_if_match_from_the_tabs_etag_map(signed_in, registry):
    person = make_person(registry, name="Grace")
    etags: dict[str, str] = {}

    async def go():
        async with ApiClient(await signed_in(), etags=etags) as client:
            updated = await client.people.update(person.id, {"job_title": "Engineer"})
            seen = dict(etags)
            # Another writer changes the person; this tab still holds the old ETag.
            etags[f"/people/{person.id}/"] = '"stale"'
            with pytest.raises(ApiError) as stale:
                await client.people.update(person.id, {"job_title": "Architect"})
            return updated, seen, stale.value

    updated, seen, stale = run(go())
    assert updated.job_title == "Engineer"
    assert list(seen) == [f"/people/{person.id}/"]
    assert stale.status == 412 and stale.code == "precondition_failed"
    assert stale.message == "This item was updated by someone else."
    assert stale.body["current"]["jobTitle"] == "Engineer"


def test_refused_access_token_is_refreshed_once_and_rotated(signed_in, registry):
    make_person(registry)

    async def go():
        creds = await signed_in()
        old_refresh = creds.refresh
        creds.access = "not-a-token"
        async with ApiClient(creds) as client:
            page = await client.people.list()
        return creds, old_refresh, page

    creds, old_refresh, page = run(go())
    assert page.count == 1
    assert creds.access != "not-a-token"
    assert creds.refresh and creds.refresh != old_refresh


def _jti(token: str) -> str:
    return jwt.decode(token, options={"verify_signature": False})["jti"]


def test_two_tabs_refreshing_with_one_token_both_stay_signed_in(signed_in):
    """Two clients refreshing with one refresh token at once: the API's reuse grace covers the race."""

    async def go():
        first_tab = await signed_in()
        second_tab = Credentials(refresh=first_tab.refresh)
        async with ApiClient(first_tab) as client:
            await client.refresh()
        async with ApiClient(second_tab) as client:
            me = await client.me()
        return first_tab, second_tab, me

    first_tab, second_tab, me = run(go())
    assert me.id and second_tab.access
    # The session's current refresh token (its jti), not a new branch; re-encoded, so its iat may differ.
    assert _jti(second_tab.refresh) == _jti(first_tab.refresh)


def test_an_old_refresh_token_ends_the_session(signed_in):
    async def go():
        creds = await signed_in()
        stolen = Credentials(refresh=creds.refresh)
        async with ApiClient(creds) as client:
            await client.refresh()
            await client.refresh()
        async with ApiClient(stolen) as client:
            with pytest.raises(ApiError) as refused:
                await client.me()
        return stolen, refused.value

    stolen, refused = run(go())
    assert refused.status == 401 and refused.ends_session
    assert stolen.access == stolen.refresh == ""


def test_errors_come_in_plain_words(embedded_api, registry):
    async def go():
        async with ApiClient(Credentials()) as client:
            with pytest.raises(ApiError) as wrong:
                await client.login("nobody", "wrong password")
            with pytest.raises(ApiError) as anonymous:
                await client.me()
        return wrong.value, anonymous.value

    wrong, anonymous = run(go())
    assert (wrong.status, wrong.code, wrong.message) == (401, "invalid_credentials", "Wrong username or password.")
    assert anonymous.code == "not_authenticated"


def test_validation_messages_are_keyed_by_form_field(signed_in):
    async def go():
        async with ApiClient(await signed_in()) as client:
            with pytest.raises(ApiError) as invalid:
                await client.people.create({"name": "", "weekly_capacity": "lots"})
        return invalid.value

    invalid = run(go())
    assert invalid.status == 400 and invalid.code == "invalid"
    assert {"name", "weekly_capacity"} <= set(invalid.field_errors())
    assert invalid.message == "Please correct the highlighted fields."


def test_every_call_carries_a_request_id_and_the_bearer_token(monkeypatch):
    seen = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.headers)
        return httpx.Response(200, json={"id": 7, "username": "ada", "role": "admin"})

    monkeypatch.setattr(api_transport, "target", lambda: ("http://api.test/api", httpx.MockTransport(handler)))
    creds = Credentials(access="x")
    monkeypatch.setattr(Credentials, "access_expiring", lambda self: False)

    async def go():
        async with ApiClient(creds, user_agent="Firefox", client_ip="10.1.2.3") as client:
            return await client.me(), await client.me()

    first, _ = run(go())
    assert first.username == "ada"
    ids = [h["X-Request-ID"] for h in seen]
    # Distinct, and one prefix for the calls of one client (one user action).
    assert len(set(ids)) == 2 and len({i.rsplit("-", 1)[0] for i in ids}) == 1
    assert seen[0]["Authorization"] == "Bearer x"
    assert seen[0]["X-Client-User-Agent"] == "Firefox" and seen[0]["X-Forwarded-For"] == "10.1.2.3"


def test_planner_api_url_selects_a_separately_served_api(monkeypatch):
    monkeypatch.setenv("PLANNER_API_URL", "http://api.internal:6543/api/")
    assert api_transport.target() == ("http://api.internal:6543/api", None)


def test_unreachable_api_is_a_plain_error(monkeypatch):
    def handler(request):
        raise httpx.ConnectError("refused")

    monkeypatch.setattr(api_transport, "target", lambda: ("http://api.test/api", httpx.MockTransport(handler)))

    async def go():
        async with ApiClient(Credentials()) as client:
            with pytest.raises(ApiError) as down:
                await client.login("a", "b")
        return down.value

    down = run(go())
    assert down.code == "network" and "can't be reached" in down.message


def test_throttling_says_how_long_to_wait(embedded_api, registry):
    from tests.factories import make_user

    user = make_user(registry, "user")

    async def go():
        async with ApiClient(Credentials()) as client:
            for _ in range(50):
                try:
                    await client.login(user.username, "wrong")
                except ApiError as err:
                    if err.code == "throttled":
                        return err
        raise AssertionError("never throttled")

    throttled = run(go())
    assert throttled.status == 429 and throttled.retry_after
    assert throttled.message == f"Too many attempts. Try again in {throttled.retry_after} seconds."


def test_an_answer_of_the_wrong_shape_is_an_error_not_a_crash(monkeypatch):
    def handler(request):
        return httpx.Response(200, json={"count": "many", "results": "none"})

    monkeypatch.setattr(api_transport, "target", lambda: ("http://api.test/api", httpx.MockTransport(handler)))
    monkeypatch.setattr(Credentials, "access_expiring", lambda self: False)

    async def go():
        async with ApiClient(Credentials(access="x")) as client:
            with pytest.raises(ApiError) as odd:
                await client.people.list()
        return odd.value

    odd = run(go())
    assert odd.code == "bad_response" and "does not understand" in odd.message


def test_a_list_refreshes_the_etags_the_tab_holds_and_adds_none(signed_in, registry):
    person = make_person(registry, name="Grace")
    make_person(registry, name="Hopper")
    etags: dict[str, str] = {}

    async def go():
        creds = await signed_in()
        async with ApiClient(creds, etags=etags) as client:
            await client.people.get(person.id)
            seen = etags[f"/people/{person.id}/"]
            changed = await client.people.update(person.id, {"job_title": "Admiral"}, if_match=seen)
            etags[f"/people/{person.id}/"] = seen  # as if this tab had not seen its own save
            page = await client.people.list()
        return seen, changed, page

    seen, changed, page = run(go())
    assert changed.etag and changed.etag != seen
    assert etags == {f"/people/{person.id}/": changed.etag}  # refreshed; Hopper not added
    assert {p.id: p.etag for p in page.results}[person.id] == changed.etag
