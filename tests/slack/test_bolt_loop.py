"""A real slack_bolt App, driven over signed HTTP and over Socket Mode, against the stand-in."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from slack_bolt import Ack, App, BoltContext, Respond, Say
from slack_bolt.adapter.socket_mode import SocketModeHandler
from slack_sdk import WebClient
from slack_sdk.socket_mode import SocketModeClient

from bot.localslack import payloads
from bot.localslack.driver import SlackDriver
from bot.localslack.signing import EventSender
from bot.localslack.web_api import ALICE, BOB, DESK, SlackStandIn
from tests.slack.bolt_http import BoltHttpServer
from tests.slack.socket_mode import SocketModeServer

CARD: list[dict[str, Any]] = [
    {"type": "section", "block_id": "card", "text": {"type": "mrkdwn", "text": "Claim #4"}},
    {
        "type": "actions",
        "block_id": "card_actions",
        "elements": [
            {
                "type": "button",
                "action_id": "claim",
                "value": "4",
                "text": {"type": "plain_text", "text": "Claim"},
            },
            {
                "type": "overflow",
                "action_id": "more",
                "options": [
                    {"text": {"type": "plain_text", "text": "Dismiss"}, "value": "dismiss"},
                    {"text": {"type": "plain_text", "text": "Reopen"}, "value": "reopen"},
                ],
            },
        ],
    },
]
MODAL = {
    "type": "modal",
    "callback_id": "verify",
    "private_metadata": "4",
    "title": {"type": "plain_text", "text": "Verify #4"},
    "submit": {"type": "plain_text", "text": "Save"},
    "blocks": [
        {
            "type": "input",
            "block_id": "note",
            "label": {"type": "plain_text", "text": "Note"},
            "element": {"type": "plain_text_input", "action_id": "value"},
        }
    ],
}


def build_app(slack: SlackStandIn) -> App:
    """A tiny desk: slash command, buttons, a modal, a mention, a message shortcut."""
    app = App(
        signing_secret=slack.signing_secret,
        client=WebClient(token=slack.bot_token, base_url=slack.api_url),
    )

    @app.command("/factcheck")
    def factcheck(ack: Ack, command: dict[str, Any], client: WebClient, respond: Respond) -> None:
        if command["text"] == "verify":
            ack()
            client.views_open(trigger_id=command["trigger_id"], view=MODAL)
            return
        ack(f"Queued: {command['text']}")
        client.chat_postMessage(channel=DESK, text="Claim #4", blocks=CARD)
        respond(f"Ticket #4 opened by <@{command['user_id']}>", response_type="in_channel")

    @app.action("claim")
    def claim(ack: Ack, body: dict[str, Any], respond: Respond, client: WebClient) -> None:
        ack()
        respond(text=f"#4 claimed by <@{body['user']['id']}>", replace_original=True)
        client.chat_postMessage(channel=body["user"]["id"], text="You claimed #4")

    @app.action("more")
    def more(ack: Ack, action: dict[str, Any], respond: Respond) -> None:
        ack()
        respond(f"chose {action['selected_option']['value']}")

    @app.view("verify")
    def verify(ack: Ack, view: dict[str, Any], body: dict[str, Any], client: WebClient) -> None:
        ack()
        note = view["state"]["values"]["note"]["value"]["value"]
        client.chat_postMessage(
            channel=DESK,
            text=f"#{view['private_metadata']} verified by <@{body['user']['id']}>: {note}",
        )

    @app.event("app_mention")
    def mention(event: dict[str, Any], say: Say, client: WebClient, context: BoltContext) -> None:
        client.reactions_add(channel=event["channel"], timestamp=event["ts"], name="mag")
        say(text="On it", thread_ts=event["ts"])

    @app.message("status")
    def status(say: Say) -> None:
        say("All quiet on the desk")

    @app.shortcut("send_to_desk")
    def shortcut(ack: Ack, shortcut: dict[str, Any], respond: Respond) -> None:
        ack()
        respond(f"Sent to the desk: {shortcut['message']['text']}")

    return app


@pytest.fixture
def http_driver(slack: SlackStandIn) -> Iterator[SlackDriver]:
    with (
        BoltHttpServer(build_app(slack)) as server,
        EventSender(server.url, slack.signing_secret) as sender,
    ):
        yield SlackDriver(slack, sender=sender)


@pytest.fixture
def bolt_socket_driver(
    slack: SlackStandIn, socket_server: SocketModeServer
) -> Iterator[SlackDriver]:
    handler = SocketModeHandler(
        build_app(slack), app_token=slack.app_token, web_client=WebClient(base_url=slack.api_url)
    )
    handler.connect()  # type: ignore[no-untyped-call]
    try:
        yield SlackDriver(slack, socket=socket_server)
    finally:
        handler.close()  # type: ignore[no-untyped-call]


def test_slash_command_over_signed_http(http_driver: SlackDriver, slack: SlackStandIn) -> None:
    delivery = http_driver.command(ALICE, "/factcheck", "the mayor said 40%", channel=DESK)
    assert delivery.status == 200
    assert delivery.body == "Queued: the mayor said 40%"
    post = slack.wait_for(lambda: slack.responses(delivery.response_url))[0]
    assert post.response_type == "in_channel"
    assert slack.wait_for(lambda: [m for m in slack.messages_in(DESK) if "opened by" in m["text"]])


def test_button_overflow_and_modal_over_http(http_driver: SlackDriver, slack: SlackStandIn) -> None:
    http_driver.command(ALICE, "/factcheck", "x", channel=DESK)
    card = slack.wait_for(
        lambda: [m for m in slack.messages_in(DESK) if m.get("blocks")], description="the card"
    )[0]
    assert http_driver.click(BOB, card, "claim").acked
    slack.assert_one_dm(BOB, containing="You claimed #4")
    slack.wait_for(
        lambda: (slack.message(DESK, card["ts"]) or {}).get("text") == "#4 claimed by <@U0BOB>",
        description="the card replaced through respond()",
    )
    http_driver.choose(BOB, card, "more", "dismiss")
    assert slack.assert_one_ephemeral(BOB, containing="chose dismiss")

    http_driver.command(ALICE, "/factcheck", "verify", channel=DESK)
    view = slack.wait_for(lambda: slack.views_opened(ALICE), description="the modal")[0]
    submitted = http_driver.submit(ALICE, view, {"note": {"value": payloads.text_input("true")}})
    assert submitted.status == 200
    slack.wait_for(lambda: [m for m in slack.messages_in(DESK) if "#4 verified by" in m["text"]])


def test_mention_and_shortcut_over_http(http_driver: SlackDriver, slack: SlackStandIn) -> None:
    message = http_driver.mention(ALICE, DESK, "is this true?")
    slack.wait_for(lambda: slack.messages_in(DESK, thread_ts=message["ts"])[1:])
    assert slack.reactions_on(DESK, message["ts"]) == ["mag"]
    http_driver.shortcut(BOB, message, "send_to_desk")
    slack.assert_one_ephemeral(BOB, containing="Sent to the desk")


def test_dm_to_the_bot(http_driver: SlackDriver, slack: SlackStandIn) -> None:
    http_driver.say(ALICE, slack.bot_user_id, "status")
    slack.assert_one_dm(ALICE, containing="All quiet")


def test_forged_or_stale_signature_is_refused(slack: SlackStandIn) -> None:
    message = slack.post_as_user(ALICE, DESK, "<@U0BOT> hi")
    event = payloads.event_callback(
        payloads.app_mention_event(user=ALICE, channel=DESK, text=message["text"], ts=message["ts"])
    )
    with (
        BoltHttpServer(build_app(slack)) as server,
        EventSender(server.url, slack.signing_secret) as sender,
    ):
        assert sender.event(event, forge=True).status_code == 401
        assert sender.event(event, timestamp=0).status_code == 401
        assert sender.event(event, retry_num=1, retry_reason="http_timeout").status_code == 200
        slack.wait_for_call("reactions.add")
    assert len(slack.calls("reactions.add")) == 1  # only the genuine delivery ran


def test_url_verification(http_driver: SlackDriver) -> None:
    assert http_driver.sender is not None
    answer = http_driver.sender.event(payloads.url_verification("abc"))
    assert answer.json() == {"challenge": "abc"}


def test_socket_mode_round_trip(bolt_socket_driver: SlackDriver, slack: SlackStandIn) -> None:
    delivery = bolt_socket_driver.command(ALICE, "/factcheck", "via socket", channel=DESK)
    assert delivery.body == {"text": "Queued: via socket"}
    slack.wait_for(lambda: slack.responses(delivery.response_url))
    message = bolt_socket_driver.mention(BOB, DESK, "check")
    slack.wait_for(lambda: slack.messages_in(DESK, thread_ts=message["ts"])[1:])


def test_unacked_envelope_fails_within_three_seconds(
    slack: SlackStandIn, socket_server: SocketModeServer
) -> None:
    socket_server.ack_timeout = 0.2
    # A Socket Mode client with no listener connects but never acknowledges.
    client = SocketModeClient(
        app_token=slack.app_token, web_client=WebClient(base_url=slack.api_url)
    )
    client.connect()
    try:
        with pytest.raises(AssertionError, match="not acknowledged"):
            socket_server.deliver("events_api", payloads.event_callback({"type": "noop"}))
    finally:
        client.close()
