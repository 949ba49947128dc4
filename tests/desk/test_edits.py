"""A reporter edits or deletes the pasted article: what the thread and the cards then say."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from sqlmodel import col, select

from bot.desk.edits import resume_stalled_edits
from bot.localslack import payloads
from bot.localslack.blockkit import visible_text
from bot.localslack.web_api import ALICE, CAROL, DESK
from storage.db import session_scope
from storage.edit_jobs import remember_edit
from storage.models import ArticleEditJob, AuditEvent
from tests.desk.helpers import (
    ARTICLE,
    Desk,
    articles,
    assert_block_kit_clean,
    only_card,
    paste,
    thread_replies,
    tickets,
    wait_idle,
)

COUNCIL = " The council has 45 members, and 31 voted in favour of the budget."
DEBT = "The city's debt rose to $1.8 billion last year, up 40 percent in five years, the audit office said."
# The council's vote is cut; a paragraph on the city's debt is added.
REWRITTEN = ARTICLE.replace(COUNCIL, "") + f"\n{DEBT}\n"


def _bot_replies(desk: Desk, ts: str) -> list[str]:
    return [
        visible_text(m.get("blocks") or []) or m["text"] for m in thread_replies(desk.slack, ts)
    ]


def _reply_saying(desk: Desk, ts: str, words: str) -> str:
    found = desk.slack.wait_for(
        lambda: next((text for text in _bot_replies(desk, ts) if words in text), None),
        description=f"a thread reply saying {words!r}",
    )
    assert found is not None
    return found


def _card(desk: Desk, ts: str, ticket_id: int) -> str:
    """What ticket `ticket_id`'s card in thread message `ts` shows now ("" when it has none)."""
    message = desk.slack.message(DESK, ts)
    return visible_text(only_card(message, ticket_id)["blocks"]) if message else ""


def _card_saying(desk: Desk, ts: str, ticket_id: int, words: str) -> str:
    """Ticket `ticket_id`'s card once it shows `words`."""
    return desk.slack.wait_for(
        lambda: (lambda card: card if words in card else "")(_card(desk, ts, ticket_id)),
        description=f"#{ticket_id}'s card saying {words!r}",
    )


def _ticket_id(desk: Desk, words: str) -> int:
    return next(t.id for t in tickets(desk) if words in t.text and t.id is not None)


def _audit(desk: Desk, action: str) -> list[AuditEvent]:
    with session_scope(desk.services.engine) as session:
        return list(session.scalars(select(AuditEvent).where(col(AuditEvent.action) == action)))


def test_an_edit_files_what_is_new_and_marks_what_left(desk: Desk) -> None:
    message, replies = paste(desk)
    council = _ticket_id(desk, "31 voted in favour")
    assert len(tickets(desk)) == 6

    desk.driver.edit(CAROL, DESK, message["ts"], REWRITTEN)

    summary = _reply_saying(desk, message["ts"], "Article edited")
    assert summary.endswith(
        f"Article edited: 1 new ticket (#7); 1 no longer in the text (#{council})"
    )
    debt = next(t for t in tickets(desk) if t.id == 7)
    assert debt.text == DEBT
    assert debt.status == "open"
    # The vanished ticket stays open with its buttons, and its card says why it may not matter.
    assert next(t for t in tickets(desk) if t.id == council).status == "open"
    card = _card_saying(desk, replies[0]["ts"], council, "No longer in the article (edited")
    assert "Claim" in card
    # The new ticket has its card in the article's thread, like the others.
    new_card = _card_saying(desk, replies[0]["ts"], 7, "Claim")
    assert "city's debt rose to $1.8 billion" in new_card
    (gone,) = _audit(desk, "gone_from_text")
    assert (gone.ticket_id, gone.actor) == (council, CAROL)
    assert articles(desk)[0].text == REWRITTEN
    assert_block_kit_clean(desk.slack)


def test_putting_a_sentence_back_clears_its_mark_and_files_nothing_twice(desk: Desk) -> None:
    message, replies = paste(desk)
    council = _ticket_id(desk, "31 voted in favour")
    desk.driver.edit(CAROL, DESK, message["ts"], REWRITTEN)
    _reply_saying(desk, message["ts"], "Article edited")

    desk.driver.edit(CAROL, DESK, message["ts"], ARTICLE)

    restored = _reply_saying(desk, message["ts"], "back in the text")
    assert restored.endswith(
        f"Article edited: 1 no longer in the text (#7); 1 back in the text (#{council})"
    )
    assert len(tickets(desk)) == 7
    _card_saying(desk, replies[0]["ts"], 7, "No longer in the article")
    assert "No longer in the article" not in _card(desk, replies[0]["ts"], council)
    assert [a.actor for a in _audit(desk, "back_in_text")] == [CAROL]


def test_an_edit_made_while_the_article_is_read_waits_for_its_cards(desk: Desk) -> None:
    hold = desk.slack.hold_next("reactions.add")  # the intake's first call, after its claim
    message = desk.driver.say(CAROL, DESK, ARTICLE)
    hold.arrived.wait(5)
    desk.driver.edit(CAROL, DESK, message["ts"], REWRITTEN)
    hold.release()

    summary = _reply_saying(desk, message["ts"], "Article edited")
    assert summary.endswith("Article edited: 1 new ticket (#7); 1 no longer in the text (#3)")
    assert [t.id for t in tickets(desk)] == list(range(1, 8))


def test_a_typo_fix_or_a_link_unfurl_says_nothing(desk: Desk) -> None:
    typo = ARTICLE.replace("national statistics office", "national statistcs office")
    message, _ = paste(desk, typo)
    filed = [(t.id, t.text) for t in tickets(desk)]

    desk.driver.edit(CAROL, DESK, message["ts"], ARTICLE)
    # Slack's own change (an unfurl, a reply count): the text is what it was.
    desk.driver.event(
        payloads.message_changed_event(
            channel=DESK, user=CAROL, ts=message["ts"], old_text=ARTICLE, new_text=ARTICLE
        )
    )
    wait_idle(desk)

    assert len(thread_replies(desk.slack, message["ts"])) == 1  # the cards, nothing more
    assert [(t.id, t.text) for t in tickets(desk)] == filed
    assert all(t.gone_at is None for t in tickets(desk))
    assert articles(desk)[0].text == ARTICLE  # stored silently: the next edit compares with it


def test_a_retried_edit_on_two_replicas_is_filed_once(make_desk: Callable[..., Desk]) -> None:
    desk, other = make_desk(), make_desk()
    message, _ = paste(desk)
    edited = ARTICLE.replace("and 31 voted", "and 29 voted")
    desk.slack.edit_as_user(CAROL, DESK, message["ts"], edited)
    event = payloads.message_changed_event(
        channel=DESK, user=CAROL, ts=message["ts"], old_text=ARTICLE, new_text=edited
    )
    body = payloads.event_callback(event, team_id=desk.slack.team_id)
    senders = [desk.driver.sender, other.driver.sender, desk.driver.sender, other.driver.sender]
    deliveries = [
        threading.Thread(
            target=lambda sender=sender, retry=retry: (
                sender.event(body, retry_num=retry, retry_reason="http_timeout")
                if retry
                else sender.event(body)
            )
        )
        for retry, sender in enumerate(senders)
        if sender is not None
    ]
    for delivery in deliveries:
        delivery.start()
    for delivery in deliveries:
        delivery.join()
    _reply_saying(desk, message["ts"], "Article edited")
    wait_idle(desk, other)

    summaries = [t for t in _bot_replies(desk, message["ts"]) if "Article edited" in t]
    assert len(summaries) == 1
    assert summaries[0].endswith("Article edited: 1 new ticket (#7); 1 no longer in the text (#3)")
    assert len(tickets(desk)) == 7
    assert len(_audit(desk, "gone_from_text")) == 1


def test_edits_of_messages_that_are_not_articles_do_nothing(desk: Desk) -> None:
    chat = desk.driver.say(CAROL, DESK, "Morning all, story coming in ten minutes.")
    message, _ = paste(desk)
    reply = desk.driver.say(ALICE, DESK, "I'll take the budget figure.", thread_ts=message["ts"])
    posted = len(desk.slack.calls("chat.postMessage"))

    desk.driver.edit(CAROL, DESK, chat["ts"], REWRITTEN)  # long enough to be an article now
    desk.driver.edit(ALICE, DESK, reply["ts"], REWRITTEN)  # a reply in the thread
    wait_idle(desk)

    assert len(articles(desk)) == 1
    assert len(tickets(desk)) == 6
    assert len(desk.slack.calls("chat.postMessage")) == posted


def test_a_deleted_article_keeps_its_tickets_and_says_so(desk: Desk) -> None:
    message, replies = paste(desk)
    first = tickets(desk)[0].id or 0
    desk.driver.command(ALICE, "/factcheck", f"claim {first}", channel=DESK)
    desk.slack.wait_for(lambda: tickets(desk)[0].status == "claimed", description="claimed")

    # The thread has replies, so Slack leaves a tombstone and sends message_changed.
    desk.driver.delete(CAROL, DESK, message["ts"])

    said = _reply_saying(desk, message["ts"], "original article was deleted")
    assert said.endswith("The original article was deleted; its 6 tickets stay open here.")
    card = _card_saying(desk, replies[0]["ts"], first, "Article deleted")
    assert "Verify" in card  # Alice can still finish her check
    assert "Article deleted" in _card(desk, replies[0]["ts"], first + 1)
    assert [t.status for t in tickets(desk)] == ["claimed"] + ["open"] * 5
    assert len(_audit(desk, "article_deleted")) == 6
    assert articles(desk)[0].deleted_at is not None

    # The same deletion again (a retry, or a message_deleted as well), then an edit: nothing.
    desk.driver.event(payloads.message_deleted_event(channel=DESK, ts=message["ts"]))
    desk.driver.event(
        payloads.message_changed_event(
            channel=DESK, user=CAROL, ts=message["ts"], old_text=ARTICLE, new_text=REWRITTEN
        )
    )
    wait_idle(desk)
    assert (
        len([t for t in _bot_replies(desk, message["ts"]) if "original article was deleted" in t])
        == 1
    )
    assert len(tickets(desk)) == 6
    assert_block_kit_clean(desk.slack)


def _edit_left_by_a_dead_process(
    desk: Desk, message: dict[str, Any], *, edit_ts: str | None = None
) -> None:
    """What a process that died after taking Carol's edit left behind: the edit, written down
    (as `apply_edit` writes it first) more than a lease ago, and nothing of it applied."""
    lease = timedelta(seconds=desk.services.settings.intake_lease_seconds)
    with session_scope(desk.services.engine) as session:
        article_id = articles(desk)[0].id
        assert article_id is not None
        remember_edit(
            session,
            article_id=article_id,
            edit_ts=edit_ts or f"{float(message['ts']) + 60:.6f}",
            text=REWRITTEN,
            previous_text=ARTICLE,
            edited_by=CAROL,
            now=desk.services.clock() - lease - timedelta(seconds=1),
        )


def test_an_edit_whose_process_died_is_finished_by_the_next_clock_tick(desk: Desk) -> None:
    message, _ = paste(desk)
    _edit_left_by_a_dead_process(desk, message)

    assert resume_stalled_edits(desk.services) == 1

    summary = _reply_saying(desk, message["ts"], "Article edited")
    assert summary.endswith("Article edited: 1 new ticket (#7); 1 no longer in the text (#3)")
    assert articles(desk)[0].text == REWRITTEN
    assert resume_stalled_edits(desk.services) == 0  # finished: nothing left to take


def test_two_replicas_finishing_the_same_stalled_edit_file_it_once(
    make_desk: Callable[..., Desk],
) -> None:
    desk, other = make_desk(), make_desk()
    message, _ = paste(desk)
    _edit_left_by_a_dead_process(desk, message)
    applied: list[int] = []
    replicas = [
        threading.Thread(target=lambda d=d: applied.append(resume_stalled_edits(d.services)))
        for d in (desk, other)
    ]
    for replica in replicas:
        replica.start()
    for replica in replicas:
        replica.join()
    wait_idle(desk, other)

    assert sum(applied) == 1
    assert [t.id for t in tickets(desk)] == list(range(1, 8))
    edited = [r for r in _bot_replies(desk, message["ts"]) if "Article edited" in r]
    assert len(edited) == 1


def test_a_stalled_edit_older_than_the_catch_up_window_is_given_up_with_a_warning(
    desk: Desk, caplog: pytest.LogCaptureFixture
) -> None:
    message, _ = paste(desk)
    hours = desk.services.settings.catchup_hours
    too_old = desk.services.clock() - timedelta(hours=hours + 1)
    _edit_left_by_a_dead_process(desk, message, edit_ts=f"{too_old.timestamp():.6f}")

    with caplog.at_level(logging.WARNING, logger="bot.desk.edits"):
        assert resume_stalled_edits(desk.services) == 0
    assert "older than FACTCHECK_CATCHUP_HOURS" in caplog.text
    assert articles(desk)[0].text == ARTICLE
    assert len(tickets(desk)) == 6
    with session_scope(desk.services.engine) as session:
        assert list(session.scalars(select(ArticleEditJob))) == []
