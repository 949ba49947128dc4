"""What checkers and editors may do to a ticket, and what they are told when they may not."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from bot import workflow as wf
from bot.errors import BadInput, Conflict, NotAllowed, NotFound
from storage.db import session_scope
from storage.models import Ticket
from storage.tickets import audit_trail, get_ticket
from tests.factories import T0, make_article, make_member, make_ticket

POLICY = wf.DeskPolicy(timezone="Europe/Berlin", editors=frozenset({"UEDITOR"}))
SOURCE = "https://stats.example.org/unemployment-2025"


def _desk(engine: Engine, *, quotes: int = 0, claims: int = 2) -> None:
    with session_scope(engine) as session:
        article = make_article(session)
        for _ in range(claims):
            make_ticket(session, article)
        for _ in range(quotes):
            make_ticket(session, article, kind="quote", speaker="Ann Lee", text="We will win.")


def _ticket(engine: Engine, ticket_id: int = 1) -> Ticket:
    with session_scope(engine) as session:
        ticket = get_ticket(session, ticket_id)
    assert ticket is not None
    return ticket


def _do(engine: Engine, action: str, ticket_id: int = 1, **kwargs: object) -> Ticket:
    fn = getattr(wf, f"{action}_ticket")
    actor = kwargs.pop("actor", "U1")
    now = kwargs.pop("now", T0)
    with session_scope(engine) as session:
        result: Ticket = fn(
            ticket_id, session=session, actor=actor, now=now, policy=POLICY, **kwargs
        )
    return result


def test_claim_sets_holder_due_time_and_audit(engine: Engine) -> None:
    _desk(engine)
    ticket = _do(engine, "claim")
    assert (ticket.status, ticket.assignee) == ("claimed", "U1")
    assert ticket.due_at == ticket.next_reminder_at == T0 + POLICY.reminder_interval
    with session_scope(engine) as session:
        trail = [(e.action, e.actor, e.from_status, e.to_status) for e in audit_trail(session, 1)]
    assert trail == [("claim", "U1", "open", "claimed")]


def test_second_claimer_is_told_who_holds_it_and_since_when(engine: Engine) -> None:
    _desk(engine)
    _do(engine, "claim", actor="U123", now=datetime(2026, 3, 3, 9, 42, tzinfo=UTC))
    with pytest.raises(Conflict) as refusal:
        _do(engine, "claim", actor="U2")
    # 09:42 UTC is 10:42 in Berlin, the desk's zone.
    assert str(refusal.value) == "#1 is already claimed by <@U123> since 10:42"


def test_unknown_ticket(engine: Engine) -> None:
    _desk(engine)
    with pytest.raises(NotFound, match=r"^no ticket #999$"):
        _do(engine, "claim", 999)


def test_claim_several_reports_each_id(engine: Engine) -> None:
    _desk(engine, claims=3)
    _do(engine, "claim", 2, actor="U9")
    with session_scope(engine) as session:
        outcomes = wf.claim_tickets(
            [1, 2, 3, 1, 77], session=session, actor="U1", now=T0, policy=POLICY
        )
    assert [(o.ticket_id, o.ok) for o in outcomes] == [
        (1, True),
        (2, False),
        (3, True),
        (77, False),
    ]
    assert isinstance(outcomes[1].error, Conflict)
    assert "<@U9>" in str(outcomes[1].error)
    assert str(outcomes[3].error) == wf.NO_TICKET.format(id=77)


def test_only_holder_or_editor_releases(engine: Engine) -> None:
    _desk(engine)
    _do(engine, "claim", actor="U123")
    with pytest.raises(NotAllowed) as refusal:
        _do(engine, "release", actor="U2")
    assert str(refusal.value) == "#1 is claimed by <@U123>; only they or an editor can release it"
    released = _do(engine, "release", actor="UEDITOR")
    assert (released.status, released.assignee, released.next_reminder_at) == ("open", None, None)


def test_verify_needs_a_link_and_a_verdict(engine: Engine) -> None:
    _desk(engine)
    _do(engine, "claim")
    with pytest.raises(BadInput, match="source link"):
        _do(engine, "verify", sources=[], verdict="Accurate")
    with pytest.raises(BadInput, match="is not a link"):
        _do(engine, "verify", sources=["ftp://x"], verdict="Accurate")
    with pytest.raises(BadInput, match="not a verdict"):
        _do(engine, "verify", sources=[SOURCE], verdict="Sort of")
    ticket = _do(
        engine, "verify", sources=[SOURCE, SOURCE], verdict="needs CONTEXT", note="2024 data"
    )
    assert (ticket.status, ticket.verdict, ticket.sources, ticket.note) == (
        "verified",
        "Needs context",
        [SOURCE],
        "2024 data",
    )
    assert ticket.next_reminder_at is None
    assert ticket.closed_at == T0


def test_finished_ticket_points_to_reopen(engine: Engine) -> None:
    _desk(engine)
    _do(engine, "verify", sources=[SOURCE], verdict="Accurate")
    with pytest.raises(Conflict, match=r"^#1 is verified; an editor can reopen it$"):
        _do(engine, "claim", actor="U2")
    with pytest.raises(NotAllowed, match="only an editor can reopen"):
        _do(engine, "reopen", actor="U1")
    reopened = _do(engine, "reopen", actor="UEDITOR")
    assert (reopened.status, reopened.verdict, reopened.sources) == ("open", None, [])
    with session_scope(engine) as session:
        last = audit_trail(session, 1)[-1]
    assert last.detail["previous_verdict"] == "Accurate"


def test_flag_reads_a_verdict_from_the_reason(engine: Engine) -> None:
    _desk(engine, claims=1, quotes=1)
    ticket = _do(engine, "flag", reason="Misleading: the figure is from 2019")
    assert (ticket.status, ticket.verdict, ticket.reason) == (
        "flagged",
        "Misleading",
        "the figure is from 2019",
    )
    quote = _do(engine, "flag", 2, reason="misattributed: said by her deputy")
    assert quote.verdict == "Misattributed"
    with pytest.raises(BadInput, match="needs a reason"):
        _do(engine, "flag", 1, reason="  ")


def test_quote_only_verdicts_are_refused_for_claims(engine: Engine) -> None:
    _desk(engine, claims=1)
    with pytest.raises(BadInput, match="not a verdict"):
        _do(engine, "verify", sources=[SOURCE], verdict="Misquoted")
    flagged = _do(engine, "flag", reason="Misquoted: no")
    assert flagged.verdict is None
    assert flagged.reason == "Misquoted: no"


def test_dismiss_with_optional_reason(engine: Engine) -> None:
    _desk(engine)
    assert _do(engine, "dismiss", 1).reason is None
    assert _do(engine, "dismiss", 2, reason="opinion, not a claim").reason == "opinion, not a claim"


def test_assign_is_for_editors_and_restarts_the_clock(engine: Engine) -> None:
    _desk(engine)
    _do(engine, "claim", actor="U1")
    with pytest.raises(NotAllowed, match="only an editor can assign"):
        _do(engine, "assign", actor="U1", assignee="U2")
    later = T0 + timedelta(hours=1)
    ticket = _do(engine, "assign", actor="UEDITOR", assignee="U2", now=later)
    assert (ticket.assignee, ticket.due_at, ticket.claim_number) == (
        "U2",
        later + POLICY.reminder_interval,
        2,
    )


def test_snooze_moves_the_next_reminder(engine: Engine) -> None:
    _desk(engine)
    _do(engine, "claim")
    until = T0 + timedelta(days=1)
    ticket = _do(engine, "snooze", until=until)
    assert (ticket.snoozed_until, ticket.next_reminder_at) == (until, until)
    with pytest.raises(BadInput):
        _do(engine, "snooze", until=T0 - timedelta(minutes=1))
    with pytest.raises(Conflict, match="not claimed"):
        _do(engine, "snooze", 2, until=until)


def test_closed_desk_lets_only_the_roster_claim(engine: Engine) -> None:
    _desk(engine)
    closed = wf.DeskPolicy(open_desk=False)
    with session_scope(engine) as session:
        make_member(session, "UCHECK")
    with session_scope(engine) as session, pytest.raises(NotAllowed) as refusal:
        wf.claim_ticket(1, session=session, actor="UPASSER", now=T0, policy=closed)
    assert str(refusal.value) == wf.NOT_ON_ROSTER
    with session_scope(engine) as session:
        assert (
            wf.claim_ticket(1, session=session, actor="UCHECK", now=T0, policy=closed).assignee
            == "UCHECK"
        )


def test_roster_changes_are_for_editors(engine: Engine) -> None:
    with session_scope(engine) as session:
        _roster(session)
        with pytest.raises(NotAllowed):
            wf.add_to_roster("U3", session=session, actor="UCHECK", now=T0, policy=POLICY)
        with pytest.raises(BadInput):
            wf.add_to_roster(
                "U3", session=session, actor="UEDITOR", now=T0, policy=POLICY, role="boss"
            )
        wf.remove_from_roster("UCHECK", session=session, actor="UEDITOR", now=T0, policy=POLICY)
        with pytest.raises(NotFound):
            wf.remove_from_roster("UCHECK", session=session, actor="UEDITOR", now=T0, policy=POLICY)
        assert [(m.user_id, m.role) for m in wf.list_roster(session=session)] == [
            ("UNEW", "editor")
        ]


def _roster(session: Session) -> None:
    wf.add_to_roster("UCHECK", session=session, actor="UEDITOR", now=T0, policy=POLICY)
    wf.add_to_roster("UNEW", session=session, actor="UEDITOR", now=T0, policy=POLICY, role="Editor")


def test_seeded_editors_can_edit_without_settings(engine: Engine) -> None:
    from storage.roster import seed_editors

    with session_scope(engine) as session:
        assert seed_editors(session, editors=["USEED", "USEED"], now=T0) == 1
        assert seed_editors(session, editors=["USEED"], now=T0) == 0
        assert wf.is_editor(session, "USEED", policy=wf.DeskPolicy())


def test_ticket_ids_are_read_as_people_write_them() -> None:
    assert wf.parse_ticket_id("#12") == 12
    assert wf.parse_ticket_id(" 7 ") == 7
    with pytest.raises(BadInput, match="write 12 or #12"):
        wf.parse_ticket_id("twelve")


FINISHES = [
    pytest.param(
        "verify",
        {"sources": [SOURCE], "verdict": "accurate", "note": " 2024 data "},
        "verified",
        {"verdict": "Accurate", "sources": [SOURCE], "note": "2024 data"},
        id="verify",
    ),
    pytest.param(
        "flag",
        {"reason": "Misleading: from 2019", "note": "ask the desk"},
        "flagged",
        {"verdict": "Misleading", "reason": "from 2019", "sources": []},
        id="flag",
    ),
    pytest.param("dismiss", {"reason": "  "}, "dismissed", {"reason": None}, id="dismiss"),
]


@pytest.mark.parametrize(("action", "arguments", "status", "detail"), FINISHES)
def test_every_finish_closes_stops_reminders_and_writes_one_audit_row(
    engine: Engine,
    action: str,
    arguments: dict[str, object],
    status: str,
    detail: dict[str, object],
) -> None:
    _desk(engine)
    _do(engine, "claim", 1)
    with pytest.raises(
        NotAllowed, match=rf"^#1 is claimed by <@U1>; only they or an editor can {action} it$"
    ):
        _do(engine, action, 1, actor="U2", **arguments)
    by_editor = _do(engine, action, 1, actor="UEDITOR", **arguments)
    open_one = _do(engine, action, 2, actor="U2", **arguments)  # an open ticket is taken at once
    assert (by_editor.status, by_editor.assignee, by_editor.closed_at) == (status, "U1", T0)
    assert (open_one.status, open_one.assignee, open_one.claimed_at) == (status, "U2", T0)
    for ticket in (by_editor, open_one):
        assert (ticket.next_reminder_at, ticket.lease_owner, ticket.snoozed_until) == (None,) * 3
    with session_scope(engine) as session:
        trail = [
            (e.action, e.from_status, e.to_status, e.actor, e.detail)
            for e in audit_trail(session, 1)
        ]
    assert trail[-1] == (action, "claimed", status, "UEDITOR", detail)
    with pytest.raises(Conflict, match=rf"^#1 is {status}; an editor can reopen it$"):
        _do(engine, action, 1, actor="UEDITOR", **arguments)
