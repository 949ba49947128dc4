"""Block Kit limits answer as Slack does, through the Web API, and visible_text reads messages."""

from __future__ import annotations

from typing import Any

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.localslack.blockkit import message_block_errors, view_errors, visible_text
from bot.localslack.web_api import ALICE, DESK, SlackStandIn


def section(text: str, **extra: Any) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}, **extra}


def button(action_id: str = "a", text: str = "Go", value: str = "v") -> dict[str, Any]:
    return {
        "type": "button",
        "action_id": action_id,
        "text": {"type": "plain_text", "text": text},
        "value": value,
    }


@pytest.mark.parametrize(
    ("blocks", "message"),
    [
        ([section("x")] * 51, "[ERROR] must be less than 51 items [json-pointer:/blocks]"),
        (
            [section("x" * 3001)],
            "[ERROR] must be less than 3001 characters [json-pointer:/blocks/0/text/text]",
        ),
        (
            [{"type": "header", "text": {"type": "plain_text", "text": "h" * 151}}],
            "[ERROR] must be less than 151 characters [json-pointer:/blocks/0/text/text]",
        ),
        (
            [{"type": "actions", "elements": [button(text="b" * 76)]}],
            "[ERROR] must be less than 76 characters [json-pointer:/blocks/0/elements/0/text/text]",
        ),
        (
            [section("x", accessory=button(value="v" * 2001))],
            "[ERROR] must be less than 2001 characters [json-pointer:/blocks/0/accessory/value]",
        ),
        (
            [{"type": "actions", "elements": [button(action_id="a" * 256)]}],
            "[ERROR] must be less than 256 characters "
            "[json-pointer:/blocks/0/elements/0/action_id]",
        ),
        (
            [section("x", block_id="b" * 256)],
            "[ERROR] must be less than 256 characters [json-pointer:/blocks/0/block_id]",
        ),
        (
            [{"type": "actions", "elements": [button("same"), button("same")]}],
            "[ERROR] duplicate action_id [json-pointer:/blocks/0/elements/1/action_id]",
        ),
        (
            [section("a", block_id="b1"), section("b", block_id="b1")],
            "[ERROR] duplicate block_id [json-pointer:/blocks/1/block_id]",
        ),
        (
            [section("")],
            "[ERROR] must be more than 0 characters [json-pointer:/blocks/0/text/text]",
        ),
        (
            [{"type": "sectoin"}],
            "[ERROR] failed to match all allowed schemas [json-pointer:/blocks/0]",
        ),
    ],
)
def test_message_block_limits(
    slack: SlackStandIn, blocks: list[dict[str, Any]], message: str
) -> None:
    assert message in message_block_errors(blocks)
    client = WebClient(token=slack.bot_token, base_url=slack.api_url)
    with pytest.raises(SlackApiError) as caught:
        client.chat_postMessage(channel=DESK, text="fallback", blocks=blocks)
    assert caught.value.response["error"] == "invalid_blocks"
    assert message in caught.value.response["response_metadata"]["messages"]
    assert slack.messages_in(DESK) == []


def test_limits_are_inclusive() -> None:
    at_limit = section("x" * 3000, accessory=button(text="b" * 75, value="v" * 2000))
    # The same action_id in different blocks is allowed; only repeats inside one block are not.
    assert message_block_errors([at_limit] * 50) == []


def test_view_limits(slack: SlackStandIn) -> None:
    too_many = {"type": "home", "blocks": [section("x")] * 101}
    assert view_errors(too_many) == [
        "[ERROR] must be less than 101 items [json-pointer:/view/blocks]"
    ]
    assert view_errors({"type": "home", "blocks": [section("x")] * 100}) == []
    client = WebClient(token=slack.bot_token, base_url=slack.api_url)
    with pytest.raises(SlackApiError) as caught:
        client.views_publish(user_id=ALICE, view=too_many)
    assert caught.value.response["error"] == "invalid_arguments"


def test_modal_with_input_needs_submit() -> None:
    modal = {
        "type": "modal",
        "title": {"type": "plain_text", "text": "T"},
        "blocks": [
            {
                "type": "input",
                "label": {"type": "plain_text", "text": "L"},
                "element": {"type": "plain_text_input"},
            }
        ],
    }
    assert view_errors(modal) == ["[ERROR] missing required field: submit [json-pointer:/view]"]


def test_visible_text_reads_blocks_buttons_and_rich_text() -> None:
    message = {
        "text": "fallback only",
        "blocks": [
            {"type": "header", "text": {"type": "plain_text", "text": "Ticket #4"}},
            section("*Claim*: 40%", fields=[{"type": "mrkdwn", "text": "Due Friday"}]),
            {"type": "context", "elements": [{"type": "mrkdwn", "text": "by <@U0ALICE>"}]},
            {"type": "actions", "elements": [button(text="Claim")]},
            {
                "type": "rich_text",
                "elements": [
                    {
                        "type": "rich_text_section",
                        "elements": [
                            {"type": "text", "text": "see "},
                            {"type": "link", "url": "https://example.org"},
                        ],
                    }
                ],
            },
        ],
    }
    assert visible_text(message).splitlines() == [
        "Ticket #4",
        "*Claim*: 40%",
        "Due Friday",
        "by <@U0ALICE>",
        "Claim",
        "see https://example.org",
    ]
    assert visible_text({"text": "plain"}) == "plain"
