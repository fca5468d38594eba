"""Sign-in attempt counters per username and per client address, in fixed windows.

Every attempt is counted *before* its password is checked, in one atomic step that also answers
whether the attempt may go ahead: 24 parallel guesses against a limit of 5 get 5 checks, not 24.
The counts are shared by every worker: in Redis when REDIS_URL is set, otherwise in the database
(table `login_attempts`), never in process memory, which each worker would count alone. While Redis
cannot be reached the database counts instead: sign-in keeps working and keeps being throttled.
"""

import logging
import time
from typing import Protocol

from sqlalchemy import BigInteger, Column, Integer, String, case, delete, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Engine
from sqlmodel import Field, SQLModel, col

from . import metrics
from .model import table_of

log = logging.getLogger(__name__)


class LoginAttempt(SQLModel, table=True):
    __tablename__ = "login_attempts"

    key: str = Field(sa_column=Column(String(300), primary_key=True))
    hits: int = Field(sa_column=Column(Integer, nullable=False))
    window_ends: int = Field(sa_column=Column(BigInteger, nullable=False))  # epoch seconds


class Counter(Protocol):
    """Where attempts are counted: the database, Redis, or Redis with the database to fall back on."""

    def hit(self, key: str, window: int) -> tuple[int, int]: ...
    def forgive(self, key: str) -> None: ...
    def reset(self, key: str) -> None: ...


class DatabaseCounter:
    """Counts in `login_attempts`, each step in its own short transaction committed at once: the
    request's own transaction rolls back on a failed sign-in, and must not take the count with it."""

    def __init__(self, engine: Engine):
        self._engine = engine
        self._insert = (postgresql if engine.dialect.name == "postgresql" else sqlite).insert

    def hit(self, key: str, window: int) -> tuple[int, int]:
        """Count one attempt: (attempts in the window so far, seconds until the window ends)."""
        at = int(time.time())
        table = table_of(LoginAttempt)
        expired = table.c.window_ends <= at
        statement = (
            self._insert(table)
            .values(key=key, hits=1, window_ends=at + window)
            .on_conflict_do_update(
                index_elements=[table.c.key],
                set_={
                    "hits": case((expired, 1), else_=table.c.hits + 1),
                    "window_ends": case((expired, at + window), else_=table.c.window_ends),
                },
            )
            .returning(table.c.hits, table.c.window_ends)
        )
        with self._engine.begin() as conn:
            hits, ends = conn.execute(statement).one()
        return hits, max(ends - at, 1)

    def forgive(self, key: str) -> None:
        with self._engine.begin() as conn:
            conn.execute(
                update(LoginAttempt)
                .where(col(LoginAttempt.key) == key, col(LoginAttempt.hits) > 0)
                .values(hits=col(LoginAttempt.hits) - 1)
            )

    def reset(self, key: str) -> None:
        with self._engine.begin() as conn:
            conn.execute(delete(LoginAttempt).where(col(LoginAttempt.key) == key))


class RedisCounter:
    def __init__(self, url: str):
        import redis

        # Short timeouts: a Redis that does not answer must not hold a sign-in for long.
        self._redis = redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=2)

    def hit(self, key: str, window: int) -> tuple[int, int]:
        # MULTI/EXEC: the increment, the window and the answer are one step for every worker.
        pipe = self._redis.pipeline(transaction=True)
        pipe.incr(f"throttle:{key}")
        pipe.expire(f"throttle:{key}", window, nx=True)
        pipe.ttl(f"throttle:{key}")
        hits, _, ttl = pipe.execute()
        return int(hits), max(int(ttl), 1)

    def forgive(self, key: str) -> None:
        # Only a key that still exists: DECR would create a negative one without a window.
        self._redis.eval(
            "if redis.call('exists', KEYS[1]) == 1 then return redis.call('decr', KEYS[1]) end", 1, f"throttle:{key}"
        )

    def reset(self, key: str) -> None:
        self._redis.delete(f"throttle:{key}")


class FallbackCounter:
    """Redis, and the database while Redis cannot be reached. After a failure Redis is left alone for
    `pause` seconds (one warning, not one per sign-in, and no connect timeout paid by each attempt).
    Counts made meanwhile stay in the database: a window that spans the outage is counted in two
    halves, each against the full limit — weaker for those minutes, never switched off."""

    def __init__(self, redis_counter: RedisCounter, database_counter: DatabaseCounter, pause: float = 30):
        import redis

        self._redis, self._database, self.pause = redis_counter, database_counter, pause
        self._unreachable = (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError)
        self._retry_at = 0.0

    def _counter(self, step: str, *args):
        if time.monotonic() >= self._retry_at:
            try:
                return getattr(self._redis, step)(*args)
            except self._unreachable as error:
                self._retry_at = time.monotonic() + self.pause
                log.warning(
                    "Redis unreachable (%s): sign-in attempts are counted in the database for %ss", error, self.pause
                )
        return getattr(self._database, step)(*args)

    def hit(self, key: str, window: int) -> tuple[int, int]:
        return self._counter("hit", key, window)

    def forgive(self, key: str) -> None:
        self._counter("forgive", key)

    def reset(self, key: str) -> None:
        self._counter("reset", key)


class LoginThrottle:
    """`username` is the normalised login name (auth.services.username_key), so `Admin` and `admin`
    share one count; `ip` is the real client address (from a trusted proxy)."""

    def __init__(self, counter: Counter, user_limit: int, ip_limit: int, window: int):
        self.counter, self.user_limit, self.ip_limit, self.window = counter, user_limit, ip_limit, window

    def attempt(self, username: str, ip: str) -> int:
        """Count a sign-in attempt; 0 when it may go ahead, else the seconds to wait."""
        waits = [
            left
            for key, limit in ((f"user:{username}", self.user_limit), (f"ip:{ip}", self.ip_limit))
            for hits, left in [self.counter.hit(key, self.window)]
            if hits > limit
        ]
        if waits:
            metrics.throttled()
        return max(waits, default=0)

    def succeeded(self, username: str, ip: str) -> None:
        """A right password clears its username's count and is taken back from its address's, which
        counts failures (an office behind one address signs in all day)."""
        self.counter.reset(f"user:{username}")
        self.counter.forgive(f"ip:{ip}")

    def unlock(self, username: str | None = None, ip: str | None = None) -> None:
        if username:
            self.counter.reset(f"user:{username}")
        if ip:
            self.counter.reset(f"ip:{ip}")


def make_throttle(settings, engine: Engine) -> LoginThrottle:
    database = DatabaseCounter(engine)
    counter: Counter = database
    if settings.redis_url:
        counter = FallbackCounter(RedisCounter(settings.redis_url), database)
    return LoginThrottle(
        counter, settings.throttle_user_failures, settings.throttle_ip_failures, settings.throttle_window_seconds
    )
