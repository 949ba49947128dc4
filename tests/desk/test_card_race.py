"""A claim made the moment the thread appears, before the bot has recorded where the cards are."""

from __future__ import annotations

import threading
from collections.abc import Iterable

import pytest
from sqlmodel import Session

from bot import outbox
from bot.localslack.web_api import ALICE, CAROL, DESK
from bot.render.messages import CLAIMED
from storage.tickets import set_card
from tests.desk.helpers import ARTICLE, Desk, card_with, thread_replies


def test_a_claim_before_the_card_is_recorded_still_shows_on_the_card(
    desk: Desk, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Hold the intake between chat.postMessage and recording the card's ts, the window in
    # which a person can already see the card (and `factcheck run` tests claimed in it).
    recorded = threading.Event()
    release = threading.Event()

    def held_set_card(
        session: Session, ticket_ids: Iterable[int], *, channel: str, ts: str
    ) -> None:
        assert release.wait(timeout=5), "the test never released the intake"
        set_card(session, ticket_ids, channel=channel, ts=ts)
        recorded.set()

    monkeypatch.setattr(outbox, "set_card", held_set_card)
    slack = desk.slack
    message = desk.driver.say(CAROL, DESK, ARTICLE)
    reply = slack.wait_for(lambda: thread_replies(slack, message["ts"]), description="thread")[0]

    delivery = desk.driver.command(ALICE, "/factcheck", "claim 1", channel=DESK)
    answer = slack.wait_for(lambda: slack.responses(delivery.response_url), description="answer")
    assert answer[0].text == CLAIMED.format(ids="#1")
    # The claim's own refresh is over once it has re-published Alice's Home.
    slack.wait_for(lambda: slack.last_view_published_for(ALICE), description="Alice's Home")
    assert not recorded.is_set()
    release.set()

    card = slack.wait_for(
        lambda: card_with(desk, reply["ts"], f"<@{ALICE}>"), description="card shows the claim"
    )
    assert card is not None
    slack.wait_for_call("reactions.remove")  # the intake is over before the test ends
