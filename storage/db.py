"""Engines for SQLite and PostgreSQL, and `session_scope`, the unit of work for one user action."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine, Insert, create_engine, event, insert
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import URL, make_url
from sqlmodel import Session

SQLITE_BUSY_TIMEOUT_MS = 30_000
SQLITE_CACHE_KIB = 64 * 1024
SQLITE_MMAP_BYTES = 256 * 1024 * 1024


def normalise_url(url: str | URL) -> URL:
    """Send plain `postgresql://` URLs to psycopg 3, the driver we ship."""
    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed


def _configure_sqlite(engine: Engine) -> None:
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
        cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
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


def make_engine(url: str | URL, **kwargs: Any) -> Engine:
    """An Engine for `url`: SQLite gets the single-writer setup, PostgreSQL uses psycopg 3."""
    parsed = normalise_url(url)
    if parsed.get_backend_name() == "sqlite":
        kwargs.setdefault("connect_args", {}).setdefault("check_same_thread", False)
        kwargs["connect_args"].setdefault("timeout", SQLITE_BUSY_TIMEOUT_MS / 1000)
        if parsed.database in (None, "", ":memory:"):
            raise ValueError(
                "an in-memory SQLite database would be private to one connection; "
                "use a file, e.g. sqlite:///factcheck.db"
            )
        kwargs.setdefault("pool_size", 8)
        kwargs.setdefault("max_overflow", 32)
        engine = create_engine(parsed, **kwargs)
        _configure_sqlite(engine)
        return engine
    kwargs.setdefault("pool_pre_ping", True)
    kwargs.setdefault("pool_size", 10)
    kwargs.setdefault("max_overflow", 30)
    return create_engine(parsed, **kwargs)


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


def dialect_insert(session: Session, table: Any) -> Insert:
    """INSERT for the session's engine, which knows ON CONFLICT DO NOTHING on both engines."""
    name = session.get_bind().dialect.name
    if name == "postgresql":
        return postgresql.insert(table)
    if name == "sqlite":
        return sqlite.insert(table)
    return insert(table)  # pragma: no cover - only the two engines above are supported
