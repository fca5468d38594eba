import logging
import socket
import threading
import time
import uuid

import pytest
from sqlalchemy import create_engine

from backend_api.core.throttle import DatabaseCounter, FallbackCounter, LoginAttempt, LoginThrottle, RedisCounter
from tests.tcpproxy import TcpProxy


@pytest.fixture(params=["database", "redis"])
def counter(request, tmp_path):
    if request.param == "database":
        engine = create_engine(f"sqlite:///{tmp_path}/t.db", connect_args={"timeout": 30, "check_same_thread": False})
        LoginAttempt.__table__.create(engine)
        return DatabaseCounter(engine)
    counter = RedisCounter("redis://127.0.0.1:6379/15")
    try:
        counter._redis.ping()
    except Exception:  # Redis is optional; the database counter is always tested
        pytest.skip("Redis is not running")
    return counter


def test_limits_per_username_and_ip(counter):
    user = f"u-{uuid.uuid4().hex}"
    throttle = LoginThrottle(counter, user_limit=3, ip_limit=5, window=60)
    for _ in range(3):
        assert throttle.attempt(user, "10.1.1.1") == 0
    wait = throttle.attempt(user, "10.1.1.1")
    assert 0 < wait <= 61
    assert throttle.attempt(f"{user}-other", "10.1.1.2") == 0
    throttle.succeeded(user, "10.1.1.2")
    assert throttle.attempt(user, "10.1.1.2") == 0
    throttle.unlock(ip="10.1.1.1")


def test_the_address_counts_failures_only(counter):
    ip = f"10.{uuid.uuid4().int % 250}.7.7"
    throttle = LoginThrottle(counter, user_limit=3, ip_limit=2, window=60)
    for n in range(10):  # an office signing in all day behind one address
        assert throttle.attempt(f"person{n}-{ip}", ip) == 0
        throttle.succeeded(f"person{n}-{ip}", ip)
    throttle.unlock(ip=ip)


def test_a_window_that_ended_starts_again(counter):
    user = f"u-{uuid.uuid4().hex}"
    # Windows are counted in whole seconds: 3 s leaves the second attempt 2 s to land in the first.
    throttle = LoginThrottle(counter, user_limit=1, ip_limit=100, window=3)
    assert throttle.attempt(user, "10.2.2.2") == 0
    assert throttle.attempt(user, "10.2.2.2") > 0
    time.sleep(4.1)
    assert throttle.attempt(user, "10.2.2.2") == 0
    throttle.unlock(username=user, ip="10.2.2.2")


def test_parallel_guesses_get_exactly_the_limit(counter):
    """Check and count are one step: of 24 guesses at once, 5 go ahead."""
    user = f"u-{uuid.uuid4().hex}"
    throttle = LoginThrottle(counter, user_limit=5, ip_limit=1000, window=60)
    allowed, start = [], threading.Barrier(24)

    def guess():
        start.wait()
        allowed.append(throttle.attempt(user, "10.3.3.3") == 0)

    threads = [threading.Thread(target=guess) for _ in range(24)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert allowed.count(True) == 5
    throttle.unlock(username=user, ip="10.3.3.3")


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def database_counter(tmp_path):
    engine = create_engine(f"sqlite:///{tmp_path}/t.db", connect_args={"timeout": 30, "check_same_thread": False})
    LoginAttempt.__table__.create(engine)
    return DatabaseCounter(engine)


def test_with_redis_down_sign_in_is_still_throttled_by_the_database(database_counter, caplog):
    redis_down = RedisCounter(f"redis://127.0.0.1:{_closed_port()}/4")
    throttle = LoginThrottle(FallbackCounter(redis_down, database_counter), user_limit=3, ip_limit=100, window=60)
    with caplog.at_level(logging.WARNING, logger="backend_api.core.throttle"):
        assert [throttle.attempt("ana", "10.4.4.4") for _ in range(3)] == [0, 0, 0]
        assert throttle.attempt("ana", "10.4.4.4") > 0
        throttle.succeeded("ana", "10.4.4.4")
        assert throttle.attempt("ana", "10.4.4.4") == 0
    assert database_counter.hit("user:ana", 60)[0] == 2  # the counts are in the database
    assert len(caplog.records) == 1 and "Redis unreachable" in caplog.records[0].getMessage()


def test_redis_is_used_again_once_it_is_back(database_counter):
    proxy = TcpProxy("127.0.0.1", 6379)
    proxy.start()
    redis_counter = RedisCounter(f"redis://127.0.0.1:{proxy.port}/4")
    try:
        redis_counter._redis.ping()
    except Exception:
        proxy.stop()
        pytest.skip("Redis is not running")
    key = f"user:u-{uuid.uuid4().hex}"
    counter = FallbackCounter(redis_counter, database_counter, pause=0)
    try:
        proxy.stop()
        assert counter.hit(key, 60)[0] == 1  # counted in the database
        proxy.start()
        assert counter.hit(key, 60)[0] == 1  # counted in Redis again, a fresh count there
        assert redis_counter._redis.get(f"throttle:{key}") == b"1"
        assert database_counter.hit(key, 60)[0] == 2
    finally:
        redis_counter.reset(key)
        proxy.stop()
