"""Ticket reads and the one conditional write every state change goes through, with its audit row."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, func, select, update
from sqlmodel import Session, col

from storage.matching import linked_cards
from storage.models import FINISHED_STATUSES, Article, AuditEvent, Ticket
from storage.outbox import enqueue_card_update


@dataclass(frozen=True)
class TicketDraft:
    """A candidate from extraction, before it has an id."""

    kind: str
    text: str
    start: int = 0
    end: int = 0
    speaker: str | None = None
    speaker_title: str | None = None
    score: float | None = None
    speaker_kind: str | None = None


def create_tickets(
    session: Session,
    *,
    article_id: int,
    channel: str,
    drafts: Sequence[TicketDraft],
    actor: str,
    now: datetime,
    detail: Mapping[str, Any] | None = None,
) -> list[Ticket]:
    """Insert open tickets of one article, each with its `create` audit row. Never commits.

    The one place tickets are born: at intake (actor: the bot) and when someone files an
    offered claim (actor: that person; `detail` names the offer).
    """
    tickets = [
        Ticket(
            article_id=article_id,
            channel=channel,
            kind=draft.kind,
            text=draft.text,
            start_offset=draft.start,
            end_offset=draft.end,
            speaker=draft.speaker,
            speaker_title=draft.speaker_title,
            speaker_kind=draft.speaker_kind,
            score=draft.score,
            status="open",
            created_at=now,
            updated_at=now,
        )
        for draft in drafts
    ]
    session.add_all(tickets)
    session.flush()
    session.add_all(
        AuditEvent(
            ticket_id=ticket.id,  # type: ignore[arg-type]
            actor=actor,
            action="create",
            from_status=None,
            to_status="open",
            detail={"article_id": article_id, **(detail or {})},
            at=now,
        )
        for ticket in tickets
    )
    session.flush()
    return tickets


def get_ticket(session: Session, ticket_id: int) -> Ticket | None:
    """The ticket as committed now (bypassing anything cached in this session)."""
    return session.scalars(
        select(Ticket).where(col(Ticket.id) == ticket_id).execution_options(populate_existing=True)
    ).one_or_none()


def transition(
    session: Session,
    ticket_id: int,
    *,
    action: str,
    actor: str,
    now: datetime,
    from_statuses: Sequence[str],
    values: Mapping[str, Any],
    assignee_in: Sequence[str] | None = None,
    extra_where: Sequence[ColumnElement[bool]] = (),
    detail: Mapping[str, Any] | None = None,
) -> Ticket | None:
    """Change one ticket if, and only if, it is still in one of `from_statuses`; audit it.

    Every state change of a ticket goes through here. It is one conditional
    `UPDATE ticket SET ... WHERE id = :id AND status = :from [AND assignee IN (...)] RETURNING`
    per candidate status (tried in order, so the audit row records the exact `from`), so two
    actors racing for the same ticket cannot both succeed on either engine: on PostgreSQL the
    loser's UPDATE waits for the winner's row lock and re-checks the WHERE; on SQLite every
    transaction is BEGIN IMMEDIATE. The winner's audit row is added in the same transaction.

    The card update the change owes Slack is written to the outbox in the same transaction,
    so no committed change can leave its card showing an older state.

    Returns the updated ticket, or None when the ticket is missing or not in an allowed state
    (the caller reads it again to explain why). Never commits.
    """
    to_status_value = values.get("status")
    for from_status in from_statuses:
        conditions: list[ColumnElement[bool]] = [
            col(Ticket.id) == ticket_id,
            col(Ticket.status) == from_status,
            *extra_where,
        ]
        if assignee_in is not None:
            conditions.append(col(Ticket.assignee).in_(list(assignee_in)))
        statement = (
            update(Ticket)
            .where(*conditions)
            .values({**values, "updated_at": now})
            .returning(Ticket)
            .execution_options(synchronize_session=False, populate_existing=True)
        )
        ticket = session.scalars(statement).one_or_none()
        if ticket is None:
            continue
        session.add(
            AuditEvent(
                ticket_id=ticket_id,
                actor=actor,
                action=action,
                from_status=from_status,
                to_status=str(to_status_value) if to_status_value is not None else from_status,
                detail=dict(detail or {}),
                at=now,
            )
        )
        enqueue_card_update(
            session,
            article_id=ticket.article_id,
            channel=ticket.channel,
            ticket_id=ticket_id,
            now=now,
        )
        # Cards that show this ticket as their earlier check, or as a later repeat, too.
        for article_id, channel, linked_id in linked_cards(session, ticket_id):
            enqueue_card_update(
                session, article_id=article_id, channel=channel, ticket_id=linked_id, now=now
            )
        session.flush()
        return ticket
    return None


def set_card(session: Session, ticket_ids: Iterable[int], *, channel: str, ts: str) -> None:
    """Remember which thread message shows these tickets' cards, so it can be chat.update'd."""
    ids = list(ticket_ids)
    if ids:
        session.execute(
            update(Ticket)
            .where(col(Ticket.id).in_(ids))
            .values(card_channel=channel, card_ts=ts)
            .execution_options(synchronize_session=False)
        )


def audit_trail(session: Session, ticket_id: int) -> list[AuditEvent]:
    return list(
        session.scalars(
            select(AuditEvent)
            .where(col(AuditEvent.ticket_id) == ticket_id)
            .order_by(col(AuditEvent.at), col(AuditEvent.id))
        )
    )


def tickets_for_checker(session: Session, assignee: str, *, limit: int = 50) -> list[Ticket]:
    """A checker's claimed tickets, the earliest due (so the overdue) first."""
    return list(
        session.scalars(
            select(Ticket)
            .where(col(Ticket.status) == "claimed", col(Ticket.assignee) == assignee)
            .order_by(col(Ticket.due_at).asc(), col(Ticket.id))
            .limit(limit)
        )
    )


def unclaimed_queue(
    session: Session, *, channel: str | None = None, limit: int = 50
) -> list[Ticket]:
    """Open tickets, oldest first; only those from articles in `channel` when given."""
    statement = select(Ticket).where(col(Ticket.status) == "open")
    if channel is not None:
        statement = statement.where(col(Ticket.channel) == channel)
    return list(session.scalars(statement.order_by(col(Ticket.id)).limit(limit)))


def count_unclaimed(session: Session, *, channel: str | None = None) -> int:
    statement = select(func.count()).select_from(Ticket).where(col(Ticket.status) == "open")
    if channel is not None:
        statement = statement.where(col(Ticket.channel) == channel)
    return int(session.scalar(statement) or 0)


def tickets_for_article(session: Session, article_id: int) -> list[Ticket]:
    return list(
        session.scalars(
            select(Ticket).where(col(Ticket.article_id) == article_id).order_by(col(Ticket.id))
        )
    )


def list_tickets(
    session: Session,
    *,
    status: str | None = None,
    article_id: int | None = None,
    limit: int | None = None,
) -> list[Ticket]:
    """Tickets by id, optionally of one status and/or one article (the `factcheck tickets` list)."""
    statement = select(Ticket)
    if status is not None:
        statement = statement.where(col(Ticket.status) == status)
    if article_id is not None:
        statement = statement.where(col(Ticket.article_id) == article_id)
    statement = statement.order_by(col(Ticket.id))
    if limit is not None:
        statement = statement.limit(limit)
    return list(session.scalars(statement))


def finished_tickets(
    session: Session,
    *,
    limit: int | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
) -> list[tuple[Ticket, Article]]:
    """Verified, flagged and dismissed tickets with their articles, by closing time (exports).

    `since` (inclusive) and `until` (exclusive) bound the closing time.
    """
    statement = (
        select(Ticket, Article)
        .join(Article, col(Article.id) == col(Ticket.article_id))
        .where(col(Ticket.status).in_(FINISHED_STATUSES))
        .order_by(col(Ticket.closed_at), col(Ticket.id))
    )
    if since is not None:
        statement = statement.where(col(Ticket.closed_at) >= since)
    if until is not None:
        statement = statement.where(col(Ticket.closed_at) < until)
    if limit is not None:
        statement = statement.limit(limit)
    return [(ticket, article) for ticket, article in session.execute(statement)]
