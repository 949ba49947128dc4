"""Issue 11: Slack outages, dropped connections and dead intakes lose nothing and double nothing.

Each test breaks Slack (or the database) through the stand-in, then lets one dispatcher pass
run after recovery, and checks what the newsroom sees: every ticket has exactly one card,
every card shows its ticket's state, and no thread message was posted twice.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select

from bot.catchup import catch_up
from bot.localslack.blockkit import visible_text
from bot.localslack.web_api import ALICE, CAROL, DESK, DROP_STATUS, SlackStandIn
from bot.outbox import WORKING_REACTION, deliver_owed
from bot.render.ids import MESSAGE_SHORTCUT_CALLBACK, ticket_id_of_block
from bot.render.messages import APOLOGY, CLAIMED, INGEST_DUPLICATE
from bot.render.thread import FETCH_FAILED, chunk_tickets
from bot.scheduler import DeskClock
from bot.services import Services, utc_now
from storage.articles import claim_article_intake
from storage.db import make_engine, session_scope
from storage.models import Article, SlackOutbox
from storage.outbox import pending_rows
from tests.desk.helpers import (
    ARTICLE,
    Desk,
    articles,
    catch_up_on_two_replicas,
    paste,
    thread_replies,
    tickets,
)
from tests.desk.news_site import PAGES
from tests.waiting import wait_until

WAIT = 10.0  # seconds: generous under a loaded CI machine; the tests wait on conditions


def cards_in(message: dict[str, Any]) -> set[int]:
    """The tickets whose cards a thread message shows (read from its block ids)."""
    found = (ticket_id_of_block(str(b.get("block_id", ""))) for b in message.get("blocks") or [])
    return {tid for tid in found if tid}


# Retries soon enough for a quick test, late enough for the test to see the outage first.
FAST = {"outbox_retry_seconds": 0.2, "intake_lease_seconds": 1}


def recover(services: Services) -> None:
    """Once every failed row is handed back and due, ONE dispatcher pass delivers everything."""
    wait_until(
        lambda: _handed_back(services),
        timeout=WAIT,
        description="the failed deliveries handed back",
    )
    due = max(row.next_attempt_at for row in _owed(services))
    wait_until(lambda: services.clock() >= due, timeout=WAIT, description="the retry time")
    deliver_owed(services)
    assert not _owed(services), "one pass after recovery left messages owed"


def _due(services: Services) -> bool:
    return all(row.next_attempt_at <= services.clock() for row in _owed(services))


def _handed_back(services: Services) -> bool:
    rows = _owed(services)
    return bool(rows) and all(row.lease_owner is None and row.last_error for row in rows[:1])


def _owed(services: Services) -> list[SlackOutbox]:
    with session_scope(services.engine) as session:
        return pending_rows(session)


def assert_one_card_each(desk: Desk, article_ts: str) -> list[dict[str, Any]]:
    """Every ticket's card is in exactly one thread message, posted once, showing its state."""
    slack = desk.slack
    stored = tickets(desk)
    replies = [m for m in thread_replies(slack, article_ts) if m.get("blocks")]
    assert len(replies) == len(chunk_tickets(stored))
    for ticket in stored:
        homes = [m for m in replies if ticket.id in cards_in(m)]
        assert len(homes) == 1, f"ticket #{ticket.id} shows in {len(homes)} messages"
        assert ticket.card_ts == homes[0]["ts"]
        if ticket.assignee:
            assert f"<@{ticket.assignee}>" in visible_text(homes[0]["blocks"])
    posted = [
        c
        for c in slack.calls("chat.postMessage")
        if c.args.get("thread_ts") == article_ts and c.args.get("blocks")
    ]
    accepted = [c for c in posted if c.response.get("ok")]
    assert len(accepted) == len(replies), "a thread message was posted twice"
    assert WORKING_REACTION not in slack.reactions_on(DESK, article_ts)
    return replies


def test_tickets_stored_during_a_slack_outage_get_their_cards_once(
    make_desk: Callable[..., Desk],
) -> None:
    """Failure 1: Slack answers 5xx while the article comes in; nothing completed the thread."""
    desk = make_desk(**FAST)
    slack = desk.slack
    slack.server_error_next("chat.postMessage", times=3)  # the SDK's two retries fail too
    message = desk.driver.say(CAROL, DESK, ARTICLE)
    wait_until(lambda: _handed_back(desk.services), timeout=WAIT, description="the refusal")
    assert articles(desk)[0].intake_status == "ready"
    assert thread_replies(slack, message["ts"]) == []
    assert WORKING_REACTION in slack.reactions_on(DESK, message["ts"])

    recover(desk.services)
    assert_one_card_each(desk, message["ts"])


def test_a_post_slack_took_but_never_answered_is_not_posted_again(
    make_desk: Callable[..., Desk],
) -> None:
    """Failure 1, dropped connections: Slack posted the cards, the answer never came back."""
    desk = make_desk(**FAST)
    slack = desk.slack
    slack.drop_next("chat.postMessage", after=True)
    message = desk.driver.say(CAROL, DESK, ARTICLE)
    wait_until(lambda: _handed_back(desk.services), timeout=WAIT, description="the dropped answer")
    assert len(thread_replies(slack, message["ts"])) == 1  # Slack has it; the bot does not know

    recover(desk.services)
    assert_one_card_each(desk, message["ts"])
    assert slack.calls("conversations.replies"), "the thread was looked at before posting again"


def test_a_claim_saved_while_chat_update_fails_reaches_its_card(
    make_desk: Callable[..., Desk],
) -> None:
    """Failure 3: the card stayed "Open · unclaimed"; the checker was told it failed."""
    desk = make_desk(**FAST)
    slack = desk.slack
    message = desk.driver.say(CAROL, DESK, ARTICLE)
    wait_until(lambda: thread_replies(slack, message["ts"]), timeout=WAIT, description="the thread")
    slack.server_error_next("chat.update", times=3)  # the SDK's two retries fail too
    assert claim_answer(desk, 1) == CLAIMED.format(ids="#1")
    wait_until(
        lambda: _handed_back(desk.services),
        timeout=WAIT,
        description="the refused update handed back",
    )
    slack.drop_next("chat.update")  # then the connection drops: was it applied?
    wait_until(lambda: _due(desk.services), timeout=WAIT, description="the retry time")
    assert claim_answer(desk, 2) == CLAIMED.format(ids="#2")
    wait_until(
        lambda: [c for c in slack.calls("chat.update") if c.status == DROP_STATUS],
        timeout=WAIT,
        description="drop",
    )
    wait_until(
        lambda: _handed_back(desk.services),
        timeout=WAIT,
        description="the dropped update handed back",
    )
    assert f"<@{ALICE}>" not in visible_text(thread_replies(slack, message["ts"])[0]["blocks"])

    recover(desk.services)
    assert_one_card_each(desk, message["ts"])
    assert [t.assignee for t in tickets(desk)][:2] == [ALICE, ALICE]


def claim_answer(desk: Desk, ticket_id: int) -> str:
    delivery = desk.driver.command(ALICE, "/factcheck", f"claim {ticket_id}", channel=DESK)
    answer = desk.slack.wait_for(
        lambda: desk.slack.responses(delivery.response_url), timeout=WAIT, description="answer"
    )
    return answer[0].text


def _stuck_intake(desk: Desk, ts: str) -> None:
    """An intake claimed by a process that died at once: `processing`, no tickets, old lease."""
    lease = timedelta(seconds=desk.services.settings.intake_lease_seconds)
    with session_scope(desk.services.engine) as session:
        claim_article_intake(
            session,
            team=desk.slack.team_id,
            channel=DESK,
            ts=ts,
            now=desk.services.clock() - 2 * lease,
            text=ARTICLE,
            posted_by=CAROL,
        )


def test_slacks_retry_of_a_stuck_article_finishes_it(make_desk: Callable[..., Desk]) -> None:
    """Failure 2: the retry was taken as a duplicate; the article stayed without tickets."""
    desk = make_desk(**FAST)
    posted = desk.slack.post_as_user(CAROL, DESK, ARTICLE)
    _stuck_intake(desk, posted["ts"])
    from bot.localslack import payloads

    event = payloads.message_event(user=CAROL, channel=DESK, text=ARTICLE, ts=posted["ts"])
    desk.driver.event(event)
    wait_until(
        lambda: thread_replies(desk.slack, posted["ts"]), timeout=WAIT, description="the thread"
    )
    wait_until(lambda: not _owed(desk.services), timeout=WAIT, description="the whole thread")
    assert_one_card_each(desk, posted["ts"])


def test_the_shortcut_finishes_a_stuck_article_instead_of_calling_it_a_duplicate(
    make_desk: Callable[..., Desk],
) -> None:
    """Failure 2: the shortcut answered "already on the desk" for an article with no tickets."""
    desk = make_desk(**FAST)
    posted = desk.slack.post_as_user(CAROL, DESK, ARTICLE)
    _stuck_intake(desk, posted["ts"])
    delivery = desk.driver.shortcut(ALICE, posted, MESSAGE_SHORTCUT_CALLBACK, channel=DESK)
    wait_until(
        lambda: thread_replies(desk.slack, posted["ts"]), timeout=WAIT, description="the thread"
    )
    wait_until(lambda: not _owed(desk.services), timeout=WAIT, description="the whole thread")
    assert_one_card_each(desk, posted["ts"])
    assert all(r.text != INGEST_DUPLICATE for r in desk.slack.responses(delivery.response_url))


def test_a_dead_intake_is_finished_by_the_clock(make_desk: Callable[..., Desk]) -> None:
    """Failure 2: nobody retries (no Slack retry, no shortcut): the next tick finishes it."""
    desk = make_desk(**FAST)
    posted = desk.slack.post_as_user(CAROL, DESK, ARTICLE)
    _stuck_intake(desk, posted["ts"])
    DeskClock(desk.services, reminders=False).outbox_tick()
    assert_one_card_each(desk, posted["ts"])


def test_a_failed_link_intake_runs_again_from_the_shortcut(
    make_desk: Callable[..., Desk], site: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Failure 2: a link that could not be read could never be read again."""
    desk = make_desk(**FAST)
    monkeypatch.setitem(PAGES, "/later", (503, "text/html", ""))
    message = desk.driver.say(CAROL, DESK, f"<{site}/later>")
    [failure] = wait_until(
        lambda: thread_replies(desk.slack, message["ts"]), timeout=WAIT, description="failure"
    )
    assert FETCH_FAILED.split("{")[0] in failure["text"]
    assert articles(desk)[0].intake_status == "failed"

    monkeypatch.setitem(PAGES, "/later", PAGES["/story"])  # the site is back
    delivery = desk.driver.shortcut(CAROL, message, MESSAGE_SHORTCUT_CALLBACK, channel=DESK)
    wait_until(
        lambda: len(thread_replies(desk.slack, message["ts"])) > 1,
        timeout=WAIT,
        description="the cards",
    )
    wait_until(lambda: not _owed(desk.services), timeout=WAIT, description="the whole thread")
    assert articles(desk)[0].intake_status == "ready"
    assert tickets(desk)
    assert all(r.text != INGEST_DUPLICATE for r in desk.slack.responses(delivery.response_url))


def test_articles_pasted_while_the_bot_was_down_are_caught_up_once(
    make_desk: Callable[..., Desk],
) -> None:
    """Failure 6: only Slack's retries could bring in what was posted while the bot was down."""
    desk = make_desk(**FAST, channels=[DESK])
    seen = desk.driver.say(CAROL, DESK, ARTICLE)
    wait_until(
        lambda: not _owed(desk.services) and tickets(desk),
        timeout=WAIT,
        description="the first article",
    )
    missed = [
        desk.slack.post_as_user(CAROL, DESK, ARTICLE.replace("council", f"board {n}"))
        for n in range(2)
    ]
    desk.slack.post_as_user(ALICE, DESK, "lunch?")  # chat, not an article

    # Two replicas start at once: each missed article is taken in once.
    assert catch_up_on_two_replicas(desk) == 2
    wait_until(lambda: not _owed(desk.services), timeout=WAIT, description="the threads")
    for message in (seen, *missed):
        assert_one_card_each_in(desk, message["ts"])
    assert catch_up(desk.services) == 0
    history = desk.slack.calls("conversations.history")
    assert all(c.args.get("oldest") for c in history)


def assert_one_card_each_in(desk: Desk, article_ts: str) -> None:
    with session_scope(desk.services.engine) as session:
        article = session.scalars(select(Article).where(Article.ts == article_ts)).one()  # type: ignore[arg-type]
    assert article.intake_status == "ready"
    replies = [m for m in thread_replies(desk.slack, article_ts) if m.get("blocks")]
    assert replies
    assert all(m.get("bot_id") for m in replies)


def test_a_paste_that_met_a_database_outage_is_ingested_when_it_is_back(
    make_desk: Callable[..., Desk], tmp_path: Any, slack: SlackStandIn
) -> None:
    """Failure 6: the reporter got an apology and nothing retried."""
    desk = make_desk(**FAST)
    services = desk.services
    working = services.engine
    services.engine = make_engine(f"sqlite:///{tmp_path}/missing/dir/factcheck.db")
    try:
        message = desk.driver.say(CAROL, DESK, ARTICLE)
        wait_until(lambda: slack.ephemerals_to(CAROL), timeout=WAIT, description="the apology")
        assert APOLOGY in slack.ephemerals_to(CAROL)[0].text
    finally:
        services.engine.dispose()
        services.engine = working
    assert articles(desk) == []
    DeskClock(services, reminders=False).outbox_tick()
    assert_one_card_each(desk, message["ts"])


def _all_rows(services: Services) -> list[SlackOutbox]:
    with session_scope(services.engine) as session:
        return list(session.scalars(select(SlackOutbox).order_by(SlackOutbox.id)))  # type: ignore[arg-type]


def test_delivered_messages_are_forgotten_after_retention_and_the_desk_goes_on(
    make_desk: Callable[..., Desk],
) -> None:
    """Sent outbox rows were kept for ever; only what Slack took long ago may go."""
    desk = make_desk(**FAST, outbox_retention_days=14)
    slack, services = desk.slack, desk.services
    first, _ = paste(desk)
    # The thread and the :eyes: removal are owed in the transaction that stores the tickets,
    # and recorded as sent only after Slack took them: wait for what Carol sees, then for the
    # records, so that every row of this article is sent before the clock moves on.
    slack.wait_for(
        lambda: WORKING_REACTION not in slack.reactions_on(DESK, first["ts"]),
        timeout=WAIT,
        description=":eyes: removed",
    )
    wait_until(lambda: not _owed(services), timeout=WAIT, description="the thread recorded sent")
    old = [row.id for row in _all_rows(services)]

    services.clock = lambda: utc_now() + timedelta(days=15)  # the desk, two weeks later
    assert claim_answer(desk, 1) == CLAIMED.format(ids="#1")
    wait_until(lambda: not _owed(services), timeout=WAIT, description="card #1 updated")
    recent = [row.id for row in _all_rows(services) if row.id not in old]
    slack.server_error_next("chat.update", times=3)  # the SDK's two retries fail too
    assert claim_answer(desk, 2) == CLAIMED.format(ids="#2")
    wait_until(lambda: _handed_back(services), timeout=WAIT, description="card #2 owed")
    owed = [row.id for row in _owed(services)]

    DeskClock(services, reminders=False).prune_tick()
    left = _all_rows(services)
    assert [row.id for row in left] == recent + owed
    assert {row.status for row in left} == {"sent", "pending"}

    # The desk goes on: the owed update reaches its card, and a post whose answer is lost
    # is looked for in its thread (by outbox id) and not posted twice.
    recover(services)
    assert_one_card_each(desk, first["ts"])
    assert [t.assignee for t in tickets(desk)][:2] == [ALICE, ALICE]
    slack.drop_next("chat.postMessage", after=True)
    second = desk.driver.say(CAROL, DESK, ARTICLE.replace("council", "board"))
    wait_until(lambda: _handed_back(services), timeout=WAIT, description="the dropped answer")
    recover(services)
    replies = thread_replies(slack, second["ts"])
    posted = [
        c
        for c in slack.calls("chat.postMessage")
        if c.args.get("thread_ts") == second["ts"] and c.response.get("ok")
    ]
    assert replies
    assert len(posted) == len(replies), "a thread message was posted twice"
    assert not set(old) & {row.id for row in _all_rows(services)}
