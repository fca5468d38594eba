"""people search indexes

Folded key columns on people (set by the app, see people/models.py), an ordered B-tree for name
prefixes, and per engine a trigram index for substrings and a word index for 2-character queries
(the plan is in people/search.py). The side indexes follow the key columns by triggers, so every
writer of people keeps them right, not only the API.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa

from alembic import op
from backend_api.people.models import search_keys

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

BACKFILL_BATCH = 5000

# SQLite: external-content FTS5 tables over people's key columns, kept in step by triggers
# (the pattern from the FTS5 documentation; 'delete' must be given the old indexed values).
SQLITE_UP = [
    "CREATE INDEX ix_people_name_key ON people (name_key, id)",
    # detail='none': no positions, so a query is an AND of trigrams (checked against the keys
    # afterwards, see people/search.py) over doclists about half the size.
    "CREATE VIRTUAL TABLE people_grams USING fts5(name_key, email_key, content='people', "
    "content_rowid='id', tokenize='trigram', detail='none')",
    "CREATE VIRTUAL TABLE people_words USING fts5(name_key, email_key, content='people', "
    "content_rowid='id', tokenize='unicode61 remove_diacritics 0', prefix='2', detail='none')",
    "INSERT INTO people_grams(people_grams) VALUES ('rebuild')",
    "INSERT INTO people_words(people_words) VALUES ('rebuild')",
    """CREATE TRIGGER people_search_insert AFTER INSERT ON people BEGIN
        INSERT INTO people_grams(rowid, name_key, email_key) VALUES (new.id, new.name_key, new.email_key);
        INSERT INTO people_words(rowid, name_key, email_key) VALUES (new.id, new.name_key, new.email_key);
    END""",
    """CREATE TRIGGER people_search_delete AFTER DELETE ON people BEGIN
        INSERT INTO people_grams(people_grams, rowid, name_key, email_key)
            VALUES ('delete', old.id, old.name_key, old.email_key);
        INSERT INTO people_words(people_words, rowid, name_key, email_key)
            VALUES ('delete', old.id, old.name_key, old.email_key);
    END""",
    """CREATE TRIGGER people_search_update AFTER UPDATE OF name_key, email_key ON people
    WHEN old.name_key IS NOT new.name_key OR old.email_key IS NOT new.email_key BEGIN
        INSERT INTO people_grams(people_grams, rowid, name_key, email_key)
            VALUES ('delete', old.id, old.name_key, old.email_key);
        INSERT INTO people_words(people_words, rowid, name_key, email_key)
            VALUES ('delete', old.id, old.name_key, old.email_key);
        INSERT INTO people_grams(rowid, name_key, email_key) VALUES (new.id, new.name_key, new.email_key);
        INSERT INTO people_words(rowid, name_key, email_key) VALUES (new.id, new.name_key, new.email_key);
    END""",
]
SQLITE_DOWN = [
    "DROP TRIGGER people_search_update",
    "DROP TRIGGER people_search_delete",
    "DROP TRIGGER people_search_insert",
    "DROP TABLE people_words",
    "DROP TABLE people_grams",
    "DROP INDEX ix_people_name_key",
]

# PostgreSQL: keys compare byte-wise (COLLATE "C", added with the columns) so that a range is a
# prefix; pg_trgm GIN indexes for substrings; a word table for 2-character queries, filled by a
# trigger. Words are split on a fixed set of separators rather than [:alnum:], whose meaning
# depends on the server's locale.
POSTGRES_UP = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX ix_people_name_key ON people (name_key, id)",
    "CREATE INDEX ix_people_name_key_trgm ON people USING gin (name_key gin_trgm_ops)",
    # LIKE '%q%' is estimated from the column's histogram, and never below 1/its size: with the
    # default 100 entries a rare q looks like 1 % of the table, and the planner picks a sequential
    # scan "until LIMIT" that reads most of it. 1000 entries tell rare (GIN) from common (a short
    # LIMITed scan) apart.
    "ALTER TABLE people ALTER COLUMN name_key SET STATISTICS 1000, ALTER COLUMN email_key SET STATISTICS 1000",
    "CREATE INDEX ix_people_email_key_trgm ON people USING gin (email_key gin_trgm_ops)",
    """CREATE TABLE people_words (
        word text COLLATE "C" NOT NULL,
        person_id integer NOT NULL REFERENCES people (id) ON DELETE CASCADE,
        PRIMARY KEY (word, person_id))""",
    "CREATE INDEX ix_people_words_person_id ON people_words (person_id)",
    r"""CREATE FUNCTION people_words_sync() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'UPDATE' THEN
            IF NEW.name_key = OLD.name_key AND NEW.email_key = OLD.email_key THEN
                RETURN NULL;
            END IF;
            DELETE FROM people_words WHERE person_id = OLD.id;
        END IF;
        INSERT INTO people_words (word, person_id)
            SELECT DISTINCT word, NEW.id
            FROM regexp_split_to_table(NEW.name_key || ' ' || NEW.email_key, '[\s.,;:@_+/()"''-]+') AS word
            WHERE word <> '';
        RETURN NULL;
    END $$""",
    r"""INSERT INTO people_words (word, person_id)
        SELECT DISTINCT word, id
        FROM people, regexp_split_to_table(name_key || ' ' || email_key, '[\s.,;:@_+/()"''-]+') AS word
        WHERE word <> ''""",
    """CREATE TRIGGER people_words_sync AFTER INSERT OR UPDATE OF name_key, email_key ON people
        FOR EACH ROW EXECUTE FUNCTION people_words_sync()""",
    "ANALYZE people",
    "ANALYZE people_words",
]
# pg_trgm stays installed: it may have been there before this revision, and it is harmless.
POSTGRES_DOWN = [
    "DROP TRIGGER people_words_sync ON people",
    "DROP FUNCTION people_words_sync()",
    "DROP TABLE people_words",
    "DROP INDEX ix_people_email_key_trgm",
    "DROP INDEX ix_people_name_key_trgm",
    "DROP INDEX ix_people_name_key",
]


def upgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    collate = ' COLLATE "C"' if postgres else ""
    for name in ("name_key", "email_key"):
        op.execute(f"ALTER TABLE people ADD COLUMN {name} TEXT{collate} NOT NULL DEFAULT ''")
    _backfill_keys()
    for statement in POSTGRES_UP if postgres else SQLITE_UP:
        op.execute(statement)


def downgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    for statement in POSTGRES_DOWN if postgres else SQLITE_DOWN:
        op.execute(statement)
    for name in ("email_key", "name_key"):
        op.execute(f"ALTER TABLE people DROP COLUMN {name}")


def _backfill_keys() -> None:
    """Existing people get their keys from the same Python function the app uses, in batches."""
    connection = op.get_bind()
    people = sa.table(
        "people", sa.column("id"), sa.column("name"), sa.column("email"), sa.column("name_key"), sa.column("email_key")
    )
    update = (
        sa.update(people)
        .where(people.c.id == sa.bindparam("person_id"))
        .values(name_key=sa.bindparam("new_name_key"), email_key=sa.bindparam("new_email_key"))
    )
    last = 0
    while True:
        rows = connection.execute(
            sa.select(people.c.id, people.c.name, people.c.email)
            .where(people.c.id > last)
            .order_by(people.c.id)
            .limit(BACKFILL_BATCH)
        ).all()
        if not rows:
            return
        connection.execute(
            update, [{"person_id": i, **{f"new_{k}": v for k, v in search_keys(n, e).items()}} for i, n, e in rows]
        )
        last = rows[-1].id
