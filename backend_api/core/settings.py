"""Configuration from the environment, with safe defaults for development: every environment
variable the API reads is read here (tests/unit/test_settings_single_source.py checks) and listed in
the README's configuration table.

`Settings` (`load_settings`) is the application's, built once by `backend_api.main`. What a process
needs before there is an application, or without one — the password hash cost at import, logging,
the server's workers and metrics, the CLI's first admin — is `ProcessSettings`, read afresh by
`process_settings()`: it needs no JWT_SECRET, so `ensure-admin` and the server's first log lines
work in production before the application's settings are checked.
"""

import dataclasses
import ipaddress
import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

Network = ipaddress.IPv4Network | ipaddress.IPv6Network

VAR_DIR = Path(os.environ.get("PLANNER_VAR_DIR", Path(__file__).resolve().parents[2] / "var"))


def database_url() -> str:
    """DATABASE_URL, normalised so that plain postgres URLs use psycopg 3."""
    url = os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'planner.db'}"
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def _jwt_secret() -> str:
    secret = os.environ.get("JWT_SECRET")
    if secret:
        return secret
    if os.environ.get("PLANNER_ENV") == "production":
        raise RuntimeError("JWT_SECRET must be set in production")
    # Development: generate once and keep it, so tokens survive a restart.
    path = VAR_DIR / "jwt_secret"
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    return path.read_text().strip()


def networks(text: str) -> tuple[Network, ...]:
    """Comma-separated addresses and networks (`127.0.0.1, 10.0.0.0/8`); an address is a network of one."""
    try:
        return tuple(ipaddress.ip_network(part.strip(), strict=False) for part in text.split(",") if part.strip())
    except ValueError as error:
        raise ValueError(f"TRUSTED_PROXIES: {error}") from None


@dataclass(frozen=True)
class Settings:
    database_url: str
    jwt_secret: str
    access_token_minutes: int
    refresh_token_days: int
    refresh_reuse_grace_seconds: int
    redis_url: str | None
    throttle_user_failures: int
    throttle_ip_failures: int
    throttle_window_seconds: int
    max_request_bytes: int
    trusted_proxies: tuple[Network, ...]
    cookie_secure: str
    sentry_dsn: str | None
    environment: str


def load_settings(overrides: dict | None = None) -> Settings:
    env = os.environ
    settings = Settings(
        database_url=database_url(),
        jwt_secret=_jwt_secret(),
        access_token_minutes=int(env.get("ACCESS_TOKEN_MINUTES", 5)),
        refresh_token_days=int(env.get("REFRESH_TOKEN_DAYS", 7)),
        # Two tabs sharing one refresh token may both refresh at once; the slower one, within
        # this many seconds, is handed the winner's token instead of tripping reuse detection.
        refresh_reuse_grace_seconds=int(env.get("REFRESH_REUSE_GRACE_SECONDS", 10)),
        redis_url=env.get("REDIS_URL") or None,
        # Per username: a handful of guesses. Per IP: high, so an office behind one address is not locked out.
        throttle_user_failures=int(env.get("THROTTLE_USER_FAILURES", 5)),
        throttle_ip_failures=int(env.get("THROTTLE_IP_FAILURES", 100)),
        throttle_window_seconds=int(env.get("THROTTLE_WINDOW_SECONDS", 900)),
        # Far above any real request (a person with long notes is a few KiB); a body over it is
        # refused with 413 before it is read, so a 100 MB upload costs a worker nothing.
        max_request_bytes=int(env.get("MAX_REQUEST_BYTES", 2 * 1024 * 1024)),
        # Whose X-Forwarded-For (and X-Client-User-Agent) is believed: the Reflex app server, nginx.
        trusted_proxies=networks(env.get("TRUSTED_PROXIES", "127.0.0.1,::1")),
        # The browser's refresh cookie: Secure always, never (plain-http development) or, `auto`,
        # when the request came over https (auth/cookies.py).
        cookie_secure=env.get("COOKIE_SECURE", "auto").strip().lower(),
        # Error reports go to Sentry only when this is set (see core/sentry.py).
        sentry_dsn=env.get("SENTRY_DSN") or None,
        environment=env.get("PLANNER_ENV", "development"),
    )
    settings = dataclasses.replace(settings, **(overrides or {}))
    if settings.cookie_secure not in ("auto", "true", "false"):
        raise RuntimeError(f"COOKIE_SECURE must be auto, true or false, not {settings.cookie_secure!r}")
    return settings


# prometheus_client reads this variable itself, in every worker: core/metrics.py sets it for them.
MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"


@dataclass(frozen=True)
class ProcessSettings:
    # bcrypt's cost: 12 in production; the tests use 4 (each step doubles the time of a hash).
    bcrypt_rounds: int = 12
    log_format: str = "json"  # or "text" (core/logs.py refuses any other)
    log_level: str = "INFO"
    # Prometheus metrics of every worker, summed, on this port of the server's parent; None = off.
    metrics_port: int | None = None
    metrics_host: str = "127.0.0.1"
    # Where the workers write their numbers (core/metrics.py); None = a temporary directory.
    metrics_dir: str | None = None
    workers: int = 2  # `serve --workers`' default
    # The first admin `ensure-admin` creates; no password = a random one, printed once.
    admin_username: str = "admin"
    admin_password: str | None = None
    # `prune-changes` keeps this many days of the change log (history pages, the events feed).
    change_retention_days: int = 90

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> "ProcessSettings":
        return cls(
            bcrypt_rounds=int(env.get("BCRYPT_ROUNDS", 12)),
            log_format=env.get("LOG_FORMAT", "json").lower(),
            log_level=env.get("LOG_LEVEL", "INFO").upper(),
            metrics_port=int(env.get("METRICS_PORT") or 0) or None,
            metrics_host=env.get("METRICS_HOST", "127.0.0.1"),
            metrics_dir=env.get(MULTIPROC_ENV) or None,
            workers=int(env.get("WEB_CONCURRENCY", 2)),
            admin_username=env.get("PLANNER_ADMIN_USERNAME", "admin"),
            admin_password=env.get("PLANNER_ADMIN_PASSWORD") or None,
            change_retention_days=int(env.get("CHANGE_RETENTION_DAYS", 90)),
        )


def process_settings() -> ProcessSettings:
    """Read now, not cached: the server's parent sets PROMETHEUS_MULTIPROC_DIR for its workers and
    reads it back later, and tests change the environment between calls."""
    return ProcessSettings.from_env(os.environ)
