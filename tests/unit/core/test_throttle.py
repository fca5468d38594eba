import threading
import time
import uuid

import pytest
from sqlalchemy import create_engine

from backend_api.core.throttle import DatabaseCounter, LoginAttempt, LoginThrottle, RedisCounter


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
