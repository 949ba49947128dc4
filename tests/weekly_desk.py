"""A week of desk work (ISO week 2026-W10, Berlin time) for the weekly report's tests.

Every change goes through the workflow's functions, so the audit rows are the real ones.
Filed (Berlin local): Mon 5 (one at 00:30, which is still Sunday in UTC), Tue 2, Wed 1.
Finished: Mon 1, Tue 2, Wed 1, Thu 1, Fri 1 (one filed the week before). Verdict times:
5h, 24h (Alice), 48h (Bob, a flag), 24h (Carol, in NEWSROOM), 8 days (Alice): median 24h.
One ticket verified on Monday and reopened on Tuesday is not finished; one filed at 00:30 on
the next Monday (Sunday 23:30 UTC) belongs to the next week.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Engine

from bot.localslack.web_api import ALICE, BOB, CAROL, DESK, NEWSROOM
from bot.workflow import (
    DeskPolicy,
    claim_ticket,
    dismiss_ticket,
    flag_ticket,
    reopen_ticket,
    verify_ticket,
)
from storage.db import session_scope
from storage.models import Article
from tests.factories import make_article, make_ticket

BERLIN = ZoneInfo("Europe/Berlin")
WEEK = date(2026, 3, 2)  # Monday of ISO week 2026-W10
EDITOR = "U0EDITOR"
POLICY = DeskPolicy(reminder_interval=timedelta(hours=4), editors=frozenset({EDITOR}))
SOURCE = ["https://stats.example/table"]
#: When the scheduled report for WEEK is due: Monday 9 March, 09:00 in Berlin.
REPORT_DUE = datetime(2026, 3, 9, 9, 0, tzinfo=BERLIN).astimezone(UTC)


def berlin(day: int, hour: int, minute: int = 0) -> datetime:
    """A moment in March 2026, Berlin time, as the aware UTC datetime the desk stores."""
    return datetime(2026, 3, day, hour, minute, tzinfo=BERLIN).astimezone(UTC)


@dataclass(frozen=True)
class WeekOfWork:
    accurate: int
    inaccurate: int
    flagged: int
    dismissed: int
    held: int
    reopened: int
    newsroom: int
    late: int


def prepare_week(engine: Engine) -> WeekOfWork:
    """The week described in the module docstring, in DESK and NEWSROOM."""
    with session_scope(engine) as session:
        story = make_article(session, channel=DESK, title="Budget speech", now=berlin(2, 9))
        other = make_article(session, channel=NEWSROOM, title="Health bill", now=berlin(4, 9))
        older = make_article(
            session, channel=DESK, title="Old story", now=datetime(2026, 2, 26, 9, tzinfo=UTC)
        )

        def filed(article: Article, at: datetime) -> int:
            ticket_id = make_ticket(session, article, now=at).id
            assert ticket_id is not None
            return ticket_id

        early = filed(story, datetime(2026, 3, 1, 23, 30, tzinfo=UTC))  # Mon 00:30 Berlin
        accurate = filed(story, berlin(2, 10))
        inaccurate = filed(story, berlin(2, 10))
        flagged = filed(story, berlin(2, 10))
        reopened = filed(story, berlin(2, 10))
        dismissed = filed(story, berlin(3, 9))
        held = filed(story, berlin(3, 9))
        newsroom = filed(other, berlin(4, 10))
        late = filed(older, datetime(2026, 2, 26, 10, 0, tzinfo=UTC))
        filed(story, datetime(2026, 3, 8, 23, 30, tzinfo=UTC))  # Mon 9 March 00:30 Berlin
        assert early

        def verify(ticket_id: int, who: str, at: datetime, verdict: str) -> None:
            verify_ticket(
                ticket_id,
                session=session,
                actor=who,
                now=at,
                policy=POLICY,
                sources=SOURCE,
                verdict=verdict,
            )

        claim_ticket(accurate, session=session, actor=ALICE, now=berlin(2, 11), policy=POLICY)
        verify(accurate, ALICE, berlin(2, 15), "Accurate")
        verify(inaccurate, ALICE, berlin(3, 10), "Inaccurate")
        flag_ticket(
            flagged,
            session=session,
            actor=BOB,
            now=berlin(4, 10),
            policy=POLICY,
            reason="Misleading: the figure is from 2019",
        )
        dismiss_ticket(dismissed, session=session, actor=BOB, now=berlin(3, 12), policy=POLICY)
        claim_ticket(held, session=session, actor=ALICE, now=berlin(3, 12), policy=POLICY)
        verify(reopened, ALICE, berlin(2, 16), "Accurate")
        reopen_ticket(reopened, session=session, actor=EDITOR, now=berlin(3, 9), policy=POLICY)
        verify(newsroom, CAROL, berlin(5, 10), "Needs context")
        verify(late, ALICE, datetime(2026, 3, 6, 10, 0, tzinfo=UTC), "Mostly accurate")
    return WeekOfWork(accurate, inaccurate, flagged, dismissed, held, reopened, newsroom, late)
