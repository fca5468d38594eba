"""core/db.violation: integrity errors classified by the driver's codes on both engines (SQLite
always; PostgreSQL in the PostgreSQL run, on its test database)."""

import os

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from backend_api.core.db import Violation, make_engine, violation

STATEMENTS = {
    Violation.FOREIGN_KEY: "INSERT INTO dberr_child (id, parent_id) VALUES (1, 99)",
    Violation.UNIQUE: "INSERT INTO dberr_parent (id, name) VALUES (2, 'taken')",
    None: "INSERT INTO dberr_parent (id, name) VALUES (3, NULL)",  # NOT NULL: neither
}


@pytest.fixture(params=["sqlite", "postgresql"])
def connection(request):
    if request.param == "sqlite":
        url = "sqlite://"
    elif os.environ.get("PLANNER_TEST_DB") == "postgres":
        url = request.getfixturevalue("database_url")
    else:
        pytest.skip("the PostgreSQL run only (PLANNER_TEST_DB=postgres)")
    engine = make_engine(url)
    with engine.connect() as conn, conn.begin() as outer:  # rolled back: the tables never stay
        conn.execute(text("CREATE TABLE dberr_parent (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE)"))
        conn.execute(
            text("CREATE TABLE dberr_child (id INTEGER PRIMARY KEY, parent_id INTEGER REFERENCES dberr_parent (id))")
        )
        conn.execute(text("INSERT INTO dberr_parent (id, name) VALUES (1, 'taken')"))
        yield conn
        outer.rollback()
    engine.dispose()


@pytest.mark.parametrize("expected", list(STATEMENTS))
def test_violations_are_told_apart_by_code(connection, expected):
    with pytest.raises(DBAPIError) as caught, connection.begin_nested():
        connection.execute(text(STATEMENTS[expected]))
    assert violation(caught.value) == expected
