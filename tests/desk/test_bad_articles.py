"""Articles with nothing ordinary in them get a sensible thread or a clear line, never an error."""

from __future__ import annotations

import pytest
from sqlmodel import select

from bot.desk.intake import INTERNAL_FAILURE
from bot.localslack.blockkit import visible_text
from bot.localslack.web_api import CAROL, DESK
from bot.render.thread import NOTHING_FOUND
from storage.db import session_scope
from storage.models import Article
from tests.desk.helpers import SUBJECTS, Desk, assert_block_kit_clean, thread_replies, tickets
from tests.desk.news_site import PAGES

ONLY_QUOTES = "\n\n".join(
    [
        '"We will open the new bridge before the winter storms arrive," said Ines Carvalho, '
        "the city engineer.",
        '"Nobody asked the fishermen what they needed from the harbour," said Tomas Berg, '
        "who chairs the fishing cooperative.",
        '"The money was promised three years ago and we are still waiting for it," '
        "said Mayor Lena Holt.",
    ]
)
ONLY_HEADLINES = "\n".join(
    [
        "Harbour Bridge Repairs Will Cost $310 Million",
        "Council Votes 7-2 To Borrow For Repairs",
        "Fishermen Say Nobody Asked Them",
        "Mayor Promises Work Before Winter",
        "Storm Season Starts In Six Weeks",
        "Opposition Calls For Independent Audit",
        "Ferry Timetable Changes From Monday",
    ]
)
NO_SENTENCES = "\n".join(["—— ✦ ——", "🌊 🌊 🌊 🌊 🌊", "|  |  |  |", "* * * * *"] * 20)


def _one_megabyte_page() -> str:
    paragraphs: list[str] = []
    size, n = 0, 0
    while size < 1_000_000:
        who, what = SUBJECTS[n % len(SUBJECTS)]
        paragraph = (
            f"<p>{who} spent {n * 3 + 7} million euros on {what} in district {n}, "
            f"{n % 90 + 3} percent more than planned, according to audit report {n * 7}.</p>"
        )
        paragraphs.append(paragraph)
        size += len(paragraph)
        n += 1
    return f"<html><head><title>Audit</title></head><body><article>{''.join(paragraphs)}</article></body></html>"


def _thread_text(desk: Desk, ts: str) -> str:
    desk.slack.wait_for(
        lambda: thread_replies(desk.slack, ts), description="thread reply", timeout=20
    )
    desk.slack.wait_for_call("reactions.remove", timeout=20)  # the intake has finished
    return "\n".join(
        visible_text(r.get("blocks") or []) or r.get("text", "")
        for r in thread_replies(desk.slack, ts)
    )


def _intake_status(desk: Desk) -> str:
    with session_scope(desk.services.engine) as session:
        (article,) = session.scalars(select(Article)).all()
        return article.intake_status


@pytest.mark.parametrize(
    ("text", "expected"),
    [(ONLY_HEADLINES, NOTHING_FOUND), (NO_SENTENCES, NOTHING_FOUND)],
    ids=["only-headlines", "no-sentences"],
)
def test_an_article_with_nothing_to_check_says_so(desk: Desk, text: str, expected: str) -> None:
    message = desk.driver.say(CAROL, DESK, text)
    shown = _thread_text(desk, message["ts"])
    assert expected in shown
    assert INTERNAL_FAILURE not in shown
    assert tickets(desk) == []
    assert _intake_status(desk) == "ready"
    assert_block_kit_clean(desk.slack)


def test_an_article_of_only_quotes_files_the_quotes(desk: Desk) -> None:
    message = desk.driver.say(CAROL, DESK, ONLY_QUOTES)
    shown = _thread_text(desk, message["ts"])
    assert INTERNAL_FAILURE not in shown
    rows = tickets(desk)
    assert [t.kind for t in rows] == ["quote"] * 3
    assert {t.speaker for t in rows} == {"Ines Carvalho", "Tomas Berg", "Lena Holt"}
    assert "Also worth a look" not in shown
    assert_block_kit_clean(desk.slack)


def test_a_one_megabyte_page_gets_a_bounded_thread(
    desk: Desk,
    site: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(PAGES, "/audit", (200, "text/html; charset=utf-8", _one_megabyte_page()))
    message = desk.driver.say(CAROL, DESK, f"<{site}/audit>")
    shown = _thread_text(desk, message["ts"])
    assert INTERNAL_FAILURE not in shown
    claims = [t for t in tickets(desk) if t.kind == "claim"]
    assert 0 < len(claims) <= desk.services.settings.max_claims
    assert "Also worth a look" in shown
    assert _intake_status(desk) == "ready"
    assert_block_kit_clean(desk.slack)
