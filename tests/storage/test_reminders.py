"""Reminders, escalations, nudges and digests are taken by one sweeper and recorded once."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import Engine, event, func, insert, select
from sqlmodel import Session, col

from bot.workflow import DeskPolicy, claim_ticket, release_ticket, snooze_ticket
from storage import reminders
from storage.db import session_scope
from storage.models import EscalationDelivery, ReminderDelivery, Ticket
from tests.factories import T0, make_article, make_ticket

POLICY = DeskPolicy(reminder_interval=timedelta(hours=4))
LEASE = timedelta(minutes=5)
DUE = T0 + timedelta(hours=4)


def _claimed(engine: Engine, count: int = 1, assignee: str = "U1") -> list[int]:
    with session_scope(engine) as session:
        article = make_article(session)
        ids = [make_ticket(session, article).id for _ in range(count)]
        for ticket_id in ids:
            assert ticket_id is not None
            claim_ticket(ticket_id, session=session, actor=assignee, now=T0, policy=POLICY)
    return [i for i in ids if i is not None]


def _acquire(engine: Engine, owner: str, now: datetime = DUE) -> list[reminders.DueReminder]:
    with session_scope(engine) as session:
        return reminders.acquire_due_reminders(
            session,
            now=now,
            owner=owner,
            lease=LEASE,
            limit=500,
        )


@contextmanager
def _statements_on_tickets(engine: Engine) -> Iterator[list[str]]:
    """The SQL statements sent to `engine` that name the ticket table, while in the block."""
    statements: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if "ticket" in statement.lower():
            statements.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)


def _record(
    session: Session, batch: list[reminders.DueReminder], owner: str, now: datetime = DUE
) -> int:
    return reminders.record_reminders_sent(
        session, reminders=batch, owner=owner, now=now, interval=POLICY.reminder_interval
    )


def test_claimed_ticket_is_due_one_interval_later(engine: Engine) -> None:
    _claimed(engine)
    assert _acquire(engine, "early", now=DUE - timedelta(seconds=1)) == []
    due = _acquire(engine, "a")
    assert [(r.ticket_id, r.assignee, r.reminder_number) for r in due] == [(1, "U1", 1)]


def test_leasing_reads_and_leases_in_two_statements_without_an_id_list(engine: Engine) -> None:
    """The lock-and-read of the previous holders, then the lease returning what the DM needs;
    never a query listing the leased ids (a 10,000-item IN list on a big sweep)."""
    with session_scope(engine) as session:
        article = make_article(session, permalink="https://news.example/p/1", title="Budget")
        for _ in range(3):
            ticket_id = make_ticket(session, article).id
            assert ticket_id is not None
            claim_ticket(ticket_id, session=session, actor="U1", now=T0, policy=POLICY)
    with _statements_on_tickets(engine) as statements:
        due = _acquire(engine, "a")
    assert len(statements) == 2
    assert all(statement.count("?") + statement.count("%(") < 10 for statement in statements)
    assert [(r.ticket_id, r.article_permalink, r.article_title) for r in due] == [
        (n, "https://news.example/p/1", "Budget") for n in (1, 2, 3)
    ]


def test_a_leased_reminder_is_not_taken_twice(engine: Engine) -> None:
    _claimed(engine)
    assert len(_acquire(engine, "a")) == 1
    assert _acquire(engine, "b") == []


def test_refused_send_is_retried_after_the_lease(engine: Engine) -> None:
    """Slack said 429: nothing recorded, so the reminder comes back when the lease runs out."""
    _claimed(engine)
    assert len(_acquire(engine, "a")) == 1
    assert _acquire(engine, "b", now=DUE + LEASE - timedelta(seconds=1)) == []
    retry = _acquire(engine, "b", now=DUE + LEASE)
    assert [(r.ticket_id, r.reminder_number) for r in retry] == [(1, 1)]
    # "a" may have posted it before it died: "b" is told to look for that DM first.
    assert retry[0].maybe_posted
    assert retry[0].due_since == DUE + LEASE


def test_recorded_reminder_schedules_the_next_one(engine: Engine) -> None:
    _claimed(engine)
    [due] = _acquire(engine, "a")
    with session_scope(engine) as session:
        assert _record(session, [due], "a") == 1
        # A second sweeper whose lease had expired sent it too: recorded only once.
        assert _record(session, [due], "b") == 0
    assert _acquire(engine, "a", now=DUE + LEASE * 2) == []
    [second] = _acquire(engine, "a", now=DUE + POLICY.reminder_interval)
    assert second.reminder_number == 2
    with session_scope(engine) as session:
        ticket = session.get(Ticket, 1)
        deliveries = session.scalar(select(func.count()).select_from(ReminderDelivery))
    assert ticket is not None
    assert ticket.reminders_sent == 1
    assert deliveries == 1


def test_one_dm_is_recorded_in_two_statements_and_skips_tickets_that_moved_on(
    engine: Engine,
) -> None:
    _claimed(engine, count=3)
    batch = _acquire(engine, "a")
    with session_scope(engine) as session:
        release_ticket(2, session=session, actor="U1", now=DUE, policy=POLICY)
    with _statements_on_tickets(engine) as statements, session_scope(engine) as session:
        assert _record(session, batch, "a") == 2
    assert len(statements) == 2
    with session_scope(engine) as session:
        sent = {t.id: t.reminders_sent for t in session.scalars(select(Ticket))}
    assert sent == {1: 1, 2: 0, 3: 1}


def test_release_and_snooze_change_what_is_due(engine: Engine) -> None:
    _claimed(engine, count=2)
    with session_scope(engine) as session:
        release_ticket(1, session=session, actor="U1", now=T0, policy=POLICY)
        snooze_ticket(2, session=session, actor="U1", now=T0, policy=POLICY, until=DUE + LEASE)
    assert _acquire(engine, "a") == []
    assert [r.ticket_id for r in _acquire(engine, "a", now=DUE + LEASE)] == [2]


def test_deferred_reminders_come_back_at_the_given_time(engine: Engine) -> None:
    _claimed(engine)
    _acquire(engine, "a")
    with session_scope(engine) as session:
        moved = reminders.defer_reminders(
            session, ticket_ids=[1], owner="a", until=DUE + timedelta(hours=10)
        )
    assert moved == 1
    assert _acquire(engine, "b", now=DUE + timedelta(hours=9)) == []
    assert len(_acquire(engine, "b", now=DUE + timedelta(hours=10))) == 1


def test_reminders_come_grouped_by_checker(engine: Engine) -> None:
    _claimed(engine, count=2, assignee="U2")
    _claimed(engine, count=2, assignee="U1")
    assert [r.assignee for r in _acquire(engine, "a")] == ["U1", "U1", "U2", "U2"]


def test_escalation_is_claimed_once_per_recipient(engine: Engine) -> None:
    _claimed(engine)
    now = DUE
    for _ in range(3):
        [due] = _acquire(engine, "a", now=now)
        with session_scope(engine) as session:
            _record(session, [due], "a", now=now)
        now += POLICY.reminder_interval

    def claim(recipient: str, owner: str = "a") -> list[int]:
        with session_scope(engine) as session:
            candidates = reminders.escalation_candidates(session, escalate_after=3)
            return reminders.claim_escalation_deliveries(
                session, recipient=recipient, candidates=candidates, owner=owner, now=now
            )

    assert claim("U_BOB") == [1]
    assert claim("U_BOB", owner="b") == []  # another replica: Bob was told already
    # Slack refused the message to Carol: her claim rolls back with the transaction.

    def claim_then_fail_to_send() -> None:
        with session_scope(engine) as session:
            candidates = reminders.escalation_candidates(session, escalate_after=3)
            reminders.claim_escalation_deliveries(
                session, recipient="U_CAROL", candidates=candidates, owner="a", now=now
            )
            raise RuntimeError("refused")

    with pytest.raises(RuntimeError):
        claim_then_fail_to_send()
    assert claim("U_CAROL") == [1]
    with session_scope(engine) as session:
        candidates = reminders.escalation_candidates(session, escalate_after=3)
        assert reminders.mark_escalated(session, candidates=candidates, now=now) == 1
        assert reminders.mark_escalated(session, candidates=candidates, now=now) == 0
        assert reminders.escalation_candidates(session, escalate_after=3) == []
        recipients = session.scalars(select(col(EscalationDelivery.recipient))).all()
    assert sorted(recipients) == ["U_BOB", "U_CAROL"]


def test_a_released_ticket_is_not_escalated(engine: Engine) -> None:
    _claimed(engine)
    [due] = _acquire(engine, "a")
    with session_scope(engine) as session:
        _record(session, [due], "a")
        candidates = reminders.escalation_candidates(session, escalate_after=1)
        release_ticket(1, session=session, actor="U1", now=DUE, policy=POLICY)
        assert (
            reminders.claim_escalation_deliveries(
                session, recipient="U_BOB", candidates=candidates, owner="a", now=DUE
            )
            == []
        )
        assert reminders.mark_escalated(session, candidates=candidates, now=DUE) == 0


def test_unclaimed_nudge_at_most_once_per_interval(engine: Engine) -> None:
    interval = timedelta(hours=4)
    with session_scope(engine) as session:
        article = make_article(session)
        make_ticket(session, article)
        make_ticket(session, article)
        article_id = article.id
    assert article_id is not None
    with session_scope(engine) as session:
        assert (
            reminders.articles_to_nudge(session, now=T0 + timedelta(hours=1), interval=interval)
            == []
        )
        [candidate] = reminders.articles_to_nudge(session, now=DUE, interval=interval)
        assert candidate.open_count == 2
        assert reminders.claim_nudge(session, article_id=article_id, now=DUE, interval=interval)
        assert not reminders.claim_nudge(session, article_id=article_id, now=DUE, interval=interval)
    later = DUE + interval
    with session_scope(engine) as session:
        for ticket_id in (1, 2):
            claim_ticket(ticket_id, session=session, actor="U1", now=later, policy=POLICY)
        assert reminders.articles_to_nudge(session, now=later, interval=interval) == []
        assert not reminders.claim_nudge(
            session, article_id=article_id, now=later, interval=interval
        )


def test_digest_run_is_won_by_one_replica(engine: Engine) -> None:
    day = date(2026, 3, 3)
    with session_scope(engine) as session:
        run = reminders.claim_digest_run(session, channel="C1", local_date=day, owner="a", now=T0)
        assert run is not None
        assert run.id is not None
        run_id = run.id
    with session_scope(engine) as session:
        assert (
            reminders.claim_digest_run(session, channel="C1", local_date=day, owner="b", now=T0)
            is None
        )
        assert reminders.last_digest_at(session, channel="C1") is None
        assert reminders.mark_digest_posted(
            session, run_id=run_id, owner="a", now=T0, message_ts="9.9"
        )
        assert not reminders.mark_digest_posted(session, run_id=run_id, owner="a", now=T0)
        assert reminders.last_digest_at(session, channel="C1") == T0
    much_later = T0 + timedelta(hours=2)
    with session_scope(engine) as session:  # posted runs are never taken over
        assert (
            reminders.claim_digest_run(
                session, channel="C1", local_date=day, owner="b", now=much_later
            )
            is None
        )


def test_crashed_digest_run_is_taken_over_after_stale_after(engine: Engine) -> None:
    day = date(2026, 3, 3)
    with session_scope(engine) as session:
        reminders.claim_digest_run(session, channel="C1", local_date=day, owner="a", now=T0)
    with session_scope(engine) as session:
        run = reminders.claim_digest_run(
            session, channel="C1", local_date=day, owner="b", now=T0 + timedelta(minutes=11)
        )
    assert run is not None
    assert run.owner == "b"


def test_two_sweepers_take_5000_due_reminders_exactly_once(engine: Engine) -> None:
    total = 5000
    with session_scope(engine) as session:
        article = make_article(session)
        session.execute(
            insert(Ticket),
            [
                {
                    "article_id": article.id,
                    "channel": article.channel,
                    "kind": "claim",
                    "text": f"claim {n}",
                    "status": "claimed",
                    "assignee": f"U{n % 50}",
                    "claim_number": 1,
                    "claimed_at": T0,
                    "due_at": DUE,
                    "next_reminder_at": DUE - timedelta(seconds=n % 600),
                    "sources": [],
                    "created_at": T0,
                    "updated_at": T0,
                }
                for n in range(total)
            ],
        )
    taken: dict[str, list[int]] = {"a": [], "b": []}
    recorded: dict[str, int] = {"a": 0, "b": 0}
    barrier = threading.Barrier(2)

    def sweeper(owner: str) -> None:
        barrier.wait()
        while True:
            with session_scope(engine) as session:
                batch = reminders.acquire_due_reminders(
                    session, now=DUE, owner=owner, lease=LEASE, limit=250
                )
            if not batch:
                return
            taken[owner].extend(r.ticket_id for r in batch)
            with session_scope(engine) as session:
                recorded[owner] += _record(session, batch, owner)

    threads = [threading.Thread(target=sweeper, args=(owner,)) for owner in taken]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    every = taken["a"] + taken["b"]
    assert len(every) == total
    assert len(set(every)) == total
    assert recorded["a"] + recorded["b"] == total
    with session_scope(engine) as session:
        assert session.scalar(select(func.count()).select_from(ReminderDelivery)) == total
