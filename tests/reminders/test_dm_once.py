"""DMs the outbox owes (an escalation, the assignment notice) reach each person once, even when
Slack took one and its answer was lost: the retry looks in the bot's DM with that person."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine

from bot.desk.actions import assign
from bot.localslack.web_api import ALICE, BOB, DESK, SlackStandIn
from bot.manifest import BOT_SCOPES
from bot.outbox import deliver_owed
from bot.reminders import REMINDER_BATCH_LEASE, ReminderSweeper, SweepReport
from bot.render import messages as m
from bot.render.reminders import ESCALATION_HEADER
from bot.services import Services
from bot.workflow import DeskPolicy, claim_ticket
from storage.db import session_scope
from storage.models import Ticket
from tests.factories import T0, make_article, make_ticket
from tests.reminders.conftest import ManualClock
from tests.slack.bot_process import BotProcess

INTERVAL = timedelta(hours=4)
POLICY = DeskPolicy(reminder_interval=INTERVAL)
# Past the outbox's first backoff (FACTCHECK_OUTBOX_RETRY_SECONDS, 2 s by default).
OUTBOX_RETRY = timedelta(seconds=5)
EDITOR = "U0EDITOR"
ESCALATED = ESCALATION_HEADER.format(tickets="1 ticket", reminders=1)


def open_ticket(engine: Engine, *, holder: str | None = None) -> int:
    """One ticket of an article in DESK; claimed by `holder` at T0 when given."""
    with session_scope(engine) as session:
        article = make_article(session, channel=DESK, permalink="https://desk.example/a/1")
        ticket = make_ticket(session, article)
        assert ticket.id is not None
        if holder is not None:
            policy = DeskPolicy(reminder_interval=INTERVAL)
            claim_ticket(ticket.id, session=session, actor=holder, now=T0, policy=policy)
        return ticket.id


def escalations_to(slack: SlackStandIn, user: str) -> list[str]:
    return [str(dm["ts"]) for dm in slack.dms_to(user) if ESCALATED in str(dm.get("blocks"))]


@pytest.mark.parametrize("slack_took_it", [True, False], ids=["posted", "not-posted"])
def test_an_escalation_whose_answer_was_lost_reaches_the_editor_once(
    make_services: Callable[..., Services],
    engine: Engine,
    slack: SlackStandIn,
    clock: ManualClock,
    slack_took_it: bool,
) -> None:
    open_ticket(engine, holder=ALICE)
    services = make_services(escalate_after=1, editors=BOB)
    sweeper = ReminderSweeper(services)
    clock.set(T0 + INTERVAL)
    report = SweepReport()
    sweeper.send_reminders(report)
    # The connection drops, after Slack posted the DM or before it did: the bot cannot tell.
    slack.drop_next("chat.postMessage", after=slack_took_it)
    sweeper.send_escalations(report)
    assert deliver_owed(services).retried == 1
    assert len(escalations_to(slack, BOB)) == (1 if slack_took_it else 0)

    clock.advance(OUTBOX_RETRY)
    assert deliver_owed(services).sent == 1
    assert len(escalations_to(slack, BOB)) == 1
    [opened] = slack.calls("conversations.open")
    assert opened.args["users"] == BOB
    [looked] = slack.calls("conversations.history")
    assert looked.args["channel"] == opened.response["channel"]["id"]
    clock.advance(OUTBOX_RETRY)
    sweeper.sweep()
    assert len(escalations_to(slack, BOB)) == 1


def test_an_assignment_dm_whose_answer_was_lost_is_not_sent_twice(
    make_services: Callable[..., Services], engine: Engine, slack: SlackStandIn, clock: ManualClock
) -> None:
    ticket_id = open_ticket(engine)
    services = make_services(editors=EDITOR)
    clock.set(T0)
    slack.drop_next("chat.postMessage", after=True)
    assign(services, EDITOR, ticket_id, BOB)
    assert deliver_owed(services).retried == 1
    clock.advance(OUTBOX_RETRY)
    assert deliver_owed(services).sent == 1
    told = m.ASSIGNED_DM.split(":")[0].format(editor=EDITOR, id=ticket_id)
    assert len(slack.dms_to(BOB, containing=told)) == 1
    assert len(slack.calls("chat.postMessage")) == 1


def test_an_app_without_the_dm_scopes_sends_the_dm_again_and_says_why(
    make_services: Callable[..., Services],
    engine: Engine,
    slack: SlackStandIn,
    clock: ManualClock,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Installed from a manifest older than im:history and im:write: the DM is never lost."""
    slack.granted_scopes = set(BOT_SCOPES) - {"im:history", "im:write"}
    ticket_id = open_ticket(engine)
    services = make_services(editors=EDITOR)
    clock.set(T0)
    slack.drop_next("chat.postMessage", after=True)
    assign(services, EDITOR, ticket_id, BOB)
    assert deliver_owed(services).retried == 1
    clock.advance(OUTBOX_RETRY)
    with caplog.at_level(logging.WARNING, logger="bot.outbox"):
        assert deliver_owed(services).sent == 1
    assert len(slack.dms_to(BOB, containing=f"assigned you #{ticket_id}")) == 2
    assert "missing_scope" in caplog.text
    assert "im:history and im:write" in caplog.text
    clock.advance(OUTBOX_RETRY)
    assert deliver_owed(services).sent == 0


def test_a_sweeper_killed_while_slack_posts_a_reminder_is_not_doubled_by_the_next(
    make_services: Callable[..., Services],
    engine: Engine,
    slack: SlackStandIn,
    clock: ManualClock,
    database_url: str,
    tmp_path: Path,
) -> None:
    """`factcheck run` dies (SIGKILL) after handing Slack the DM and before recording it; Slack
    posts it for a client that has gone. Once the lease has run out, the next sweeper finds the
    DM in the checker's DMs and records it instead of sending a second one."""
    now = datetime.now(UTC)
    with session_scope(engine) as session:
        article = make_article(session, channel=DESK, now=now - INTERVAL)
        held = make_ticket(session, article, now=now - INTERVAL)
        assert held.id is not None
        claim_ticket(held.id, session=session, actor=ALICE, now=now - INTERVAL, policy=POLICY)
    hold = slack.hold_next("chat.postMessage")
    env = {
        "FACTCHECK_SCHEDULER": "on",
        "FACTCHECK_SWEEP_SECONDS": "0.2",
        "FACTCHECK_REMINDER_INTERVAL": "4h",
        "FACTCHECK_QUIET_HOURS": "none",
        "FACTCHECK_WEEKLY_REPORT": "off",
    }
    bot = BotProcess("http", slack, database_url, tmp_path, env=env)
    try:
        bot.wait_healthy()
        assert hold.arrived.wait(timeout=30), "the sweep never sent the reminder"
    finally:
        bot.kill()
    hold.release()
    slack.wait_for(lambda: slack.dms_to(ALICE), timeout=15, description="the held DM posted")

    after_lease = now + REMINDER_BATCH_LEASE + timedelta(minutes=1)
    clock.set(after_lease)
    report = ReminderSweeper(make_services(reminder_interval=INTERVAL)).sweep()

    assert report.tickets_reminded == 1
    assert len(slack.dms_to(ALICE)) == 1
    assert len(slack.calls("chat.postMessage")) == 1
    with session_scope(engine) as session:
        recorded = session.get(Ticket, held.id)
        assert recorded is not None
        assert (recorded.reminders_sent, recorded.lease_owner) == (1, None)
        assert recorded.next_reminder_at == after_lease + INTERVAL


def test_an_app_without_the_dm_scopes_sends_a_lost_reminder_again_and_says_why(
    make_services: Callable[..., Services],
    engine: Engine,
    slack: SlackStandIn,
    clock: ManualClock,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """The bot cannot read its DMs, so it cannot tell: the checker is reminded twice, not never."""
    slack.granted_scopes = set(BOT_SCOPES) - {"im:history", "im:write"}
    open_ticket(engine, holder=ALICE)
    sweeper = ReminderSweeper(make_services(reminder_interval=INTERVAL))
    clock.set(T0 + INTERVAL)
    slack.drop_next("chat.postMessage", after=True)
    assert sweeper.sweep().refused == 1
    with caplog.at_level(logging.WARNING, logger="bot.reminders"):
        assert sweeper.sweep().tickets_reminded == 1
    assert len(slack.dms_to(ALICE)) == 2
    assert "missing_scope" in caplog.text
    assert "im:history and im:write" in caplog.text
