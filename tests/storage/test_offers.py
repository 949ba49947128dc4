"""Offered claims: stored with the tickets, not tickets themselves, filed once however pressed."""

from __future__ import annotations

import threading
from datetime import timedelta

from sqlalchemy import Engine, func, select
from sqlmodel import col

from storage.articles import claim_article_intake, store_tickets
from storage.db import session_scope
from storage.models import AuditEvent, OfferedClaim, Ticket
from storage.offers import OfferDraft, file_offer, offers_for_article
from storage.tickets import TicketDraft, list_tickets, unclaimed_queue
from tests.factories import T0

TICKETS = [TicketDraft("claim", "Unemployment fell to 3% in 2024.", 0, 32, score=0.9)]
OFFERS = [
    OfferDraft("Exports rose 4 percent last year.", 40, 73, 0.27),
    OfferDraft("The port handled 2 million containers.", 80, 118, 0.21),
]


def _article_with_offers(engine: Engine) -> int:
    with session_scope(engine) as session:
        article, _ = claim_article_intake(session, team="T1", channel="C1", ts="1.1", now=T0)
        assert article.id is not None
        store_tickets(session, article_id=article.id, drafts=TICKETS, offers=OFFERS, now=T0)
        return article.id


def _count(engine: Engine, table: type[Ticket] | type[AuditEvent]) -> int:
    with session_scope(engine) as session:
        return session.scalar(select(func.count()).select_from(table)) or 0


def test_offers_are_stored_ranked_and_are_not_tickets(engine: Engine) -> None:
    article_id = _article_with_offers(engine)
    with session_scope(engine) as session:
        offers = offers_for_article(session, article_id)
        listed = list_tickets(session)
        queue = unclaimed_queue(session)
    assert [(o.rank, o.text) for o in offers] == [(1, OFFERS[0].text), (2, OFFERS[1].text)]
    assert [t.text for t in listed] == [TICKETS[0].text]
    assert [t.text for t in queue] == [TICKETS[0].text]


def test_a_retried_intake_stores_its_offers_once(engine: Engine) -> None:
    article_id = _article_with_offers(engine)
    with session_scope(engine) as session:
        store_tickets(session, article_id=article_id, drafts=TICKETS, offers=OFFERS, now=T0)
        assert len(offers_for_article(session, article_id)) == len(OFFERS)


def test_filing_an_offer_makes_one_open_ticket_with_an_audit_row(engine: Engine) -> None:
    article_id = _article_with_offers(engine)
    later = T0 + timedelta(minutes=5)
    with session_scope(engine) as session:
        offer_id = offers_for_article(session, article_id)[0].id
        assert offer_id is not None
        offer, ticket = file_offer(session, offer_id, actor="U0ALICE", now=later)
    assert ticket is not None
    assert offer is not None
    assert (ticket.kind, ticket.status, ticket.text, ticket.channel) == (
        "claim",
        "open",
        OFFERS[0].text,
        "C1",
    )
    with session_scope(engine) as session:
        stored = session.get(OfferedClaim, offer_id)
        audit = session.scalars(
            select(AuditEvent).where(col(AuditEvent.ticket_id) == ticket.id)
        ).one()
        again = file_offer(session, offer_id, actor="U0BOB", now=later)
    assert stored is not None
    assert (stored.ticket_id, stored.filed_by) == (ticket.id, "U0ALICE")
    assert (audit.actor, audit.action, audit.detail["offered_claim_id"]) == (
        "U0ALICE",
        "create",
        offer_id,
    )
    assert again[1] is None
    assert again[0] is not None
    assert again[0].ticket_id == ticket.id
    assert _count(engine, Ticket) == 2


def test_two_people_filing_at_once_file_one_ticket(engine: Engine) -> None:
    article_id = _article_with_offers(engine)
    with session_scope(engine) as session:
        offer_id = offers_for_article(session, article_id)[1].id
    assert offer_id is not None
    barrier = threading.Barrier(6)
    filed: list[int] = []
    errors: list[BaseException] = []

    def press(user: str) -> None:
        try:
            barrier.wait()
            with session_scope(engine) as session:
                _, ticket = file_offer(session, offer_id, actor=user, now=T0)
                if ticket is not None and ticket.id is not None:
                    filed.append(ticket.id)
        except BaseException as error:  # surfaced by the assertion below
            errors.append(error)

    threads = [threading.Thread(target=press, args=(f"U0USER{n}",)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(filed) == 1
    assert _count(engine, Ticket) == 2
    assert _count(engine, AuditEvent) == 2


def test_an_unknown_offer_files_nothing(engine: Engine) -> None:
    _article_with_offers(engine)
    with session_scope(engine) as session:
        assert file_offer(session, 999, actor="U0ALICE", now=T0) == (None, None)
