"""The morning digest's numbers on a prepared desk: what an editor reads at 09:00."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import Engine

from storage.db import session_scope
from storage.digest_figures import ArticleProgress, CheckerLoad, digest_figures
from tests.factories import T0, make_article, make_ticket

YESTERDAY = T0 - timedelta(days=1)
NOW = T0 + timedelta(hours=8)


def _prepare(engine: Engine) -> None:
    with session_scope(engine) as session:
        old = make_article(session, title="Old", created_at=YESTERDAY - timedelta(days=3))
        make_ticket(
            session,
            old,
            status="verified",
            assignee="U1",
            verdict="Accurate",
            closed_at=YESTERDAY - timedelta(days=2),
            created_at=YESTERDAY - timedelta(days=3),
        )
        budget = make_article(session, title="Budget", permalink="https://slack/p1")
        make_ticket(session, budget)  # open
        make_ticket(
            session, budget, status="claimed", assignee="U1", due_at=T0 + timedelta(hours=4)
        )
        make_ticket(
            session, budget, status="claimed", assignee="U2", due_at=NOW + timedelta(hours=1)
        )
        make_ticket(
            session, budget, status="verified", assignee="U2", verdict="Accurate", closed_at=T0
        )
        make_ticket(
            session,
            budget,
            status="flagged",
            assignee="U1",
            verdict="Misleading",
            reason="figure from 2019",
            closed_at=T0,
        )
        other = make_article(session, channel="C2", title="Elsewhere")
        make_ticket(session, other, status="claimed", assignee="U1", due_at=T0)


def test_channel_digest_figures(engine: Engine) -> None:
    _prepare(engine)
    with session_scope(engine) as session:
        figures = digest_figures(session, channel="C1", since=YESTERDAY, now=NOW)
    assert (figures.open, figures.claimed, figures.overdue) == (1, 2, 1)
    assert (figures.new_articles, figures.new_tickets) == (1, 5)
    assert (figures.verified_since, figures.flagged_since, figures.dismissed_since) == (1, 1, 0)
    [flagged] = figures.flagged
    assert (flagged.ticket_id, flagged.verdict, flagged.reason, flagged.article_permalink) == (
        6,
        "Misleading",
        "figure from 2019",
        "https://slack/p1",
    )
    assert [(o.ticket_id, o.assignee) for o in figures.overdue_tickets] == [(3, "U1")]
    assert figures.load == [CheckerLoad("U1", 1, 1), CheckerLoad("U2", 1, 0)]
    # The text's opening comes along: an untitled article is named by its first line.
    lead = "The minister said unemployment fell to 3% last year."
    assert figures.progress == [ArticleProgress(2, "Budget", "https://slack/p1", 2, 5, lead)]
    assert figures.articles_in_progress == 1


def test_whole_desk_digest_figures(engine: Engine) -> None:
    _prepare(engine)
    with session_scope(engine) as session:
        figures = digest_figures(session, channel=None, since=YESTERDAY, now=NOW, list_limit=1)
    assert (figures.open, figures.claimed, figures.overdue) == (1, 3, 2)
    assert figures.load == [CheckerLoad("U1", 2, 2), CheckerLoad("U2", 1, 0)]
    assert figures.articles_in_progress == 2
    assert len(figures.progress) == 1
    assert len(figures.overdue_tickets) == 1
