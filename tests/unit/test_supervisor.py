"""The supervisor on its own, with workers that are plain functions (run in forked children)."""

import os
import signal

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
