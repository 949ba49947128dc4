"""The bot as production serves it (bot/web.py on waitress, a real port) against the stand-in."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest
from sqlalchemy import Engine
from waitress.server import create_server

from bot.app import create_app
from bot.config import Settings
from bot.localslack.driver import SlackDriver
from bot.localslack.signing import EventSender
from bot.localslack.web_api import BOB, SlackStandIn
from bot.services import Services
from bot.slack_client import build_web_client
from bot.web import EVENTS_PATH, SERVER_LIMITS, build_wsgi_app
from tests.db import database_url, engine, postgres_engine, sqlite_template  # noqa: F401
from tests.slack.fixtures import event_sender, slack  # noqa: F401

EDITOR = BOB


@dataclass
class Desk:
    """A running bot: its services, the driver that plays people, the stand-in."""

    services: Services
    slack: SlackStandIn
    driver: SlackDriver
    url: str


def desk_settings(stand_in: SlackStandIn, database: str, **overrides: object) -> Settings:
    values: dict[str, object] = {
        "slack_bot_token": stand_in.bot_token,
        "slack_signing_secret": stand_in.signing_secret,
        "slack_api_url": stand_in.api_url,
        "database_url": database,
        "editors": [EDITOR],
        "min_article_chars": 200,
        "scheduler": False,
        "fetch_allow_private": True,
    }
    values.update(overrides)
    return Settings(_env_file=None, **values)  # type: ignore[arg-type]


def serve(services: Services) -> tuple[str, Callable[[], None]]:
    """The production WSGI app on waitress, on a free port, in a thread; returns (url, stop)."""
    app = create_app(services)
    secret = services.settings.slack_signing_secret
    assert secret is not None
    wsgi = build_wsgi_app(
        services.engine,
        "http",
        app,
        signing_secret=secret.get_secret_value(),
        work=services.work,
    )
    server = create_server(wsgi, host="127.0.0.1", port=0, threads=8, **SERVER_LIMITS)
    thread = threading.Thread(target=server.run, name="bot-http", daemon=True)
    thread.start()
    port = server.effective_port  # type: ignore[union-attr]
    url = f"http://127.0.0.1:{port}{EVENTS_PATH}"

    def stop() -> None:
        # Close on waitress's own loop thread: pulling the trigger wakes its select() at once
        # (asyncore_loop_timeout is a whole number of seconds, and 0 would spin), and no socket
        # is closed under a select() in progress, which failed with EBADF now and then.
        server.trigger.pull_trigger(server.close)  # type: ignore[union-attr]
        thread.join(timeout=5)

    return url, stop


@pytest.fixture
def make_desk(
    slack: SlackStandIn,  # noqa: F811
    engine: Engine,  # noqa: F811
    database_url: str,  # noqa: F811
) -> Iterator[Callable[..., Desk]]:
    stops: list[Callable[[], None]] = []
    senders: list[EventSender] = []

    def make(**overrides: object) -> Desk:
        settings = desk_settings(slack, database_url, **overrides)
        services = Services(settings=settings, engine=engine, client=build_web_client(settings))
        url, stop_serving = serve(services)

        def stop() -> None:
            stop_serving()
            services.work.drain()  # as `factcheck run` does: no work outlives the test

        stops.append(stop)
        sender = EventSender(url, slack.signing_secret)
        senders.append(sender)
        return Desk(services, slack, SlackDriver(slack, sender=sender), url)

    yield make
    for sender in senders:
        sender.close()
    for stop in stops:
        stop()


@pytest.fixture
def desk(make_desk: Callable[..., Desk]) -> Desk:
    return make_desk()
