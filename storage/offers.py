"""Offered claims: stored with an article's tickets, listed in its thread, filed once on request."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlmodel import Session, col

from storage.models import Article, OfferedClaim, Ticket
from storage.tickets import TicketDraft, create_tickets


@dataclass(frozen=True)
class OfferDraft:
    """A claim the budget left out, strongest first, before it has an id."""

    text: str
    start: int
    end: int
    score: float


def store_offers(
    session: Session, *, article_id: int, drafts: Sequence[OfferDraft], now: datetime
) -> None:
    """Insert an article's offered claims, ranked 1.. in the order given. Never commits.

    Called in the transaction that stores the article's tickets, after its `processing` gate,
    so a retried intake stores them once.
    """
    session.add_all(
        OfferedClaim(
            article_id=article_id,
            rank=rank,
            text=draft.text,
            start_offset=draft.start,
            end_offset=draft.end,
            score=draft.score,
            created_at=now,
        )
        for rank, draft in enumerate(drafts, start=1)
    )
    session.flush()


def offers_for_article(session: Session, article_id: int) -> list[OfferedClaim]:
    return list(
        session.scalars(
            select(OfferedClaim)
            .where(col(OfferedClaim.article_id) == article_id)
            .order_by(col(OfferedClaim.rank))
            .execution_options(populate_existing=True)
        )
    )


def get_offer(session: Session, offer_id: int) -> OfferedClaim | None:
    return session.scalars(
        select(OfferedClaim)
        .where(col(OfferedClaim.id) == offer_id)
        .execution_options(populate_existing=True)
    ).one_or_none()


def set_offers_message(session: Session, *, article_id: int, channel: str, ts: str) -> None:
    """Remember the thread message that lists the article's offered claims."""
    session.execute(
        update(OfferedClaim)
        .where(col(OfferedClaim.article_id) == article_id)
        .values(message_channel=channel, message_ts=ts)
        .execution_options(synchronize_session=False)
    )


def file_offer(
    session: Session, offer_id: int, *, actor: str, now: datetime
) -> tuple[OfferedClaim | None, Ticket | None]:
    """File an offered claim as an open claim ticket with its `create` audit row, exactly once.

    One conditional `UPDATE offered_claim SET filed_by, filed_at WHERE id = :id AND filed_at
    IS NULL RETURNING` decides who files it: a second press, or a second person at the same
    moment, finds it filed (on PostgreSQL the loser's UPDATE waits for the winner's row lock,
    then re-checks the WHERE; SQLite runs one writer at a time). The winner inserts the ticket
    in the same transaction. Returns (offer, new ticket), (offer, None) when someone filed it
    already, or (None, None) when there is no such offer. Never commits.
    """
    won = session.scalar(
        update(OfferedClaim)
        .where(col(OfferedClaim.id) == offer_id, col(OfferedClaim.filed_at).is_(None))
        .values(filed_by=actor, filed_at=now)
        .returning(col(OfferedClaim.id))
    )
    offer = get_offer(session, offer_id)
    if won is None or offer is None:
        return offer, None
    channel = session.scalar(
        select(col(Article.channel)).where(col(Article.id) == offer.article_id)
    )
    (ticket,) = create_tickets(
        session,
        article_id=offer.article_id,
        channel=str(channel),
        drafts=[
            TicketDraft(
                "claim", offer.text, offer.start_offset, offer.end_offset, score=offer.score
            )
        ],
        actor=actor,
        now=now,
        detail={"offered_claim_id": offer.id},
    )
    assert ticket.id is not None
    session.execute(
        update(OfferedClaim)
        .where(col(OfferedClaim.id) == offer_id)
        .values(ticket_id=ticket.id)
        .execution_options(synchronize_session=False)
    )
    offer.ticket_id = ticket.id
    session.flush()
    return offer, ticket
