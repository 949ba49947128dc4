"""Weekly report runs: one `weekly_report_run` row per channel and week; whoever inserts it owes it."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import select, update
from sqlmodel import Session, col

from storage.db import insert_ignore
from storage.models import WeeklyReportRun


def claim_weekly_report(
    session: Session, *, channel: str, week_start: date, owner: str, now: datetime
) -> int | None:
    """Win the right to send `channel`'s report for the week from `week_start`; None if taken.

    `INSERT ... ON CONFLICT (channel, week_start) DO NOTHING`: exactly one caller inserts,
    however many replicas try at once (on PostgreSQL a second insert waits for the first
    transaction and then does nothing). Call it in the transaction that writes the report to
    the outbox (`attach_delivery`): the week is owed exactly when that commits, and a crash
    before the commit leaves nothing claimed, so the next tick tries again.
    """
    run_id = session.scalar(
        insert_ignore(session, WeeklyReportRun, conflict=["channel", "week_start"])
        .values(channel=channel, week_start=week_start, owner=owner, claimed_at=now)
        .returning(col(WeeklyReportRun.id))
    )
    return None if run_id is None else int(run_id)


def attach_delivery(
    session: Session, *, run_id: int, outbox_id: int, chart: dict[str, Any] | None
) -> None:
    """Record the outbox row that delivers the run, and the figures its chart is drawn from."""
    session.execute(
        update(WeeklyReportRun)
        .where(col(WeeklyReportRun.id) == run_id)
        .values(outbox_id=outbox_id, chart=chart)
        .execution_options(synchronize_session=False)
    )


def report_for_outbox(session: Session, outbox_id: int) -> WeeklyReportRun | None:
    """The run an outbox row delivers (None: it was not a weekly report's)."""
    return session.scalars(
        select(WeeklyReportRun).where(col(WeeklyReportRun.outbox_id) == outbox_id)
    ).first()
