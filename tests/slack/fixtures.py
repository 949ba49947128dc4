"""Pytest fixtures for the Slack stand-in (a plugin module: list it in ``pytest_plugins``)."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from bot.localslack.driver import SlackDriver
from bot.localslack.signing import EventSender
from bot.localslack.web_api import SlackStandIn, start_slack
from tests.slack.socket_mode import SocketModeServer

__all__ = ["event_sender", "http_driver_for", "slack", "socket_driver", "socket_server"]


@pytest.fixture
def slack() -> Iterator[SlackStandIn]:
    """A running stand-in with the default workspace (see ``seed_default_workspace``).

    Bot token ``xoxb-test-token``, app token ``xapp-test-token``, team ``T0TEST``, bot user
    ``U0BOT`` (bot id ``B0BOT``); users ALICE/BOB/CAROL, channels DESK/NEWSROOM/RANDOM.
    """
    stand_in = start_slack()
    try:
        yield stand_in
    finally:
        stand_in.stop()


@pytest.fixture
def event_sender(slack: SlackStandIn) -> Iterator[Callable[[str], EventSender]]:
    """Factory: ``event_sender(bot_events_url)`` -> a signed-request sender, closed after."""
    senders: list[EventSender] = []

    def make(url: str) -> EventSender:
        sender = EventSender(url, slack.signing_secret)
        senders.append(sender)
        return sender

    yield make
    for sender in senders:
        sender.close()


@pytest.fixture
def socket_server(slack: SlackStandIn) -> Iterator[SocketModeServer]:
    """A running Socket Mode server attached to ``slack`` (apps.connections.open answers it)."""
    server = SocketModeServer(slack).start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def http_driver_for(
    event_sender: Callable[[str], EventSender], slack: SlackStandIn
) -> Callable[[str], SlackDriver]:
    """Factory: ``http_driver_for(bot_events_url)`` -> a :class:`SlackDriver` over signed HTTP."""

    def make(url: str) -> SlackDriver:
        return SlackDriver(slack, sender=event_sender(url))

    return make


@pytest.fixture
def socket_driver(slack: SlackStandIn, socket_server: SocketModeServer) -> SlackDriver:
    """A :class:`SlackDriver` delivering through ``socket_server`` (connect the bot first)."""
    return SlackDriver(slack, socket=socket_server)
