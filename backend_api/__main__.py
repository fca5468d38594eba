"""python -m backend_api migrate | create-user | ensure-admin | seed-demo | unlock | prune-changes | serve"""

import argparse
import secrets
import sys

from sqlalchemy import select
from sqlmodel import col

from .auth.models import Role
from .core.settings import process_settings


def alembic_config(url: str):
    from alembic.config import Config

    config = Config(str(_root() / "alembic.ini"))
    config.attributes["database_url"] = url
    config.attributes["configure_logger"] = False
    return config


def migrate(_args) -> None:
    from alembic import command

    from .core.settings import VAR_DIR, database_url

    url = database_url()
    if url.startswith("sqlite:///"):
        VAR_DIR.mkdir(parents=True, exist_ok=True)
    command.upgrade(alembic_config(url), "head")
    print(f"database migrated: {_redacted(url)}")


def _root():
    from pathlib import Path

    return Path(__file__).resolve().parents[1]


def _redacted(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


def _writer():
    from . import models  # noqa: F401  (every table known to the ORM before the first flush)
    from .core.db import make_engine, session_factories
    from .core.settings import database_url

    return session_factories(make_engine(database_url()))[1]


def create_user(args) -> None:
    from .auth.services import create_user as create
    from .core.errors import ApiError

    with _writer()() as db, db.begin():
        try:
            user = create(db, args.username, args.password, args.email, args.role)
        except ApiError as error:
            sys.exit(f"error: {error.detail} {error.errors or ''}")
        print(f"created {user.role} {user.username} (id {user.id})")


def ensure_admin(_args) -> None:
    """Create the first admin when there is none; print its login once."""
    from .auth.models import User
    from .auth.services import create_user as create

    with _writer()() as db, db.begin():
        if db.scalar(select(col(User.id)).where(col(User.role) == Role.ADMIN, col(User.is_active).is_(True)).limit(1)):
            print("an admin already exists; sign in with its login (set PLANNER_ADMIN_* to create another)")
            return
        wanted = process_settings()
        username = wanted.admin_username
        password = wanted.admin_password or secrets.token_urlsafe(12)
        create(db, username, password, "", Role.ADMIN)
    print("=" * 60)
    print(f"  Admin login   username: {username}   password: {password}")
    print("  (shown once; change it under Settings)")
    print("=" * 60)


def seed_demo(args) -> None:
    from .seed import seed

    with _writer()() as db, db.begin():
        counts = seed(db, people=args.people)
    print("demo data: " + ", ".join(f"{n} {k}" for k, n in counts.items()))


def unlock(args) -> None:
    """The way back for a locked-out admin: clear the sign-in counts of a username or an address."""
    from . import models  # noqa: F401
    from .auth.usernames import username_key
    from .core.db import make_engine
    from .core.settings import load_settings
    from .core.throttle import make_throttle

    if not (args.username or args.ip):
        sys.exit("error: give --username and/or --ip")
    settings = load_settings()
    make_throttle(settings, make_engine(settings.database_url)).unlock(
        username_key(args.username) if args.username else None, args.ip
    )
    print(
        "sign-in unlocked for "
        + " and ".join(filter(None, [args.username and f"username {args.username}", args.ip and f"address {args.ip}"]))
    )


def prune_changes(args) -> None:
    """Retention of the change log: history and the events feed keep CHANGE_RETENTION_DAYS."""
    from datetime import timedelta

    from .core.history import prune
    from .core.timeutil import now

    days = args.days if args.days is not None else process_settings().change_retention_days
    if days < 1:
        sys.exit("error: keep at least 1 day of changes")
    with _writer()() as db:
        removed = prune(db, now() - timedelta(days=days))
    print(f"removed {removed} changes older than {days} days")


def serve(args) -> None:
    from .server import serve as run

    run(args.host, args.port, args.workers, args.threads)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(prog="python -m backend_api")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("migrate", help="alembic upgrade head on DATABASE_URL").set_defaults(func=migrate)
    user = commands.add_parser("create-user", help="create a user")
    user.add_argument("--username", required=True)
    user.add_argument("--password", required=True)
    user.add_argument("--email", default="")
    user.add_argument("--role", choices=list(Role), default=Role.USER)
    user.set_defaults(func=create_user)
    commands.add_parser("ensure-admin", help="create the first admin if there is none").set_defaults(func=ensure_admin)
    demo = commands.add_parser("seed-demo", help="realistic demo data (idempotent)")
    demo.add_argument("--people", type=int, default=60)
    demo.set_defaults(func=seed_demo)
    unlocking = commands.add_parser("unlock", help="clear the sign-in throttle of a username and/or address")
    unlocking.add_argument("--username")
    unlocking.add_argument("--ip")
    unlocking.set_defaults(func=unlock)
    pruning = commands.add_parser("prune-changes", help="delete changes older than CHANGE_RETENTION_DAYS (cron it)")
    pruning.add_argument("--days", type=int, help="keep this many days instead")
    pruning.set_defaults(func=prune_changes)
    server = commands.add_parser("serve", help="production WSGI server (waitress, pre-forked workers)")
    server.add_argument("--host", default="127.0.0.1")
    server.add_argument("--port", type=int, default=6543)
    server.add_argument("--workers", type=int, default=process_settings().workers)
    # Few threads: the work is CPU in Python under one GIL per worker, and more threads only
    # contend for it (8 → 2 threads: PATCH +35 % req/s on PostgreSQL, +30 % on SQLite, 2 cores).
    # More pay off when the database is far away and requests mostly wait on it.
    server.add_argument("--threads", type=int, default=2)
    server.set_defaults(func=serve)
    args = parser.parse_args(argv)
    args.func(args)


if __name__ == "__main__":
    main()
