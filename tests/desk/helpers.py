"""What the desk tests share: the bot served as production serves it, and ways to look at it.

A running `Desk` (bot/web.py on waitress, a real port, against the stand-in), its settings, and
helpers to read what people would see: tickets and articles in the database, thread replies,
cards. Fixtures that build desks are in conftest.py.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlmodel import select
from waitress.server import create_server

from bot.app import create_app
from bot.catchup import catch_up
from bot.config import Settings
from bot.localslack.blockkit import message_block_errors, view_errors, visible_text
from bot.localslack.driver import SlackDriver
from bot.localslack.web_api import BOB, CAROL, DESK, SlackStandIn
from bot.render import ids
from bot.services import Services
from bot.web import EVENTS_PATH, SERVER_LIMITS, build_wsgi_app, close_server
from storage.db import session_scope
from storage.models import Article, Ticket
from tests.waiting import wait_until

EDITOR = BOB


@dataclass
class Desk:
    """A running bot: its services, the driver that plays people, the stand-in."""

    services: Services
    slack: SlackStandIn
    driver: SlackDriver
    url: str


def desk_settings(stand_in: SlackStandIn, database: str, **overrides: object) -> Settings:
    values: dict[str, object] = {
        "slack_bot_token": stand_in.bot_token,
        "slack_signing_secret": stand_in.signing_secret,
        "slack_api_url": stand_in.api_url,
        "database_url": database,
        "editors": [EDITOR],
        "min_article_chars": 200,
        "scheduler": False,
        "quiet_hours": None,  # desk flows at any hour; quiet hours are tested in tests/reminders
    }
    values.update(overrides)
    return Settings(_env_file=None, **values)  # type: ignore[arg-type]


def serve(services: Services) -> tuple[str, Callable[[], None]]:
    """The production WSGI app on waitress, on a free port, in a thread; returns (url, stop)."""
    app = create_app(services)
    secret = services.settings.slack_signing_secret
    assert secret is not None
    wsgi = build_wsgi_app(
        services.engine,
        "http",
        app,
        signing_secret=secret.get_secret_value(),
        work=services.work,
    )
    server = create_server(wsgi, host="127.0.0.1", port=0, threads=8, **SERVER_LIMITS)
    thread = threading.Thread(target=server.run, name="bot-http", daemon=True)
    thread.start()
    port = server.effective_port  # type: ignore[union-attr]
    url = f"http://127.0.0.1:{port}{EVENTS_PATH}"

    def stop() -> None:
        close_server(server)
        thread.join(timeout=5)

    return url, stop


ARTICLE = (Path(__file__).parent / "article.txt").read_text(encoding="utf-8")


def catch_up_on_two_replicas(desk: Desk) -> int:
    """Two replicas start at once and catch up; how many intakes they started between them."""
    replicas = [
        desk.services,
        Services(
            settings=desk.services.settings,
            engine=desk.services.engine,
            client=desk.services.client,
        ),
    ]
    started: list[int] = []
    threads = [threading.Thread(target=lambda s=s: started.append(catch_up(s))) for s in replicas]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(started)


def wait_idle(*desks: Desk) -> None:
    """Wait until every desk has finished what its events asked for (polled: finishing may
    call Slack no more, and the stand-in's wait_for looks again only on a call)."""
    wait_until(
        lambda: all(d.services.work.waiting == 0 and d.services.work.running == 0 for d in desks),
        timeout=15,
        description="the bot has finished",
    )


def tickets(desk: Desk) -> list[Ticket]:
    with session_scope(desk.services.engine) as session:
        return list(session.scalars(select(Ticket).order_by(Ticket.id)))  # type: ignore[arg-type]


def articles(desk: Desk) -> list[Article]:
    with session_scope(desk.services.engine) as session:
        return list(session.scalars(select(Article)))


def thread_replies(slack: SlackStandIn, ts: str) -> list[dict[str, Any]]:
    return [m for m in slack.messages_in(DESK, thread_ts=ts) if m["ts"] != ts]


def paste(desk: Desk, text: str = ARTICLE) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Carol pastes an article; wait for the thread reply (header + cards)."""
    message = desk.driver.say(CAROL, DESK, text)
    replies = desk.slack.wait_for(
        lambda: thread_replies(desk.slack, message["ts"]), description="thread reply", timeout=10
    )
    return message, replies


def only_card(message: dict[str, Any], ticket_id: int) -> dict[str, Any]:
    """The message as the driver should see it to click on ticket `ticket_id`'s card.

    Every card uses the same action ids (Slack allows it, block ids differ); the driver picks
    the first element with an action id, so hand it only this ticket's blocks.
    """
    blocks = [
        b for b in message["blocks"] if ids.ticket_id_of_block(b.get("block_id", "")) == ticket_id
    ]
    return {**message, "blocks": blocks}


def card_with(desk: Desk, ts: str, text: str) -> dict[str, Any] | None:
    """The card message `ts` once its visible text contains `text`."""
    message = desk.slack.message(DESK, ts)
    return message if message is not None and text in visible_text(message["blocks"]) else None


def card_message(desk: Desk, ts: str) -> dict[str, Any]:
    found = desk.slack.message(DESK, ts)
    assert found is not None
    return found


def assert_block_kit_clean(slack: SlackStandIn) -> None:
    for call in slack.calls():
        if call.method in ("chat.postMessage", "chat.update", "chat.postEphemeral"):
            blocks = call.args.get("blocks")
            if blocks:
                assert message_block_errors(blocks) == [], call.method
        if call.method in ("views.open", "views.publish", "views.update"):
            assert view_errors(call.args.get("view")) == [], call.method
        assert call.response.get("ok"), (call.method, call.response)


# A spending round: one check-worthy figure per paragraph, more than a story's ticket budget.
SUBJECTS = [
    ("The harbour authority", "dredging the east channel"),
    ("Riverton's water board", "replacing lead pipes"),
    ("The regional rail company", "electrifying the coast line"),
    ("The county hospital trust", "a new cancer ward"),
    ("The state university", "student housing"),
    ("The ferry operator", "two hybrid ferries"),
    ("The city police", "body cameras"),
    ("The airport company", "a second runway study"),
    ("The school district", "free school meals"),
    ("The parks department", "planting 4,000 trees"),
    ("The fire service", "three new stations"),
    ("The housing agency", "1,200 social homes"),
    ("The energy utility", "offshore wind cables"),
    ("The tourism office", "a visitor tax trial"),
    ("The road agency", "resurfacing the ring road"),
    ("The library service", "longer opening hours"),
    ("The port police", "a customs scanner"),
    ("The waste company", "a recycling plant"),
    ("The harbour museum", "restoring the old lighthouse"),
    ("The bus company", "120 electric buses"),
]
LONG_ARTICLE = "Riverton's Spending Round\n\n" + "\n\n".join(
    f"{who} spent {n * 3 + 7} million euros on {what} in {2001 + n}, "
    f"{10 + n} percent more than planned, according to the city's audit office."
    for n, (who, what) in enumerate(SUBJECTS)
)
