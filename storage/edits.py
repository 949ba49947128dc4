"""Edited and deleted articles: one gate per edit, and audited marks on the tickets it touches."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import or_, select, update
from sqlmodel import Session, col

from storage.models import STATUSES, Article, Ticket
from storage.tickets import tickets_for_article, transition


def _lock_tickets(session: Session, article_id: int) -> None:
    """Lock the article's tickets (PostgreSQL; SQLite has one writer) before the article.

    Recording a thread reply changes its tickets, then the article (`set_card`, then
    `set_article_reply`); an edit or a deletion changes the article, then its tickets. Taking
    the tickets' locks first, in id order, gives both the same order: no deadlock.
    """
    session.execute(
        select(col(Ticket.id))
        .where(col(Ticket.article_id) == article_id)
        .order_by(col(Ticket.id))
        .with_for_update()
    )


def apply_article_edit(
    session: Session,
    *,
    article_id: int,
    edit_ts: str,
    text: str,
    now: datetime,
    content_key: str | None = None,
) -> Article | None:
    """Store the edited text if this edit is newer than any applied; the article, or None.

    One conditional `UPDATE article ... WHERE edit_ts IS NULL OR edit_ts < :edit_ts`: a Slack
    retry of the same edit, a second replica handling it, or an older edit arriving late
    changes nothing and gets None, so it files and posts nothing either. On PostgreSQL the
    loser waits for the winner's row lock and then re-checks the condition. Only a finished
    intake (`ready`) of an article still in Slack is edited. Call it first in the
    transaction that files the edit's tickets: the row lock orders concurrent edits. The
    article's tickets are locked before the article (`_lock_tickets`). Never commits.
    """
    _lock_tickets(session, article_id)
    values: dict[str, Any] = {"text": text, "edit_ts": edit_ts, "edited_at": now}
    if content_key is not None:
        values["content_key"] = content_key
    won = session.scalar(
        update(Article)
        .where(
            col(Article.id) == article_id,
            col(Article.intake_status) == "ready",
            col(Article.deleted_at).is_(None),
            or_(col(Article.edit_ts).is_(None), col(Article.edit_ts) < edit_ts),
        )
        .values(values)
        .returning(col(Article.id))
        .execution_options(synchronize_session=False)
    )
    if won is None:
        return None
    return session.get(Article, int(won), populate_existing=True)


def _current_first(ticket: Ticket) -> tuple[str, ...]:
    return (ticket.status, *(s for s in STATUSES if s != ticket.status))


def _mark(
    session: Session,
    tickets: Sequence[Ticket],
    *,
    action: str,
    gone_at: datetime | None,
    actor: str,
    now: datetime,
    edit_ts: str,
) -> list[int]:
    """Set (or clear) `gone_at` on tickets not already so, each audited; the ids changed."""
    # Only a ticket not so already: marking needs it unmarked, clearing needs it marked.
    to_change = (
        col(Ticket.gone_at).is_(None) if gone_at is not None else col(Ticket.gone_at).is_not(None)
    )
    changed_ids = []
    for ticket in tickets:
        assert ticket.id is not None
        changed = transition(
            session,
            ticket.id,
            action=action,
            actor=actor,
            now=now,
            from_statuses=_current_first(ticket),
            values={"gone_at": gone_at},
            extra_where=[to_change],
            detail={"edit_ts": edit_ts},
        )
        if changed is not None:
            changed_ids.append(ticket.id)
    return changed_ids


def mark_gone_from_text(
    session: Session, tickets: Sequence[Ticket], *, actor: str, now: datetime, edit_ts: str
) -> list[int]:
    """Mark tickets whose words an edit took out of the article; the ids marked (audited)."""
    return _mark(
        session,
        tickets,
        action="gone_from_text",
        gone_at=now,
        actor=actor,
        now=now,
        edit_ts=edit_ts,
    )


def mark_back_in_text(
    session: Session, tickets: Sequence[Ticket], *, actor: str, now: datetime, edit_ts: str
) -> list[int]:
    """Clear the mark of tickets a later edit put back into the article; the ids (audited)."""
    return _mark(
        session, tickets, action="back_in_text", gone_at=None, actor=actor, now=now, edit_ts=edit_ts
    )


def mark_article_deleted(
    session: Session, *, article_id: int, actor: str, now: datetime
) -> list[Ticket] | None:
    """Record that the Slack message was deleted, once; its tickets (each audited), or None.

    A conditional `UPDATE article SET deleted_at ... WHERE deleted_at IS NULL`: a retried or
    duplicated deletion gets None and owes Slack nothing. The tickets are kept as they are;
    each gets an `article_deleted` audit row and a card update. Never commits.
    """
    _lock_tickets(session, article_id)
    won = session.scalar(
        update(Article)
        .where(col(Article.id) == article_id, col(Article.deleted_at).is_(None))
        .values(deleted_at=now)
        .returning(col(Article.id))
        .execution_options(synchronize_session=False)
    )
    if won is None:
        return None
    kept = []
    for ticket in tickets_for_article(session, article_id):
        assert ticket.id is not None
        changed = transition(
            session,
            ticket.id,
            action="article_deleted",
            actor=actor,
            now=now,
            from_statuses=_current_first(ticket),
            values={},
        )
        kept.append(changed or ticket)
    return kept
