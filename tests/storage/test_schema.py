"""The migrations build exactly the models' schema, and the database itself refuses bad rows."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from storage.db import session_scope
from storage.matching import is_search_index
from storage.migrate import upgrade
from storage.models import Article, SQLModel, Ticket
from tests.db import url_string
from tests.factories import T0, make_article, make_ticket


def test_migrations_match_models(engine: Engine) -> None:
    with engine.connect() as conn:
        context = MigrationContext.configure(
            conn,
            opts={
                "compare_type": True,
                "include_name": lambda name, _type, _parent: not is_search_index(name),
            },
        )
        assert compare_metadata(context, SQLModel.metadata) == []


def test_upgrade_is_idempotent(engine: Engine) -> None:
    upgrade(url_string(engine))  # already at head: a restart must not fail
    with session_scope(engine) as session:
        assert make_article(session).id == 1


@pytest.mark.parametrize(
    "change",
    [
        {"status": "done"},
        {"kind": "rumour"},
        {"status": "claimed", "assignee": None},
        {"status": "open", "assignee": "U1"},
        {"start_offset": 5, "end_offset": 2},
    ],
    ids=["status", "kind", "claimed-without-assignee", "open-with-assignee", "offsets"],
)
def test_ticket_checks_refuse_bad_rows(engine: Engine, change: dict[str, object]) -> None:
    with session_scope(engine) as session:
        ticket_id = make_ticket(session).id
    with pytest.raises(IntegrityError), session_scope(engine) as session:
        session.execute(update(Ticket).where(Ticket.id == ticket_id).values(change))  # type: ignore[arg-type]


def test_ticket_needs_an_existing_article(engine: Engine) -> None:
    with pytest.raises(IntegrityError), session_scope(engine) as session:
        session.execute(
            insert(Ticket).values(
                article_id=999, kind="claim", text="x", created_at=T0, updated_at=T0, sources=[]
            )
        )


def test_same_slack_message_cannot_be_two_articles(engine: Engine) -> None:
    with session_scope(engine) as session:
        make_article(session, channel="C1", ts="1.1")
    with pytest.raises(IntegrityError), session_scope(engine) as session:
        make_article(session, channel="C1", ts="1.1")
    with session_scope(engine) as session:
        assert session.scalar(select(func.count()).select_from(Article)) == 1
