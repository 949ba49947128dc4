"""A Slack message becomes one article with one set of tickets, however often it arrives."""

from __future__ import annotations

import threading
from datetime import timedelta

from sqlalchemy import Engine, func, select

from storage.articles import claim_article_intake, mark_article_failed, store_tickets
from storage.db import session_scope
from storage.models import Article, AuditEvent, Ticket
from storage.tickets import TicketDraft
from tests.factories import T0

DRAFTS = [
    TicketDraft("claim", "Unemployment fell to 3%.", 0, 24, score=0.9),
    TicketDraft("quote", "We will not raise taxes.", 30, 54, speaker="Ann Lee", speaker_title="PM"),
]


def _ingest(engine: Engine, ts: str = "1700.1") -> tuple[int, bool]:
    """What the listener does: claim the message, then (only if new) store its tickets."""
    with session_scope(engine) as session:
        article, created = claim_article_intake(
            session, team="T1", channel="C1", ts=ts, now=T0, text="..."
        )
        article_id = article.id
    assert article_id is not None
    if created:
        with session_scope(engine) as session:
            store_tickets(session, article_id=article_id, drafts=DRAFTS, now=T0, title="Budget")
    return article_id, created


def _counts(engine: Engine) -> tuple[int, int, int]:
    with session_scope(engine) as session:
        return (
            session.scalar(select(func.count()).select_from(Article)) or 0,
            session.scalar(select(func.count()).select_from(Ticket)) or 0,
            session.scalar(select(func.count()).select_from(AuditEvent)) or 0,
        )


def test_retried_event_creates_nothing_new(engine: Engine) -> None:
    first = _ingest(engine)
    retry = _ingest(engine)
    assert first == (1, True)
    assert retry == (1, False)
    assert _counts(engine) == (1, 2, 2)


def test_store_tickets_twice_stores_once(engine: Engine) -> None:
    article_id, _ = _ingest(engine)
    with session_scope(engine) as session:
        again = store_tickets(session, article_id=article_id, drafts=DRAFTS, now=T0)
    assert [t.id for t in again] == [1, 2]
    assert _counts(engine) == (1, 2, 2)


def test_concurrent_ingests_of_one_message(engine: Engine) -> None:
    barrier = threading.Barrier(8)
    results: list[tuple[int, bool]] = []
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            barrier.wait()
            results.append(_ingest(engine, ts="1700.9"))
        except BaseException as error:  # surfaced by the assertion below
            errors.append(error)

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(created for _, created in results) == [False] * 7 + [True]
    # One article for all eight (its id need not be 1: on PostgreSQL every INSERT ... ON
    # CONFLICT draws from the sequence, the losers' numbers included).
    assert len({article_id for article_id, _ in results}) == 1
    assert _counts(engine) == (1, 2, 2)


def test_ingest_keeps_what_the_reply_needs(engine: Engine) -> None:
    article_id, _ = _ingest(engine)
    with session_scope(engine) as session:
        article = session.get(Article, article_id)
        quote = session.get(Ticket, 2)
    assert article is not None
    assert quote is not None
    assert (article.intake_status, article.title) == ("ready", "Budget")
    assert (quote.kind, quote.speaker, quote.speaker_title, quote.status) == (
        "quote",
        "Ann Lee",
        "PM",
        "open",
    )


def test_failed_intake_is_recorded_with_its_reason(engine: Engine) -> None:
    with session_scope(engine) as session:
        article, _ = claim_article_intake(session, team="T1", channel="C1", ts="5.5", now=T0)
        assert article.id is not None
        assert mark_article_failed(session, article_id=article.id, reason="link returned 404")
    with session_scope(engine) as session:
        again, created = claim_article_intake(session, team="T1", channel="C1", ts="5.5", now=T0)
    assert not created
    assert (again.intake_status, again.failure_reason) == ("failed", "link returned 404")


def test_stale_intake_is_taken_over_once(engine: Engine) -> None:
    with session_scope(engine) as session:
        claim_article_intake(session, team="T1", channel="C1", ts="6.6", now=T0)
    later = T0 + timedelta(minutes=10)
    with session_scope(engine) as session:
        _, first = claim_article_intake(
            session, team="T1", channel="C1", ts="6.6", now=later, stale_after=timedelta(minutes=5)
        )
    with session_scope(engine) as session:
        _, second = claim_article_intake(
            session, team="T1", channel="C1", ts="6.6", now=later, stale_after=timedelta(minutes=5)
        )
    assert (first, second) == (True, False)
