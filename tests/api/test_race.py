"""Sixteen PATCHes carrying the same valid If-Match race against a live server with several
worker processes: exactly one wins, fifteen get 412, and the stored value is the winner's."""

import threading

import httpx

from tests.factories import PASSWORD, make_person, make_user

RACERS = 16


def test_sixteen_concurrent_patches_have_exactly_one_winner(live_server, registry):
    user = make_user(registry, "manager")
    person = make_person(registry, job_title="start")
    with httpx.Client(base_url=live_server, timeout=30) as client:
        token = client.post("/api/auth/token/", json={"username": user.username, "password": PASSWORD}).json()["access"]
        headers = {"Authorization": f"Bearer {token}"}
        etag = client.get(f"/api/people/{person.id}/", headers=headers).headers["ETag"]

    barrier = threading.Barrier(RACERS)
    results: dict[int, httpx.Response] = {}

    def racer(n: int) -> None:
        with httpx.Client(base_url=live_server, timeout=30) as client:
            barrier.wait()
            results[n] = client.patch(
                f"/api/people/{person.id}/", json={"jobTitle": f"racer {n}"}, headers={**headers, "If-Match": etag}
            )

    threads = [threading.Thread(target=racer, args=(n,)) for n in range(RACERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    statuses = sorted(r.status_code for r in results.values())
    assert statuses == [200] + [412] * (RACERS - 1), statuses
    winner = next(n for n, r in results.items() if r.status_code == 200)
    losers = [r for r in results.values() if r.status_code == 412]
    assert all(r.json()["code"] == "precondition_failed" for r in losers)
    assert all(r.json()["current"]["jobTitle"] == f"racer {winner}" for r in losers)
    with httpx.Client(base_url=live_server, timeout=30) as client:
        stored = client.get(f"/api/people/{person.id}/", headers=headers)
    assert stored.json()["jobTitle"] == f"racer {winner}"
    assert stored.headers["ETag"] == results[winner].headers["ETag"]
    print(f"\nrace: {statuses.count(200)} x 200, {statuses.count(412)} x 412; winner racer {winner}")
