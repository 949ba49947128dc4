"""Issue 11, failure 5: the database goes silent under a running scheduler.

PostgreSQL: the link through a TcpProxy is cut (connections stay open, nothing answers), which
left the sweep blocked forever in acquire_due_reminders and every later tick skipped. SQLite:
another process holds the write lock, the nearest thing a file has to a silent server. Either
way the sweep in progress must fail within the statement timeout, and once the database is
back a later tick must send the reminder that became due meanwhile.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import Engine, update
from sqlalchemy.engine import make_url

from bot.localslack.web_api import ALICE, DESK, SlackStandIn
from bot.scheduler import SWEEP_FAILED, DeskClock
from bot.services import Services
from bot.slack_client import build_web_client
from bot.web import HEALTH_PATH, WSGIApp, build_wsgi_app
from bot.workflow import DeskPolicy, claim_ticket
from storage.db import make_engine, session_scope
from storage.models import Ticket
from tests.db import url_string
from tests.factories import make_article, make_ticket
from tests.faults.tcp_proxy import TcpProxy
from tests.reminders.conftest import desk_settings
from tests.waiting import wait_until

#: Short enough to keep the test quick, long enough for a sweep on a loaded CI machine.
STATEMENT_TIMEOUT = 1.0
POLICY = DeskPolicy(reminder_interval=timedelta(hours=1))


class Outage:
    """A database the bot reaches through `engine`, and a way to make it stop answering."""

    def __init__(self, engine: Engine, silence: AbstractContextManager[None]) -> None:
        self.engine = engine
        self.silence = silence


@contextmanager
def _proxied_postgres(direct: Engine) -> Iterator[Outage]:
    url = make_url(url_string(direct))
    with TcpProxy(url.host or "127.0.0.1", url.port or 5432) as proxy:
        engine = make_engine(
            url.set(host="127.0.0.1", port=proxy.port),
            statement_timeout=STATEMENT_TIMEOUT,
            connect_timeout=2,
        )

        @contextmanager
        def cut() -> Iterator[None]:
            proxy.cut()
            try:
                yield
            finally:
                proxy.heal()

        try:
            yield Outage(engine, cut())
        finally:
            engine.dispose()


@contextmanager
def _locked_sqlite(direct: Engine) -> Iterator[Outage]:
    path = direct.url.database
    assert path is not None
    engine = make_engine(direct.url, statement_timeout=STATEMENT_TIMEOUT)

    @contextmanager
    def hold_the_write_lock() -> Iterator[None]:
        other = sqlite3.connect(path, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
        try:
            yield
        finally:
            other.execute("ROLLBACK")
            other.close()

    try:
        yield Outage(engine, hold_the_write_lock())
    finally:
        engine.dispose()


@pytest.fixture
def outage(engine: Engine) -> Iterator[Outage]:
    build = _proxied_postgres if engine.dialect.name == "postgresql" else _locked_sqlite
    with build(engine) as made:
        yield made


def _claimed_ticket(engine: Engine, *, due: bool) -> int:
    now = datetime.now(UTC)
    with session_scope(engine) as session:
        article = make_article(session, channel=DESK, now=now - timedelta(minutes=5))
        ticket = make_ticket(session, article, now=now)
        assert ticket.id is not None
        claim_ticket(ticket.id, session=session, actor=ALICE, now=now, policy=POLICY)
        if due:
            _make_due(session, ticket.id)
        return ticket.id


def _make_due(session: Any, ticket_id: int, at: datetime | None = None) -> None:
    when = at or datetime.now(UTC)
    session.execute(
        update(Ticket).where(Ticket.id == ticket_id).values(next_reminder_at=when)  # type: ignore[arg-type]
    )


def test_a_silent_database_does_not_stop_the_scheduler(
    engine: Engine, outage: Outage, slack: SlackStandIn, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING)
    first = _claimed_ticket(engine, due=True)
    second = _claimed_ticket(engine, due=False)
    settings = desk_settings(slack, sweep_seconds=0.2, reminder_interval="1h", scheduler=True)
    services = Services(settings=settings, engine=outage.engine, client=build_web_client(settings))
    clock = DeskClock(services)
    clock.start()
    try:
        slack.wait_for(lambda: slack.dms_to(ALICE), timeout=15, description="first reminder")
        due = datetime.now(UTC) + timedelta(seconds=STATEMENT_TIMEOUT)
        with session_scope(engine) as session:
            _make_due(session, second, at=due)  # due while the database is silent
        with outage.silence:
            # The sweeps now block on the database; each must give up within the timeout.
            wait_until(
                lambda: (
                    datetime.now(UTC) > due and [r for r in caplog.records if r.msg == SWEEP_FAILED]
                ),
                timeout=15,
                description="a sweep that failed instead of hanging",
            )
        dms = slack.wait_for(
            lambda: slack.dms_to(ALICE, containing=f"#{second}"),
            timeout=20,
            description="the reminder that became due during the outage",
        )
    finally:
        clock.shutdown()
    assert len(dms) == 1
    assert f"#{first}" in slack.dms_to(ALICE)[0]["text"]
    # The outage is told in one line per failed job, not a traceback.
    assert [r.getMessage() for r in caplog.records if r.exc_info] == []


def test_healthz_says_503_while_the_database_is_silent_then_200(outage: Outage) -> None:
    """The probe answers within its bound: 503 while the link is cut (PostgreSQL) or another
    process holds the write lock every unit of work starts with (SQLite), 200 after."""
    app = build_wsgi_app(outage.engine, "http", None)
    assert _health(app) == 200
    with outage.silence:
        assert _health(app) == 503
    wait_until(lambda: _health(app) == 200, timeout=20, description="healthy again")


def _health(app: WSGIApp) -> int:
    statuses: list[str] = []
    environ = {"PATH_INFO": HEALTH_PATH, "REQUEST_METHOD": "GET"}
    b"".join(app(environ, lambda status, _headers: statuses.append(status)))
    return int(statuses[0].split()[0])
