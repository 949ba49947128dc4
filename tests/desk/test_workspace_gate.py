"""Issue 11, failure 7: a request correctly signed but for another workspace changes nothing.

The stand-in is switched to another team id after the bot has learned ours from auth.test, so
every payload the driver builds (events, commands, buttons, modals, shortcuts) names that team.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from slack_bolt import BoltContext
from slack_bolt.adapter.socket_mode import SocketModeHandler
from slack_bolt.authorization import AuthorizeResult
from slack_sdk import WebClient

from bot.app import create_app
from bot.listeners.gate import FOREIGN_WORKSPACE, same_workspace
from bot.localslack import payloads
from bot.localslack.driver import SlackDriver
from bot.localslack.web_api import ALICE, CAROL, DESK, SlackStandIn
from bot.render import ids
from bot.render.modals import render_verify_modal
from storage.models import Ticket
from tests.desk.helpers import ARTICLE, Desk, articles, paste, tickets
from tests.slack.socket_mode import SocketModeServer

OTHER_TEAM = "T0OTHER"
FOREIGN_REQUESTS = 8


@contextmanager
def another_workspace(slack: SlackStandIn) -> Iterator[int]:
    """Payloads name OTHER_TEAM inside the block; yields the number of Web API calls so far."""
    ours = slack.team_id
    slack.team_id = OTHER_TEAM
    try:
        yield len(slack.calls())
    finally:
        slack.team_id = ours


def act_as_another_workspace(
    driver: SlackDriver, slack: SlackStandIn, card: dict[str, Any], ticket: Ticket
) -> None:
    """Everything a person of another workspace could send, each acknowledged with nothing."""
    deliveries = [
        driver.command(ALICE, "/factcheck", "claim 1", channel=DESK),
        driver.click(ALICE, card, ids.ACTION_CLAIM, channel=DESK),
        driver.choose(
            ALICE, card, ids.ACTION_TICKET_MENU, ids.menu_value(ids.MENU_DISMISS, 1), channel=DESK
        ),
        driver.shortcut(
            CAROL, slack.post_as_user(CAROL, DESK, ARTICLE), ids.MESSAGE_SHORTCUT_CALLBACK
        ),
        driver.submit(
            ALICE,
            {"id": "V0FOREIGN", **render_verify_modal(ticket)},
            {
                ids.BLOCK_VERDICT: {ids.ELEMENT_VERDICT: payloads.select_input("Accurate")},
                ids.BLOCK_SOURCES: {ids.ELEMENT_SOURCES: payloads.text_input("https://a.example")},
            },
        ),
        driver.open_home(ALICE),
    ]
    driver.say(CAROL, DESK, ARTICLE)
    driver.mention(CAROL, DESK, ARTICLE)
    assert [d.status for d in deliveries] == [200] * len(deliveries)
    assert all(not d.body for d in deliveries)


def paste_and_settle(desk: Desk) -> dict[str, Any]:
    """Our reporter's article, its thread posted and the :eyes: taken away; returns the card."""
    _article, replies = paste(desk)
    desk.slack.wait_for_call("reactions.remove")
    return replies[0]


def refusals(caplog: pytest.LogCaptureFixture) -> int:
    return sum(r.msg == FOREIGN_WORKSPACE for r in caplog.records)


def our_claim_goes_through(driver: SlackDriver, desk: Desk) -> None:
    """Our own workspace is still served (and, being later, flushes the work queue)."""
    assert driver.command(ALICE, "/factcheck", "claim 2", channel=DESK).acked
    desk.slack.wait_for(lambda: tickets(desk)[1].assignee == ALICE, description="claimed")


def test_signed_requests_for_another_team_change_nothing_over_http(
    desk: Desk, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="bot.listeners.gate")
    card = paste_and_settle(desk)
    before = [(t.status, t.assignee) for t in tickets(desk)]
    with another_workspace(desk.slack) as calls_before:
        act_as_another_workspace(desk.driver, desk.slack, card, tickets(desk)[0])
        posted_by_bot = desk.slack.calls()[calls_before:]
    assert [(t.status, t.assignee) for t in tickets(desk)] == before
    assert len(articles(desk)) == 1
    assert [c.method for c in posted_by_bot] == []
    assert refusals(caplog) == FOREIGN_REQUESTS
    our_claim_goes_through(desk.driver, desk)


@pytest.mark.parametrize("engine", ["sqlite"], indirect=True)  # the HTTP case runs on both
def test_socket_mode_requests_for_another_team_change_nothing(
    desk: Desk, socket_server: SocketModeServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="bot.listeners.gate")
    slack = desk.slack
    handler = SocketModeHandler(
        create_app(desk.services),
        app_token=slack.app_token,
        web_client=WebClient(base_url=slack.api_url),
    )
    handler.connect()  # type: ignore[no-untyped-call]
    try:
        socket_server.wait_connected(timeout=10)
        driver = SlackDriver(slack, socket=socket_server)
        card = paste_and_settle(desk)
        before = [(t.status, t.assignee) for t in tickets(desk)]
        with another_workspace(slack) as calls_before:
            act_as_another_workspace(driver, slack, card, tickets(desk)[0])
            posted_by_bot = slack.calls()[calls_before:]
        assert [(t.status, t.assignee) for t in tickets(desk)] == before
        assert len(articles(desk)) == 1
        assert [c.method for c in posted_by_bot] == []
        assert refusals(caplog) == FOREIGN_REQUESTS
        our_claim_goes_through(driver, desk)
    finally:
        handler.close()  # type: ignore[no-untyped-call]


def _context(ours: AuthorizeResult | None, **request: object) -> BoltContext:
    context = BoltContext(request)
    if ours is not None:
        context["authorize_result"] = ours
    return context


TEAM = AuthorizeResult(enterprise_id=None, team_id="T0OURS")
GRID_TEAM = AuthorizeResult(enterprise_id="E0OURS", team_id="T0OURS")
ORG_WIDE = AuthorizeResult(enterprise_id="E0OURS", team_id=None)


@pytest.mark.parametrize(
    ("ours", "request_ids", "served"),
    [
        (TEAM, {"team_id": "T0OURS"}, True),
        (TEAM, {"team_id": OTHER_TEAM}, False),
        (TEAM, {}, False),
        (None, {"team_id": "T0OURS"}, False),
        (GRID_TEAM, {"team_id": "T0OURS", "enterprise_id": "E0OURS"}, True),
        (GRID_TEAM, {"team_id": "T0OURS", "enterprise_id": "E0OTHER"}, False),
        (ORG_WIDE, {"enterprise_id": "E0OURS", "is_enterprise_install": True}, True),
        (ORG_WIDE, {"enterprise_id": "E0OTHER", "is_enterprise_install": True}, False),
        (ORG_WIDE, {"enterprise_id": "E0OURS", "is_enterprise_install": False}, False),
    ],
)
def test_which_team_or_enterprise_is_ours(
    ours: AuthorizeResult | None, request_ids: dict[str, object], served: bool
) -> None:
    assert same_workspace(_context(ours, **request_ids)) is served
