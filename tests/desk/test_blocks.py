"""The Block Kit toolkit: one escape, one link, one bar, and the surfaces that share them."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from bot.render import ids
from bot.render.blocks import escape, link, plural, progress_bar
from bot.render.cards import BUTTON_FLAG, BUTTON_RELEASE, BUTTON_VERIFY, sentence_before
from bot.render.desk_lines import article_name, load_line, progress_line
from bot.render.digest import render_digest
from bot.render.home import HomeData, render_home
from bot.render.reminders import ReminderItem, render_reminder
from storage.digest_figures import ArticleProgress, CheckerLoad, DigestFigures

NOW = datetime(2025, 3, 3, 10, 0, tzinfo=UTC)


def test_text_from_people_shows_literally_in_mrkdwn() -> None:
    assert escape("<@U1> & <!channel>") == "&lt;@U1&gt; &amp; &lt;!channel&gt;"
    assert (
        link("https://news.example.com/a?b=1")
        == "<https://news.example.com/a?b=1|news.example.com>"
    )
    assert link("https://x.example/p", "Tax <cuts> & more") == (
        "<https://x.example/p|Tax &lt;cuts&gt; &amp; more>"
    )
    assert link(None, "Budget & speech") == "Budget &amp; speech"


def test_the_progress_bar_stays_inside_its_cells_whatever_the_counts() -> None:
    assert progress_bar(4, 10) == "▓▓▓▓░░░░░░ 4/10"
    assert progress_bar(0, 0) == "░░░░░░░░░░ 0/0"
    # A reopened ticket counted twice must not draw a bar longer than the article.
    assert progress_bar(7, 5).split()[0] == "▓" * 10
    assert progress_bar(-1, 5).split()[0] == "░" * 10
    assert progress_bar(3, 6, cells=4) == "▓▓░░ 3/6"


def test_plural() -> None:
    assert plural(1, "claim") == "1 claim"
    assert plural(3, "claim") == "3 claims"
    assert plural(2, "reply", "replies") == "2 replies"


def test_the_reminder_dm_buttons_are_the_cards_verbs() -> None:
    item = ReminderItem(7, "claim", "GDP grew 4%", NOW, None, "Budget")
    message = render_reminder([item], now=NOW)
    buttons = [
        element
        for block in message.blocks
        if block["type"] == "actions"
        for element in block["elements"]
    ]
    labels = [b["text"]["text"] for b in buttons if b["action_id"].startswith("ticket_")]
    assert labels == [BUTTON_VERIFY, BUTTON_FLAG, BUTTON_RELEASE]
    assert [b["action_id"] for b in buttons[:3]] == [
        ids.ACTION_VERIFY,
        ids.ACTION_FLAG,
        ids.ACTION_RELEASE,
    ]


def test_home_and_digest_show_the_same_desk_lines() -> None:
    load = CheckerLoad("U0ALICE", claimed=3, overdue=1)
    article = ArticleProgress(4, "Road budget", "https://x.example/p/4", done=2, total=5)
    figures = DigestFigures(
        channel=None,
        since=NOW,
        now=NOW,
        open=2,
        claimed=3,
        overdue=1,
        new_articles=1,
        new_tickets=5,
        verified_since=2,
        flagged_since=0,
        dismissed_since=0,
        flagged=[],
        overdue_tickets=[],
        load=[load],
        progress=[article],
        articles_in_progress=1,
    )
    home = render_home(
        HomeData(
            user_id="U0ED",
            now=NOW,
            mine=[],
            queue=[],
            queue_total=0,
            figures=figures,
            is_editor=True,
        )
    )
    digest = render_digest(figures, zone=ZoneInfo("UTC"))
    home_text = str(home["blocks"])
    digest_text = str(digest.blocks)
    for line in (load_line(load), progress_line(article)):
        assert line in home_text
        assert line in digest_text
    assert "<@U0ALICE>: 3 claimed, 1 overdue" in digest_text
    assert "`▓▓▓▓░░░░░░ 2/5` <https://x.example/p/4|Road budget>" in home_text


def test_an_article_is_named_by_its_title_or_first_line_never_a_number_when_it_has_one() -> None:
    pasted = "City approves record road budget\n\nThe council approved $48 million on Tuesday."
    assert article_name(None, 4, pasted) == "City approves record road budget"
    assert article_name("Budget & potholes", 4, pasted) == "Budget & potholes"
    assert article_name(None, 4, "<https://news.example/a|Road budget passes>\nmore") == (
        "Road budget passes"
    )
    body_only = "The council approved a budget " * 10
    assert article_name(None, 4, body_only) == "Article 4"


def test_a_card_shows_the_sentence_before_its_ticket() -> None:
    text = (
        "Road budget passes\n\nThe council approved $48 million on Tuesday. It is the largest "
        'since 2009.\n\n"We waited eight years," said Maria Lopez.'
    )
    assert sentence_before(text, text.index("It is the largest")) == (
        "The council approved $48 million on Tuesday."
    )
    assert sentence_before(text, text.index("We waited")) == "It is the largest since 2009."
    assert sentence_before(text, text.index("The council")) == "Road budget passes"
    assert sentence_before(text, 0) is None
    long_before = "word " * 100 + ". Next."
    shown = sentence_before(long_before, long_before.index("Next"))
    assert shown is not None
    assert shown.startswith("…")
    assert len(shown) <= 161
