"""Offered claims on the desk: listed at the end of an article's thread, filed on request."""

from __future__ import annotations

from datetime import datetime
from typing import Final

from sqlmodel import Session

from bot.errors import Conflict, NotFound
from bot.extract import Extraction
from bot.outbox import deliver_owed
from bot.render.offers import ALREADY_FILED, OFFER_GONE
from bot.render.thread import chunk_tickets
from bot.services import Services
from storage.articles import get_article
from storage.db import session_scope
from storage.models import Ticket
from storage.offers import OfferDraft, file_offer
from storage.outbox import enqueue_card_update, enqueue_offers, enqueue_thread
from storage.tickets import tickets_for_article

# The thread lists at most this many offered claims (one compact line each).
MAX_OFFERED: Final = 10


def offer_drafts(extraction: Extraction, limit: int = MAX_OFFERED) -> list[OfferDraft]:
    """The claims the budget left out, strongest first, at most `limit`."""
    offered = sorted(
        (c for c in extraction.claims if not c.ticket), key=lambda c: (-c.score, c.start)
    )
    return [OfferDraft(c.text, c.start, c.end, c.score) for c in offered[:limit]]


def file_offered_claim(
    services: Services, actor: str, offer_id: int, *, thread_ts: str | None = None
) -> Ticket:
    """File an offered claim as a ticket once, show its card in the thread, mark the offer.

    The ticket, its card (in the thread message its id falls in: the last one when it has
    room, else a new one), the header's new counts and the offers list showing who filed it
    are all owed to Slack in the transaction that files it, then delivered at once.

    Raises NotFound for an unknown offer and Conflict (naming the ticket) when someone filed
    it already, so a second press, or a second person, files nothing.
    """
    now = services.clock()
    with session_scope(services.engine) as session:
        offer, ticket = file_offer(session, offer_id, actor=actor, now=now)
        if offer is not None and ticket is not None:
            _owe_card(session, ticket, now=now)
    if offer is None:
        raise NotFound(OFFER_GONE)
    if ticket is None:
        raise Conflict(ALREADY_FILED.format(ticket=offer.ticket_id, user=offer.filed_by))
    deliver_owed(services)
    return ticket


def _owe_card(session: Session, ticket: Ticket, *, now: datetime) -> None:
    """The new ticket's card, the header's new counts and the offers list, owed now."""
    assert ticket.id is not None
    article = get_article(session, ticket.article_id)
    assert article is not None
    all_tickets = tickets_for_article(session, ticket.article_id)
    part = next(
        i
        for i, chunk in enumerate(chunk_tickets(all_tickets), 1)
        if ticket.id in {t.id for t in chunk}
    )
    thread_ts = article.thread_ts or article.ts
    channel = article.channel
    enqueue_thread(
        session,
        article_id=ticket.article_id,
        channel=channel,
        thread_ts=thread_ts,
        parts=[part],
        now=now,
    )
    enqueue_card_update(
        session, article_id=ticket.article_id, channel=article.channel, ticket_id=ticket.id, now=now
    )
    enqueue_offers(
        session, article_id=ticket.article_id, channel=channel, thread_ts=thread_ts, now=now
    )
