import uuid

import pytest

from backend_api.core.throttle import LoginThrottle, MemoryCounter, RedisCounter


def counters():
    yield MemoryCounter()
    try:
        counter = RedisCounter("redis://127.0.0.1:6379/15")
        counter._redis.ping()
        yield counter
    except Exception:  # Redis is optional; the memory counter is always tested
        return


@pytest.mark.parametrize("counter", list(counters()), ids=lambda c: type(c).__name__)
def test_limits_per_username_and_ip(counter):
    user = f"u-{uuid.uuid4().hex}"
    throttle = LoginThrottle(counter, user_limit=3, ip_limit=5, window=60)
    for _ in range(3):
        assert throttle.retry_after(user, "10.1.1.1") == 0
        throttle.failed(user, "10.1.1.1")
    wait = throttle.retry_after(user, "10.1.1.1")
    assert 0 < wait <= 61
    assert throttle.retry_after(f"{user}-other", "10.1.1.2") == 0
    throttle.succeeded(user)
    assert throttle.retry_after(user, "10.1.1.2") == 0
    counter.reset("ip:10.1.1.1")
