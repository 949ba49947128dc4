"""Fixtures that build running desks (see helpers.py for what a Desk is and how it is served)."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from sqlalchemy import Engine

from bot.localslack.driver import SlackDriver
from bot.localslack.signing import EventSender
from bot.localslack.web_api import SlackStandIn
from bot.services import Services
from bot.slack_client import build_web_client
from tests.desk.helpers import Desk, desk_settings, serve
from tests.desk.news_site import NEWS_SITE, news_site_client, resolve_public


@pytest.fixture
def make_desk(
    slack: SlackStandIn,
    engine: Engine,
    database_url: str,
) -> Iterator[Callable[..., Desk]]:
    stops: list[Callable[[], None]] = []
    senders: list[EventSender] = []

    def make(**overrides: object) -> Desk:
        settings = desk_settings(slack, database_url, **overrides)
        services = Services(
            settings=settings,
            engine=engine,
            client=build_web_client(settings),
            http=news_site_client(),  # pasted links are answered by the news site's pages
            resolve=resolve_public,
        )
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
def site() -> str:
    """The base URL of the news site every desk fetches links from (news_site.py)."""
    return NEWS_SITE


@pytest.fixture
def desk(make_desk: Callable[..., Desk]) -> Desk:
    return make_desk()
