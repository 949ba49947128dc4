"""The weekly report's figures: each local day's filing and finishing, times to verdict, checkers."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import Engine

from bot.localslack.web_api import ALICE, BOB, CAROL, DESK
from storage.db import session_scope
from storage.weekly_figures import CheckerWeek, weekly_figures
from tests.weekly_desk import BERLIN, REPORT_DUE, WEEK, prepare_week


def test_a_week_counted_by_berlin_days_with_verdict_times_from_the_audit_rows(
    engine: Engine,
) -> None:
    prepare_week(engine)
    with session_scope(engine) as session:
        week = weekly_figures(session, channel=None, week_start=WEEK, zone=BERLIN, now=REPORT_DUE)
    # Monday counts the ticket filed at 00:30 Berlin (Sunday in UTC); the one filed at 00:30
    # on the next Monday is next week's.
    assert week.filed == [5, 2, 1, 0, 0, 0, 0]
    # The ticket verified on Monday and reopened on Tuesday is not finished.
    assert week.finished == [1, 2, 1, 1, 1, 0, 0]
    assert week.by_state == {"verified": 4, "flagged": 1, "dismissed": 1}
    assert week.verdicts == {
        "Accurate": 1,
        "Inaccurate": 1,
        "Misleading": 1,
        "Needs context": 1,
        "Mostly accurate": 1,
    }
    # 5h, 24h, 24h, 48h and 8 days from filing to verdict: the middle one.
    assert week.median_to_verdict == timedelta(hours=24)
    assert week.verdicts_timed == 5
    assert week.checkers == [
        CheckerWeek(ALICE, finished=3, median_to_verdict=timedelta(hours=24), open_now=1),
        CheckerWeek(BOB, finished=2, median_to_verdict=timedelta(hours=48), open_now=0),
        CheckerWeek(CAROL, finished=1, median_to_verdict=timedelta(hours=24), open_now=0),
    ]
    assert (week.open_now, week.claimed_now) == (3, 1)


def test_a_channels_week_counts_its_own_articles_only(engine: Engine) -> None:
    prepare_week(engine)
    with session_scope(engine) as session:
        week = weekly_figures(session, channel=DESK, week_start=WEEK, zone=BERLIN, now=REPORT_DUE)
    assert week.filed == [5, 2, 0, 0, 0, 0, 0]
    assert week.finished == [1, 2, 1, 0, 1, 0, 0]
    assert "Needs context" not in week.verdicts
    assert [checker.assignee for checker in week.checkers] == [ALICE, BOB]


def test_a_quiet_week_has_no_median_and_no_checkers(engine: Engine) -> None:
    with session_scope(engine) as session:
        week = weekly_figures(session, channel=None, week_start=WEEK, zone=BERLIN, now=REPORT_DUE)
    assert week.filed == [0] * 7
    assert week.finished == [0] * 7
    assert week.median_to_verdict is None
    assert week.checkers == []
