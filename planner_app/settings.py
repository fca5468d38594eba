"""The app's configuration: every environment variable the app process reads (the API's own are
read by backend_api), read in one place, typed, and documented in the README's configuration table.

`settings()` reads the environment once per process; tests that change it clear the cache
(`settings.cache_clear()`, as tests/app/conftest.py does around each test)."""

from __future__ import annotations

import functools
import os
from collections.abc import Mapping
from dataclasses import dataclass

from reflex.constants import StateManagerMode


@dataclass(frozen=True)
class AppSettings:
    # The REST API's base URL when it is served on its own (scale-out); "" = the API mounted in
    # this process at /api and called in process (the embedded default).
    api_url: str = ""
    # Origins that may open the app's websocket from another site; none by default.
    cors_allowed_origins: tuple[str, ...] = ()
    # Where the API announces its commits (REDIS_URL, the API's own setting): the app's reader
    # of the change log wakes on them instead of waiting for its next poll. "" = polling only.
    redis_url: str = ""
    # Where Reflex keeps each tab's state: its own REFLEX_REDIS_URL, for several app backends
    # (scale-out); "" = in this process's memory.
    reflex_redis_url: str = ""

    @property
    def embedded(self) -> bool:
        return not self.api_url

    @property
    def tab_state(self) -> StateManagerMode:
        """Redis when it is given, else memory, never Reflex's default, disk: that pickles every
        changed tab (its access token with it) to a folder each `reflex run` empties anyway, and
        lists the whole folder after each write; with live updates, 50 tabs spent more time there
        than anywhere else (docs/decisions/0009-tab-state-in-memory.md)."""
        return StateManagerMode.REDIS if self.reflex_redis_url else StateManagerMode.MEMORY

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> AppSettings:
        origins = env.get("CORS_ALLOWED_ORIGINS", "").split(",")
        return cls(
            api_url=env.get("PLANNER_API_URL", "").strip().rstrip("/"),
            cors_allowed_origins=tuple(o.strip().rstrip("/") for o in origins if o.strip()),
            redis_url=env.get("REDIS_URL", "").strip(),
            reflex_redis_url=env.get("REFLEX_REDIS_URL", "").strip(),
        )


@functools.cache
def settings() -> AppSettings:
    return AppSettings.from_env(os.environ)
