"""Earlier checks as a desk sees them in Slack: re-pastes, Seen before, Reuse verdict, search."""

from __future__ import annotations

from sqlmodel import col, select

from bot.localslack.blockkit import visible_text
from bot.localslack.web_api import ALICE, CAROL, DESK
from bot.match.claimreview import PublishedReview
from bot.match.index import index_published, published_entries
from bot.render import ids
from bot.render.earlier import BUTTON_REUSE
from storage.db import session_scope
from storage.models import AuditEvent
from tests.desk.helpers import ARTICLE, Desk, assert_block_kit_clean, card_with, paste, tickets
from tests.factories import T0

# A new story that repeats the first article's unemployment figure word for word.
FOLLOW_UP = (
    "Riverton opens its new bus depot\n\n"
    "The city opened a bus depot on Monday that will house 120 electric buses, the largest in "
    "the state. Unemployment in the region fell to 3.1 percent in March, the lowest figure since "
    "2008, according to the national statistics office. The depot cost $85 million and was "
    "paid for by a federal grant of $60 million, officials said on Monday morning."
)


def _ticket_with(desk: Desk, words: str, *, after: int = 0) -> int:
    return next(t.id for t in tickets(desk) if words in t.text and (t.id or 0) > after) or 0


def _answer(desk: Desk, user: str, text: str) -> str:
    delivery = desk.driver.command(user, "/factcheck", text, channel=DESK)
    answers = desk.slack.wait_for(
        lambda: desk.slack.responses(delivery.response_url), description=f"answer to {text!r}"
    )
    return visible_text(answers[0].body.get("blocks") or []) or answers[0].text


def test_a_verified_claim_is_seen_before_and_its_verdict_reused(desk: Desk) -> None:
    paste(desk)
    first = _ticket_with(desk, "Unemployment in the region fell")
    assert _answer(desk, ALICE, f"verify {first} https://stats.example.org/jobs table 4")
    last_first_article = max(t.id or 0 for t in tickets(desk))

    _, replies = paste(desk, FOLLOW_UP)
    again = _ticket_with(desk, "Unemployment in the region fell", after=last_first_article)
    card = desk.slack.wait_for(
        lambda: card_with(desk, replies[0]["ts"], f"Seen before: #{first}"),
        description="the card says where it was checked",
    )
    assert card is not None
    assert "Accurate" in visible_text(card["blocks"])
    own = {
        "blocks": [
            b for b in card["blocks"] if ids.ticket_id_of_block(b.get("block_id", "")) == again
        ]
    }
    assert BUTTON_REUSE in visible_text(own["blocks"])

    desk.driver.click(ALICE, {**card, **own}, ids.ACTION_REUSE_VERDICT, channel=DESK)
    desk.slack.wait_for(
        lambda: next(t for t in tickets(desk) if t.id == again).status == "verified"
    )
    reused = next(t for t in tickets(desk) if t.id == again)
    assert reused.verdict == "Accurate"
    assert reused.sources == ["https://stats.example.org/jobs"]
    with session_scope(desk.services.engine) as session:
        audit = session.scalars(
            select(AuditEvent).where(
                col(AuditEvent.ticket_id) == again, col(AuditEvent.action) == "verify"
            )
        ).one()
    assert audit.detail["reused_from"] == first
    assert_block_kit_clean(desk.slack)


def test_the_same_article_pasted_again_files_nothing(desk: Desk) -> None:
    first_message, _ = paste(desk)
    filed = len(tickets(desk))
    _, replies = paste(desk, ARTICLE)
    assert len(tickets(desk)) == filed
    text = visible_text(replies[0]["blocks"])
    assert "already on the desk" in text
    # The answer links to the first article's thread and names its tickets.
    assert f"p{first_message['ts'].replace('.', '')}" in str(replies[0]["blocks"])
    assert f"#1–#{filed}" in text


def test_search_finds_an_earlier_ticket_with_its_verdict(desk: Desk) -> None:
    paste(desk)
    first = _ticket_with(desk, "Unemployment in the region fell")
    _answer(desk, CAROL, f"verify {first} https://stats.example.org/jobs")
    found = _answer(desk, ALICE, "search regional unemployment fell to 3.1 percent")
    assert f"#{first}" in found
    assert "Accurate" in found
    nothing = _answer(desk, ALICE, "search zebra crossings in Lisbon")
    assert "No earlier check" in nothing
    empty = _answer(desk, ALICE, "search")
    assert "What should I look for" in empty


def test_an_open_earlier_ticket_and_its_repeat_point_at_each_other(desk: Desk) -> None:
    _, first_replies = paste(desk)
    first = _ticket_with(desk, "Unemployment in the region fell")
    last_first_article = max(t.id or 0 for t in tickets(desk))
    _, replies = paste(desk, FOLLOW_UP)
    again = _ticket_with(desk, "Unemployment in the region fell", after=last_first_article)
    assert desk.slack.wait_for(
        lambda: card_with(desk, replies[0]["ts"], f"Seen before: #{first}"),
        description="the new card names the earlier ticket",
    )
    assert desk.slack.wait_for(
        lambda: card_with(desk, first_replies[0]["ts"], f"Also in #{again}"),
        description="the earlier card names the repeat",
    )


def test_an_imported_fact_check_shows_on_the_card(desk: Desk) -> None:
    review = PublishedReview(
        claim="Unemployment in the region fell to 3.1 percent in March, the lowest since 2008.",
        verdict="False",
        publisher="Example Fact Check",
        url="https://factcheck.example.org/riverton-jobs",
        reviewed_at=None,
        speaker=None,
    )
    with session_scope(desk.services.engine) as session:
        index_published(session, published_entries([review], matcher=desk.services.matcher, now=T0))
    _, replies = paste(desk)
    card = desk.slack.wait_for(
        lambda: card_with(desk, replies[0]["ts"], "Checked by Example Fact Check"),
        description="the card cites the published check",
    )
    assert card is not None
    assert "False" in visible_text(card["blocks"])
    assert "factcheck.example.org/riverton-jobs" in str(card["blocks"])
