"""Issue 11, failure 10: a lone surrogate in an event (valid JSON, not encodable UTF-8) is
replaced, and the article is filed as usual instead of being lost."""

from __future__ import annotations

from bot.localslack.web_api import CAROL, DESK
from tests.desk.helpers import ARTICLE, Desk, articles, thread_replies, tickets

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
