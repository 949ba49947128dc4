"""`factcheck db upgrade`: bring the database named by DATABASE_URL to the newest schema."""

from __future__ import annotations

import argparse

from sqlalchemy import Engine, inspect
from sqlalchemy.engine import make_url

from bot.config import Settings, load_settings
from bot.errors import ConfigError
from storage.db import make_engine
from storage.migrate import upgrade

NOT_MIGRATED = "the database {url} has no desk tables yet; run `factcheck db upgrade` first"


def register(parser: argparse.ArgumentParser) -> None:
    parser.description = "Database maintenance. `factcheck run` also migrates at start."
    commands = parser.add_subparsers(title="db commands", metavar="DB_COMMAND")
    up = commands.add_parser(
        "upgrade",
        help="apply the Alembic migrations to head (idempotent)",
        description="Apply the shipped Alembic migrations to DATABASE_URL, up to the newest.",
    )
    up.set_defaults(handler=run_upgrade)
    parser.set_defaults(handler=lambda _args: _usage(parser))


def _usage(parser: argparse.ArgumentParser) -> int:
    parser.print_help()
    return 2


def describe_url(url: str) -> str:
    """The URL without its password, for messages."""
    return make_url(url).render_as_string(hide_password=True)


def run_upgrade(args: argparse.Namespace) -> int:
    settings = load_settings()
    upgrade(settings.database_url)
    print(f"database is at the newest schema ({describe_url(settings.database_url)})")
    return 0


def open_desk_database(settings: Settings) -> Engine:
    """The engine for DATABASE_URL; ConfigError (exit 2) if it was never migrated."""
    engine = make_engine(settings.database_url)
    if not inspect(engine).has_table("ticket"):
        engine.dispose()
        raise ConfigError(NOT_MIGRATED.format(url=describe_url(settings.database_url)))
    return engine
