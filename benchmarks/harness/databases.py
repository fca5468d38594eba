"""Databases for a benchmark: a fresh PostgreSQL database dropped afterwards, and bulk loading
by each driver's fast path (executemany on SQLite, COPY on PostgreSQL)."""

import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError


@contextmanager
def fresh_postgres(base_url: str) -> Iterator[str | None]:
    """The URL of a new, empty database on base_url's server, dropped (WITH FORCE) on exit; None
    when the server cannot be reached (the caller says it skipped)."""
    server = make_url(base_url).set(drivername="postgresql+psycopg")
    admin = create_engine(server.set(database="postgres"), isolation_level="AUTOCOMMIT")
    name = f"planner_bench_{uuid.uuid4().hex[:8]}"
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except OperationalError as error:
        print(f"\nPostgreSQL at {server.render_as_string()} unreachable, skipped: {error.orig}")
        admin.dispose()
        yield None
        return
    try:
        yield server.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def bulk_insert(url: str, tables: Iterable[tuple[str, str, Iterable[tuple]]]) -> None:
    """Rows into tables, each (table, "col, col, …", rows), in one transaction per engine's fast
    path; PostgreSQL is then vacuumed and analysed, so plans are the ones a live database gets."""
    engine = create_engine(url)
    connection = engine.raw_connection().dbapi_connection  # the driver's own, for its bulk paths
    try:
        if engine.dialect.name == "sqlite":
            for table, columns, rows in tables:
                marks = ", ".join("?" * len(columns.split(",")))
                connection.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", rows)
            connection.commit()
        else:
            with connection.cursor() as cursor:
                for table, columns, rows in tables:
                    with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                        for row in rows:
                            copy.write_row(row)
            connection.commit()
            connection.autocommit = True
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")
    finally:
        connection.close()
        engine.dispose()
