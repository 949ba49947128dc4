"""Article intake: claim a Slack message exactly once, then store its tickets in one transaction."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, and_, func, select, update
from sqlmodel import Session, col

from storage.db import insert_ignore
from storage.models import Article, Ticket
from storage.offers import OfferDraft, store_offers
from storage.tickets import TicketDraft, create_tickets, tickets_for_article

INTAKE_ACTOR = "factcheck"


def get_article(session: Session, article_id: int) -> Article | None:
    return session.get(Article, article_id, populate_existing=True)


def find_article(session: Session, *, team: str, channel: str, ts: str) -> Article | None:
    return session.scalars(
        select(Article)
        .where(col(Article.team) == team, col(Article.channel) == channel, col(Article.ts) == ts)
        .execution_options(populate_existing=True)
    ).one_or_none()


def claim_article_intake(
    session: Session,
    *,
    team: str,
    channel: str,
    ts: str,
    now: datetime,
    text: str = "",
    permalink: str | None = None,
    source_url: str | None = None,
    title: str | None = None,
    byline: str | None = None,
    posted_by: str | None = None,
    thread_ts: str | None = None,
    stale_after: timedelta | None = None,
    retry_failed: bool = False,
) -> tuple[Article, bool]:
    """Record that this Slack message is being ingested; `created` says whether we won.

    One `INSERT ... ON CONFLICT (team, channel, ts) DO NOTHING RETURNING id`: a retried event
    or a second replica handling the same message gets `(existing_article, False)` and must
    not extract or post again. On PostgreSQL a concurrent second insert waits for the first
    transaction and then does nothing, so commit this claim in its own short transaction
    before the slow work (fetching, extraction, posting).

    With `stale_after`, an intake left `processing` for longer than that (the replica died
    mid-way) is taken over by one caller (a conditional UPDATE), who gets `created=True`.
    With `retry_failed`, a `failed` intake (a link that could not be read) is started again
    the same way: someone asked for it explicitly.
    """
    values: dict[str, Any] = {
        "team": team,
        "channel": channel,
        "ts": ts,
        "text": text,
        "permalink": permalink,
        "source_url": source_url,
        "title": title,
        "byline": byline,
        "posted_by": posted_by,
        "thread_ts": thread_ts,
        "created_at": now,
        "intake_status": "processing",
        "intake_started_at": now,
    }
    statement = (
        insert_ignore(session, Article, conflict=["team", "channel", "ts"])
        .values(values)
        .returning(col(Article.id))
    )
    new_id = session.scalar(statement)
    if new_id is not None:
        article = get_article(session, int(new_id))
        assert article is not None
        return article, True
    existing = find_article(session, team=team, channel=channel, ts=ts)
    if existing is None:  # pragma: no cover - the conflicting row cannot vanish (no deletes)
        raise RuntimeError(f"article {channel}/{ts} conflicted but is not readable")
    takeover: ColumnElement[bool] | None = None
    if stale_after is not None and existing.intake_status == "processing":
        takeover = and_(
            col(Article.intake_status) == "processing",
            col(Article.intake_started_at) <= now - stale_after,
        )
    elif retry_failed and existing.intake_status == "failed":
        takeover = col(Article.intake_status) == "failed"
    if takeover is not None:
        retaken = session.scalar(
            update(Article)
            .where(col(Article.id) == existing.id, takeover)
            .values(intake_status="processing", intake_started_at=now, failure_reason=None)
            .returning(col(Article.id))
        )
        if retaken is not None:
            article = get_article(session, int(retaken))
            assert article is not None
            return article, True
    return existing, False


def store_tickets(
    session: Session,
    *,
    article_id: int,
    drafts: Sequence[TicketDraft],
    now: datetime,
    offers: Sequence[OfferDraft] = (),
    text: str | None = None,
    title: str | None = None,
    byline: str | None = None,
    source_url: str | None = None,
) -> list[Ticket]:
    """`store_tickets_once`, or the tickets already stored when another call got there first."""
    stored = store_tickets_once(
        session,
        article_id=article_id,
        drafts=drafts,
        now=now,
        offers=offers,
        text=text,
        title=title,
        byline=byline,
        source_url=source_url,
    )
    return tickets_for_article(session, article_id) if stored is None else stored


def store_tickets_once(
    session: Session,
    *,
    article_id: int,
    drafts: Sequence[TicketDraft],
    now: datetime,
    offers: Sequence[OfferDraft] = (),
    text: str | None = None,
    title: str | None = None,
    byline: str | None = None,
    source_url: str | None = None,
    content_key: str | None = None,
) -> list[Ticket] | None:
    """Mark the intake `ready` and insert its tickets with their `create` audit rows, once.

    The conditional `UPDATE article SET intake_status='ready' WHERE status='processing'` is
    the gate: a second call (a replica that took over an intake it thought abandoned) stores
    nothing and gets None, so it owes Slack nothing either. Offered claims (`offers`, strongest
    first) are stored with them. Text, title, byline and source URL, when given, replace what the
    intake recorded (a fetched link has them only after extraction). Never commits.
    """
    changes: dict[str, Any] = {"intake_status": "ready", "failure_reason": None}
    for name, value in (
        ("text", text),
        ("title", title),
        ("byline", byline),
        ("source_url", source_url),
        ("content_key", content_key),
    ):
        if value is not None:
            changes[name] = value
    channel = session.scalar(
        update(Article)
        .where(col(Article.id) == article_id, col(Article.intake_status) == "processing")
        .values(changes)
        .returning(col(Article.channel))
    )
    if channel is None:
        return None
    tickets = create_tickets(
        session,
        article_id=article_id,
        channel=channel,
        drafts=drafts,
        actor=INTAKE_ACTOR,
        now=now,
    )
    if offers:
        store_offers(session, article_id=article_id, drafts=offers, now=now)
    return tickets


def mark_article_failed(session: Session, *, article_id: int, reason: str) -> bool:
    """Record why intake gave up (fetch failed, nothing found); True if it was processing."""
    won = session.scalar(
        update(Article)
        .where(col(Article.id) == article_id, col(Article.intake_status) == "processing")
        .values(intake_status="failed", failure_reason=reason)
        .returning(col(Article.id))
    )
    return won is not None


def set_article_reply(
    session: Session, *, article_id: int, reply_ts: str, permalink: str | None = None
) -> None:
    """Remember the bot's thread reply (and the article's permalink once known)."""
    values: dict[str, Any] = {"reply_ts": reply_ts}
    if permalink is not None:
        values["permalink"] = permalink
    session.execute(
        update(Article)
        .where(col(Article.id) == article_id)
        .values(values)
        .execution_options(synchronize_session=False)
    )


def articles_by_ids(session: Session, article_ids: Sequence[int]) -> dict[int, Article]:
    if not article_ids:
        return {}
    rows = session.scalars(select(Article).where(col(Article.id).in_(list(article_ids))))
    return {a.id: a for a in rows if a.id is not None}


def recent_articles(
    session: Session, *, channel: str | None = None, since: datetime | None = None, limit: int = 50
) -> list[Article]:
    statement = select(Article)
    conditions: list[ColumnElement[bool]] = []
    if channel is not None:
        conditions.append(col(Article.channel) == channel)
    if since is not None:
        conditions.append(col(Article.created_at) >= since)
    if conditions:
        statement = statement.where(*conditions)
    return list(session.scalars(statement.order_by(col(Article.created_at).desc()).limit(limit)))


def article_channels(session: Session, *, since: datetime | None = None) -> list[str]:
    """Channels articles were taken from (since `since`), sorted: the intake channels in use.

    Used when FACTCHECK_CHANNELS is empty (the bot watches every channel it is in) and no
    FACTCHECK_DIGEST_CHANNEL is set, so each channel gets its own digest.
    """
    statement = select(col(Article.channel)).distinct()
    if since is not None:
        statement = statement.where(col(Article.created_at) >= since)
    return sorted(session.scalars(statement.order_by(col(Article.channel))))


def stalled_intakes(
    session: Session, *, now: datetime, stale_after: timedelta, limit: int = 20
) -> list[Article]:
    """Intakes still `processing` after `stale_after`: their process died; someone must finish."""
    return list(
        session.scalars(
            select(Article)
            .where(
                col(Article.intake_status) == "processing",
                col(Article.intake_started_at) <= now - stale_after,
            )
            .order_by(col(Article.id))
            .limit(limit)
        )
    )


def newest_article_ts(session: Session, *, team: str, channel: str) -> str | None:
    """The newest Slack message taken as an article in `channel` (catch-up starts after it).

    Slack ts strings of one era have the same number of digits, so text order is time order.
    """
    return session.scalar(
        select(func.max(col(Article.ts))).where(
            col(Article.team) == team, col(Article.channel) == channel
        )
    )


def known_article_ts(session: Session, *, team: str, channel: str, ts: Sequence[str]) -> set[str]:
    """Which of these messages are already articles (in any intake state)."""
    if not ts:
        return set()
    return set(
        session.scalars(
            select(col(Article.ts)).where(
                col(Article.team) == team,
                col(Article.channel) == channel,
                col(Article.ts).in_(list(ts)),
            )
        )
    )
