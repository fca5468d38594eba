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


def test_presence_migration_round_trip_keeps_the_sessions(fresh_url):
    config = alembic_config(fresh_url)
    command.upgrade(config, "0008")
    engine = create_engine(fresh_url)
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO users (id, username, email, password_hash, role, is_active, is_staff, date_joined,"
                " created_at, updated_at, version) VALUES (7, 'ana', '', 'x', 'user', true, false,"
                " CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 1)"
            )
        )
        conn.execute(
            text(
                "INSERT INTO token_sessions (id, user_id, refresh_jti, issued_at, last_used_at, ip, user_agent,"
                " is_active) VALUES (3, 7, 'jti', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, '', '', true)"
            )
        )
    try:
        command.upgrade(config, "0009")
        with engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO presence (session_id, tab, user_id, name, resource, object_id, activity, detail,"
                    " expires_at) VALUES (3, 'tab-1', 7, 'ana', 'people', 12, 'viewing', '', CURRENT_TIMESTAMP)"
                )
            )
            schema = inspect(conn)
            assert schema.get_pk_constraint("presence")["constrained_columns"] == ["session_id", "tab"]
            assert {
                (fk["referred_table"], fk["options"].get("ondelete")) for fk in schema.get_foreign_keys("presence")
            } == {
                ("token_sessions", "CASCADE"),
                ("users", "CASCADE"),
            }
            assert {tuple(i["column_names"]) for i in schema.get_indexes("presence")} >= {
                ("user_id",),
                ("resource", "object_id"),
                ("expires_at",),
            }
        command.downgrade(config, "0008")
        with engine.connect() as conn:
            assert "presence" not in inspect(conn).get_table_names()
            assert tuple(conn.execute(text("SELECT id, user_id FROM token_sessions")).one()) == (3, 7)
        command.upgrade(config, "head")
    finally:
        engine.dispose()
