"""Earlier checks by meaning, once an article's thread is out (the encoder is not waited for)."""

from __future__ import annotations

from bot.match.desk import comparable, owe_linked_cards
from bot.match.matcher import is_confident
from bot.outbox import deliver_owed
from bot.services import Services
from storage.articles import get_article
from storage.db import session_scope
from storage.matching import link_earlier, seen_before, set_ticket_embeddings
from storage.tickets import TicketDraft, tickets_for_article


def add_meaning(services: Services, article_id: int) -> None:
    """Once an article's thread is out: its tickets' embeddings, and earlier checks by meaning.

    Intake matched by wording alone so that the thread is not held up by the encoder. Here each
    ticket gets its stored embedding (later articles find it by meaning), and a ticket with no
    earlier check yet gets one if meaning and wording together are confident; its card update
    is owed in the same transaction. A crash before this leaves wording-only matching for these
    tickets, nothing worse.
    """
    matcher = services.matcher
    if matcher.encoder is None:
        return
    with session_scope(services.engine) as session:
        article = get_article(session, article_id)
        tickets = [t for t in tickets_for_article(session, article_id) if t.id is not None]
        if article is None or not tickets:
            return
        ids = [ticket.id for ticket in tickets if ticket.id is not None]
        vectors = matcher.encode([ticket.text for ticket in tickets])
        set_ticket_embeddings(
            session, dict(zip(ids, matcher.as_stored(vectors, len(ids)), strict=True))
        )
        linked = seen_before(session, ids)
        found = matcher.find(
            session,
            team=article.team,
            texts=[t.text for t in tickets],
            top=3 + len(ids),
            vectors=vectors,
        )
        now = services.clock()
        links = []
        for ticket, matches in zip(tickets, found, strict=True):
            if ticket.id in linked:
                continue
            draft = TicketDraft(ticket.kind, ticket.text, speaker=ticket.speaker)
            match = next(
                (
                    m
                    for m in matches
                    if m.entry.ticket_id not in ids and is_confident(m) and comparable(draft, m)
                ),
                None,
            )
            if match is not None and match.entry.id is not None and ticket.id is not None:
                links.append((ticket.id, match.entry.id, match.score))
        link_earlier(session, links, now=now)
        for ticket_id, _, _ in links:
            owe_linked_cards(session, ticket_id, now=now, itself=article)
    deliver_owed(services)
