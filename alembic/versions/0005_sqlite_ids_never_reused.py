"""SQLite: ids are never reused

Without AUTOINCREMENT SQLite gives a new row the highest id in use plus one, so deleting the
newest user, person or project hands its id to the next one created: an old link, a cached
object or a token would then name someone else. Each table with an integer id is rebuilt with
AUTOINCREMENT (the procedure of SQLite's "making other kinds of table schema changes": copy,
drop, rename, then its indexes and triggers again), which keeps every id and remembers the
highest ever used. PostgreSQL's sequences never reuse an id: nothing to do there.

The downgrade leaves the tables as they are: AUTOINCREMENT changes no behaviour but reuse.

Revision ID: 0005
Revises: 0004
"""

import re

from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

TABLES = (
    "departments",
    "people",
    "projects",
    "assignments",
    "deliverables",
    "timeoff",
    "users",
    "token_sessions",
    "audit_log",
)
ID_COLUMN = re.compile(r"^(\s*)id INTEGER NOT NULL,", re.M)
ID_KEY = re.compile(r",\s*PRIMARY KEY \(id\)")
HEADER = re.compile(r'^CREATE TABLE "?\w+"?')


def _with_autoincrement(create_sql: str, name: str) -> str:
    sql, columns = ID_COLUMN.subn(r"\1id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,", create_sql)
    sql, keys = ID_KEY.subn("", sql)
    sql, headers = HEADER.subn(f'CREATE TABLE "{name}"', sql)
    if (columns, keys, headers) != (1, 1, 1):
        raise RuntimeError(f"unexpected schema, not rebuilt: {create_sql}")
    return sql


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        return
    for table in TABLES:
        rows = bind.exec_driver_sql(
            "SELECT type, sql FROM sqlite_master WHERE tbl_name = ? AND sql IS NOT NULL", (table,)
        ).fetchall()
        create = next(sql for kind, sql in rows if kind == "table")
        if "AUTOINCREMENT" in create:
            continue
        rebuilt = f"_rebuilt_{table}"
        bind.exec_driver_sql(_with_autoincrement(create, rebuilt))
        bind.exec_driver_sql(f'INSERT INTO "{rebuilt}" SELECT * FROM "{table}"')
        bind.exec_driver_sql(f'DROP TABLE "{table}"')
        bind.exec_driver_sql(f'ALTER TABLE "{rebuilt}" RENAME TO "{table}"')
        for kind, sql in rows:  # indexes and triggers (the people search triggers) went with the drop
            if kind in ("index", "trigger"):
                bind.exec_driver_sql(sql)


def downgrade() -> None:
    pass
