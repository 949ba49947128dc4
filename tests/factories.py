"""Plain-function factories: rows with sensible defaults, flushed (not committed) in a session."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime
from typing import Any

from sqlmodel import Session

from storage.models import Article, RosterMember, Ticket

T0 = datetime(2026, 3, 3, 9, 0, tzinfo=UTC)
_ts = itertools.count(1)


def make_article(session: Session, **overrides: Any) -> Article:
    """A ready article in channel C1 with a unique message ts."""
    now = overrides.pop("now", T0)
    values: dict[str, Any] = {
        "team": "T1",
        "channel": "C1",
        "ts": f"1700000000.{next(_ts):06d}",
        "permalink": None,
        "title": "Budget speech",
        "text": "The minister said unemployment fell to 3% last year.",
        "posted_by": "U0POSTER",
        "created_at": now,
        "intake_status": "ready",
        "intake_started_at": now,
    }
    values.update(overrides)
    article = Article(**values)
    session.add(article)
    session.flush()
    return article


def make_ticket(session: Session, article: Article | None = None, **overrides: Any) -> Ticket:
    """An open claim ticket (pass status/assignee/... to start elsewhere)."""
    if article is None:
        article = make_article(session)
    now = overrides.pop("now", T0)
    values: dict[str, Any] = {
        "article_id": article.id,
        "kind": "claim",
        "text": "Unemployment fell to 3% last year.",
        "start_offset": 0,
        "end_offset": 34,
        "status": "open",
        "created_at": now,
        "updated_at": now,
    }
    values.update(overrides)
    ticket = Ticket(**values)
    session.add(ticket)
    session.flush()
    return ticket


def make_member(
    session: Session, user_id: str, role: str = "checker", **overrides: Any
) -> RosterMember:
    values: dict[str, Any] = {"user_id": user_id, "role": role, "active": True, "added_at": T0}
    values.update(overrides)
    member = RosterMember(**values)
    session.add(member)
    session.flush()
    return member
