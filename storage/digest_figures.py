"""The digest's and App Home's figures, computed by aggregate SQL over the active desk only."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import Select, and_, case, func, or_, select, union
from sqlmodel import Session, col

from storage.models import FINISHED_STATUSES, Article, Ticket

# How much of an untitled article's text is read to find its headline (its first line).
LEAD_CHARS = 200

_S = TypeVar("_S", bound=Select[*tuple[Any, ...]])


@dataclass(frozen=True)
class FlaggedItem:
    """A ticket found wrong since the last digest: flagged, or verified with a wrong verdict."""

    ticket_id: int
    text: str
    verdict: str | None
    reason: str | None
    assignee: str | None
    article_permalink: str | None
    status: str = "flagged"
    source: str | None = None  # the first source the checker gave
    speaker: str | None = None
    article_title: str | None = None
    article_id: int | None = None


@dataclass(frozen=True)
class UnclaimedItem:
    """The oldest ticket nobody has claimed: how long it has waited, and where."""

    ticket_id: int
    text: str
    created_at: datetime
    speaker: str | None
    article_permalink: str | None


@dataclass(frozen=True)
class OverdueItem:
    ticket_id: int
    text: str
    assignee: str
    due_at: datetime
    article_permalink: str | None = None
    speaker: str | None = None


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
    # Finished since `since`, counted by verdict (truth), apart from the workflow counts above.
    verdicts_since: dict[str, int] = field(default_factory=dict)
    # How many tickets `flagged` would list without its limit (flagged + wrong verdicts).
    found_wrong_since: int = 0
    oldest_unclaimed: UnclaimedItem | None = None


def _in_channel(statement: _S, channel: str | None) -> _S:
    """Narrow a ticket query to one channel (ticket.channel, no join needed)."""
    return statement if channel is None else statement.where(col(Ticket.channel) == channel)


#: Shared with the weekly report's figures (storage/weekly_figures.py).
in_channel = _in_channel


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
    wrong_verdicts: Sequence[str] = (),
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
        )
    ).one()
    (open_, claimed, overdue, new_articles, new_tickets) = (int(value or 0) for value in counts)
    # What was finished since `since`, counted once by status and verdict: the finished
    # counts, what was found wrong and the verdicts all come from these few rows, where a query
    # each read the day's closed tickets five times over (a busy desk closes thousands a day).
    # Only a finished ticket has a closed_at; saying so lets the (status, closed_at, channel)
    # index find this channel's alone instead of reading all of it.
    finished_rows = session.execute(
        _in_channel(
            select(status, col(Ticket.verdict), func.count())
            .where(status.in_(FINISHED_STATUSES), closed_at >= since)
            .group_by(status, col(Ticket.verdict)),
            channel,
        )
    )
    finished: dict[str, int] = dict.fromkeys(FINISHED_STATUSES, 0)
    verdicts: dict[str, int] = {}
    found_wrong_since = 0
    wrong = set(wrong_verdicts)
    for state, verdict, count in finished_rows:
        finished[state] += count
        if verdict:
            verdicts[verdict] = verdicts.get(verdict, 0) + count
        # `found_wrong` below, for the list, says the same in SQL.
        if state == "flagged" or (state == "verified" and verdict in wrong):
            found_wrong_since += count
    verified, flagged, dismissed = (
        finished[state] for state in ("verified", "flagged", "dismissed")
    )

    # Found wrong: flagged (an editor should look), or verified with a wrong verdict.
    found_wrong = and_(
        closed_at >= since,
        or_(
            status == "flagged",
            and_(status == "verified", col(Ticket.verdict).in_(list(wrong_verdicts))),
        ),
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
                status,
                col(Ticket.sources),
                col(Ticket.speaker),
            ).where(found_wrong),
            channel,
        )
        .order_by(closed_at, col(Ticket.id))
        .limit(list_limit)
    )
    flagged_list = list(flagged_rows)
    article_rows = _articles(session, [row[5] for row in flagged_list])
    oldest = session.execute(
        _in_channel(
            select(
                col(Ticket.id),
                col(Ticket.text),
                col(Ticket.created_at),
                col(Ticket.speaker),
                col(Ticket.article_id),
            ).where(status == "open"),
            channel,
        )
        .order_by(col(Ticket.created_at), col(Ticket.id))
        .limit(1)
    ).first()
    oldest_unclaimed = None
    if oldest is not None and oldest[0] is not None:
        oldest_link = _articles(session, [oldest[4]]).get(oldest[4], (None, None))[0]
        oldest_unclaimed = UnclaimedItem(oldest[0], oldest[1], oldest[2], oldest[3], oldest_link)

    overdue_rows = list(
        session.execute(
            _in_channel(
                select(
                    col(Ticket.id),
                    col(Ticket.text),
                    col(Ticket.assignee),
                    col(Ticket.due_at),
                    col(Ticket.article_id),
                    col(Ticket.speaker),
                ).where(status == "claimed", col(Ticket.due_at) < now),
                channel,
            )
            .order_by(col(Ticket.due_at), col(Ticket.id))
            .limit(list_limit)
        )
    )
    overdue_articles = _articles(session, sorted({row[4] for row in overdue_rows}))

    load = checker_load(session, channel=channel, now=now, limit=max(list_limit, 50))

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
            FlaggedItem(
                tid,
                text,
                verdict,
                reason,
                assignee,
                article_rows.get(article_id, (None, None))[0],
                status=state,
                source=(sources or [None])[0],
                speaker=speaker,
                article_title=article_rows.get(article_id, (None, None))[1],
                article_id=article_id,
            )
            for tid, text, verdict, reason, assignee, article_id, state, sources, speaker in (
                flagged_list
            )
            if tid is not None
        ],
        verdicts_since=dict(sorted(verdicts.items())),
        found_wrong_since=found_wrong_since,
        oldest_unclaimed=oldest_unclaimed,
        overdue_tickets=[
            OverdueItem(
                tid,
                text,
                assignee or "",
                due_at,
                overdue_articles.get(article_id, (None, None))[0],
                speaker,
            )
            for tid, text, assignee, due_at, article_id, speaker in overdue_rows
            if tid is not None and due_at is not None
        ],
        load=load,
        progress=[
            ArticleProgress(aid, title, permalink, int(done_count or 0), int(total), opening)
            for aid, title, permalink, done_count, total, opening in progress_rows
            if aid is not None
        ],
        articles_in_progress=articles_in_progress,
    )


def checker_load(
    session: Session, *, channel: str | None, now: datetime, limit: int
) -> list[CheckerLoad]:
    """What each checker holds now (claimed, and how many overdue), most first, at most `limit`.

    Read from the partial index on claimed tickets: the cost follows the active desk.
    """
    overdue_flag = func.sum(case((col(Ticket.due_at) < now, 1), else_=0))
    rows = session.execute(
        _in_channel(
            select(col(Ticket.assignee), func.count(), overdue_flag).where(
                col(Ticket.status) == "claimed"
            ),
            channel,
        )
        .group_by(col(Ticket.assignee))
        .order_by(func.count().desc(), col(Ticket.assignee))
        .limit(limit)
    )
    return [
        CheckerLoad(assignee or "", int(count), int(late or 0)) for assignee, count, late in rows
    ]


def _articles(session: Session, article_ids: list[int]) -> dict[int, tuple[str | None, str | None]]:
    """(permalink, name) per article: its title, else the opening of its text."""
    if not article_ids:
        return {}
    rows = session.execute(
        select(
            col(Article.id),
            col(Article.permalink),
            func.coalesce(col(Article.title), func.substr(col(Article.text), 1, LEAD_CHARS)),
        ).where(col(Article.id).in_(article_ids))
    )
    return {aid: (link, name) for aid, link, name in rows if aid is not None}
