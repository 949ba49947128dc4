"""Thirty-two people press Claim at once: one gets the ticket, everyone else is told who did."""

from __future__ import annotations

import threading

from sqlalchemy import Engine, func, select

from bot import workflow as wf
from bot.errors import Conflict
from storage.db import session_scope
from storage.models import AuditEvent, Ticket
from tests.factories import T0, make_ticket

POLICY = wf.DeskPolicy()
CLAIMERS = 32


def test_32_threads_claim_one_ticket(engine: Engine) -> None:
    with session_scope(engine) as session:
        make_ticket(session)
    barrier = threading.Barrier(CLAIMERS)
    winners: list[str] = []
    refusals: list[str] = []
    unexpected: list[BaseException] = []

    def claimer(actor: str) -> None:
        barrier.wait()
        try:
            with session_scope(engine) as session:
                wf.claim_ticket(1, session=session, actor=actor, now=T0, policy=POLICY)
            winners.append(actor)
        except Conflict as refusal:
            refusals.append(str(refusal))
        except BaseException as error:
            unexpected.append(error)

    threads = [threading.Thread(target=claimer, args=(f"U{n:03d}",)) for n in range(CLAIMERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert unexpected == []
    assert len(winners) == 1
    expected = wf.ALREADY_CLAIMED.format(id=1, assignee=winners[0], since="09:00")
    assert refusals == [expected] * (CLAIMERS - 1)
    with session_scope(engine) as session:
        ticket = session.get(Ticket, 1)
        claims = session.scalar(
            select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "claim")  # type: ignore[arg-type]
        )
    assert ticket is not None
    assert ticket.assignee == winners[0]
    assert claims == 1
