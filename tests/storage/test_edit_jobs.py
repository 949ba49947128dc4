"""Edits written down before they are applied: the newest kept, and a stalled one taken once."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import Engine
from sqlmodel import select

from storage.db import session_scope
from storage.edit_jobs import forget_edit, remember_edit, take_stalled_edits
from storage.models import ArticleEditJob
from tests.factories import T0, make_article

LEASE = timedelta(seconds=30)


def _article(engine: Engine) -> int:
    with session_scope(engine) as session:
        article_id = make_article(session).id
        assert article_id is not None
        return article_id


def _remember(engine: Engine, article_id: int, edit_ts: str, text: str) -> bool:
    with session_scope(engine) as session:
        return remember_edit(
            session,
            article_id=article_id,
            edit_ts=edit_ts,
            text=text,
            previous_text="before",
            edited_by="U1",
            now=T0,
        )


def _pending(engine: Engine) -> list[tuple[str, str]]:
    with session_scope(engine) as session:
        return [(j.edit_ts, j.text) for j in session.scalars(select(ArticleEditJob))]


def test_the_newest_edit_is_kept_whatever_order_they_arrive_in(engine: Engine) -> None:
    article_id = _article(engine)
    assert _remember(engine, article_id, "100.000002", "second")
    assert not _remember(engine, article_id, "100.000001", "first, late")
    assert not _remember(engine, article_id, "100.000002", "second, retried")
    assert _pending(engine) == [("100.000002", "second")]
    assert _remember(engine, article_id, "100.000003", "third")
    assert _pending(engine) == [("100.000003", "third")]


def test_applying_an_edit_keeps_a_newer_one_that_came_meanwhile(engine: Engine) -> None:
    article_id = _article(engine)
    _remember(engine, article_id, "100.000001", "first")
    _remember(engine, article_id, "100.000002", "second")
    with session_scope(engine) as session:
        forget_edit(session, article_id=article_id, edit_ts="100.000001")
    assert _pending(engine) == [("100.000002", "second")]
    with session_scope(engine) as session:
        forget_edit(session, article_id=article_id, edit_ts="100.000002")
    assert _pending(engine) == []


def test_a_stalled_edit_is_taken_after_its_lease_and_by_one_taker(engine: Engine) -> None:
    article_id = _article(engine)
    _remember(engine, article_id, "100.000001", "edited")
    with session_scope(engine) as session:  # its process may still be at work
        assert take_stalled_edits(session, now=T0 + LEASE / 2, stale_after=LEASE) == []
    with session_scope(engine) as session:
        taken = take_stalled_edits(session, now=T0 + LEASE, stale_after=LEASE)
    assert [(j.article_id, j.edit_ts, j.text, j.edited_by) for j in taken] == [
        (article_id, "100.000001", "edited", "U1")
    ]
    with session_scope(engine) as session:  # taken: the next taker waits for a new lease
        assert take_stalled_edits(session, now=T0 + LEASE, stale_after=LEASE) == []
    with session_scope(engine) as session:
        assert len(take_stalled_edits(session, now=T0 + LEASE * 2, stale_after=LEASE)) == 1
