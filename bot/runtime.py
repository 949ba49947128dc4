"""Start-up wiring shared by `factcheck run` and the tests: migrate, connect, start the clock."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sqlalchemy import Engine

from bot.config import Settings
from bot.services import Services
from bot.slack_client import build_web_client
from bot.work import WorkPool
from storage.db import make_engine, session_scope
from storage.migrate import upgrade
from storage.roster import seed_editors

if TYPE_CHECKING:
    from bot.scheduler import DeskClock

logger = logging.getLogger(__name__)


def database_engine(settings: Settings) -> Engine:
    """The engine for DATABASE_URL with the FACTCHECK_DB_* timeouts (connects lazily)."""
    return make_engine(
        settings.database_url,
        statement_timeout=settings.db_statement_timeout,
        connect_timeout=settings.db_connect_timeout,
    )


def build_services(
    settings: Settings, *, migrate: bool = True, engine: Engine | None = None
) -> Services:
    """Migrate first (a one-off, idempotent step), so no listener ever sees an old schema; then
    put FACTCHECK_EDITORS on the roster, so `/factcheck roster list` shows who edits."""
    if migrate:
        upgrade(settings.database_url)
    engine = engine or database_engine(settings)
    services = Services(
        settings=settings,
        engine=engine,
        client=build_web_client(settings),
        work=WorkPool(settings.workers),
    )
    if settings.editors:
        with session_scope(engine) as session:
            seed_editors(session, editors=settings.editors, now=services.clock())
    return services


@dataclass
class BackgroundJobs:
    """What `run` started beside the listeners, stopped in reverse order on shutdown."""

    stoppers: list[Callable[[], None]] = field(default_factory=list)
    #: The reminder and digest clock, when this process runs it (the playground nudges it).
    desk_clock: DeskClock | None = None
    # Called after a Socket Mode reconnect: read what was posted while the socket was down.
    reconnected: Callable[[], None] = lambda: None

    def stop(self) -> None:
        for stop in reversed(self.stoppers):
            try:
                stop()
            except Exception:
                logger.exception("error while stopping a background job")


def start_background_jobs(services: Services) -> BackgroundJobs:
    """Start the clock: the outbox, stalled intakes and catch-up always; reminders and digests
    unless FACTCHECK_SCHEDULER=off for this process."""
    from bot.scheduler import start_desk_clock

    clock = start_desk_clock(services)
    return BackgroundJobs(
        stoppers=[clock.shutdown],
        desk_clock=clock if services.settings.scheduler else None,
        reconnected=clock.catch_up_soon,
    )
