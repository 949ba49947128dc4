"""Link intake: a pasted link or `/factcheck ingest URL` is fetched from the news site (news_site.py)."""

from __future__ import annotations

import pytest

from bot.extract.fetch import NO_TEXT, NOT_HTML, STATUS
from bot.localslack.blockkit import visible_text
from bot.localslack.web_api import CAROL, DESK
from bot.render.messages import INGEST_STARTED
from bot.render.thread import FETCH_FAILED
from tests.desk.helpers import Desk, articles, thread_replies, tickets
from tests.desk.news_site import TITLE


def _reply_text(desk: Desk, ts: str) -> str:
    replies = desk.slack.wait_for(
        lambda: thread_replies(desk.slack, ts), description="thread reply", timeout=10
    )
    desk.slack.wait_for_call("reactions.remove")  # the intake has finished
    return "\n".join(visible_text(r.get("blocks") or []) or r.get("text", "") for r in replies)


def _assert_story_ingested(desk: Desk, url: str, text: str) -> None:
    rows = tickets(desk)
    assert rows, text
    assert f"#1–#{len(rows)}" in text
    assert "Ines Carvalho" in text
    assert "$310 million" in text
    (article,) = articles(desk)
    assert (article.source_url, article.title) == (url, TITLE)
    assert "14 of the bridge's 22 support cables" in article.text


# What Slack sends for a pasted link: in <...>, with the label after |, and & escaped as &amp;.
PASTED = [
    ("<{site}/story|Harbour bridge>", "{site}/story"),
    ("<{site}/story>", "{site}/story"),
    ("<{site}/story?id=7&amp;ref=desk>", "{site}/story?id=7&ref=desk"),
]


@pytest.mark.parametrize(("pasted", "url"), PASTED, ids=["with-label", "bare", "query"])
def test_a_pasted_link_is_read_and_split_into_tickets(
    desk: Desk, site: str, pasted: str, url: str
) -> None:
    message = desk.driver.say(CAROL, DESK, pasted.format(site=site))
    _assert_story_ingested(desk, url.format(site=site), _reply_text(desk, message["ts"]))


UNREADABLE = [
    ("/gone", STATUS.format(status=404, reason="Not Found")),
    ("/data.json", NOT_HTML.format(url="{url}", content_type="application/json")),
    ("/empty", NO_TEXT.format(url="{url}")),
]


@pytest.mark.parametrize(("path", "reason"), UNREADABLE, ids=["404", "not-html", "empty"])
def test_an_unreadable_link_says_why_and_makes_no_tickets(
    desk: Desk, site: str, path: str, reason: str
) -> None:
    url = site + path
    message = desk.driver.say(CAROL, DESK, f"<{url}|the story>")
    text = _reply_text(desk, message["ts"])
    assert text == FETCH_FAILED.format(url=f"<{url}>", reason=reason.format(url=url))
    assert tickets(desk) == []
    (article,) = articles(desk)
    assert article.intake_status == "failed"
    assert article.failure_reason


def test_ingest_command_reads_the_link(desk: Desk, site: str) -> None:
    url = f"{site}/story"
    delivery = desk.driver.command(CAROL, "/factcheck", f"ingest <{url}>", channel=DESK)
    assert delivery.acked
    answer = desk.slack.wait_for(lambda: desk.slack.responses(delivery.response_url))
    assert answer[0].text == INGEST_STARTED
    anchor = desk.slack.wait_for(lambda: desk.slack.messages_in(DESK), description="anchor")[0]
    _assert_story_ingested(desk, url, _reply_text(desk, anchor["ts"]))


def test_ingest_command_with_a_missing_page_says_why(desk: Desk, site: str) -> None:
    url = f"{site}/gone"
    delivery = desk.driver.command(CAROL, "/factcheck", f"ingest {url}", channel=DESK)
    assert delivery.acked
    anchor = desk.slack.wait_for(lambda: desk.slack.messages_in(DESK), description="anchor")[0]
    text = _reply_text(desk, anchor["ts"])
    assert text == FETCH_FAILED.format(
        url=f"<{url}>", reason=STATUS.format(status=404, reason="Not Found")
    )
    assert tickets(desk) == []
