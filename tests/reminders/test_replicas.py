"""Two replicas sweep one database at once over thousands of due tickets: every reminder goes out once."""

from __future__ import annotations

import threading
from collections import Counter
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import Engine, func, insert, select
from sqlmodel import col

from bot.localslack.web_api import DESK, SlackStandIn
from bot.reminders import ReminderSweeper
from bot.render import ids
from bot.services import Services
from bot.slack_client import build_web_client
from storage.db import make_engine, session_scope
from storage.models import ReminderDelivery, Ticket
from tests.db import url_string
from tests.factories import T0, make_article
from tests.reminders.conftest import ManualClock, desk_settings

CHECKERS = 100
PER_CHECKER = 30
INTERVAL = timedelta(hours=4)


def seed_due_desk(engine: Engine, slack: SlackStandIn) -> list[str]:
    """CHECKERS people on the stand-in, each holding PER_CHECKER tickets due at T0."""
    checkers = [
        slack.add_user(f"checker{n}", id=f"U0CHK{n:04d}", tz="Europe/London")
        for n in range(CHECKERS)
    ]
    with session_scope(engine) as session:
        article = make_article(session, channel=DESK, now=T0 - INTERVAL)
        rows: list[dict[str, Any]] = [
            {
                "article_id": article.id,
                "kind": "claim",
                "text": f"Claim {n} of checker {checker}.",
                "status": "claimed",
                "assignee": checker,
                "claim_number": 1,
                "claimed_at": T0 - INTERVAL,
                "due_at": T0,
                "next_reminder_at": T0,
                "sources": [],
                "created_at": T0 - INTERVAL,
                "updated_at": T0 - INTERVAL,
            }
            for checker in checkers
            for n in range(PER_CHECKER)
        ]
        session.execute(insert(Ticket), rows)
    return checkers


def remaining(engine: Engine) -> int:
    with session_scope(engine) as session:
        return int(
            session.scalar(
                select(func.count()).select_from(Ticket).where(Ticket.reminders_sent == 0)  # type: ignore[arg-type]
            )
            or 0
        )


def run_two_replicas(
    engine: Engine, slack: SlackStandIn, clock: ManualClock
) -> list[BaseException]:
    """Two sweepers, each with its own engine, client and session, sweeping until all are sent."""
    url = url_string(engine)
    errors: list[BaseException] = []
    start = threading.Barrier(2)

    def replica(name: str) -> None:
        own_engine = make_engine(url)
        try:
            settings = desk_settings(slack, reminder_interval="4h")
            services = Services(
                settings=settings,
                engine=own_engine,
                # Slack's 429s and 500s are the scene here, not the seconds they ask us to wait.
                client=build_web_client(settings, retry_pause_scale=0),
                clock=clock,
            )
            sweeper = ReminderSweeper(services, owner=name, batch_size=250)
            start.wait()
            for _ in range(200):
                sweeper.sweep()
                if remaining(own_engine) == 0:
                    return
            raise AssertionError(f"{name} gave up with {remaining(own_engine)} unsent")
        except BaseException as error:
            errors.append(error)
        finally:
            own_engine.dispose()

    threads = [threading.Thread(target=replica, args=(f"replica-{n}",)) for n in (1, 2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=240)
    return errors


def reminders_per_ticket(slack: SlackStandIn, checkers: list[str]) -> Counter[int]:
    """How many delivered DMs named each ticket, read from the recorder."""
    seen: Counter[int] = Counter()
    for checker in checkers:
        for message in slack.dms_to(checker):
            for block in message["blocks"]:
                ticket_id = ids.ticket_id_of_block(str(block.get("block_id", "")))
                if ticket_id is not None and block["type"] == "section":
                    seen[ticket_id] += 1
    return seen


def assert_each_sent_once(engine: Engine, slack: SlackStandIn, checkers: list[str]) -> None:
    seen = reminders_per_ticket(slack, checkers)
    total = CHECKERS * PER_CHECKER
    assert len(seen) == total
    assert set(seen.values()) == {1}, Counter(seen.values())
    with session_scope(engine) as session:
        assert session.scalar(select(func.count()).select_from(ReminderDelivery)) == total
        sent = session.execute(
            select(col(Ticket.reminders_sent), func.count()).group_by(col(Ticket.reminders_sent))
        ).all()
    assert [tuple(row) for row in sent] == [(1, total)]


@pytest.mark.slow
def test_two_replicas_send_every_reminder_once(
    engine: Engine, slack: SlackStandIn, clock: ManualClock
) -> None:
    checkers = seed_due_desk(engine, slack)
    clock.set(T0 + timedelta(minutes=1))
    assert run_two_replicas(engine, slack, clock) == []
    assert_each_sent_once(engine, slack, checkers)
    with session_scope(engine) as session:
        owners = set(session.scalars(select(col(ReminderDelivery.owner)).distinct()))
    assert owners == {"replica-1", "replica-2"}, "both replicas should have taken work"
    # One DM per checker per batch a checker's tickets landed in: never one per ticket.
    assert len(slack.calls("chat.postMessage")) < 2 * CHECKERS


@pytest.mark.slow
def test_two_replicas_through_429s_and_a_500_deliver_all_none_twice(
    engine: Engine, slack: SlackStandIn, clock: ManualClock
) -> None:
    checkers = seed_due_desk(engine, slack)
    clock.set(T0 + timedelta(minutes=1))
    # Enough refusals that some exhaust the client's own retries and reach the sweep.
    slack.rate_limit_next("chat.postMessage", times=9, retry_after=0)
    slack.server_error_next("chat.postMessage", times=3)
    assert run_two_replicas(engine, slack, clock) == []
    refused = [c for c in slack.calls("chat.postMessage") if not c.ok]
    assert len(refused) == 12
    assert_each_sent_once(engine, slack, checkers)
