"""The App Home over real HTTP: what a checker and an editor see, and Claim pressed in the Home."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import update
from sqlmodel import col

from bot.localslack import payloads
from bot.localslack.blockkit import visible_text
from bot.localslack.web_api import ALICE, DESK
from bot.render import ids
from bot.render.cards import BUTTON_CLAIM
from bot.render.desk_lines import TICKET_STORY
from bot.render.home import HOME_DESK, HOME_LOAD, HOME_MINE, HOME_QUEUE
from storage.db import session_scope
from storage.models import Ticket
from tests.desk.helpers import (
    ARTICLE,
    EDITOR,
    Desk,
    assert_block_kit_clean,
    card_with,
    paste,
    tickets,
)

OVERDUE_MARK = ":warning: overdue since"


def _claim(desk: Desk, ticket_ids: str) -> None:
    delivery = desk.driver.command(ALICE, "/factcheck", f"claim {ticket_ids}", channel=DESK)
    desk.slack.wait_for(lambda: desk.slack.responses(delivery.response_url), description="answer")


def _make_overdue(desk: Desk, ticket_id: int) -> None:
    with session_scope(desk.services.engine) as session:
        session.execute(
            update(Ticket)
            .where(col(Ticket.id) == ticket_id)
            .values(due_at=datetime.now(UTC) - timedelta(hours=1))
        )


def _home_once_it_shows(desk: Desk, user: str, text: str) -> str:
    """The Home last published for `user`, as they see it, once it contains `text`."""

    def shown() -> str | None:
        seen = visible_text(desk.slack.last_view_published_for(user))
        return seen if text in seen else None

    found = desk.slack.wait_for(shown, description=f"{user}'s Home showing {text!r}")
    assert found is not None
    return found


def _lines_of(home: str, ticket_id: int) -> list[str]:
    return [line for line in home.splitlines() if line.startswith(f"*#{ticket_id}*")]


def _press_claim_in_home(desk: Desk, user: str, ticket_id: int) -> None:
    """What Slack sends when `user` presses Claim beside #`ticket_id` in their Home tab."""
    view = desk.slack.last_view_published_for(user)
    assert view is not None
    button = next(
        block["accessory"]
        for block in view["blocks"]
        if (block.get("accessory") or {}).get("action_id") == ids.ACTION_CLAIM
        and block["accessory"].get("value") == str(ticket_id)
    )
    assert button["text"]["text"] == BUTTON_CLAIM
    payload = payloads.block_actions(
        user=user,
        actions=[payloads.button(ids.ACTION_CLAIM, value=button["value"], text=BUTTON_CLAIM)],
        trigger_id=desk.slack.new_trigger_id(user),
        view=view,
        team_id=desk.slack.team_id,
        api_app_id=desk.slack.app_id,
    )
    assert desk.driver.sender is not None
    assert desk.driver.sender.interactive(payload).status_code == 200


def _section_after(home: str, heading: str) -> str:
    return home.split(heading, 1)[1]


def test_checker_home_lists_their_tickets_overdue_first_and_the_queue(desk: Desk) -> None:
    _message, replies = paste(desk)
    desk.slack.wait_for_call("reactions.remove")  # the intake is over
    total = len(tickets(desk))
    _claim(desk, "1 2")
    _make_overdue(desk, 2)

    desk.driver.open_home(ALICE)
    home = _home_once_it_shows(desk, ALICE, OVERDUE_MARK)
    queue_heading = HOME_QUEUE.format(count=total - 2)
    mine, queue = home.split(HOME_MINE, 1)[1].split(queue_heading, 1)
    # #2 is overdue, so it comes before #1 even though it was claimed with it.
    assert mine.index("*#2*") < mine.index("*#1*")
    overdue_part, due_part = mine.split("*#1*")
    assert OVERDUE_MARK in overdue_part
    assert "due <!date" in due_part
    for ticket_id in range(3, total + 1):
        (line,) = _lines_of(queue, ticket_id)
        story, button = queue.split(line, 1)[1].lstrip("\n").split("\n", 2)[:2]
        assert story.startswith(TICKET_STORY.format(story=""))
        assert button == BUTTON_CLAIM
    assert HOME_DESK not in home  # a checker does not get the editors' glance

    # Claim #3 from the Home: the Home is published again, and the card in the thread shows it.
    _press_claim_in_home(desk, ALICE, 3)
    queue_heading = HOME_QUEUE.format(count=total - 3)
    home = _home_once_it_shows(desk, ALICE, queue_heading)
    mine, queue = home.split(HOME_MINE, 1)[1].split(queue_heading, 1)
    assert mine.index("*#2*") < mine.index("*#1*") < mine.index("*#3*")
    assert not _lines_of(queue, 3)
    assert tickets(desk)[2].assignee == ALICE
    desk.slack.wait_for(lambda: card_with(desk, replies[0]["ts"], f"<@{ALICE}>"))
    assert_block_kit_clean(desk.slack)


def test_editor_home_shows_the_desk_at_a_glance(desk: Desk) -> None:
    headline = "Riverton passes its largest budget"
    paste(desk, f"{headline}\n\n{ARTICLE}")
    desk.slack.wait_for_call("reactions.remove")  # the intake is over
    total = len(tickets(desk))
    _claim(desk, "1 2")
    _make_overdue(desk, 2)

    desk.driver.open_home(EDITOR)
    home = _home_once_it_shows(desk, EDITOR, HOME_DESK)
    glance = _section_after(home, HOME_DESK)
    for label, figure in (("Open", total - 2), ("Claimed", 2), ("Overdue", 1)):
        assert f"*{label}*\n{figure}" in glance, label
    load = _section_after(glance, HOME_LOAD)
    assert f"<@{ALICE}>: 2 claimed, 1 overdue" in load
    assert f"*#2* <@{ALICE}> · due" in glance  # the overdue list
    assert "*Articles in progress* (1)" in glance
    # The article is named by its headline (the pasted text's first line), linked to its thread.
    assert f"`░░░░░░░░░░ 0/{total}` <http" in glance
    assert f"|{headline}>" in glance
    assert_block_kit_clean(desk.slack)
