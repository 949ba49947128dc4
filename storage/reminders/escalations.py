"""Escalations to editors: one `escalation_delivery` row per ticket, claim and recipient."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import String, and_, literal, select, tuple_, update
from sqlmodel import Session, col

from storage.db import insert_ignore
from storage.models import Article, EscalationDelivery, Ticket, UTCDateTime


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
        insert_ignore(
            session, EscalationDelivery, conflict=["ticket_id", "claim_number", "recipient"]
        )
        .from_select(["ticket_id", "claim_number", "recipient", "owner", "sent_at"], rows)
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
