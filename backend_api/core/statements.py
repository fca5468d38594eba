"""What a statement does to the database, for the code that must know whether it writes: SQLite's
late write lock (core/sqlite.py) and the retry of a request that lost its connection (core/db.py)."""

# Plain SQL that neither writes nor locks: reads and transaction control.
_NOT_WRITES = ("SELECT", "BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE", "PRAGMA")


def writes(statement: str, context) -> bool:
    """Whether a statement writes (DML and DDL) or locks rows for a write: a SELECT … FOR UPDATE,
    whose clause SQLite's compiler leaves out of the SQL text, so it is read from the statement."""
    element = getattr(getattr(context, "compiled", None), "statement", None)
    if getattr(element, "is_select", False):
        return getattr(element, "_for_update_arg", None) is not None
    return not statement.lstrip()[:9].upper().startswith(_NOT_WRITES)
