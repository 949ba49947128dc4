"""A checker corrects who said a quote: one audited change, seen by exports; refusals change nothing."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from bot import workflow as wf
from bot.cli.export import claim_review
from bot.errors import BadInput, NotAllowed
from bot.extract.types import SPEAKER_ORGANISATION, SPEAKER_PERSON, SPEAKER_UNNAMED
from storage.articles import get_article
from storage.db import session_scope
from storage.models import Ticket
from storage.tickets import audit_trail, get_ticket
from tests.factories import T0, make_article, make_ticket

EDITOR = "UEDITOR"
POLICY = wf.DeskPolicy(editors=frozenset({EDITOR}))


def _quote(engine: Engine, **overrides: object) -> int:
    with session_scope(engine) as session:
        values: dict[str, object] = {
            "kind": "quote",
            "text": "We will win.",
            "speaker": "Mark Lee",
            "speaker_title": "mayor",
            "speaker_kind": SPEAKER_PERSON,
        }
        values.update(overrides)
        ticket = make_ticket(session, make_article(session), **values)
        assert ticket.id is not None
        return ticket.id


def _fix(
    engine: Engine, ticket_id: int, actor: str = "U1", *, speaker: str, title: str | None = None
) -> Ticket:
    with session_scope(engine) as session:
        return wf.fix_speaker(
            ticket_id,
            session=session,
            actor=actor,
            now=T0,
            policy=POLICY,
            speaker=speaker,
            title=title,
        )


def _row(engine: Engine, ticket_id: int) -> Ticket:
    with session_scope(engine) as session:
        ticket = get_ticket(session, ticket_id)
    assert ticket is not None
    return ticket


def test_a_fixed_speaker_is_stored_with_an_audit_row_and_keeps_the_status(engine: Engine) -> None:
    ticket_id = _quote(engine)
    _fix(engine, ticket_id, speaker="  Ann   Lee ", title="council chair")
    row = _row(engine, ticket_id)
    assert (row.speaker, row.speaker_title, row.speaker_kind) == (
        "Ann Lee",
        "council chair",
        SPEAKER_PERSON,
    )
    assert row.status == "open"
    with session_scope(engine) as session:
        (event,) = audit_trail(session, ticket_id)
    assert (event.action, event.actor, event.from_status, event.to_status) == (
        "fix_speaker",
        "U1",
        "open",
        "open",
    )
    assert event.detail["previous_speaker"] == "Mark Lee"
    assert event.detail["previous_title"] == "mayor"
    assert event.detail["speaker"] == "Ann Lee"


@pytest.mark.parametrize(
    ("typed", "kind"),
    [
        ("the shipping alliance", SPEAKER_ORGANISATION),
        ("the White House", SPEAKER_ORGANISATION),
        ("a senior official", SPEAKER_UNNAMED),
        ("Ghazala Khan", SPEAKER_PERSON),
    ],
)
def test_what_the_speaker_is_follows_the_words(engine: Engine, typed: str, kind: str) -> None:
    ticket_id = _quote(engine)
    _fix(engine, ticket_id, speaker=typed)
    assert (_row(engine, ticket_id).speaker, _row(engine, ticket_id).speaker_kind) == (typed, kind)


def test_exports_use_the_fixed_speaker(engine: Engine) -> None:
    ticket_id = _quote(engine, status="verified", assignee="U1", verdict="Accurate", closed_at=T0)
    _fix(engine, ticket_id, actor=EDITOR, speaker="the shipping alliance")
    with session_scope(engine) as session:
        ticket = get_ticket(session, ticket_id)
        assert ticket is not None
        article = get_article(session, ticket.article_id)
        assert article is not None
        review = claim_review(ticket, article, author_name="Fact Desk", org_url=None)
    assert review is not None
    assert review["itemReviewed"]["author"] == {
        "@type": "Organization",
        "name": "the shipping alliance",
    }


@pytest.mark.parametrize(
    ("overrides", "actor", "refusal", "message"),
    [
        ({"kind": "claim", "speaker": None}, "U1", BadInput, wf.NOT_A_QUOTE.format(id=1)),
        (
            {"status": "claimed", "assignee": "U2"},
            "U1",
            NotAllowed,
            wf.HELD_BY_OTHER.format(id=1, assignee="U2", action="fix"),
        ),
        (
            {"status": "verified", "assignee": "U1", "verdict": "Accurate", "closed_at": T0},
            "U1",
            NotAllowed,
            wf.EDITORS_ONLY.format(action="fix the speaker of a finished ticket"),
        ),
    ],
    ids=["a-claim", "held-by-another", "finished-for-a-checker"],
)
def test_refusals_say_why_and_change_nothing(
    engine: Engine,
    overrides: dict[str, object],
    actor: str,
    refusal: type[Exception],
    message: str,
) -> None:
    ticket_id = _quote(engine, **overrides)
    before = _row(engine, ticket_id)
    with pytest.raises(refusal) as raised:
        _fix(engine, ticket_id, actor=actor, speaker="Ann Lee")
    assert str(raised.value) == message
    after = _row(engine, ticket_id)
    assert (after.speaker, after.speaker_title) == (before.speaker, before.speaker_title)
    with session_scope(engine) as session:
        assert audit_trail(session, ticket_id) == []


def test_the_holder_and_an_editor_may_fix_a_claimed_quote(engine: Engine) -> None:
    ticket_id = _quote(engine, status="claimed", assignee="U2")
    _fix(engine, ticket_id, actor="U2", speaker="Ann Lee")
    _fix(engine, ticket_id, actor=EDITOR, speaker="Ann B. Lee")
    row = _row(engine, ticket_id)
    assert (row.speaker, row.status, row.assignee) == ("Ann B. Lee", "claimed", "U2")


@pytest.mark.parametrize(
    ("speaker", "message"),
    [
        ("   ", wf.NEED_SPEAKER),
        ("x" * 121, wf.SPEAKER_TOO_LONG.format(limit=wf.MAX_SPEAKER_CHARS, length=121)),
    ],
    ids=["blank", "too-long"],
)
def test_a_blank_or_overlong_speaker_is_refused(engine: Engine, speaker: str, message: str) -> None:
    ticket_id = _quote(engine)
    with pytest.raises(BadInput) as raised:
        _fix(engine, ticket_id, speaker=speaker)
    assert str(raised.value) == message
    assert _row(engine, ticket_id).speaker == "Mark Lee"
