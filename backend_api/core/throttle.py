"""Failed-login counters per username and per client IP, in fixed windows.

In memory by default (one process; losing them on restart is harmless), in Redis when REDIS_URL
is set, so several API workers share one count.
"""

import threading
import time


class MemoryCounter:
    def __init__(self):
        self._lock = threading.Lock()
        self._hits: dict[str, tuple[float, int]] = {}

    def count(self, key: str, window: int) -> tuple[int, int]:
        """(failures so far, seconds until the window ends)."""
        with self._lock:
            started, hits = self._hits.get(key, (0.0, 0))
            left = int(started + window - time.monotonic()) + 1
            return (hits, left) if left > 0 else (0, 0)

    def hit(self, key: str, window: int) -> None:
        with self._lock:
            started, hits = self._hits.get(key, (0.0, 0))
            if time.monotonic() - started >= window:
                started, hits = time.monotonic(), 0
            self._hits[key] = (started, hits + 1)
            if len(self._hits) > 100_000:  # bound memory under a spray of usernames
                oldest = sorted(self._hits.items(), key=lambda kv: kv[1][0])[:50_000]
                for stale, _ in oldest:
                    del self._hits[stale]

    def reset(self, key: str) -> None:
        with self._lock:
            self._hits.pop(key, None)


class RedisCounter:
    def __init__(self, url: str):
        import redis

        self._redis = redis.Redis.from_url(url)

    def count(self, key: str, window: int) -> tuple[int, int]:
        pipe = self._redis.pipeline()
        pipe.get(f"throttle:{key}")
        pipe.ttl(f"throttle:{key}")
        hits, ttl = pipe.execute()
        return (int(hits or 0), max(int(ttl), 1)) if hits else (0, 0)

    def hit(self, key: str, window: int) -> None:
        pipe = self._redis.pipeline()
        pipe.incr(f"throttle:{key}")
        pipe.expire(f"throttle:{key}", window, nx=True)
        pipe.execute()

    def reset(self, key: str) -> None:
        self._redis.delete(f"throttle:{key}")


class LoginThrottle:
    def __init__(self, counter, user_limit: int, ip_limit: int, window: int):
        self.counter, self.user_limit, self.ip_limit, self.window = counter, user_limit, ip_limit, window

    def _keys(self, username: str, ip: str) -> list[tuple[str, int]]:
        return [(f"user:{username.lower()}", self.user_limit), (f"ip:{ip}", self.ip_limit)]

    def retry_after(self, username: str, ip: str) -> int:
        """Seconds to wait, or 0 when a login attempt may go ahead."""
        waits = [left for key, limit in self._keys(username, ip)
                 for hits, left in [self.counter.count(key, self.window)] if hits >= limit]
        return max(waits, default=0)

    def failed(self, username: str, ip: str) -> None:
        for key, _ in self._keys(username, ip):
            self.counter.hit(key, self.window)

    def succeeded(self, username: str) -> None:
        self.counter.reset(f"user:{username.lower()}")


def make_throttle(settings) -> LoginThrottle:
    counter = RedisCounter(settings.redis_url) if settings.redis_url else MemoryCounter()
    return LoginThrottle(counter, settings.throttle_user_failures, settings.throttle_ip_failures,
                         settings.throttle_window_seconds)
