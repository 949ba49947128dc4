"""A long article through the stand-in: ranked claim cards, "Also worth a look", filing an offer once."""

from __future__ import annotations

import threading
from typing import Any

from sqlmodel import col, select

from bot.localslack.blockkit import visible_text
from bot.localslack.web_api import ALICE, BOB, CAROL, DESK
from bot.render import ids
from bot.render.cards import CLAIM_REASON
from bot.render.offers import ALREADY_FILED, BUTTON_FILE_OFFER
from storage.db import session_scope
from storage.models import AuditEvent, OfferedClaim
from tests.desk.helpers import (
    LONG_ARTICLE,
    Desk,
    assert_block_kit_clean,
    paste,
    thread_replies,
    tickets,
)

# Twenty distinct factual paragraphs (a long piece): more claims than any budget files.


def _offers_message(desk: Desk, article_ts: str) -> dict[str, Any]:
    def find() -> dict[str, Any] | None:
        for message in thread_replies(desk.slack, article_ts):
            if any(
                b.get("block_id") == ids.OFFERS_HEADER_BLOCK for b in message.get("blocks") or []
            ):
                return message
        return None

    found = desk.slack.wait_for(find, description="Also worth a look", timeout=10)
    assert found is not None
    return found


def _current(desk: Desk, ts: str) -> dict[str, Any]:
    message = desk.slack.message(DESK, ts)
    assert message is not None
    return message


def _offers(desk: Desk) -> list[OfferedClaim]:
    with session_scope(desk.services.engine) as session:
        return list(session.scalars(select(OfferedClaim).order_by(col(OfferedClaim.rank))))


def test_a_long_article_files_its_best_claims_and_offers_the_rest(desk: Desk) -> None:
    article, replies = paste(desk, LONG_ARTICLE)
    offers_message = _offers_message(desk, article["ts"])
    rows = tickets(desk)
    claims = [t for t in rows if t.kind == "claim"]
    assert 0 < len(claims) <= desk.services.settings.max_claims
    # Strongest first: ticket ids follow the score.
    scores = [t.score or 0.0 for t in claims]
    assert scores == sorted(scores, reverse=True)
    offers = _offers(desk)
    assert offers
    assert min(scores) >= max(o.score for o in offers)
    shown = visible_text(offers_message["blocks"])
    assert "Also worth a look" in shown
    assert BUTTON_FILE_OFFER in shown
    assert offers[0].text[:40] in shown
    cards = visible_text(replies[0]["blocks"])
    assert CLAIM_REASON.split("{")[0].strip("_") in cards
    assert_block_kit_clean(desk.slack)


def test_filing_an_offer_posts_its_card_once_however_often_pressed(desk: Desk) -> None:
    article, _ = paste(desk, LONG_ARTICLE)
    offers_message = _offers_message(desk, article["ts"])
    before = len(tickets(desk))
    first_offer = _offers(desk)[0]

    desk.driver.click(ALICE, offers_message, ids.ACTION_FILE_OFFER, channel=DESK)
    desk.slack.wait_for(lambda: len(tickets(desk)) == before + 1, description="offer filed")
    new = tickets(desk)[-1]
    assert (new.kind, new.status, new.text) == ("claim", "open", first_offer.text)
    card = desk.slack.wait_for(
        lambda: [
            m
            for m in thread_replies(desk.slack, article["ts"])
            if ids.ticket_block_id(new.id or 0) in {b.get("block_id") for b in m["blocks"]}
        ],
        description="the new ticket's card in the thread",
    )
    assert card
    desk.slack.wait_for(
        lambda: "Filed as" in visible_text(_current(desk, offers_message["ts"])["blocks"]),
        description="the offer marked filed",
    )

    # Bob presses the same button on the message as he saw it before: nothing new is filed.
    desk.driver.click(BOB, offers_message, ids.ACTION_FILE_OFFER, channel=DESK)
    told = desk.slack.wait_for(
        lambda: desk.slack.ephemerals_to(BOB, containing=f"#{new.id}"),
        description="already filed",
    )
    assert told[0].text == ALREADY_FILED.format(ticket=new.id, user=ALICE)
    assert len(tickets(desk)) == before + 1
    with session_scope(desk.services.engine) as session:
        audit = session.scalars(select(AuditEvent).where(col(AuditEvent.ticket_id) == new.id)).all()
    assert [(a.action, a.actor) for a in audit] == [("create", ALICE)]
    assert_block_kit_clean(desk.slack)


def test_two_people_pressing_at_once_file_one_ticket(desk: Desk) -> None:
    article, _ = paste(desk, LONG_ARTICLE)
    offers_message = _offers_message(desk, article["ts"])
    before = len(tickets(desk))
    presses = [
        threading.Thread(
            target=desk.driver.click,
            args=(user, offers_message, ids.ACTION_FILE_OFFER),
            kwargs={"channel": DESK},
        )
        for user in (ALICE, BOB, CAROL)
    ]
    for press in presses:
        press.start()
    for press in presses:
        press.join()
    desk.slack.wait_for(
        lambda: (
            len(
                [
                    u
                    for u in (ALICE, BOB, CAROL)
                    if desk.slack.ephemerals_to(u, containing="Already")
                ]
            )
            == 2
        ),
        description="two of three told it is filed",
    )
    assert len(tickets(desk)) == before + 1
