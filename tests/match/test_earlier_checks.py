"""Earlier checks at intake, as a checker sees them: seen before, revisions, reused verdicts."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import Engine, select
from sqlmodel import Session, col

from bot.errors import Conflict
from bot.match.desk import content_key, match_drafts, remember_tickets
from bot.match.index import ALL_TERMS
from bot.match.matcher import Matcher
from bot.match.terms import query_terms
from bot.workflow import EARLIER_NOT_FINISHED, DeskPolicy, reuse_verdict
from storage.db import session_scope
from storage.matching import find_repaste, index_tickets, seen_before
from storage.models import Article, AuditEvent, Ticket
from storage.tickets import TicketDraft
from tests.factories import T0, make_article, make_ticket

POLICY = DeskPolicy(reminder_interval=timedelta(hours=4))
JOBS = "The city added 12,000 jobs in March, the most in a decade."
BRIDGE = "The new bridge cost $310 million, twice the original estimate."
SCHOOLS = "Every school in the district now has a full-time nurse."
QUOTE = "We will not raise taxes this year"


def _desk_ticket(session: Session, article: Article, text: str, **values: object) -> Ticket:
    ticket = make_ticket(session, article, text=text, **values)
    index_tickets(
        session,
        team=article.team,
        tickets=[ticket],
        embeddings=[None],
        terms=[query_terms(text, limit=ALL_TERMS)],
        now=T0,
    )
    return ticket


def _file(session: Session, article: Article, drafts: list[TicketDraft]) -> list[Ticket]:
    """Intake's part: match, file what is new, remember it; returns the filed tickets."""
    plan = match_drafts(session, Matcher(), team=article.team, drafts=drafts)
    tickets = [
        make_ticket(session, article, text=d.text, kind=d.kind, speaker=d.speaker)
        for d in plan.drafts
    ]
    remember_tickets(session, plan, team=article.team, tickets=tickets, now=T0)
    return tickets


def _verified_then_repeated(engine: Engine, verdict: str) -> tuple[Ticket, Ticket]:
    """A verified claim, then a new article repeating it: (earlier ticket, new ticket)."""
    with session_scope(engine) as session:
        earlier = _desk_ticket(
            session,
            make_article(session),
            JOBS,
            status="verified",
            assignee="U1",
            verdict=verdict,
            sources=["https://stats.example.org/jobs"],
        )
        [filed] = _file(session, make_article(session), [TicketDraft("claim", JOBS)])
    return earlier, filed


def test_a_verified_claim_in_a_new_article_is_seen_before(engine: Engine) -> None:
    earlier, filed = _verified_then_repeated(engine, "Accurate")
    with session_scope(engine) as session:
        seen = seen_before(session, [filed.id or 0])[filed.id or 0]
    assert seen.earlier is not None
    assert seen.earlier.id == earlier.id
    assert seen.earlier.verdict == "Accurate"


def test_another_workspace_and_another_speaker_are_not_seen_before(engine: Engine) -> None:
    with session_scope(engine) as session:
        _desk_ticket(session, make_article(session, team="T_OTHER"), JOBS)
        _desk_ticket(session, make_article(session), QUOTE, kind="quote", speaker="Ann Lee")
        filed = _file(
            session,
            make_article(session),
            [TicketDraft("claim", JOBS), TicketDraft("quote", QUOTE, speaker="Tom Reyes")],
        )
        same_speaker = _file(
            session, make_article(session), [TicketDraft("quote", QUOTE, speaker="Ms. Lee")]
        )
    with session_scope(engine) as session:
        assert seen_before(session, [t.id or 0 for t in filed]) == {}
        assert set(seen_before(session, [same_speaker[0].id or 0])) == {same_speaker[0].id}


def test_a_revised_article_files_only_what_is_new(engine: Engine) -> None:
    with session_scope(engine) as session:
        first = make_article(session)
        for text in (JOBS, BRIDGE, SCHOOLS):
            _desk_ticket(session, first, text)
        drafts = [TicketDraft("claim", t) for t in (JOBS, BRIDGE, SCHOOLS)]
        drafts.append(TicketDraft("claim", "The mayor will stand for a third term in May."))
        plan = match_drafts(session, Matcher(), team="T1", drafts=drafts)
    assert plan.revised_from == first.id
    assert plan.matched == 3
    assert [d.text for d in plan.drafts] == ["The mayor will stand for a third term in May."]


def test_one_shared_claim_does_not_make_a_revision(engine: Engine) -> None:
    with session_scope(engine) as session:
        _desk_ticket(session, make_article(session), JOBS)
        drafts = [TicketDraft("claim", t) for t in (JOBS, BRIDGE, SCHOOLS)]
        plan = match_drafts(session, Matcher(), team="T1", drafts=drafts)
    assert plan.revised_from is None
    assert len(plan.drafts) == 3
    assert plan.earlier[0] is not None


def test_reuse_verdict_copies_the_earlier_check_and_audits_it(engine: Engine) -> None:
    earlier, filed = _verified_then_repeated(engine, "Mostly accurate")
    with session_scope(engine) as session:
        reused = reuse_verdict(filed.id or 0, session=session, actor="U2", now=T0, policy=POLICY)
    assert (reused.status, reused.verdict, reused.assignee) == ("verified", "Mostly accurate", "U2")
    assert reused.sources == ["https://stats.example.org/jobs"]
    with session_scope(engine) as session:
        audit = session.scalars(
            select(AuditEvent).where(
                col(AuditEvent.ticket_id) == filed.id, col(AuditEvent.action) == "verify"
            )
        ).one()
    assert audit.detail["reused_from"] == earlier.id


def test_an_open_earlier_ticket_has_no_verdict_to_reuse(engine: Engine) -> None:
    with session_scope(engine) as session:
        earlier = _desk_ticket(session, make_article(session), JOBS)
        [filed] = _file(session, make_article(session), [TicketDraft("claim", JOBS)])
    with pytest.raises(Conflict) as refused, session_scope(engine) as session:
        reuse_verdict(filed.id or 0, session=session, actor="U2", now=T0, policy=POLICY)
    assert refused.value.message == EARLIER_NOT_FINISHED.format(earlier=earlier.id, status="open")
    with session_scope(engine) as session:
        assert session.get(Ticket, filed.id).status == "open"  # type: ignore[union-attr]


def test_a_re_paste_is_found_by_its_words_or_its_link(engine: Engine) -> None:
    text = "City approves record road budget.\n\nThe council approved $48 million."
    with session_scope(engine) as session:
        first = make_article(
            session, content_key=content_key(text), source_url="https://n.example/a"
        )
        again = make_article(session, intake_status="processing")
        same_words = find_repaste(
            session,
            team="T1",
            content_key=content_key(f"  {text.upper()} "),
            source_url=None,
            article_id=again.id or 0,
        )
        same_link = find_repaste(
            session,
            team="T1",
            content_key=None,
            source_url="https://n.example/a",
            article_id=again.id or 0,
        )
        other_team = find_repaste(
            session,
            team="T2",
            content_key=content_key(text),
            source_url=None,
            article_id=again.id or 0,
        )
    assert same_words is not None
    assert same_words.id == first.id
    assert same_link is not None
    assert same_link.id == first.id
    assert other_team is None
