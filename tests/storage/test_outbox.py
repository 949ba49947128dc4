"""The outbox on both engines: written with the change, one conversation in order, leased once."""

from __future__ import annotations

import threading
from datetime import timedelta

from sqlalchemy import Engine, select
from sqlmodel import col

from bot.workflow import DeskPolicy, claim_ticket
from storage.db import session_scope
from storage.models import SlackOutbox
from storage.outbox import (
    enqueue,
    enqueue_thread,
    enqueue_unreact,
    lease_card_updates,
    lease_heads,
    mark_failed,
    mark_retry,
    mark_sent,
    pending_rows,
    prune_sent,
)
from tests.factories import T0, make_article, make_ticket

LEASE = timedelta(seconds=30)


def _lease(engine: Engine, owner: str = "r1", *, at: timedelta = timedelta()) -> list[int]:
    with session_scope(engine) as session:
        return [r.id for r in lease_heads(session, owner=owner, now=T0 + at, lease=LEASE, limit=50)]


def test_a_conversation_gets_its_rows_one_at_a_time_in_order(engine: Engine) -> None:
    with session_scope(engine) as session:
        article_id = make_article(session).id or 0
        enqueue_thread(
            session, article_id=article_id, channel="C1", thread_ts="1.0", parts=[1, 2], now=T0
        )
        enqueue_unreact(session, channel="C1", ts="1.0", article_id=article_id, now=T0)
        nudge = enqueue(session, kind="post", channel="C1", thread_ts="1.0", text="nudge", now=T0)
        dm = enqueue(session, kind="post", channel="U1", text="escalation", now=T0)
    assert nudge is not None
    assert dm is not None
    assert _lease(engine) == [1, dm]  # the head of each conversation, nothing behind them
    assert _lease(engine, "r2") == []  # both heads are leased
    with session_scope(engine) as session:
        mark_retry(session, ids=[1], owner="r1", at=T0 + timedelta(seconds=5), error="ratelimited")
        mark_sent(session, ids=[dm], owner="r1", now=T0)
    assert _lease(engine, "r2") == []  # C1 waits for its head's retry time; U1 is done
    order: list[int] = []
    for step in range(1, 6):
        leased = _lease(engine, "r2", at=timedelta(seconds=5 * step))
        order += leased
        with session_scope(engine) as session:
            mark_sent(session, ids=leased, owner="r2", now=T0)
    assert order == [1, 2, 3, nudge]
    with session_scope(engine) as session:
        assert pending_rows(session) == []


def test_card_updates_coalesce_while_they_wait(engine: Engine) -> None:
    policy = DeskPolicy()
    with session_scope(engine) as session:
        article = make_article(session, channel="C1")
        tickets = [make_ticket(session, article) for _ in range(3)]
    with session_scope(engine) as session:
        for ticket in tickets:
            assert ticket.id is not None
            claim_ticket(ticket.id, session=session, actor="U1", now=T0, policy=policy)
    with session_scope(engine) as session:
        rows = pending_rows(session)
        assert [(r.kind, r.ticket_id) for r in rows] == [("card", t.id) for t in tickets]
        assert article.id is not None
        taken = lease_card_updates(
            session, article_id=article.id, channel="C1", owner="r1", now=T0, lease=LEASE
        )
        assert sorted(r.ticket_id or 0 for r in taken) == [t.id for t in tickets]
        # Leased: a later change owes a new update (this one may have rendered older state).
        assert tickets[0].id is not None
        enqueue(
            session, kind="card", channel="C1", article_id=article.id, ticket_id=tickets[0].id,
            pending_key=f"card:{tickets[0].id}", now=T0,
        )  # fmt: skip
        assert len(pending_rows(session)) == 4


def test_replicas_never_lease_the_same_row(engine: Engine) -> None:
    with session_scope(engine) as session:
        for channel in range(40):
            for _ in range(3):
                enqueue(session, kind="post", channel=f"C{channel}", text="hi", now=T0)
    leased: list[int] = []
    lock = threading.Lock()
    barrier = threading.Barrier(4)

    def replica(name: str) -> None:
        barrier.wait()
        while True:  # one moment for all (no lease runs out): each row must go to one replica
            got = _lease(engine, name)
            with session_scope(engine) as session:
                assert mark_sent(session, ids=got, owner=name, now=T0) == len(got)
                left = pending_rows(session)
            with lock:
                leased.extend(got)
            if not left:
                return

    threads = [threading.Thread(target=replica, args=(f"r{n}",)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(leased) == list(range(1, 121))


def _sent(engine: Engine, channel: str, *, at: timedelta) -> int:
    """A row Slack took at T0 + `at` (its own conversation, so it leases at once)."""
    with session_scope(engine) as session:
        row = enqueue(session, kind="post", channel=channel, text="hi", now=T0)
    assert row is not None
    with session_scope(engine) as session:
        assert [r.id for r in lease_heads(session, owner="r1", now=T0, lease=LEASE, limit=1)] == [
            row
        ]
        assert mark_sent(session, ids=[row], owner="r1", now=T0 + at) == 1
    return row


def _ids(engine: Engine) -> list[int]:
    with session_scope(engine) as session:
        return sorted(session.scalars(select(col(SlackOutbox.id))))


def test_only_rows_slack_took_before_the_cut_are_pruned_in_batches(engine: Engine) -> None:
    old = [_sent(engine, f"C{n}", at=timedelta()) for n in range(5)]
    with session_scope(engine) as session:
        failed = enqueue(session, kind="post", channel="U9", text="gone", now=T0)
        waiting = enqueue(session, kind="post", channel="C8", text="owed", now=T0)
        leased = enqueue(session, kind="post", channel="C9", text="in flight", now=T0)
    assert failed is not None
    assert waiting is not None
    assert leased is not None
    with session_scope(engine) as session:
        lease_heads(session, owner="r1", now=T0, lease=LEASE, limit=50)  # U9, C8 and C9
        mark_failed(session, ids=[failed], owner="r1", error="user_not_found")
        mark_retry(session, ids=[waiting], owner="r1", at=T0 + LEASE, error="ratelimited")
    recent = _sent(engine, "C10", at=timedelta(days=10))
    newest = _sent(engine, "C11", at=timedelta())  # old, but the newest row of all

    cut = T0 + timedelta(days=1)
    with session_scope(engine) as session:
        batches = [prune_sent(session, sent_before=cut, limit=2) for _ in range(4)]
    assert batches == [2, 2, 1, 0]
    assert _ids(engine) == [failed, waiting, leased, recent, newest]
    assert max(old) < newest

    with session_scope(engine) as session:  # a new row never takes a pruned row's id
        fresh = enqueue(session, kind="post", channel="C12", text="new", now=T0)
        assert fresh is not None
        assert fresh > newest
        assert prune_sent(session, sent_before=T0 + timedelta(days=30), limit=50) == 2
    assert _ids(engine) == [failed, waiting, leased, fresh]


def test_replicas_pruning_at_once_delete_each_row_once(engine: Engine) -> None:
    with session_scope(engine) as session:
        for n in range(120):
            enqueue(session, kind="post", channel=f"C{n}", text="hi", now=T0)
        owed = enqueue(session, kind="post", channel="C999", text="owed", now=T0)
    assert owed is not None
    with session_scope(engine) as session:
        leased = lease_heads(session, owner="r1", now=T0, lease=LEASE, limit=200)
        assert len(leased) == 121
        taken = [r.id for r in leased if r.id != owed]
        mark_sent(session, ids=taken, owner="r1", now=T0)
    deleted: list[int] = []
    barrier = threading.Barrier(4)

    def replica() -> None:
        barrier.wait()
        while True:
            with session_scope(engine) as session:
                gone = prune_sent(session, sent_before=T0 + timedelta(days=1), limit=7)
            deleted.append(gone)
            if not gone:
                return

    threads = [threading.Thread(target=replica) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(deleted) == 120
    assert _ids(engine) == [owed]  # still leased: still owed
