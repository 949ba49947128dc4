"""FACTCHECK_EDITORS are on the roster from the start, however many replicas start at once."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

from sqlalchemy import Engine

from bot.config import Settings
from bot.runtime import build_services
from storage.db import make_engine, session_scope
from storage.roster import add_member, list_members, seed_editors

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def test_start_up_puts_the_configured_editors_on_the_roster(
    engine: Engine, database_url: str
) -> None:
    settings = Settings(_env_file=None, database_url=database_url, editors=["U0EDIT", "U1EDIT"])
    services = build_services(settings)
    services.engine.dispose()
    with session_scope(engine) as session:
        editors = [(m.user_id, m.role) for m in list_members(session, role="editor")]
    assert editors == [("U0EDIT", "editor"), ("U1EDIT", "editor")]


def test_a_configured_editor_who_was_a_checker_is_promoted_once(engine: Engine) -> None:
    with session_scope(engine) as session:
        add_member(session, user_id="U0EDIT", role="checker", added_by="U9", now=T0)
    with session_scope(engine) as session:
        assert seed_editors(session, editors=["U0EDIT"], now=T0) == 1
    with session_scope(engine) as session:
        assert seed_editors(session, editors=["U0EDIT"], now=T0) == 0
        assert [m.role for m in list_members(session)] == ["editor"]


def test_replicas_starting_together_seed_each_editor_once(engine: Engine) -> None:
    url = engine.url
    editors = [f"U{n}EDIT" for n in range(5)]

    def start_replica(_: int) -> int:
        replica = make_engine(url)
        try:
            with session_scope(replica) as session:
                return seed_editors(session, editors=editors, now=T0)
        finally:
            replica.dispose()

    with ThreadPoolExecutor(max_workers=8) as pool:
        changed = list(pool.map(start_replica, range(8)))
    assert sum(changed) == len(editors)
    with session_scope(engine) as session:
        assert sorted(m.user_id for m in list_members(session, role="editor")) == editors
