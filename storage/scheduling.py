"""Small reads the scheduler needs beside storage.reminders: where digests go by default."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlmodel import Session, col

from storage.models import Article


def article_channels(session: Session, *, since: datetime | None = None) -> list[str]:
    """Channels articles were taken from (since `since`), sorted: the intake channels in use.

    Used when FACTCHECK_CHANNELS is empty (the bot watches every channel it is in) and no
    FACTCHECK_DIGEST_CHANNEL is set, so each channel gets its own digest.
    """
    statement = select(col(Article.channel)).distinct()
    if since is not None:
        statement = statement.where(col(Article.created_at) >= since)
    return sorted(session.scalars(statement.order_by(col(Article.channel))))
