"""Reminder leases on the ticket table and their delivery rows (`reminder_delivery`).

    acquire_due_reminders()   commit   -> send DM per checker ->   record_reminders_sent()  commit
          (ticket leased: next_reminder_at pushed to now+lease, lease_owner = me)

If the DM fails in any way the tickets are handed back (`defer_reminders`); if the process dies
the lease runs out and the ticket is due again for a later sweep of any replica.

A ticket whose lease ran out still names its last lease holder, and a hand-back after a failure
that leaves Slack's side unknown (a dropped connection, a timeout) keeps it: the next lease of
that ticket comes back `maybe_posted`, and the sweeper looks for the DM before sending another.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import case, select, tuple_, update
from sqlmodel import Session, col

from storage.db import insert_ignore
from storage.models import Article, ReminderDelivery, Ticket


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
    #: An earlier attempt at this very reminder may have reached Slack (its lease ran out, or
    #: its answer was lost), from about `due_since`: look for it before posting again.
    maybe_posted: bool = False
    due_since: datetime | None = None

    @property
    def key(self) -> str:
        """Names this reminder (ticket, claim, reminder number) in the DM's metadata."""
        return f"{self.ticket_id}:{self.claim_number}:{self.reminder_number}"


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

    RETURNING hands back everything the DM needs (the ticket's fields and its article's link
    and title). The only other statement is the same SELECT just before, locking the rows and
    reading who held each lease (RETURNING sees only the new holder).

    If the lease expires before `record_reminders_sent` (Slack 429, crash), the ticket is due
    again and will be leased by a later sweep. Results are ordered by assignee, then due time,
    ready to be grouped into one DM per checker. Cost follows the due work (partial index
    `ix_ticket_due`), not the size of the table.
    """
    candidates = (
        select(col(Ticket.id), col(Ticket.lease_owner), col(Ticket.next_reminder_at))
        .where(col(Ticket.status) == "claimed", col(Ticket.next_reminder_at) <= now)
        .order_by(col(Ticket.next_reminder_at))
        .limit(limit)
    )
    if session.get_bind().dialect.name == "postgresql":
        candidates = candidates.with_for_update(skip_locked=True)
    # Who held each lease before, read under the lock the UPDATE then takes over (our own row
    # locks do not make SKIP LOCKED skip): a leftover holder means an earlier attempt may have
    # posted this reminder.
    before = {ticket_id: (holder, due) for ticket_id, holder, due in session.execute(candidates)}
    if not before:
        return []
    rows = session.execute(
        update(Ticket)
        .where(col(Ticket.id).in_(candidates.with_only_columns(col(Ticket.id)).scalar_subquery()))
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
            maybe_posted=before.get(ticket_id, (None, None))[0] is not None,
            due_since=before.get(ticket_id, (None, None))[1],
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


def last_reminder_message(session: Session, *, assignee: str) -> str | None:
    """The ts of the newest reminder DM Slack accepted for `assignee` (to replace it)."""
    return session.scalar(
        select(col(ReminderDelivery.message_ts))
        .where(
            col(ReminderDelivery.assignee) == assignee,
            col(ReminderDelivery.message_ts).is_not(None),
        )
        .order_by(col(ReminderDelivery.sent_at).desc(), col(ReminderDelivery.id).desc())
        .limit(1)
    )


def still_held_from(session: Session, *, assignee: str, message_ts: str) -> set[int]:
    """Tickets a reminder DM named that `assignee` still holds (claimed): what it still reminds of."""
    return set(
        session.scalars(
            select(col(Ticket.id))
            .join(ReminderDelivery, col(ReminderDelivery.ticket_id) == col(Ticket.id))
            .where(
                col(ReminderDelivery.message_ts) == message_ts,
                col(ReminderDelivery.assignee) == assignee,
                col(Ticket.status) == "claimed",
                col(Ticket.assignee) == assignee,
            )
        )
    )


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
            insert_ignore(
                session,
                ReminderDelivery,
                conflict=["ticket_id", "claim_number", "reminder_number"],
            )
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


def defer_reminders(
    session: Session,
    *,
    ticket_ids: list[int],
    owner: str,
    until: datetime,
    maybe_posted: bool = False,
) -> int:
    """Hand leased reminders back to be due at `until` (quiet hours, or retry sooner than the
    lease after a refused send). Only the lease holder's tickets change; returns how many.

    `maybe_posted` (the DM's fate is unknown) keeps the holder's name on the tickets, so the
    next lease looks for that DM before sending another."""
    if not ticket_ids:
        return 0
    result = session.scalars(
        update(Ticket)
        .where(
            col(Ticket.id).in_(ticket_ids),
            col(Ticket.status) == "claimed",
            col(Ticket.lease_owner) == owner,
        )
        .values(next_reminder_at=until, lease_owner=owner if maybe_posted else None)
        .returning(col(Ticket.id))
        .execution_options(synchronize_session=False)
    )
    return len(list(result))
