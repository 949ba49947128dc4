"""Storage fixtures: an `engine` on a migrated SQLite file and on a throwaway PostgreSQL database.

Load with `pytest_plugins = ["tests.db"]` in tests/conftest.py (or `pytest -p tests.db`).

- `engine` is parametrised over "sqlite" and "postgresql". SQLite: a copy of a database migrated
  once per session, in the test's tmp_path. PostgreSQL: a database `factcheck_test_<random>`
  created on the server named by FACTCHECK_TEST_POSTGRES_URL (default
  postgresql+psycopg://postgres@127.0.0.1:5432/test), migrated once, emptied with TRUNCATE ...
  RESTART IDENTITY CASCADE before each test and dropped at the end. An unreachable server skips
  the PostgreSQL cases with the reason, unless CI=true, where it fails the run.
- `database_url` is the same database as a URL string, for subprocess tests (`factcheck ...`).
"""

from __future__ import annotations

import os
import secrets
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url

from storage.db import make_engine, normalise_url
from storage.migrate import upgrade
from storage.models import SQLModel

DEFAULT_POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
ENGINES = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


def postgres_admin_url() -> str:
    return os.environ.get("FACTCHECK_TEST_POSTGRES_URL", DEFAULT_POSTGRES_URL)


def url_string(engine: Engine) -> str:
    return engine.url.render_as_string(hide_password=False)


def _unavailable(reason: str) -> None:
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"PostgreSQL is required when CI=true: {reason}", pytrace=False)
    pytest.skip(f"PostgreSQL not reachable ({reason}); set FACTCHECK_TEST_POSTGRES_URL")


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file migrated to head once; each test gets a copy."""
    path = tmp_path_factory.mktemp("sqlite-template") / "factcheck.db"
    upgrade(f"sqlite:///{path}")
    return path


@pytest.fixture(scope="session")
def postgres_engine() -> Iterator[Engine]:
    """A throwaway database on the test server, migrated once for the whole session."""
    admin_url = normalise_url(postgres_admin_url())
    name = f"factcheck_test_{secrets.token_hex(4)}"
    try:
        admin = create_engine(admin_url, isolation_level="AUTOCOMMIT", pool_pre_ping=True)
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as error:  # any driver or network failure means "not reachable"
        _unavailable(f"{type(error).__name__}: {str(error).splitlines()[0]}")
        raise  # unreachable: _unavailable skips or fails
    url = make_url(admin_url).set(database=name)
    engine: Engine | None = None
    try:
        upgrade(url)
        engine = make_engine(url)
        yield engine
    finally:
        if engine is not None:
            engine.dispose()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def truncate_all(engine: Engine) -> None:
    tables = ", ".join(f'"{table.name}"' for table in SQLModel.metadata.sorted_tables)
    with engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))


@pytest.fixture(params=ENGINES)
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """A migrated, empty database on each engine."""
    if request.param == "sqlite":
        template: Path = request.getfixturevalue("sqlite_template")
        path = tmp_path / "factcheck.db"
        shutil.copyfile(template, path)
        sqlite_engine = make_engine(f"sqlite:///{path}")
        try:
            yield sqlite_engine
        finally:
            sqlite_engine.dispose()
        return
    pg: Engine = request.getfixturevalue("postgres_engine")
    truncate_all(pg)
    yield pg


@pytest.fixture
def database_url(engine: Engine) -> str:
    """The `engine`'s database as a URL, for `factcheck` subprocesses (DATABASE_URL)."""
    return url_string(engine)
