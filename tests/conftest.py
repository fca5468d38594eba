"""Test set-up shared by every suite.

The database is SQLite (a temporary file) or, with PLANNER_TEST_DB=postgres, a fresh PostgreSQL
database created on TEST_DATABASE_URL's server for this run and dropped afterwards. Migrations
run once; every test starts from empty tables.
"""

import os
import tempfile
import uuid

# Before backend_api is imported: cheap hashes, a fixed secret, a private var/ dir.
os.environ.setdefault("BCRYPT_ROUNDS", "4")
os.environ["JWT_SECRET"] = "test-secret-" + "x" * 40
os.environ["PLANNER_VAR_DIR"] = tempfile.mkdtemp(prefix="planner-var-")

import pytest  # noqa: E402
from sqlalchemy import create_engine, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

ENGINE = os.environ.get("PLANNER_TEST_DB", "sqlite")


def _postgres_database():
    base = os.environ.get("TEST_DATABASE_URL")
    if not base:
        pytest.exit("PLANNER_TEST_DB=postgres needs TEST_DATABASE_URL", returncode=2)
    server = make_url(base).set(drivername="postgresql+psycopg")
    name = f"planner_test_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    admin = create_engine(server.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = server.set(database=name).render_as_string(hide_password=False)

    def drop():
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return url, drop


@pytest.fixture(scope="session")
def database_url():
    if ENGINE == "postgres":
        url, drop = _postgres_database()
    else:
        url, drop = f"sqlite:///{tempfile.mkdtemp(prefix='planner-db-')}/test.db", lambda: None
    from alembic import command
    from backend_api.__main__ import alembic_config

    command.upgrade(alembic_config(url), "head")
    yield url
    drop()


@pytest.fixture(scope="session")
def wsgi_app(database_url):
    from backend_api import main

    return main({}, database_url=database_url)


@pytest.fixture
def registry(wsgi_app):
    return wsgi_app.registry


@pytest.fixture(autouse=True)
def _empty_tables(request):
    """Every test that touches the database starts from empty tables and fresh throttle counters."""
    if "database_url" not in request.fixturenames and "wsgi_app" not in request.fixturenames:
        yield
        return
    app = request.getfixturevalue("wsgi_app")  # before the test: pytest refuses it during teardown
    yield
    from sqlmodel import SQLModel

    from backend_api.core.throttle import make_throttle

    engine = app.registry.planner_engine
    tables = [t.name for t in reversed(SQLModel.metadata.sorted_tables)]
    # DELETE, not TRUNCATE: on PostgreSQL a TRUNCATE of every table costs ~70 ms a test, DELETE ~5.
    with engine.begin() as conn:
        for table in tables:
            conn.execute(text(f"DELETE FROM {table}"))
    app.registry.planner_throttle = make_throttle(app.registry.planner_settings, engine)


@pytest.fixture
def db(wsgi_app):
    """A session for arranging and checking data directly; committed by the factories."""
    reader, writer = wsgi_app.registry.planner_sessions
    with reader() as session:
        yield session


@pytest.fixture
def testapp(wsgi_app):
    from webtest import TestApp

    return TestApp(wsgi_app, extra_environ={"REMOTE_ADDR": "10.0.0.1"})
