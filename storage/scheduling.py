"""What the scheduler needs beside storage.reminders: batched reminder records, digest channels."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import case, select, tuple_, update
from sqlmodel import Session, col

from storage.db import dialect_insert
from storage.models import Article, ReminderDelivery, Ticket
from storage.reminders import DueReminder


def article_channels(session: Session, *, since: datetime | None = None) -> list[str]:
    """Channels articles were taken from (since `since`), sorted: the intake channels in use.

    Used when FACTCHECK_CHANNELS is empty (the bot watches every channel it is in) and no
    FACTCHECK_DIGEST_CHANNEL is set, so each channel gets its own digest.
    """
    statement = select(col(Article.channel)).distinct()
    if since is not None:
        statement = statement.where(col(Article.created_at) >= since)
    return sorted(session.scalars(statement.order_by(col(Article.channel))))


def record_reminders_sent(
    session: Session,
    *,
    reminders: Sequence[DueReminder],
    owner: str,
    now: datetime,
    interval: timedelta,
    message_ts: str | None = None,
) -> int:
    """`storage.reminders.record_reminder_sent` for every ticket of one DM, in two statements.

    Same contract, batched so a sweep's cost follows the number of DMs, not tickets: one
    multi-row `INSERT ... ON CONFLICT DO NOTHING RETURNING ticket_id` of the delivery rows (unique
    on ticket, claim and reminder number, so recording twice is harmless), then one UPDATE that
    bumps `reminders_sent`, schedules the next reminder `interval` later and clears the lease, for
    the newly recorded tickets still held by the same claim at the same count. Call only after
    Slack accepted the DM. Returns how many tickets were scheduled; never commits.
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
