"""Engines for SQLite and PostgreSQL, and `session_scope`, the unit of work for one user action."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine, Insert, create_engine, event
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session

from storage.deadline import install as install_deadline

#: How long a statement may run (PostgreSQL statement_timeout; SQLite's busy timeout), and
#: how long connecting to PostgreSQL may take; FACTCHECK_DB_* settings override both.
STATEMENT_TIMEOUT_S = 30.0
CONNECT_TIMEOUT_S = 5.0
#: The client-side deadline (storage.deadline) leaves the server's statement_timeout time to
#: answer first: only a connection that stopped answering at all is cut by us.
DEADLINE_GRACE_S = 2.0
#: A transaction left open by a stuck client releases its row locks after this long.
IDLE_IN_TRANSACTION_S = 60.0
SQLITE_CACHE_KIB = 64 * 1024
SQLITE_MMAP_BYTES = 256 * 1024 * 1024


def normalise_url(url: str | URL) -> URL:
    """Send plain `postgresql://` URLs to psycopg 3, the driver we ship."""
    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed


def _configure_sqlite(engine: Engine, busy_timeout_ms: int) -> None:
    """WAL, foreign keys, a busy timeout, and BEGIN IMMEDIATE for every transaction.

    Python's sqlite3 starts transactions lazily and as DEFERRED, so two threads can both read a
    ticket as `open` and then race to upgrade to a write lock; one gets SQLITE_BUSY at once,
    without waiting. Taking the write lock at BEGIN makes every unit of work one writer at a
    time (readers of the WAL are not blocked), so a conditional UPDATE sees the latest state.
    This is the SQLAlchemy "pysqlite serializable" recipe.
    """

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # we issue BEGIN ourselves
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {busy_timeout_ms}")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = NORMAL")
        # The default 2 MB page cache is re-read from the OS for every sweep of a large desk.
        cursor.execute(f"PRAGMA cache_size = -{SQLITE_CACHE_KIB}")
        cursor.execute(f"PRAGMA mmap_size = {SQLITE_MMAP_BYTES}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def postgres_connect_args(*, connect_timeout: float, statement_timeout: float) -> dict[str, Any]:
    """libpq parameters: bounded connecting, server-side statement and idle-transaction
    timeouts, and TCP keepalives with a user timeout, so a dead peer is noticed by the kernel."""
    statement_ms = int(statement_timeout * 1000)
    idle_ms = int(max(IDLE_IN_TRANSACTION_S, 2 * statement_timeout) * 1000)
    return {
        "connect_timeout": max(2, round(connect_timeout)),  # libpq's minimum is 2 s
        "options": f"-c statement_timeout={statement_ms} "
        f"-c idle_in_transaction_session_timeout={idle_ms}",
        "keepalives": 1,
        "keepalives_idle": 10,
        "keepalives_interval": 5,
        "keepalives_count": 3,
        "tcp_user_timeout": int((statement_timeout + DEADLINE_GRACE_S) * 1000),
    }


def make_engine(
    url: str | URL,
    *,
    statement_timeout: float = STATEMENT_TIMEOUT_S,
    connect_timeout: float = CONNECT_TIMEOUT_S,
    **kwargs: Any,
) -> Engine:
    """An Engine for `url`: SQLite gets the single-writer setup, PostgreSQL uses psycopg 3.

    Nothing waits forever: SQLite waits `statement_timeout` for the write lock; PostgreSQL
    connects within `connect_timeout`, the server cancels a statement after
    `statement_timeout`, and storage.deadline cuts a connection that does not answer at all
    (the pre-ping on checkout included).
    """
    parsed = normalise_url(url)
    if parsed.get_backend_name() == "sqlite":
        kwargs.setdefault("connect_args", {}).setdefault("check_same_thread", False)
        kwargs["connect_args"].setdefault("timeout", statement_timeout)
        if parsed.database in (None, "", ":memory:"):
            raise ValueError(
                "an in-memory SQLite database would be private to one connection; "
                "use a file, e.g. sqlite:///factcheck.db"
            )
        kwargs.setdefault("pool_size", 8)
        kwargs.setdefault("max_overflow", 32)
        engine = create_engine(parsed, **kwargs)
        _configure_sqlite(engine, int(statement_timeout * 1000))
        return engine
    connect_args = postgres_connect_args(
        connect_timeout=connect_timeout, statement_timeout=statement_timeout
    )
    kwargs["connect_args"] = {**connect_args, **kwargs.get("connect_args", {})}
    kwargs.setdefault("pool_size", 10)
    kwargs.setdefault("max_overflow", 30)
    kwargs.setdefault("pool_timeout", statement_timeout)
    engine = create_engine(parsed, **kwargs)
    install_deadline(engine, statement_timeout + min(DEADLINE_GRACE_S, statement_timeout))
    return engine


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """One transaction: commit when the block ends normally, roll back when it raises.

    Data functions take this session keyword-only and never commit, so a state change and its
    audit row land together or not at all. Objects stay readable after the commit
    (expire_on_commit=False) so callers can render them.
    """
    session = Session(engine, expire_on_commit=False)
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


@contextmanager
def snapshot_scope(engine: Engine) -> Iterator[Session]:
    """A unit of work for reading, whose statements all see one snapshot of the database.

    PostgreSQL's default READ COMMITTED lets each statement of a transaction see what committed
    before it started, so a page built from several queries (a person's tickets, then the
    queue) could show a ticket in neither or in both when a claim commits in between.
    REPEATABLE READ takes one snapshot for the whole transaction. SQLite's transactions already
    see one state (BEGIN IMMEDIATE).
    """
    if engine.dialect.name == "postgresql":
        engine = engine.execution_options(isolation_level="REPEATABLE READ")
    with session_scope(engine) as session:
        yield session


def insert_ignore(session: Session, table: Any, *, conflict: Sequence[str]) -> Insert:
    """`INSERT ... ON CONFLICT (conflict) DO NOTHING` for the session's engine.

    The one place the dialect-specific insert is named, so callers chain `.values()`,
    `.from_select()` and `.returning()` on a plain, typed `Insert`. A row that conflicts is
    skipped and `RETURNING` leaves it out: how a claim "won or not" is read everywhere.
    """
    name = session.get_bind().dialect.name
    if name == "postgresql":
        return postgresql.insert(table).on_conflict_do_nothing(index_elements=list(conflict))
    if name == "sqlite":
        return sqlite.insert(table).on_conflict_do_nothing(index_elements=list(conflict))
    raise NotImplementedError(f"no INSERT ... ON CONFLICT for {name}")  # pragma: no cover


def outage_line(error: DBAPIError) -> str:
    """The driver's own message, without SQLAlchemy's SQL echo and background link: what a
    log line says of a database that went away (a traceback would say nothing more)."""
    lines = str(error.orig).strip().splitlines() if error.orig is not None else []
    return lines[0] if lines else type(error).__name__
