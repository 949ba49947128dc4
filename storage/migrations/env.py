"""Alembic environment: the models' metadata, one connection, batch mode for SQLite."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from storage.db import make_engine
from storage.models import SQLModel

#: A migration may rewrite a large table: far longer than a desk statement may take.
MIGRATION_STATEMENT_TIMEOUT_S = 600.0

target_metadata = SQLModel.metadata


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        compare_server_default=False,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = context.config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    url = context.config.get_main_option("sqlalchemy.url") or ""
    engine = make_engine(url, statement_timeout=MIGRATION_STATEMENT_TIMEOUT_S)
    try:
        with engine.connect() as conn:
            _run(conn)
    finally:
        engine.dispose()


if context.is_offline_mode():
    raise SystemExit("offline (--sql) migrations are not supported; run `factcheck db upgrade`")
run_migrations_online()
