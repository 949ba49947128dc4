"""Run the Alembic migrations shipped inside the package to head, with no alembic.ini."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy.engine import URL

from storage.db import normalise_url

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def alembic_config(database_url: str | URL) -> Config:
    """An in-memory Alembic config pointing at storage/migrations and `database_url`."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    url = normalise_url(database_url).render_as_string(hide_password=False)
    # ConfigParser interpolation would read '%' in a password as a reference.
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade(database_url: str | URL, revision: str = "head") -> None:
    """Bring the database to `revision` (default: head). Idempotent; safe at every start."""
    command.upgrade(alembic_config(database_url), revision)
