"""The supervisor on its own, with workers that are plain functions (run in forked children)."""

import os
import signal
import time

import pytest

from backend_api import server
from backend_api.server import BUILD_FAILED, Supervisor


@pytest.fixture(autouse=True)
def _quick_backoff(monkeypatch):
    monkeypatch.setattr(server, "BACKOFF_SECONDS", 0.01)


def _spawn_log(tmp_path):
    """A file each worker appends its pid to, and a way to read them back."""
    path = tmp_path / "spawned"
    path.touch()

    def note():
        with open(path, "a") as out:
            out.write(f"{os.getpid()}\n")

    return note, lambda: [int(line) for line in path.read_text().split()]


def test_workers_that_die_at_once_are_a_crash_loop_and_exit_1(tmp_path):
    note, spawned = _spawn_log(tmp_path)

    def crash():
        note()
        return 1

    exited = []
    assert Supervisor(2, crash, worker_exited=exited.append).run() == 1
    # The deaths that make the loop, and at most one more worker started meanwhile (and stopped).
    assert server.CRASH_LOOP_DEATHS <= len(spawned()) <= server.CRASH_LOOP_DEATHS + 1
    assert sorted(exited) == sorted(spawned())


def test_an_app_that_cannot_be_built_stops_the_server_at_once(tmp_path):
    note, spawned = _spawn_log(tmp_path)

    def cannot_build():
        note()
        return BUILD_FAILED

    assert Supervisor(1, cannot_build).run() == 1
    assert len(spawned()) == 1


def test_workers_that_end_together_are_all_accounted_for(tmp_path):
    """Two workers reaped in one go (the supervisor was busy): both leave the books, and the stop
    does not wait for a child that is already gone."""
    previous = signal.signal(signal.SIGALRM, lambda *_: pytest.fail("the supervisor hung"))
    signal.alarm(30)  # a regression here is a hang: make it a failure
    note, spawned = _spawn_log(tmp_path)

    def cannot_build():
        note()
        return BUILD_FAILED

    exited = []

    def slow_bookkeeping(pid):  # the second worker ends while the first is being accounted for
        exited.append(pid)
        time.sleep(0.3)

    supervisor = Supervisor(2, cannot_build, worker_exited=slow_bookkeeping)
    try:
        assert supervisor.run() == 1
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    assert supervisor.children == {} and sorted(exited) == sorted(spawned())


def test_a_worker_that_dies_after_a_long_life_is_replaced_then_sigterm_stops_with_0(tmp_path, monkeypatch):
    monkeypatch.setattr(server, "QUICK_DEATH_SECONDS", 0)  # every death counts as after a long life
    note, spawned = _spawn_log(tmp_path)
    started = []

    def live_then_die():
        note()
        if len(spawned()) < 8:
            return 0  # far more deaths than a crash loop allows, each one replaced
        os.kill(os.getppid(), signal.SIGTERM)
        signal.pause()  # until the supervisor stops it
        return 0

    exited = []
    supervisor = Supervisor(1, live_then_die, starting=lambda: started.append(True), worker_exited=exited.append)
    assert supervisor.run() == 0
    assert started == [True]
    assert sorted(exited) == sorted(spawned()) and len(spawned()) == 8
    assert supervisor.children == {}


def test_a_worker_that_raises_is_replaced_like_any_death(tmp_path, monkeypatch):
    monkeypatch.setattr(server, "QUICK_DEATH_SECONDS", 0)
    note, spawned = _spawn_log(tmp_path)

    def raise_then_stop():
        note()
        if len(spawned()) < 3:
            raise RuntimeError("boom")
        os.kill(os.getppid(), signal.SIGTERM)
        signal.pause()
        return 0

    assert Supervisor(1, raise_then_stop).run() == 0
    assert len(spawned()) == 3
