"""The weekly report's figures: a week's filing, finishing and verdicts, read from tickets and audit rows."""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlmodel import Session, col

from storage.digest_figures import checker_load, in_channel
from storage.models import FINISHED_STATUSES, AuditEvent, Ticket

DAYS_IN_WEEK = 7
# The audit actions that record a verdict (verify, or flag with a label from the scale).
VERDICT_ACTIONS = ("verify", "flag")


@dataclass(frozen=True)
class CheckerWeek:
    """One checker's week: tickets they finished, how long verdicts took, what they hold now."""

    assignee: str
    finished: int
    median_to_verdict: timedelta | None
    open_now: int


@dataclass(frozen=True)
class WeeklyFigures:
    """One week (seven local days from `days[0]`) of the desk, or of one channel's articles.

    `filed[i]` and `finished[i]` belong to `days[i]`. Finished means verified, flagged or
    dismissed, counted by the ticket's state now: a ticket reopened since is not finished.
    Time to verdict runs from filing to the audit row that recorded the verdict.
    """

    channel: str | None
    days: list[date]
    start: datetime
    end: datetime
    now: datetime
    filed: list[int]
    finished: list[int]
    by_state: dict[str, int]
    verdicts: dict[str, int]
    median_to_verdict: timedelta | None
    verdicts_timed: int
    checkers: list[CheckerWeek]
    open_now: int
    claimed_now: int
    extra_checkers: int = 0  # checkers beyond the list's limit, counted not listed

    @property
    def total_filed(self) -> int:
        return sum(self.filed)

    @property
    def total_finished(self) -> int:
        return sum(self.finished)


def local_midnight(day: date, zone: ZoneInfo) -> datetime:
    """The first moment of `day` in `zone` (DST-safe: each boundary is computed on its own)."""
    return datetime.combine(day, time(0), tzinfo=zone)


def _median(values: list[timedelta]) -> timedelta | None:
    return statistics.median_low(values) if values else None


def weekly_figures(
    session: Session,
    *,
    channel: str | None,
    week_start: date,
    zone: ZoneInfo,
    now: datetime,
    checker_limit: int = 15,
) -> WeeklyFigures:
    """The week of seven local days from `week_start` in `zone`, for `channel` (None: the desk).

    Reads the week's tickets by creation time and by closing time (both indexed) and, for
    those finished with a verdict, the audit row that recorded it; the cost follows the
    week's work, not the desk's history. Medians are the lower middle value (no averaging
    of two durations), so a figure is always one ticket's real time.
    """
    days = [week_start + timedelta(days=offset) for offset in range(DAYS_IN_WEEK)]
    bounds = [local_midnight(day, zone) for day in [*days, days[-1] + timedelta(days=1)]]
    start, end = bounds[0], bounds[-1]

    created = session.scalars(
        in_channel(
            select(col(Ticket.created_at)).where(
                col(Ticket.created_at) >= start, col(Ticket.created_at) < end
            ),
            channel,
        )
    )
    finished_rows = list(
        session.execute(
            in_channel(
                select(
                    col(Ticket.id),
                    col(Ticket.status),
                    col(Ticket.verdict),
                    col(Ticket.assignee),
                    col(Ticket.created_at),
                    col(Ticket.closed_at),
                ).where(
                    col(Ticket.status).in_(FINISHED_STATUSES),
                    col(Ticket.closed_at) >= start,
                    col(Ticket.closed_at) < end,
                ),
                channel,
            )
        )
    )
    with_verdict = [row[0] for row in finished_rows if row[2] and row[1] in ("verified", "flagged")]
    recorded: dict[int, datetime] = {}
    if with_verdict:
        recorded = {
            ticket_id: at
            for ticket_id, at in session.execute(
                select(col(AuditEvent.ticket_id), func.max(col(AuditEvent.at)))
                .where(
                    col(AuditEvent.ticket_id).in_(with_verdict),
                    col(AuditEvent.action).in_(VERDICT_ACTIONS),
                    col(AuditEvent.at) < end,
                )
                .group_by(col(AuditEvent.ticket_id))
            )
            if at is not None
        }

    def day_of(moment: datetime) -> int:
        for index in range(DAYS_IN_WEEK):
            if moment < bounds[index + 1]:
                return index
        return DAYS_IN_WEEK - 1

    filed = [0] * DAYS_IN_WEEK
    for moment in created:
        filed[day_of(moment)] += 1
    finished = [0] * DAYS_IN_WEEK
    by_state: Counter[str] = Counter()
    verdicts: Counter[str] = Counter()
    done_by: Counter[str] = Counter()
    times: list[timedelta] = []
    times_by: defaultdict[str, list[timedelta]] = defaultdict(list)
    for ticket_id, status, verdict, assignee, created_at, closed_at in finished_rows:
        if closed_at is None or ticket_id is None:
            continue
        finished[day_of(closed_at)] += 1
        by_state[status] += 1
        who = assignee or ""
        done_by[who] += 1
        if verdict:
            verdicts[verdict] += 1
        at = recorded.get(ticket_id)
        if at is not None and at >= created_at:
            times.append(at - created_at)
            times_by[who].append(at - created_at)

    load = checker_load(session, channel=channel, now=now, limit=max(checker_limit, 50))
    holding = {item.assignee: item.claimed for item in load}
    names = sorted(
        set(done_by) | set(holding), key=lambda who: (-done_by[who], -holding.get(who, 0), who)
    )
    names = [name for name in names if name]
    checkers = [
        CheckerWeek(
            assignee=name,
            finished=done_by[name],
            median_to_verdict=_median(times_by[name]),
            open_now=holding.get(name, 0),
        )
        for name in names[:checker_limit]
    ]
    active = session.execute(
        in_channel(
            select(
                func.count().filter(col(Ticket.status) == "open"),
                func.count().filter(col(Ticket.status) == "claimed"),
            ).where(col(Ticket.status).in_(("open", "claimed"))),
            channel,
        )
    ).one()
    return WeeklyFigures(
        channel=channel,
        days=days,
        start=start,
        end=end,
        now=now,
        filed=filed,
        finished=finished,
        by_state=dict(by_state),
        verdicts=dict(verdicts),
        median_to_verdict=_median(times),
        verdicts_timed=len(times),
        checkers=checkers,
        open_now=int(active[0] or 0),
        claimed_now=int(active[1] or 0),
        extra_checkers=max(0, len(names) - checker_limit),
    )
