"""Editors act on what stalls from the message that tells them: Assign… and Open thread."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from bot.localslack import payloads
from bot.localslack.blockkit import message_block_errors
from bot.localslack.web_api import ALICE, CAROL, DESK
from bot.reminders import ReminderSweeper
from bot.render import ids
from bot.render import messages as m
from bot.render.reminders import ASSIGN_PLACEHOLDER, OPEN_THREAD_LABEL
from tests.desk.helpers import EDITOR, Desk, articles, paste, tickets


def test_an_editor_assigns_an_escalated_ticket_from_the_escalation_dm(
    make_desk: Callable[..., Desk],
) -> None:
    desk = make_desk(escalate_after=1, reminder_interval="1h")
    paste(desk)
    desk.slack.wait_for_call("reactions.remove")  # the intake is over: the permalink is known
    delivery = desk.driver.command(ALICE, "/factcheck", "claim 1", channel=DESK)
    assert delivery.acked
    desk.slack.wait_for(lambda: tickets(desk)[0].status == "claimed")

    later = desk.services.clock() + timedelta(hours=2)
    desk.services.clock = lambda: later
    report = ReminderSweeper(desk.services).sweep()
    assert report.escalations == 1
    [escalation] = desk.slack.dms_to(EDITOR)
    assert message_block_errors(escalation["blocks"]) == []
    [row] = [b for b in escalation["blocks"] if b["type"] == "actions"]
    picker, thread = row["elements"]
    assert picker["type"] == "users_select"
    assert picker["placeholder"]["text"] == ASSIGN_PLACEHOLDER
    assert thread["text"]["text"] == OPEN_THREAD_LABEL
    assert thread["url"] == articles(desk)[0].permalink

    # Bob picks Carol: the ticket is hers, she hears it, and Bob sees it done.
    payload = payloads.block_actions(
        user=EDITOR,
        actions=[
            payloads.users_select(ids.ACTION_ASSIGN_PICK, user=CAROL, block_id=row["block_id"])
        ],
        trigger_id=desk.slack.new_trigger_id(EDITOR),
        channel=desk.slack.im_channel_for(EDITOR),
        message=escalation,
        team_id=desk.slack.team_id,
        api_app_id=desk.slack.app_id,
    )
    assert desk.driver.sender is not None
    assert desk.driver.sender.interactive(payload).status_code == 200
    desk.slack.wait_for(lambda: tickets(desk)[0].assignee == CAROL, description="assigned")
    desk.slack.wait_for(lambda: desk.slack.dms_to(CAROL, containing="assigned you #1"))
    done = m.ASSIGNED.format(id=1, assignee=CAROL)
    desk.slack.wait_for(lambda: desk.slack.ephemerals_to(EDITOR, containing=done))
