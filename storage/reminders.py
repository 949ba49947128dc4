"""Exactly-once bookkeeping for the scheduler: reminder leases, escalations, nudges, digest runs.

The pattern throughout: a replica first *claims* a piece of work with one conditional
statement that only one caller can win, then talks to Slack, then *records* the result.

Reminders use a lease, so a failure to reach Slack is never lost:

    acquire_due_reminders()   commit   -> send DM per checker ->   record_reminders_sent()  commit
          (ticket leased: next_reminder_at pushed to now+lease, lease_owner = me)

If Slack answers 429/5xx the reminder is simply not recorded; when the lease runs out the ticket
is due again and a later sweep (of any replica) retries it. Escalations (one delivery row per
ticket, claim and recipient), nudges and digests are claimed once: claim, send and commit in one
transaction (roll back if Slack refuses).

The one window where a message can repeat: the process dies (or its database connection
drops) after Slack accepted a message and before the recording transaction commits. The
message is then sent again after the lease expires (reminders) or on the next sweep
(escalation, nudge; a digest claimed but never marked posted is retried after `stale_after`).
The window is one Slack round-trip plus one commit, milliseconds per sweep.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, Final

from sqlalchemy import String, and_, case, exists, func, literal, or_, select, tuple_, update
from sqlmodel import Session, col

from storage.db import dialect_insert
from storage.models import (
    Article,
    DigestRun,
    EscalationDelivery,
    ReminderDelivery,
    Ticket,
    UTCDateTime,
)

# A digest run claimed but not marked posted within this is taken to be abandoned (its
# replica died or Slack refused the post) and one later caller takes it over.
DIGEST_TAKEOVER_AFTER: Final = timedelta(minutes=10)


@dataclass(frozen=True)
class DueReminder:
    """One leased reminder: what the DM needs, and the numbers `record_reminders_sent` takes."""

    ticket_id: int
    assignee: str
    kind: str
    text: str
    claimed_at: datetime | None
    due_at: datetime | None
    claim_number: int
    reminder_number: int
    article_id: int
    article_channel: str
    article_permalink: str | None
    article_title: str | None
    speaker: str | None = None  # quotes: who said it, shown wherever the ticket appears


def _article_column(column: Any) -> Any:
    """`column` of the leased ticket's article, as a RETURNING expression (a primary-key lookup).

    A correlated subquery rather than `UPDATE ... FROM article`: SQLite does not let a FROM
    table appear in RETURNING.
    """
    return select(column).where(col(Article.id) == col(Ticket.article_id)).scalar_subquery()


def acquire_due_reminders(
    session: Session, *, now: datetime, owner: str, lease: timedelta, limit: int
) -> list[DueReminder]:
    """Lease up to `limit` due reminders for `owner`; no two sweepers ever get the same one.

    Due: status `claimed` and `next_reminder_at <= now` (a snooze or a lease pushes that time
    forward). The lease is taken by pushing `next_reminder_at` to `now + lease` and setting
    `lease_owner`, in one `UPDATE ... WHERE id IN (SELECT ... ORDER BY next_reminder_at LIMIT n
    FOR UPDATE SKIP LOCKED) RETURNING ...`: on PostgreSQL concurrent sweepers skip each other's
    rows instead of waiting; on SQLite the transaction holds the single write lock (BEGIN
    IMMEDIATE). Commit right after, before calling Slack, so the lease is visible to others.

    That one statement is the only one: RETURNING hands back everything the DM needs (the
    ticket's fields and its article's link and title), so no second query re-reads the rows.

    If the lease expires before `record_reminders_sent` (Slack 429, crash), the ticket is due
    again and will be leased by a later sweep. Results are ordered by assignee, then due time,
    ready to be grouped into one DM per checker. Cost follows the due work (partial index
    `ix_ticket_due`), not the size of the table.
    """
    candidates = (
        select(col(Ticket.id))
        .where(col(Ticket.status) == "claimed", col(Ticket.next_reminder_at) <= now)
        .order_by(col(Ticket.next_reminder_at))
        .limit(limit)
    )
    if session.get_bind().dialect.name == "postgresql":
        candidates = candidates.with_for_update(skip_locked=True)
    rows = session.execute(
        update(Ticket)
        .where(col(Ticket.id).in_(candidates.scalar_subquery()))
        .values(next_reminder_at=now + lease, lease_owner=owner)
        .returning(
            col(Ticket.id),
            col(Ticket.assignee),
            col(Ticket.kind),
            col(Ticket.text),
            col(Ticket.claimed_at),
            col(Ticket.due_at),
            col(Ticket.claim_number),
            col(Ticket.reminders_sent),
            col(Ticket.article_id),
            col(Ticket.channel),
            _article_column(col(Article.permalink)),
            _article_column(col(Article.title)),
            col(Ticket.speaker),
        )
        .execution_options(synchronize_session=False)
    )
    leased = [
        DueReminder(
            ticket_id=ticket_id,
            assignee=assignee or "",
            kind=kind,
            text=text,
            claimed_at=claimed_at,
            due_at=due_at,
            claim_number=claim_number,
            reminder_number=reminders_sent + 1,
            article_id=article_id,
            article_channel=channel,
            article_permalink=permalink,
            article_title=title,
            speaker=speaker,
        )
        for (
            ticket_id,
            assignee,
            kind,
            text,
            claimed_at,
            due_at,
            claim_number,
            reminders_sent,
            article_id,
            channel,
            permalink,
            title,
            speaker,
        ) in rows
    ]
    # RETURNING comes in no particular order; a claimed ticket always has a due time.
    return sorted(leased, key=lambda r: (r.assignee, r.due_at or now, r.ticket_id))


def record_reminders_sent(
    session: Session,
    *,
    reminders: Sequence[DueReminder],
    owner: str,
    now: datetime,
    interval: timedelta,
    message_ts: str | None = None,
) -> int:
    """Record the reminders of one DM Slack accepted; schedule each next one. Idempotent.

    Call only after Slack accepted the DM; never commits. Two statements whatever the number
    of tickets, so a sweep's cost follows its DMs: one multi-row `INSERT ... ON CONFLICT DO
    NOTHING RETURNING ticket_id` of the delivery rows (unique on ticket, claim and reminder
    number), then one UPDATE of the tickets whose row is new and that are still held by the
    same claim at the same count: `reminders_sent` + 1, the lease cleared and the next reminder
    `interval` later, or at the ticket's snooze if one clicked while the DM was on its way
    ends later. Returns how many tickets were scheduled; a reminder already recorded (a second
    sweeper whose lease had expired) or a ticket that moved on meanwhile (released, verified,
    re-claimed) is not counted and nothing is scheduled for it.
    """
    if not reminders:
        return 0
    recorded = set(
        session.scalars(
            dialect_insert(session, ReminderDelivery)
            .values(
                [
                    {
                        "ticket_id": r.ticket_id,
                        "claim_number": r.claim_number,
                        "reminder_number": r.reminder_number,
                        "assignee": r.assignee,
                        "owner": owner,
                        "message_ts": message_ts,
                        "sent_at": now,
                    }
                    for r in reminders
                ]
            )
            .on_conflict_do_nothing(  # type: ignore[attr-defined]
                index_elements=["ticket_id", "claim_number", "reminder_number"]
            )
            .returning(col(ReminderDelivery.ticket_id))
        )
    )
    fresh = [r for r in reminders if r.ticket_id in recorded]
    if not fresh:
        return 0
    held = tuple_(col(Ticket.id), col(Ticket.claim_number), col(Ticket.reminders_sent)).in_(
        [(r.ticket_id, r.claim_number, r.reminder_number - 1) for r in fresh]
    )
    updated = session.scalars(
        update(Ticket)
        # The plain id list lets the planner use the primary key; the row values then filter.
        .where(
            col(Ticket.id).in_([r.ticket_id for r in fresh]), col(Ticket.status) == "claimed", held
        )
        .values(
            reminders_sent=col(Ticket.reminders_sent) + 1,
            # A snooze clicked while the DM was on its way is kept, not overwritten.
            next_reminder_at=case(
                (col(Ticket.snoozed_until) > now + interval, col(Ticket.snoozed_until)),
                else_=now + interval,
            ),
            lease_owner=None,
            updated_at=now,
        )
        .returning(col(Ticket.id))
        .execution_options(synchronize_session=False)
    )
    return len(list(updated))


def defer_reminders(session: Session, *, ticket_ids: list[int], owner: str, until: datetime) -> int:
    """Hand leased reminders back to be due at `until` (quiet hours, or retry sooner than the
    lease after a refused send). Only the lease holder's tickets change; returns how many."""
    if not ticket_ids:
        return 0
    result = session.scalars(
        update(Ticket)
        .where(
            col(Ticket.id).in_(ticket_ids),
            col(Ticket.status) == "claimed",
            col(Ticket.lease_owner) == owner,
        )
        .values(next_reminder_at=until, lease_owner=None)
        .returning(col(Ticket.id))
        .execution_options(synchronize_session=False)
    )
    return len(list(result))


@dataclass(frozen=True)
class EscalationCandidate:
    ticket_id: int
    claim_number: int
    assignee: str
    text: str
    reminders_sent: int
    due_at: datetime | None
    article_permalink: str | None
    channel: str
    speaker: str | None = None


def escalation_candidates(
    session: Session, *, escalate_after: int, limit: int = 100
) -> list[EscalationCandidate]:
    """Claimed tickets with at least `escalate_after` reminders not yet marked `escalated`."""
    rows = session.execute(
        select(
            col(Ticket.id),
            col(Ticket.claim_number),
            col(Ticket.assignee),
            col(Ticket.text),
            col(Ticket.reminders_sent),
            col(Ticket.due_at),
            col(Article.permalink),
            col(Ticket.channel),
            col(Ticket.speaker),
        )
        .join(Article, col(Article.id) == col(Ticket.article_id))
        .where(
            col(Ticket.status) == "claimed",
            col(Ticket.reminders_sent) >= escalate_after,
            col(Ticket.escalated).is_(False),
        )
        .order_by(col(Ticket.id))
        .limit(limit)
    )
    return [
        EscalationCandidate(
            tid, claim, assignee or "", text, sent, due_at, permalink, channel, speaker
        )
        for tid, claim, assignee, text, sent, due_at, permalink, channel, speaker in rows
        if tid is not None
    ]


def _same_claim(candidates: Sequence[EscalationCandidate]) -> Any:
    """The candidates' tickets, still claimed by the claim they were read with."""
    return and_(
        # The plain id list lets the planner use the primary key; the row values then filter.
        col(Ticket.id).in_([c.ticket_id for c in candidates]),
        col(Ticket.status) == "claimed",
        tuple_(col(Ticket.id), col(Ticket.claim_number)).in_(
            [(c.ticket_id, c.claim_number) for c in candidates]
        ),
    )


def claim_escalation_deliveries(
    session: Session,
    *,
    recipient: str,
    candidates: Sequence[EscalationCandidate],
    owner: str,
    now: datetime,
) -> list[int]:
    """Win the right to tell `recipient` about each candidate, once per claim; the ids won.

    One `INSERT ... SELECT ... ON CONFLICT (ticket, claim number, recipient) DO NOTHING RETURNING`
    of delivery rows for the candidates still held by the same claim. Send the message for the
    won ids in the same transaction and let a Slack refusal roll it back: that recipient is
    retried on a later sweep, and recipients already told are not told again. A concurrent
    replica's insert of the same row waits for this transaction (PostgreSQL's unique index, or
    SQLite's write lock) and then finds it taken, or takes it if this one rolled back.
    """
    if not candidates:
        return []
    rows = (
        select(
            col(Ticket.id),
            col(Ticket.claim_number),
            literal(recipient, String()),
            literal(owner, String()),
            literal(now, UTCDateTime()),
        )
        .where(_same_claim(candidates))
        # One order for every replica, so concurrent inserts never wait on each other in a cycle.
        .order_by(col(Ticket.id))
    )
    won = session.scalars(
        dialect_insert(session, EscalationDelivery)
        .from_select(["ticket_id", "claim_number", "recipient", "owner", "sent_at"], rows)
        .on_conflict_do_nothing(  # type: ignore[attr-defined]
            index_elements=["ticket_id", "claim_number", "recipient"]
        )
        .returning(col(EscalationDelivery.ticket_id))
    )
    return sorted(won)


def mark_escalated(
    session: Session, *, candidates: Sequence[EscalationCandidate], now: datetime
) -> int:
    """Every recipient has been told about these tickets: they stop being candidates.

    Only tickets still held by the same claim change (a new claim resets `escalated` and is
    escalated afresh); returns how many changed, so concurrent replicas count each ticket once.
    """
    if not candidates:
        return 0
    marked = session.scalars(
        update(Ticket)
        .where(_same_claim(candidates), col(Ticket.escalated).is_(False))
        .values(escalated=True, updated_at=now)
        .returning(col(Ticket.id))
        .execution_options(synchronize_session=False)
    )
    return len(list(marked))


@dataclass(frozen=True)
class NudgeCandidate:
    article_id: int
    channel: str
    ts: str
    reply_ts: str | None
    open_count: int


def _nudge_due(now: datetime, interval: timedelta, day_start: datetime | None) -> Any:
    """The first nudge an interval after intake; then one an interval later, and (with
    `day_start`) only if the last one was before that day began: at most one a day."""
    cutoff = now - interval
    again = col(Article.last_nudged_at) <= cutoff
    if day_start is not None:
        again = and_(again, col(Article.last_nudged_at) < day_start)
    return or_(
        and_(col(Article.last_nudged_at).is_(None), col(Article.created_at) <= cutoff),
        again,
    )


def articles_to_nudge(
    session: Session,
    *,
    now: datetime,
    interval: timedelta,
    limit: int = 100,
    day_start: datetime | None = None,
) -> list[NudgeCandidate]:
    """Articles with unclaimed tickets whose last nudge (or intake) is an interval old
    (and, with `day_start`, was not today)."""
    open_count = func.count(col(Ticket.id)).label("open_count")
    rows = session.execute(
        select(
            col(Article.id),
            col(Article.channel),
            col(Article.ts),
            col(Article.reply_ts),
            open_count,
        )
        .join(Ticket, col(Ticket.article_id) == col(Article.id))
        .where(col(Ticket.status) == "open", _nudge_due(now, interval, day_start))
        .group_by(col(Article.id), col(Article.channel), col(Article.ts), col(Article.reply_ts))
        .order_by(col(Article.id))
        .limit(limit)
    )
    return [
        NudgeCandidate(aid, channel, ts, reply_ts, int(count))
        for aid, channel, ts, reply_ts, count in rows
        if aid is not None
    ]


def claim_nudge(
    session: Session,
    *,
    article_id: int,
    now: datetime,
    interval: timedelta,
    day_start: datetime | None = None,
) -> bool:
    """Win this interval's nudge for the article; False if already nudged or nothing is open.

    One conditional UPDATE of `article.last_nudged_at`; post the nudge in the same transaction
    (roll back if Slack refuses) so at most one nudge per interval goes out per article.
    """
    has_open = exists().where(col(Ticket.article_id) == article_id, col(Ticket.status) == "open")
    won = session.scalar(
        update(Article)
        .where(col(Article.id) == article_id, _nudge_due(now, interval, day_start), has_open)
        .values(last_nudged_at=now)
        .returning(col(Article.id))
        .execution_options(synchronize_session=False)
    )
    return won is not None


def claim_digest_run(
    session: Session,
    *,
    channel: str,
    local_date: date,
    owner: str,
    now: datetime,
    stale_after: timedelta = DIGEST_TAKEOVER_AFTER,
) -> DigestRun | None:
    """Win the right to post `channel`'s digest for `local_date`; None if another replica has.

    `INSERT ... ON CONFLICT (channel, local_date) DO NOTHING`: exactly one caller inserts.
    A run claimed but not marked posted within `stale_after` (its replica died) is taken over
    by one caller through a conditional UPDATE. Commit the claim, post, then call
    `mark_digest_posted`; a crash between Slack accepting and that call repeats the digest
    after `stale_after` (the documented window).
    """
    inserted = session.scalar(
        dialect_insert(session, DigestRun)
        .values(
            channel=channel, local_date=local_date, status="claimed", owner=owner, claimed_at=now
        )
        .on_conflict_do_nothing(index_elements=["channel", "local_date"])  # type: ignore[attr-defined]
        .returning(col(DigestRun.id))
    )
    run_id = inserted
    if run_id is None:
        run_id = session.scalar(
            update(DigestRun)
            .where(
                col(DigestRun.channel) == channel,
                col(DigestRun.local_date) == local_date,
                col(DigestRun.status) == "claimed",
                col(DigestRun.claimed_at) <= now - stale_after,
            )
            .values(owner=owner, claimed_at=now)
            .returning(col(DigestRun.id))
            .execution_options(synchronize_session=False)
        )
    if run_id is None:
        return None
    return session.get(DigestRun, run_id, populate_existing=True)


def mark_digest_posted(
    session: Session, *, run_id: int, owner: str, now: datetime, message_ts: str | None = None
) -> bool:
    """Record that Slack accepted the digest; False if the run is not ours (taken over)."""
    won = session.scalar(
        update(DigestRun)
        .where(
            col(DigestRun.id) == run_id,
            col(DigestRun.owner) == owner,
            col(DigestRun.status) == "claimed",
        )
        .values(status="posted", posted_at=now, message_ts=message_ts)
        .returning(col(DigestRun.id))
        .execution_options(synchronize_session=False)
    )
    return won is not None


def last_digest_at(session: Session, *, channel: str) -> datetime | None:
    """When the last digest posted to `channel` went out (the digest's "since")."""
    return session.scalar(
        select(func.max(col(DigestRun.posted_at))).where(
            col(DigestRun.channel) == channel, col(DigestRun.status) == "posted"
        )
    )
