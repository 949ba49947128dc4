"""The real clock: `factcheck run` with APScheduler on a short interval, against the stand-in."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, update

from bot.localslack.driver import SlackDriver
from bot.localslack.signing import EventSender
from bot.localslack.web_api import ALICE, DESK, SlackStandIn
from bot.render.reminders import ACTION_SNOOZE_HOUR
from bot.scheduler import SWEEP_JOB_NAME
from bot.workflow import DeskPolicy, claim_ticket
from storage.db import session_scope
from storage.models import Ticket
from tests.factories import make_article, make_ticket
from tests.slack.bot_process import BotProcess
from tests.waiting import wait_until

POLICY = DeskPolicy(reminder_interval=timedelta(hours=1))


@pytest.fixture
def running_bot(
    database_url: str, slack: SlackStandIn, tmp_path: Path
) -> Iterator[tuple[str, BotProcess]]:
    """`factcheck run --http` sweeping every 0.2 s, with a digest time already passed today."""
    env = {
        "FACTCHECK_SWEEP_SECONDS": "0.2",
        "FACTCHECK_REMINDER_INTERVAL": "1h",
        "FACTCHECK_DIGEST_CHANNEL": DESK,
        "FACTCHECK_DIGEST_TIME": "00:00",
        "FACTCHECK_TIMEZONE": "UTC",
        "FACTCHECK_SCHEDULER": "on",
        "FACTCHECK_QUIET_HOURS": "none",  # the real clock may be in anyone's night
        "FACTCHECK_WEEKLY_REPORT": "off",  # a Monday-morning run posts no extra report here
    }
    bot = BotProcess("http", slack, database_url, tmp_path, env=env)
    base = bot.wait_healthy()
    try:
        yield base, bot
    finally:
        bot.stop(timeout=15)


def sweep_ticks(bot: BotProcess) -> int:
    """Sweeps the bot has finished so far, counted from APScheduler's log lines."""
    return sum(
        SWEEP_JOB_NAME in line and "executed successfully" in line
        for line in bot.text().splitlines()
    )


def test_apscheduler_sweeps_on_its_interval_and_snooze_works_end_to_end(
    engine: Engine, slack: SlackStandIn, running_bot: tuple[str, BotProcess]
) -> None:
    base, bot = running_bot
    now = datetime.now(UTC)
    with session_scope(engine) as session:
        article = make_article(session, channel=DESK, now=now - timedelta(minutes=5))
        first, second = (make_ticket(session, article, now=now).id for _ in range(2))
        assert first is not None
        assert second is not None
        for ticket_id in (first, second):
            claim_ticket(ticket_id, session=session, actor=ALICE, now=now, policy=POLICY)
        session.execute(
            update(Ticket).where(Ticket.id == first).values(next_reminder_at=now)  # type: ignore[arg-type]
        )

    # The first tick after the ticket became due: one DM naming it. And the digest missed
    # since 00:00 today goes out once.
    slack.wait_for(lambda: slack.dms_to(ALICE), timeout=20, description="first reminder DM")
    slack.wait_for(
        lambda: [m for m in slack.messages_in(DESK) if "Fact-check desk" in str(m.get("blocks"))],
        timeout=20,
        description="the missed digest",
    )
    # Later ticks keep firing: a ticket that becomes due later is reminded by a later tick.
    with session_scope(engine) as session:
        session.execute(
            update(Ticket).where(Ticket.id == second).values(next_reminder_at=datetime.now(UTC))  # type: ignore[arg-type]
        )

    def two_dms() -> list[dict[str, Any]]:
        found = slack.dms_to(ALICE)
        return found if len(found) >= 2 else []

    dms = slack.wait_for(
        two_dms,
        timeout=20,
        description="second reminder DM",
    )
    assert f"#{first}" in dms[0]["text"]
    assert f"#{second}" in dms[1]["text"]

    # Alice snoozes the second one from the DM; the running bot records it.
    with EventSender(f"{base}/slack/events", slack.signing_secret) as sender:
        delivery = SlackDriver(slack, sender=sender).click(ALICE, dms[1], ACTION_SNOOZE_HOUR)
    assert delivery.acked
    slack.wait_for(lambda: slack.responses(), timeout=10, description="snooze confirmation")
    assert f"Snoozed #{second} until" in slack.responses()[0].text
    with session_scope(engine) as session:
        snoozed = session.get(Ticket, second)
        assert snoozed is not None
        assert snoozed.snoozed_until is not None
        assert snoozed.snoozed_until > datetime.now(UTC) + timedelta(minutes=55)

    # Many more ticks: still exactly those two DMs and one digest.
    ticks = sweep_ticks(bot)
    # Polled: the ticks are log lines, not Slack calls, so slack.wait_for would only look
    # again when its 20 s timeout ran out.
    wait_until(lambda: sweep_ticks(bot) >= ticks + 5, timeout=20, description="5 more ticks")
    assert len(slack.dms_to(ALICE)) == 2
    assert (
        len([m for m in slack.messages_in(DESK) if "Fact-check desk" in str(m.get("blocks"))]) == 1
    )
    assert bot.process.poll() is None
