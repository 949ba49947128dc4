"""Offered claims on the desk: listed at the end of an article's thread, filed on request."""

from __future__ import annotations

import logging
from typing import Final

from slack_sdk.errors import SlackApiError

from bot.desk.cards import post_in_thread, refresh_ticket_cards
from bot.errors import Conflict, NotFound
from bot.extract import Extraction
from bot.render.offers import ALREADY_FILED, OFFER_GONE, render_offers
from bot.render.thread import chunk_tickets, render_thread_message
from bot.services import Services
from storage.articles import get_article, set_article_reply
from storage.db import session_scope
from storage.models import Ticket
from storage.offers import OfferDraft, file_offer, offers_for_article, set_offers_message
from storage.tickets import set_card, tickets_for_article

logger = logging.getLogger(__name__)

# The thread lists at most this many offered claims (one compact line each).
MAX_OFFERED: Final = 10


def offer_drafts(extraction: Extraction, limit: int = MAX_OFFERED) -> list[OfferDraft]:
    """The claims the budget left out, strongest first, at most `limit`."""
    offered = sorted(
        (c for c in extraction.claims if not c.ticket), key=lambda c: (-c.score, c.start)
    )
    return [OfferDraft(c.text, c.start, c.end, c.score) for c in offered[:limit]]


def post_offers(services: Services, *, article_id: int, channel: str, thread_ts: str) -> None:
    """Post the "Also worth a look" list under the tickets (nothing when none were offered)."""
    with session_scope(services.engine) as session:
        offers = offers_for_article(session, article_id)
    if not offers:
        return
    ts = post_in_thread(
        services, channel=channel, thread_ts=thread_ts, message=render_offers(offers)
    )
    with session_scope(services.engine) as session:
        set_offers_message(session, article_id=article_id, channel=channel, ts=ts)


def file_offered_claim(
    services: Services, actor: str, offer_id: int, *, thread_ts: str | None = None
) -> Ticket:
    """File an offered claim as a ticket once, show its card in the thread, mark the offer.

    Raises NotFound for an unknown offer and Conflict (naming the ticket) when someone filed
    it already, so a second press, or a second person, files nothing.
    """
    with session_scope(services.engine) as session:
        offer, ticket = file_offer(session, offer_id, actor=actor, now=services.clock())
    if offer is None:
        raise NotFound(OFFER_GONE)
    if ticket is None:
        raise Conflict(ALREADY_FILED.format(ticket=offer.ticket_id, user=offer.filed_by))
    _show_card(services, ticket, thread_ts=thread_ts)
    _refresh_offers(services, offer.article_id)
    return ticket


def _show_card(services: Services, ticket: Ticket, *, thread_ts: str | None) -> None:
    """Put the new ticket's card in the thread message its id falls in (a new one if needed).

    Cards are grouped by id into thread messages; a new ticket has the article's highest id,
    so it joins the last message when that has room (updated in place, header counts too),
    else it starts a new message.
    """
    assert ticket.id is not None
    with session_scope(services.engine) as session:
        article = get_article(session, ticket.article_id)
        all_tickets = tickets_for_article(session, ticket.article_id)
    assert article is not None
    chunks = chunk_tickets(all_tickets)
    part, chunk = next((i, c) for i, c in enumerate(chunks, 1) if ticket.id in {t.id for t in c})
    homes = {(t.card_channel, t.card_ts) for t in chunk if t.id != ticket.id and t.card_ts}
    if len(homes) == 1:
        channel, ts = homes.pop()
        assert channel is not None
        assert ts is not None
        with session_scope(services.engine) as session:
            set_card(session, [ticket.id], channel=channel, ts=ts)
        refresh_ticket_cards(services, [ticket.id])
        return
    message = render_thread_message(chunk, all_tickets=all_tickets, part=part, parts=len(chunks))
    ts = post_in_thread(services, channel=article.channel, thread_ts=article.ts, message=message)
    with session_scope(services.engine) as session:
        set_card(session, [t.id for t in chunk if t.id is not None], channel=article.channel, ts=ts)
        if part == 1:
            set_article_reply(session, article_id=article.id or 0, reply_ts=ts)
    if part != 1:
        refresh_ticket_cards(services, [chunks[0][0].id or 0] if chunks[0] else [])


def _refresh_offers(services: Services, article_id: int) -> None:
    """Show on the offers message who filed which offer (cosmetic: a failure is logged)."""
    with session_scope(services.engine) as session:
        offers = offers_for_article(session, article_id)
    if not offers or offers[0].message_channel is None or offers[0].message_ts is None:
        return
    message = render_offers(offers)
    try:
        services.client.chat_update(
            channel=offers[0].message_channel,
            ts=offers[0].message_ts,
            text=message.text,
            blocks=message.blocks,
        )
    except SlackApiError as error:
        logger.warning(
            "offers update failed: article=%s error=%s", article_id, error.response.get("error")
        )
