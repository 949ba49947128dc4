"""The digest's and App Home's figures, computed by aggregate SQL over the active desk only."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import Select, case, func, select, union
from sqlmodel import Session, col

from storage.models import FINISHED_STATUSES, Article, Ticket

# How much of an untitled article's text is read to find its headline (its first line).
LEAD_CHARS = 200

_S = TypeVar("_S", bound=Select[*tuple[Any, ...]])


@dataclass(frozen=True)
class FlaggedItem:
    ticket_id: int
    text: str
    verdict: str | None
    reason: str | None
    assignee: str | None
    article_permalink: str | None


@dataclass(frozen=True)
class OverdueItem:
    ticket_id: int
    text: str
    assignee: str
    due_at: datetime


@dataclass(frozen=True)
class CheckerLoad:
    assignee: str
    claimed: int
    overdue: int


@dataclass(frozen=True)
class ArticleProgress:
    article_id: int
    title: str | None
    permalink: str | None
    done: int
    total: int
    lead: str | None = None  # the article text's opening, for its headline when untitled


@dataclass(frozen=True)
class DigestFigures:
    """Where the desk stands: counts now, what happened since `since`, and bounded lists."""

    channel: str | None
    since: datetime
    now: datetime
    open: int
    claimed: int
    overdue: int
    new_articles: int
    new_tickets: int
    verified_since: int
    flagged_since: int
    dismissed_since: int
    flagged: list[FlaggedItem]
    overdue_tickets: list[OverdueItem]
    load: list[CheckerLoad]
    progress: list[ArticleProgress]
    articles_in_progress: int


def _in_channel(statement: _S, channel: str | None) -> _S:
    """Narrow a ticket query to one channel (ticket.channel, no join needed)."""
    return statement if channel is None else statement.where(col(Ticket.channel) == channel)


def _count_tickets(channel: str | None, *conditions: Any) -> Any:
    statement = select(func.count()).select_from(Ticket).where(*conditions)
    return _in_channel(statement, channel).scalar_subquery()


def digest_figures(
    session: Session,
    *,
    channel: str | None,
    since: datetime,
    now: datetime,
    list_limit: int = 10,
) -> DigestFigures:
    """Figures for `channel`'s articles (None: the whole desk), each list at most `list_limit`.

    Every query is an aggregate or a LIMITed list that the partial indexes on active tickets
    (`status = 'open'` / `'claimed'`) or the closing/creation times answer, so the cost follows
    the active desk and the day's work, not the number of tickets ever stored.
    """
    status, closed_at = col(Ticket.status), col(Ticket.closed_at)
    article_count = (
        select(func.count()).select_from(Article).where(col(Article.created_at) >= since)
    )
    if channel is not None:
        article_count = article_count.where(col(Article.channel) == channel)
    counts = session.execute(
        select(
            _count_tickets(channel, status == "open"),
            _count_tickets(channel, status == "claimed"),
            _count_tickets(channel, status == "claimed", col(Ticket.due_at) < now),
            article_count.scalar_subquery(),
            _count_tickets(channel, col(Ticket.created_at) >= since),
            _count_tickets(channel, status == "verified", closed_at >= since),
            _count_tickets(channel, status == "flagged", closed_at >= since),
            _count_tickets(channel, status == "dismissed", closed_at >= since),
        )
    ).one()
    (open_, claimed, overdue, new_articles, new_tickets, verified, flagged, dismissed) = (
        int(value or 0) for value in counts
    )

    flagged_rows = session.execute(
        _in_channel(
            select(
                col(Ticket.id),
                col(Ticket.text),
                col(Ticket.verdict),
                col(Ticket.reason),
                col(Ticket.assignee),
                col(Ticket.article_id),
            ).where(status == "flagged", closed_at >= since),
            channel,
        )
        .order_by(closed_at, col(Ticket.id))
        .limit(list_limit)
    )
    flagged_list = list(flagged_rows)
    permalinks = _permalinks(session, [row[5] for row in flagged_list])

    overdue_rows = session.execute(
        _in_channel(
            select(
                col(Ticket.id), col(Ticket.text), col(Ticket.assignee), col(Ticket.due_at)
            ).where(status == "claimed", col(Ticket.due_at) < now),
            channel,
        )
        .order_by(col(Ticket.due_at), col(Ticket.id))
        .limit(list_limit)
    )

    overdue_flag = func.sum(case((col(Ticket.due_at) < now, 1), else_=0))
    load_rows = session.execute(
        _in_channel(
            select(col(Ticket.assignee), func.count(), overdue_flag).where(status == "claimed"),
            channel,
        )
        .group_by(col(Ticket.assignee))
        .order_by(func.count().desc(), col(Ticket.assignee))
        .limit(max(list_limit, 50))
    )

    # Articles in progress: those with an open or claimed ticket, found from the two partial
    # indexes (the active desk), then narrowed to the channel; only `list_limit` are totalled.
    active = union(
        _in_channel(select(col(Ticket.article_id)).where(status == "open"), channel),
        _in_channel(select(col(Ticket.article_id)).where(status == "claimed"), channel),
    ).subquery("active_article")
    in_progress = select(active.c.article_id)
    articles_in_progress = int(
        session.scalar(select(func.count()).select_from(in_progress.subquery())) or 0
    )
    shown = list(session.scalars(in_progress.order_by(active.c.article_id).limit(list_limit)))
    done = func.sum(case((status.in_(FINISHED_STATUSES), 1), else_=0))
    progress_rows: list[tuple[int | None, str | None, str | None, Any, int, str | None]] = []
    lead = func.substr(col(Article.text), 1, LEAD_CHARS)
    if shown:
        progress_rows = [
            tuple(row)
            for row in session.execute(
                select(
                    col(Article.id),
                    col(Article.title),
                    col(Article.permalink),
                    done,
                    func.count(col(Ticket.id)),
                    lead,
                )
                .join(Ticket, col(Ticket.article_id) == col(Article.id))
                .where(col(Article.id).in_(shown))
                .group_by(col(Article.id), col(Article.title), col(Article.permalink), lead)
                .order_by(col(Article.id))
            )
        ]

    return DigestFigures(
        channel=channel,
        since=since,
        now=now,
        open=open_,
        claimed=claimed,
        overdue=overdue,
        new_articles=new_articles,
        new_tickets=new_tickets,
        verified_since=verified,
        flagged_since=flagged,
        dismissed_since=dismissed,
        flagged=[
            FlaggedItem(tid, text, verdict, reason, assignee, permalinks.get(article_id))
            for tid, text, verdict, reason, assignee, article_id in flagged_list
            if tid is not None
        ],
        overdue_tickets=[
            OverdueItem(tid, text, assignee or "", due_at)
            for tid, text, assignee, due_at in overdue_rows
            if tid is not None and due_at is not None
        ],
        load=[
            CheckerLoad(assignee or "", int(count), int(late or 0))
            for assignee, count, late in load_rows
        ],
        progress=[
            ArticleProgress(aid, title, permalink, int(done_count or 0), int(total), opening)
            for aid, title, permalink, done_count, total, opening in progress_rows
            if aid is not None
        ],
        articles_in_progress=articles_in_progress,
    )


def _permalinks(session: Session, article_ids: list[int]) -> dict[int, str | None]:
    if not article_ids:
        return {}
    rows = session.execute(
        select(col(Article.id), col(Article.permalink)).where(col(Article.id).in_(article_ids))
    )
    return {aid: link for aid, link in rows if aid is not None}
