"""A Snooze button that cannot be read is answered at once with a reason, never a Slack error."""

from __future__ import annotations

from bot.localslack.web_api import ALICE
from bot.render.reminders import ACTION_SNOOZE_HOUR
from tests.desk.helpers import Desk


def test_a_malformed_snooze_click_is_acked_at_once_and_explained(desk: Desk) -> None:
    dm = desk.slack.post_as_user(
        desk.slack.bot_user_id,
        desk.slack.im_channel_for(ALICE),
        "Reminder",
    )
    dm["blocks"] = [
        {
            "type": "actions",
            "block_id": "reminder-actions",
            "elements": [
                {
                    "type": "button",
                    "action_id": ACTION_SNOOZE_HOUR,
                    "text": {"type": "plain_text", "text": "Snooze 1 h"},
                    "value": "not-a-ticket",
                }
            ],
        }
    ]
    # Bolt answers 404 (after waiting 3 s) when a listener raises after ack(); whether it does
    # depends on thread timing, so the click is repeated.
    deliveries = [desk.driver.click(ALICE, dm, ACTION_SNOOZE_HOUR) for _ in range(8)]
    assert [d.status for d in deliveries] == [200] * 8
    delivery = deliveries[-1]
    answers = desk.slack.wait_for(
        lambda: desk.slack.responses(delivery.response_url), description="an answer to the click"
    )
    answer = answers[0]
    assert answer.response_type == "ephemeral"
    assert "not-a-ticket" in answer.text or "ticket" in answer.text.lower()
