"""The production WSGI app on a throwaway SQLite database, against a fresh stand-in."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager

from bot.localslack.web_api import SlackStandIn, start_slack
from bot.services import Services
from bot.slack_client import build_web_client
from bot.work import WorkPool
from storage.db import make_engine
from storage.migrate import upgrade
from tests.desk.helpers import desk_settings, serve


@contextmanager
def served_desk() -> Iterator[tuple[SlackStandIn, Services, str]]:
    """Yields (stand-in, services, events URL); stops the server, engine and stand-in after."""
    slack = start_slack()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            url = f"sqlite:///{tmp}/bench.db"
            upgrade(url)
            settings = desk_settings(slack, url)
            services = Services(
                settings=settings,
                engine=make_engine(url),
                client=build_web_client(settings),
                work=WorkPool(settings.workers),  # FACTCHECK_WORKERS, as in production
            )
            events_url, stop = serve(services)
            try:
                yield slack, services, events_url
            finally:
                stop()
                services.work.drain()
                services.engine.dispose()
    finally:
        slack.stop()
