"""DMs the outbox owes (an escalation, the assignment notice) reach each person once, even when
Slack took one and its answer was lost: the retry looks in the bot's DM with that person."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import timedelta

import pytest
from sqlalchemy import Engine

from bot.desk.actions import assign
from bot.localslack.web_api import ALICE, BOB, DESK, SlackStandIn
from bot.manifest import BOT_SCOPES
from bot.outbox import deliver_owed
from bot.reminders import ReminderSweeper, SweepReport
from bot.render import messages as m
from bot.render.reminders import ESCALATION_HEADER
from bot.services import Services
from bot.workflow import DeskPolicy, claim_ticket
from storage.db import session_scope
from tests.factories import T0, make_article, make_ticket
from tests.reminders.conftest import ManualClock

INTERVAL = timedelta(hours=4)
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
