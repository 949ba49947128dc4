"""The editors' weekly report: the past week's figures and a chart, sent once per channel and week.

When: FACTCHECK_WEEKLY_REPORT (default `Mon 09:00` in FACTCHECK_TIMEZONE; `off`: never). The
report covers the seven local days before the report's day, so a Monday report is the ISO
week just ended. Where: the digest's channels, each with the digest's scope (bot/digest.py).

Exactly once, however many replicas run, as the digest: every scheduler tick calls
`post_due_weekly_reports`, which does nothing but on the report's day from its time on, and
afterwards tries to *claim* the week for each channel (`storage.weekly_reports`, unique on
channel and week). Only the winner composes the report and writes it to the outbox in the same
transaction; the dispatcher (bot/outbox.py) draws the chart and uploads it with the report,
retrying while Slack refuses. A report missed while the bot was down goes out once when it
comes back the same (local) day.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlmodel import Session

from bot.config import Settings
from bot.digest import digest_channels, digest_scope
from bot.outbox import deliver_owed
from bot.render.blocks import SlackMessage
from bot.render.weekly import (
    chart_alt_text,
    chart_filename,
    chart_title,
    render_weekly_report,
    weekly_chart,
)
from bot.render.weekly_chart import WeeklyChart, weekly_chart_png
from bot.services import Services
from bot.user_input import parse_week
from storage.db import session_scope
from storage.outbox import enqueue
from storage.weekly_figures import DAYS_IN_WEEK, weekly_figures
from storage.weekly_reports import attach_delivery, claim_weekly_report

logger = logging.getLogger(__name__)


__all__ = [
    "WeeklyReport",
    "compose_weekly_report",
    "last_report_week",
    "parse_week",
    "post_due_weekly_reports",
    "post_weekly_report",
    "report_week_due",
]


@dataclass(frozen=True)
class WeeklyReport:
    """A composed report: the message, and the figures its chart is drawn from."""

    channel: str
    week_start: date
    message: SlackMessage
    chart: WeeklyChart


def report_week_due(settings: Settings, now: datetime) -> date | None:
    """The first day of the week owed a report now, or None (not the report's day or time yet).

    On the report's local day, from its time on: the seven days before that day.
    """
    schedule = settings.weekly_report
    if schedule is None:
        return None
    local = now.astimezone(settings.zone)
    if local.weekday() != schedule.weekday or local.time() < schedule.at:
        return None
    return local.date() - timedelta(days=DAYS_IN_WEEK)


def last_report_week(settings: Settings, now: datetime) -> date:
    """The week the latest report day (today's, once its time is past) reports on.

    With the report off, the last full ISO week (Monday to Sunday) before today.
    """
    local = now.astimezone(settings.zone)
    schedule = settings.weekly_report
    weekday, at = (schedule.weekday, schedule.at) if schedule else (0, local.time())
    days_back = (local.weekday() - weekday) % DAYS_IN_WEEK
    if days_back == 0 and local.time() < at:
        days_back = DAYS_IN_WEEK
    return local.date() - timedelta(days=days_back + DAYS_IN_WEEK)


def compose_weekly_report(
    session: Session, *, settings: Settings, channel: str, week_start: date, now: datetime
) -> WeeklyReport:
    """The report for `channel` on the week from `week_start`; pure reads, claims nothing."""
    figures = weekly_figures(
        session,
        channel=digest_scope(session, settings=settings, channel=channel) if channel else None,
        week_start=week_start,
        zone=settings.zone,
        now=now,
    )
    return WeeklyReport(
        channel=channel,
        week_start=week_start,
        message=render_weekly_report(figures),
        chart=weekly_chart(figures),
    )


def post_weekly_report(services: Services, report: WeeklyReport) -> None:
    """Post a composed report now, with its chart when one can be drawn, claiming nothing.

    On demand (`factcheck report weekly --post`); raises SlackApiError when Slack refuses.
    """
    png = weekly_chart_png(report.chart)
    if png is None:
        services.client.chat_postMessage(
            channel=report.channel,
            text=report.message.text,
            blocks=report.message.blocks,
            unfurl_links=False,
        )
        return
    services.client.files_upload_v2(
        channel=report.channel,
        file=png,
        filename=chart_filename(report.week_start),
        title=chart_title(report.week_start),
        alt_txt=chart_alt_text(report.week_start),
        blocks=json.dumps(report.message.blocks),
    )


def post_due_weekly_reports(
    services: Services, *, owner: str, now: datetime | None = None
) -> list[WeeklyReport]:
    """Owe this week's report to every digest channel that has not had it; safe on every replica.

    The week is claimed, the report composed and written to the outbox in one transaction,
    so each channel is owed exactly one report per week, and the dispatcher delivers it
    (retrying while Slack refuses). Returns the reports this call queued (usually none).
    """
    moment = now or services.clock()
    week_start = report_week_due(services.settings, moment)
    if week_start is None:
        return []
    with session_scope(services.engine) as session:
        channels = digest_channels(session, settings=services.settings, now=moment)
    owed: list[WeeklyReport] = []
    for channel in channels:
        with session_scope(services.engine) as session:
            run_id = claim_weekly_report(
                session, channel=channel, week_start=week_start, owner=owner, now=moment
            )
            if run_id is None:
                continue
            report = compose_weekly_report(
                session,
                settings=services.settings,
                channel=channel,
                week_start=week_start,
                now=moment,
            )
            outbox_id = enqueue(
                session,
                kind="weekly_report",
                channel=channel,
                text=report.message.text,
                blocks=report.message.blocks,
                now=moment,
            )
            assert outbox_id is not None  # no pending_key: the insert cannot be skipped
            attach_delivery(
                session, run_id=run_id, outbox_id=outbox_id, chart=report.chart.to_json()
            )
        logger.info("weekly report for %s (week of %s) owed by %s", channel, week_start, owner)
        owed.append(report)
    if owed:
        deliver_owed(services)
    return owed
