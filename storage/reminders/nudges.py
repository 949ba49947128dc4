"""Thread nudges: at most one per article and interval, won by a conditional UPDATE of the article."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, exists, func, or_, select, update
from sqlmodel import Session, col

from storage.models import Article, Ticket


@dataclass(frozen=True)
class NudgeCandidate:
    article_id: int
    channel: str
    ts: str
    reply_ts: str | None
    open_count: int


def _nudge_due(now: datetime, interval: timedelta, day_start: datetime | None) -> Any:
    """The first nudge an interval after intake; then one an interval later, and (with
    `day_start`) only if the last one was before that day began: at most one a day."""
    cutoff = now - interval
    again = col(Article.last_nudged_at) <= cutoff
    if day_start is not None:
        again = and_(again, col(Article.last_nudged_at) < day_start)
    return or_(
        and_(col(Article.last_nudged_at).is_(None), col(Article.created_at) <= cutoff),
        again,
    )


def articles_to_nudge(
    session: Session,
    *,
    now: datetime,
    interval: timedelta,
    limit: int = 100,
    day_start: datetime | None = None,
) -> list[NudgeCandidate]:
    """Articles with unclaimed tickets whose last nudge (or intake) is an interval old
    (and, with `day_start`, was not today).

    A ticket an edit took out of the article is not counted: nobody is asked to claim words
    the story no longer has (its card still offers Claim). A deleted article's thread is not
    nudged: its tickets stay in the queue, on the Home tab and in reminders.
    """
    open_count = func.count(col(Ticket.id)).label("open_count")
    rows = session.execute(
        select(
            col(Article.id),
            col(Article.channel),
            col(Article.ts),
            col(Article.reply_ts),
            open_count,
        )
        .join(Ticket, col(Ticket.article_id) == col(Article.id))
        .where(
            col(Ticket.status) == "open",
            col(Ticket.gone_at).is_(None),
            col(Article.deleted_at).is_(None),
            _nudge_due(now, interval, day_start),
        )
        .group_by(col(Article.id), col(Article.channel), col(Article.ts), col(Article.reply_ts))
        .order_by(col(Article.id))
        .limit(limit)
    )
    return [
        NudgeCandidate(aid, channel, ts, reply_ts, int(count))
        for aid, channel, ts, reply_ts, count in rows
        if aid is not None
    ]


def claim_nudge(
    session: Session,
    *,
    article_id: int,
    now: datetime,
    interval: timedelta,
    day_start: datetime | None = None,
) -> bool:
    """Win this interval's nudge for the article; False if already nudged or nothing is open.

    One conditional UPDATE of `article.last_nudged_at`; post the nudge in the same transaction
    (roll back if Slack refuses) so at most one nudge per interval goes out per article.
    """
    has_open = exists().where(
        col(Ticket.article_id) == article_id,
        col(Ticket.status) == "open",
        col(Ticket.gone_at).is_(None),
    )
    won = session.scalar(
        update(Article)
        .where(col(Article.id) == article_id, _nudge_due(now, interval, day_start), has_open)
        .values(last_nudged_at=now)
        .returning(col(Article.id))
        .execution_options(synchronize_session=False)
    )
    return won is not None
