"""Edits not yet applied (`article_edit_job`): an edit survives the process that took it.

    remember_edit()  commit  -> extract the new text ->  apply it + forget_edit()  commit

A process that dies in between leaves the row; `take_stalled_edits` hands it, once its lease
has run out, to whichever replica's clock looks next.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, select, update
from sqlmodel import Session, col

from storage.db import insert_ignore
from storage.models import ArticleEditJob


def remember_edit(
    session: Session,
    *,
    article_id: int,
    edit_ts: str,
    text: str,
    previous_text: str,
    edited_by: str | None,
    now: datetime,
) -> bool:
    """Keep this edit as the article's pending one unless a newer one is kept; whether it is.

    An insert that yields to an existing row, then an update only of an older row: each one
    statement, so two replicas taking two edits of one article keep the newer. Never commits.
    """
    values = {
        "edit_ts": edit_ts,
        "text": text,
        "previous_text": previous_text,
        "edited_by": edited_by,
        "taken_at": now,
    }
    inserted = session.scalar(
        insert_ignore(session, ArticleEditJob, conflict=["article_id"])
        .values(article_id=article_id, **values)
        .returning(col(ArticleEditJob.article_id))
    )
    if inserted is not None:
        return True
    updated = session.scalar(
        update(ArticleEditJob)
        .where(col(ArticleEditJob.article_id) == article_id, col(ArticleEditJob.edit_ts) < edit_ts)
        .values(values)
        .returning(col(ArticleEditJob.article_id))
        .execution_options(synchronize_session=False)
    )
    return updated is not None


def forget_edit(session: Session, *, article_id: int, edit_ts: str) -> None:
    """Drop the pending edit once `edit_ts` (or something newer) has been dealt with; a newer
    edit kept meanwhile stays. Call it in the transaction that applies the edit."""
    session.execute(
        delete(ArticleEditJob).where(
            col(ArticleEditJob.article_id) == article_id,
            col(ArticleEditJob.edit_ts) <= edit_ts,
        )
    )


def take_stalled_edits(
    session: Session, *, now: datetime, stale_after: timedelta, limit: int = 50
) -> list[ArticleEditJob]:
    """Lease pending edits whose lease ran out (their process died) to the caller.

    One `UPDATE ... SET taken_at = now WHERE article_id IN (SELECT ... FOR UPDATE SKIP LOCKED)
    RETURNING *`: each stalled edit goes to one replica per lease. Commit before applying.
    """
    stalled = (
        select(col(ArticleEditJob.article_id))
        .where(col(ArticleEditJob.taken_at) <= now - stale_after)
        .order_by(col(ArticleEditJob.taken_at))
        .limit(limit)
    )
    if session.get_bind().dialect.name == "postgresql":
        stalled = stalled.with_for_update(skip_locked=True)
    rows = session.execute(
        update(ArticleEditJob)
        .where(col(ArticleEditJob.article_id).in_(stalled.scalar_subquery()))
        .values(taken_at=now)
        .returning(
            col(ArticleEditJob.article_id),
            col(ArticleEditJob.edit_ts),
            col(ArticleEditJob.text),
            col(ArticleEditJob.previous_text),
            col(ArticleEditJob.edited_by),
        )
        .execution_options(synchronize_session=False)
    )
    return [
        ArticleEditJob(
            article_id=article_id,
            edit_ts=edit_ts,
            text=text,
            previous_text=previous_text,
            edited_by=edited_by,
            taken_at=now,
        )
        for article_id, edit_ts, text, previous_text, edited_by in rows
    ]
