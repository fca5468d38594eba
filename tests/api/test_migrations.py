"""The latest migration upgrades and downgrades with the existing data kept, on the engine under
test, in a database of its own."""

import tempfile

import pytest
from sqlalchemy import create_engine, inspect, text

from alembic import command
from backend_api.__main__ import alembic_config
from tests.conftest import ENGINE, _postgres_database


@pytest.fixture
def fresh_url():
    if ENGINE == "postgres":
        url, drop = _postgres_database()
    else:
        url, drop = f"sqlite:///{tempfile.mkdtemp(prefix='planner-migrate-')}/m.db", lambda: None
    yield url
    drop()


def test_change_log_migration_round_trip_keeps_the_data(fresh_url):
    config = alembic_config(fresh_url)
    command.upgrade(config, "0007")
    engine = create_engine(fresh_url)
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO departments (name, description, version, created_at, updated_at)"
                " VALUES ('Structures', '', 3, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
            )
        )
    try:
        command.upgrade(config, "0008")
        with engine.connect() as conn:
            row = conn.execute(text("SELECT name, version, updated_by_id, updated_by_name FROM departments")).one()
            assert tuple(row) == ("Structures", 3, None, "")
            assert "change_events" in inspect(conn).get_table_names()
        command.downgrade(config, "0007")
        with engine.connect() as conn:
            assert tuple(conn.execute(text("SELECT name, version FROM departments")).one()) == ("Structures", 3)
            assert "change_events" not in inspect(conn).get_table_names()
            assert "updated_by_id" not in {c["name"] for c in inspect(conn).get_columns("departments")}
        command.upgrade(config, "head")
    finally:
        engine.dispose()
