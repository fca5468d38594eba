"""The process-wide response cache and in-flight sharing of services/cache.py: keyed by user, so
one app server process serving several people never hands one of them another's answer."""

import asyncio

import httpx
import jwt
import pytest

from planner_app.services import transport as api_transport
from planner_app.services.cache import CACHE, ResponseCache
from planner_app.services.client import ApiClient, Credentials
from tests.factories import PASSWORD, make_person, make_user


class Recorder(httpx.AsyncBaseTransport):
    """The in-process API, with each answer labelled with the user whose token asked for it, and
    every request held until `release` is set so that concurrent calls are in flight together."""

    def __init__(self, inner: httpx.AsyncBaseTransport):
        self.inner = inner
        self.sent: list[tuple[str, str, str | None]] = []  # (user id, path, If-None-Match)
        self.release = asyncio.Event()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        token = request.headers.get("Authorization", "").removeprefix("Bearer ")
        uid = jwt.decode(token, options={"verify_signature": False})["sub"] if token else "anon"
        self.sent.append((uid, request.url.path, request.headers.get("If-None-Match")))
        await self.release.wait()
        resp = await self.inner.handle_async_request(request)
        await resp.aread()
        return httpx.Response(
            resp.status_code, headers=[*resp.headers.multi_items(), ("X-Answered-For", uid)], content=resp.content
        )


@pytest.fixture
def recorder(embedded_api, monkeypatch):
    rec = Recorder(embedded_api)
    monkeypatch.setattr(api_transport, "target", lambda: ("http://planner.test/api", rec))
    return rec


async def _sign_in(recorder, user) -> Credentials:
    creds = Credentials()
    recorder.release.set()
    async with ApiClient(creds) as client:
        await client.login(user.username, PASSWORD)
    recorder.release.clear()
    return creds


def test_two_users_at_once_never_receive_each_others_answers(recorder, registry):
    ada, bob = make_user(registry, "manager"), make_user(registry, "user")
    person = make_person(registry, name="Grace")
    path = f"/people/{person.id}/"

    async def go():
        creds = {ada.id: await _sign_in(recorder, ada), bob.id: await _sign_in(recorder, bob)}
        recorder.sent.clear()

        async def tab(uid: int):
            async with ApiClient(creds[uid]) as client:
                me, resp = await asyncio.gather(client.me(), client.request("GET", path))
                return uid, me.id, resp.headers["X-Answered-For"]

        # Three tabs per user ask for the same URLs at the same moment, interleaved.
        calls = asyncio.gather(*[tab(uid) for _ in range(3) for uid in (ada.id, bob.id)])

        async def all_in_flight():  # both users' requests sent, none answered yet
            while len(recorder.sent) < 4:
                await asyncio.sleep(0)

        await asyncio.wait_for(all_in_flight(), timeout=10)
        recorder.release.set()
        first_round = await calls
        assert len(recorder.sent) == 4, recorder.sent
        # Again: now from the cache, revalidated with If-None-Match.
        second_round = await asyncio.gather(*[tab(uid) for uid in (ada.id, bob.id)])
        return first_round, second_round

    first_round, second_round = asyncio.run(go())
    for uid, me_id, answered_for in [*first_round, *second_round]:
        assert me_id == uid and answered_for == str(uid)
    sent_first = recorder.sent[:4]
    # One request per user and URL while they were in flight together: shared within a user only.
    assert sorted((u, p) for u, p, _ in sent_first) == sorted(
        [
            (str(ada.id), "/api/auth/me/"),
            (str(ada.id), f"/api{path}"),
            (str(bob.id), "/api/auth/me/"),
            (str(bob.id), f"/api{path}"),
        ]
    )
    revalidations = [(u, inm) for u, p, inm in recorder.sent[4:] if p == f"/api{path}"]
    assert sorted(u for u, _ in revalidations) == sorted([str(ada.id), str(bob.id)]) and all(
        revalidations[0][1] == inm for _, inm in revalidations
    )
    assert all(key.startswith((f"uid:{ada.id}|", f"uid:{bob.id}|")) for key in CACHE.keys())


def test_a_cached_detail_is_revalidated_and_a_304_reuses_it(recorder, registry):
    user = make_user(registry, "manager")
    person = make_person(registry, name="Grace", job_title="Engineer")

    async def go():
        creds = await _sign_in(recorder, user)
        recorder.release.set()
        async with ApiClient(creds) as client:
            first = await client.people.get(person.id)
            again = await client.people.get(person.id)
            cached = list(CACHE.keys())
            client.clear_caches()
            return first, again, cached, list(CACHE.keys())

    first, again, cached, after_clear = asyncio.run(go())
    assert first == again and again.job_title == "Engineer"
    (_, _, no_tag), (_, _, tag) = recorder.sent[-2:]
    assert no_tag is None and tag and tag.startswith('"')
    assert cached == [f"uid:{user.id}|/people/{person.id}/"]
    assert after_clear == []


def test_the_cache_is_bounded_least_recently_used_first():
    cache = ResponseCache(max_entries=2)
    response = httpx.Response(200, json={}, headers={"ETag": '"x"'})
    cache.put("uid:1|/people/1/", response)
    cache.put("uid:1|/people/2/", response)
    cache.get("uid:1|/people/1/")
    cache.put("uid:2|/people/3/", response)
    assert cache.keys() == ["uid:1|/people/1/", "uid:2|/people/3/"]
    cache.clear("uid:1")
    assert cache.keys() == ["uid:2|/people/3/"]


def test_a_failed_shared_request_is_not_handed_to_the_others():
    cache = ResponseCache()
    answers = iter([httpx.Response(401, json={"code": "session_revoked"}), httpx.Response(200, json={"ok": True})])
    started = asyncio.Event()

    async def fetch():
        started.set()
        await asyncio.sleep(0)
        return next(answers)

    async def go():
        leader = asyncio.ensure_future(cache.shared("uid:1|/auth/me/", fetch))
        await started.wait()
        follower = await cache.shared("uid:1|/auth/me/", fetch)
        return (await leader).status_code, follower.status_code

    # The other tab's session may be the one that ended: the follower asks for itself.
    assert asyncio.run(go()) == (401, 200)
