"""Issue 11, failure 10: a lone surrogate in an event (valid JSON, not encodable UTF-8) is
replaced, and the article is filed as usual instead of being lost."""

from __future__ import annotations

from bot.localslack import payloads
from bot.localslack.web_api import ALICE, CAROL, DESK
from bot.render import ids
from tests.desk.helpers import ARTICLE, Desk, articles, only_card, paste, thread_replies, tickets

BROKEN = "\ud83d"  # the first half of an emoji's surrogate pair, alone


def test_an_article_with_a_lone_surrogate_is_filed(desk: Desk) -> None:
    assert "on Tuesday" in ARTICLE
    message = desk.driver.say(CAROL, DESK, ARTICLE.replace("on Tuesday", f"on {BROKEN}Tuesday"))
    desk.slack.wait_for(
        lambda: thread_replies(desk.slack, message["ts"]), description="thread reply", timeout=10
    )
    assert len(tickets(desk)) == 6
    (article,) = articles(desk)
    assert "\ufffd" in article.text
    assert BROKEN not in article.text


def test_a_verdict_note_with_a_lone_surrogate_is_recorded(desk: Desk) -> None:
    """Interactive payloads come form-encoded (the escape as %5Cud83d): cleaned there too."""
    _article, replies = paste(desk)
    desk.driver.choose(
        ALICE,
        only_card(replies[0], 1),
        ids.ACTION_TICKET_MENU,
        ids.menu_value(ids.MENU_VERIFY, 1),
        channel=DESK,
    )
    view = desk.slack.wait_for(lambda: desk.slack.views_opened(ALICE), description="modal")[-1]
    delivery = desk.driver.submit(
        ALICE,
        view,
        {
            ids.BLOCK_VERDICT: {ids.ELEMENT_VERDICT: payloads.select_input("Accurate")},
            ids.BLOCK_SOURCES: {
                ids.ELEMENT_SOURCES: payloads.text_input("https://stats.example.org/budget")
            },
            ids.BLOCK_NOTE: {ids.ELEMENT_NOTE: payloads.text_input(f"matches {BROKEN}the table")},
        },
    )
    assert delivery.acked
    desk.slack.wait_for(lambda: tickets(desk)[0].status == "verified", description="verified")
    note = tickets(desk)[0].note
    assert note == "matches \ufffdthe table"
