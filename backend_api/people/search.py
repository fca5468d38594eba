"""People search that stays bounded at a million people.

Contract (API.md): results are people whose name or email contains q case-insensitively, names
that start with q first, at most `limit`. Any correct subset of that is a valid answer; what must
never happen is sorting or counting every match (a B-tree cannot serve LIKE '%q%', and
ORDER BY name LIMIT 20 over a LIKE sorts all of them: ~150-230 ms at 1 M people).

Every step below reads an index in its own order and stops at a LIMIT or a fixed bound; only the
rows kept are sorted:

1. Name prefix: the ordered B-tree on (name_key, id) answers `name_key >= q AND name_key < q+MAX`
   already sorted; LIMIT stops it. The key columns are folded in Python (models.fold), and compared
   byte-wise on both engines (SQLite BINARY, PostgreSQL COLLATE "C"), so the range is exact.
2. If the prefix matches did not fill the page, up to the missing number of substring matches that
   are not prefix matches, in index order (not name order), then sorted among themselves:
   - q of 3+ characters: a trigram index. SQLite: the FTS5 table `people_grams` (trigram
     tokenizer), which walks its doclists lazily, so LIMIT stops it early. PostgreSQL: pg_trgm
     GIN indexes on name_key and email_key, used through LIKE; GIN is not lazy (it collects every
     hit before the first row comes out), so for a q that many rows contain the planner must pick
     a LIMITed table scan instead, which the migration's large column statistics make it do.
   - q of 2 characters has no trigram, and a full scan is what we must avoid. It is served as a
     word-prefix match instead: people with a word of their name or email starting with q (so "an"
     finds "Anna" in "Maria Anna" and "andersen" in "x@andersen.dk", but not the "an" inside
     "Johan"). SQLite: the FTS5 table `people_words` (unicode61 words, 2-character prefix index).
     PostgreSQL: the table `people_words(word, person_id)` filled by a trigger, a B-tree range.
     A 2-character q that is not alphanumeric cannot start a word and gets step 1 only.
   Index hits are checked against the key columns again (instr/strpos) so that a tokenizer's own
   folding can never return a row that does not contain q.

The indexes follow every write: the key columns are set by models.search_keys on each write of
name or email, and the migration's triggers (0002) keep the side tables in step with the keys.
"""

from sqlalchemy import BindParameter, Select, and_, bindparam, column, func, literal_column, or_, select, table
from sqlalchemy.orm import Session
from sqlmodel import col

from backend_api.core.model import table_of
from backend_api.core.resource import escape_like

from .models import Person, fold

MIN_QUERY, MAX_QUERY = 2, 100
DEFAULT_LIMIT, MAX_LIMIT = 20, 50
# Above every character a key can hold: `key < q + TOP` closes the range of keys starting with q.
TOP = "\U0010ffff"
# At most this many trigram-index hits are checked per query on SQLite (see _substring_sqlite).
CANDIDATES = 1000

_grams = table("people_grams", column("rowid"))
_fts_words = table("people_words", column("rowid"))
_pg_words = table("people_words", column("word"), column("person_id"))


def search_people(
    db: Session, q: str, limit: int = DEFAULT_LIMIT, include_inactive: bool = False, rows: Select | None = None
) -> list:
    """People matching q (already trimmed and at most MAX_QUERY long), prefix matches first: rows
    of `rows` (a SELECT from people with whatever it joins in; by default the table's columns)."""
    if len(q) < MIN_QUERY:
        return []
    rows = select(*table_of(Person).c) if rows is None else rows
    needle = fold(q)
    active = [] if include_inactive else [col(Person.is_active).is_(True)]
    prefix = and_(col(Person.name_key) >= needle, col(Person.name_key) < needle + TOP)
    found = list(db.execute(rows.where(prefix, *active).order_by(col(Person.name_key), col(Person.id)).limit(limit)))
    missing = limit - len(found)
    if missing > 0:
        sqlite = db.get_bind().dialect.name == "sqlite"
        query = (_substring_sqlite if sqlite else _substring_postgres)(rows, needle)
        if query is not None:
            more = db.execute(query.where(~prefix, *active).limit(missing * 2))
            # The word table can list a person once per matching word: keep each once.
            kept = list({p.id: p for p in more}.values())[:missing]
            found += sorted(kept, key=lambda p: (p.name_key, p.id))
    return found


def _contains(needle: str, function):
    return or_(function(col(Person.name_key), needle) > 0, function(col(Person.email_key), needle) > 0)


def _substring_sqlite(rows: Select, needle: str):
    if len(needle) >= 3:
        # Rows holding every trigram of q, a superset that _contains() narrows to rows holding q;
        # non-overlapping trigrams are enough to narrow it and read a third of the doclists.
        # CANDIDATES bounds the work when many rows have the trigrams but not q ("sen sen").
        grams = [needle[i : i + 3] for i in range(0, len(needle) - 2, 3)] + [needle[-3:]]
        match = " AND ".join(_phrase(gram) for gram in dict.fromkeys(grams))
        candidates = (
            select(_grams.c.rowid).where(literal_column(_grams.name).op("MATCH")(match)).limit(CANDIDATES).subquery()
        )
        return rows.join(candidates, candidates.c.rowid == col(Person.id)).where(_contains(needle, func.instr))
    if needle.isalnum():
        return rows.join(_fts_words, _fts_words.c.rowid == col(Person.id)).where(
            literal_column(_fts_words.name).op("MATCH")(_phrase(needle) + "*"), _contains(needle, func.instr)
        )
    return None


def _substring_postgres(rows: Select, needle: str):
    if len(needle) >= 3:
        # The pattern goes into the SQL text, not a parameter: a prepared statement's generic plan
        # cannot see it and guesses; with the value, the planner reads the key columns' large
        # histograms (0002) and picks the GIN index for a rare q and a LIMITed scan for a common one.
        # Backslash is LIKE's default escape on PostgreSQL.
        pattern: BindParameter[str] = bindparam(None, "%" + escape_like(needle) + "%", literal_execute=True)
        if any(c.isspace() for c in needle):  # emails have no spaces: spare their index the work
            return rows.where(col(Person.name_key).like(pattern))
        return rows.where(or_(col(Person.name_key).like(pattern), col(Person.email_key).like(pattern)))
    if needle.isalnum():
        words = and_(_pg_words.c.word >= needle, _pg_words.c.word < needle + TOP)
        return rows.join(_pg_words, _pg_words.c.person_id == col(Person.id)).where(
            words, _contains(needle, func.strpos)
        )
    return None


def _phrase(text: str) -> str:
    """An FTS5 string literal: q is matched as text, never parsed as query syntax."""
    return '"' + text.replace('"', '""') + '"'
