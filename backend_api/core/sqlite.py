"""SQLite's engine set-up: WAL, a write lock taken only at a transaction's first write, writers
queued without SQLite's polling, and WAL checkpoints off the request path (decision 0002).

- **The lock at the first write.** A transaction starts as a reader (BEGIN). Its first write (see
  statements.writes) ends the read snapshot, which has written nothing, and starts BEGIN
  IMMEDIATE in its place. Upgrading the snapshot instead would fail with SQLITE_BUSY (not a wait)
  whenever another connection committed since it began: a lost race would be a 503, not a 412.
  What was read before still holds, because every write compares and sets (decision 0001) or
  locks what it relies on (FOR UPDATE counts as a write here).
- **The writers' queue.** SQLite's busy handler polls, sleeping up to 100 ms between tries, so a
  writer that has waited a while sleeps while newcomers take the lock: under 16 writers some
  waited seconds. Here the threads of a process queue on a lock and the processes on an flock of
  `<database>-writer.lock`, each woken as soon as the writer before it commits. SQLite's own
  lock still guards the data: this only orders the waiters (and a writer that cannot use the
  lock file just waits SQLite's way).
- **Checkpoints.** The connection whose commit crosses `wal_autocheckpoint` pages copies the WAL
  back into the database, fsync included, inside that request (and inside the queue). A
  background thread per engine checkpoints (PASSIVE: it blocks no reader or writer) every second
  instead; the request connections' threshold is raised to a safety net for when it cannot.
"""

import fcntl
import os
import sqlite3
import threading
import weakref

from sqlalchemy import event
from sqlalchemy.engine import Engine

from .statements import writes

BUSY_SECONDS = 30
CHECKPOINT_SECONDS = 1.0
SAFETY_NET_PAGES = 10_000  # ~40 MB of WAL before a request would checkpoint it itself


def configure(engine: Engine) -> None:
    path = engine.url.database or ""
    on_disk = path not in ("", ":memory:") and not path.startswith("file:")
    gate = WriteGate.of(path) if on_disk else None

    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection, _record):
        # Let SQLAlchemy's "begin" event emit BEGIN itself (pysqlite's own handling is lazy).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_SECONDS * 1000}")
        cursor.execute("PRAGMA synchronous=NORMAL")  # durable at checkpoints; WAL keeps it consistent
        if gate is not None:
            cursor.execute(f"PRAGMA wal_autocheckpoint={SAFETY_NET_PAGES}")
        cursor.close()

    checkpointer = Checkpointer(path, engine) if on_disk else None

    def lock(conn) -> None:
        conn.info["sqlite_writing"] = True
        if gate is not None and checkpointer is not None:
            checkpointer.start()  # by a write: never in the server's parent, which forks
            conn.info["sqlite_gate"] = gate.enter()

    @event.listens_for(engine, "begin")
    def on_begin(conn):
        if conn.get_execution_options().get("sqlite_immediate", False):
            lock(conn)
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            conn.exec_driver_sql("BEGIN")
            conn.info["sqlite_writing"] = False

    @event.listens_for(engine, "before_cursor_execute")
    def write_late(conn, cursor, statement, parameters, context, executemany):
        if conn.info.get("sqlite_writing", True) or not writes(statement, context):
            return
        conn.exec_driver_sql("ROLLBACK")  # the read snapshot: nothing in it is written
        lock(conn)
        conn.exec_driver_sql("BEGIN IMMEDIATE")  # waits (busy_timeout) for a writer outside the queue

    if gate is None:
        return

    # The queue is left only once the transaction is really over: the COMMIT or ROLLBACK is run
    # here (SQLAlchemy's own call after the event then finds no transaction and does nothing;
    # when it failed here, SQLAlchemy's call fails again and reports it as a DBAPIError).
    def finish(record_info, dbapi_connection, end) -> None:
        try:
            if dbapi_connection.in_transaction:
                end()
        except sqlite3.Error:
            pass
        finally:
            if record_info.pop("sqlite_gate", False):
                gate.leave()

    @event.listens_for(engine, "commit")
    def on_commit(conn):
        raw = conn.connection.dbapi_connection
        finish(conn.info, raw, raw.commit)

    @event.listens_for(engine, "rollback")
    def on_rollback(conn):
        raw = conn.connection.dbapi_connection
        finish(conn.info, raw, raw.rollback)

    @event.listens_for(engine, "reset")  # a connection returned to the pool mid-transaction
    def on_reset(dbapi_connection, record, _state):
        finish(record.info, dbapi_connection, dbapi_connection.rollback)

    @event.listens_for(engine, "invalidate")
    def on_invalidate(dbapi_connection, record, _exception):
        if record.info.pop("sqlite_gate", False):
            gate.leave()


class WriteGate:
    """One writer at a time among this database's cooperating connections, in every process."""

    # One gate per database file and process, whichever engine writes (tests build several): a
    # thread that holds it and writes again through another engine then waits with a timeout,
    # as it would on SQLite's lock, instead of on its own flock for ever. Keyed by the process
    # too, so a gate is never shared across a fork.
    _gates: dict[tuple[int, str], "WriteGate"] = {}
    _making = threading.Lock()

    @classmethod
    def of(cls, path: str) -> "WriteGate":
        key = (os.getpid(), os.path.realpath(path))
        with cls._making:
            if key not in cls._gates:
                cls._gates[key] = cls(key[1])
            return cls._gates[key]

    def __init__(self, path: str):
        self._threads = threading.Lock()
        self._path = path + "-writer.lock"
        self._fd: int | None = None
        self._locked = False

    def enter(self) -> bool:
        """Wait for the turn to write; False when waiting gave up (the caller then waits SQLite's
        way, and its busy timeout decides)."""
        if not self._threads.acquire(timeout=BUSY_SECONDS):
            return False
        try:
            if self._fd is None:
                self._fd = os.open(self._path, os.O_RDWR | os.O_CREAT, 0o600)
            fcntl.flock(self._fd, fcntl.LOCK_EX)
            self._locked = True
        except OSError:  # no lock file (the directory is gone): the threads' queue alone
            self._locked = False
        return True

    def leave(self) -> None:
        if self._locked and self._fd is not None:
            self._locked = False
            fcntl.flock(self._fd, fcntl.LOCK_UN)
        self._threads.release()


class Checkpointer:
    """A daemon thread with its own connection that checkpoints the WAL every second, from the
    engine's first write for as long as the engine lives."""

    def __init__(self, path: str, engine: Engine):
        self._path = path
        self._stop = threading.Event()
        self._started = False
        self._starting = threading.Lock()
        weakref.finalize(engine, self._stop.set)

    def start(self) -> None:
        if self._started:
            return
        with self._starting:
            if not self._started:
                threading.Thread(target=self._run, name="sqlite-checkpoint", daemon=True).start()
                self._started = True

    def _run(self) -> None:
        conn = None
        while not self._stop.wait(CHECKPOINT_SECONDS):
            try:
                conn = conn or sqlite3.connect(self._path, timeout=0, isolation_level=None)
                conn.execute("PRAGMA wal_checkpoint(PASSIVE)")
            except sqlite3.Error:  # busy, or the file is away for now: the next tick tries again
                if conn is not None:
                    conn.close()
                conn = None
        if conn is not None:
            conn.close()
