"""With FACTCHECK_CHANNELS empty, catch-up reads every channel the bot is in, not only those
that already took an article: a desk's first article, posted while the bot was down, is filed.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import select

from bot.catchup import CHANNELS_UNLISTED, catch_up
from bot.localslack.web_api import CAROL, DESK, NEWSROOM, RANDOM, SlackStandIn
from bot.manifest import BOT_SCOPES
from bot.render.ids import ticket_id_of_block
from storage.db import session_scope
from storage.models import Article, SlackOutbox, Ticket
from storage.outbox import pending_rows
from tests.desk.helpers import ARTICLE, LONG_ARTICLE, Desk, catch_up_on_two_replicas, tickets
from tests.slack.bot_process import BotProcess
from tests.waiting import wait_until

WAIT = 10.0  # seconds: generous under a loaded CI machine; the tests wait on conditions


def _owed(engine: Engine) -> list[SlackOutbox]:
    with session_scope(engine) as session:
        return pending_rows(session)


def _tickets_of(engine: Engine, channel: str, ts: str) -> list[Ticket]:
    with session_scope(engine) as session:
        article = session.scalars(
            select(Article).where(Article.channel == channel, Article.ts == ts)
        ).one_or_none()
        if article is None:
            return []
        return list(session.scalars(select(Ticket).where(Ticket.article_id == article.id)))


def _cards_shown(slack: SlackStandIn, channel: str, ts: str) -> list[int]:
    """The ticket ids whose cards the bot's thread messages show, once per message showing one."""
    shown: list[int] = []
    for message in slack.messages_in(channel, thread_ts=ts):
        if message["ts"] == ts or not message.get("bot_id"):
            continue
        found = {
            ticket_id_of_block(str(b.get("block_id", ""))) for b in message.get("blocks") or []
        }
        shown += [tid for tid in found if tid]
    return sorted(shown)


def test_a_channels_first_article_posted_while_the_bot_was_down_is_filed_once(
    make_desk: Callable[..., Desk],
) -> None:
    desk = make_desk()  # FACTCHECK_CHANNELS empty: every channel the bot is in
    slack, engine = desk.slack, desk.services.engine
    assert desk.services.settings.channels == []
    for n in range(4):  # more channels than one page of the bot's channel list holds
        slack.add_channel(f"quiet-{n}")
    private = slack.add_channel("investigations", is_private=True)
    slack.list_page_cap = 2

    # The bot is down: nothing reaches it, and no channel has taken an article yet.
    public_first = slack.post_as_user(CAROL, NEWSROOM, ARTICLE)
    private_first = slack.post_as_user(CAROL, private, LONG_ARTICLE)
    slack.post_as_user(CAROL, RANDOM, ARTICLE)  # the bot is not in #random
    slack.post_as_user(CAROL, DESK, "lunch?")  # chat, not an article

    assert catch_up_on_two_replicas(desk) == 2
    wait_until(lambda: not _owed(engine), timeout=WAIT, description="the threads")
    for channel, message in ((NEWSROOM, public_first), (private, private_first)):
        filed = _tickets_of(engine, channel, message["ts"])
        assert filed
        assert _cards_shown(slack, channel, message["ts"]) == sorted(t.id or 0 for t in filed)
    assert len(tickets(desk)) == sum(
        len(_tickets_of(engine, c, m["ts"]))
        for c, m in ((NEWSROOM, public_first), (private, private_first))
    )

    # Started again (a deploy): nothing is filed twice.
    filed_before = len(tickets(desk))
    assert catch_up(desk.services) == 0
    assert len(tickets(desk)) == filed_before
    listed = slack.calls("users.conversations")
    assert any(c.args.get("cursor") for c in listed), "the channel list was read page by page"
    read = {c.args.get("channel") for c in slack.calls("conversations.history")}
    assert {NEWSROOM, private, DESK} <= read
    assert RANDOM not in read


def test_without_the_channel_scopes_catch_up_reads_the_channels_articles_came_from(
    make_desk: Callable[..., Desk], caplog: pytest.LogCaptureFixture
) -> None:
    """An app installed from an older manifest lacks channels:read and groups:read."""
    desk = make_desk()
    slack, engine = desk.slack, desk.services.engine
    slack.granted_scopes = set(BOT_SCOPES) - {"channels:read", "groups:read"}
    seen = desk.driver.say(CAROL, DESK, ARTICLE)
    wait_until(
        lambda: not _owed(engine) and tickets(desk),
        timeout=WAIT,
        description="the first article",
    )
    missed = slack.post_as_user(CAROL, DESK, LONG_ARTICLE)
    slack.post_as_user(CAROL, NEWSROOM, ARTICLE.replace("council", "board"))

    with caplog.at_level(logging.WARNING, logger="bot.catchup"):
        assert catch_up(desk.services) == 1
    warnings = [r.getMessage() for r in caplog.records if r.name == "bot.catchup"]
    assert warnings == [CHANNELS_UNLISTED % "missing_scope"]
    wait_until(lambda: not _owed(engine), timeout=WAIT, description="the thread")
    assert _tickets_of(engine, DESK, missed["ts"])
    assert _tickets_of(engine, DESK, seen["ts"])
    read = {c.args.get("channel") for c in slack.calls("conversations.history")}
    assert read == {DESK}


def test_a_bot_started_after_a_channels_first_article_files_it(
    slack: SlackStandIn, engine: Engine, database_url: str, tmp_path: Path
) -> None:
    """`factcheck run` as a deploy starts it: the article came while no process was running."""
    first = slack.post_as_user(CAROL, NEWSROOM, ARTICLE)
    env = {
        "FACTCHECK_SCHEDULER": "off",
        "FACTCHECK_EXTRACTOR": "rules",
        "FACTCHECK_MIN_ARTICLE_CHARS": "200",
        "FACTCHECK_OUTBOX_SECONDS": "0.2",
    }
    bot = BotProcess("http", slack, database_url, tmp_path, env=env)
    try:
        bot.wait_healthy()
        wait_until(
            lambda: _tickets_of(engine, NEWSROOM, first["ts"]) and not _owed(engine),
            timeout=45,
            description="the article's tickets and thread",
        )
    finally:
        bot.stop(timeout=15)
    filed = _tickets_of(engine, NEWSROOM, first["ts"])
    assert _cards_shown(slack, NEWSROOM, first["ts"]) == sorted(t.id or 0 for t in filed)
