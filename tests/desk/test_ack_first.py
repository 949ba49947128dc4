"""Every request is acknowledged before its work runs: the work waits on the pool, not Slack."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import httpx
import pytest

from bot.localslack.web_api import ALICE, CAROL, DESK
from bot.render import ids
from bot.web import HEALTH_PATH
from tests.desk.helpers import ARTICLE, Desk, articles, paste, thread_replies, tickets


@pytest.fixture
def busy(desk: Desk) -> Iterator[threading.Event]:
    """Every worker of the desk's pool held until the returned event is set."""
    release = threading.Event()
    started = threading.Barrier(desk.services.work.size + 1)

    def hold() -> None:
        started.wait(10)
        release.wait(30)

    for _ in range(desk.services.work.size):
        desk.services.work.submit(hold)
    started.wait(10)
    yield release
    release.set()


def test_a_command_is_acked_while_every_worker_is_busy(desk: Desk, busy: threading.Event) -> None:
    delivery = desk.driver.command(ALICE, "/factcheck", "help", channel=DESK)
    assert delivery.acked
    assert desk.slack.responses(delivery.response_url) == []
    assert desk.services.work.waiting == 1
    busy.set()
    desk.slack.wait_for(lambda: desk.slack.responses(delivery.response_url), description="help")


def test_a_pasted_article_is_acked_before_it_is_read(desk: Desk, busy: threading.Event) -> None:
    message = desk.driver.say(CAROL, DESK, ARTICLE)  # returns once the event was acked
    assert articles(desk) == []
    assert desk.slack.calls("reactions.add") == []
    busy.set()
    desk.slack.wait_for(lambda: thread_replies(desk.slack, message["ts"]), description="cards")
    assert len(tickets(desk)) == 6


def test_a_button_is_acked_before_the_claim_is_made(desk: Desk) -> None:
    _article, replies = paste(desk)
    release = threading.Event()
    for _ in range(desk.services.work.size):
        desk.services.work.submit(release.wait, 30)
    try:
        delivery = desk.driver.click(ALICE, replies[0], ids.ACTION_CLAIM, channel=DESK)
        assert delivery.acked
        assert tickets(desk)[0].status == "open"
    finally:
        release.set()
    desk.slack.wait_for(lambda: tickets(desk)[0].status == "claimed", description="claim")
    assert tickets(desk)[0].assignee == ALICE


def test_healthz_shows_the_pools_size_and_queue(desk: Desk, busy: threading.Event) -> None:
    desk.driver.command(ALICE, "/factcheck", "queue", channel=DESK)
    health = httpx.get(desk.url.replace("/slack/events", HEALTH_PATH), timeout=5).json()
    assert health["work"] == {"size": desk.services.work.size, "waiting": 1, "running": 4}
