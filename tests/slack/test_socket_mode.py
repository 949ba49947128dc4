"""The Socket Mode server speaks Slack's protocol to slack_sdk's builtin client."""

from __future__ import annotations

from typing import Any

import pytest
from slack_sdk import WebClient
from slack_sdk.socket_mode import SocketModeClient
from slack_sdk.socket_mode.client import BaseSocketModeClient
from slack_sdk.socket_mode.request import SocketModeRequest
from slack_sdk.socket_mode.response import SocketModeResponse

from bot.localslack import payloads
from bot.localslack.web_api import ALICE, DESK, SlackStandIn
from tests.slack.socket_mode import SocketModeServer


def acking_client(slack: SlackStandIn, seen: list[SocketModeRequest]) -> SocketModeClient:
    """A bare slack_sdk client that records each request and acks slash commands with text."""
    client = SocketModeClient(
        app_token=slack.app_token, web_client=WebClient(base_url=slack.api_url)
    )

    def listener(socket_client: BaseSocketModeClient, request: SocketModeRequest) -> None:
        seen.append(request)
        body: dict[str, Any] | None = {"text": "ok"} if request.type == "slash_commands" else None
        socket_client.send_socket_mode_response(
            SocketModeResponse(envelope_id=request.envelope_id, payload=body)
        )

    client.socket_mode_request_listeners.append(listener)  # the public way to listen
    return client


def test_envelopes_arrive_as_slack_sends_them(
    slack: SlackStandIn, socket_server: SocketModeServer
) -> None:
    seen: list[SocketModeRequest] = []
    client = acking_client(slack, seen)
    client.connect()
    try:
        event = payloads.event_callback(payloads.message_event(user=ALICE, channel=DESK, text="x"))
        ack = socket_server.deliver("events_api", event, retry_attempt=1, retry_reason="timeout")
        assert ack.payload is None
        command = payloads.slash_command(
            command="/factcheck",
            text="",
            user_id=ALICE,
            channel_id=DESK,
            response_url=slack.new_response_url(channel=DESK, user=ALICE),
        )
        assert socket_server.deliver("slash_commands", command).payload == {"text": "ok"}
    finally:
        client.close()
    assert [r.type for r in seen] == ["events_api", "slash_commands"]
    assert seen[0].retry_attempt == 1
    assert seen[0].retry_reason == "timeout"
    assert seen[0].accepts_response_payload is False
    assert seen[1].accepts_response_payload is True
    assert [e.type for e in socket_server.envelopes] == ["events_api", "slash_commands"]


def test_client_reconnects_after_disconnect_frame(
    slack: SlackStandIn, socket_server: SocketModeServer
) -> None:
    seen: list[SocketModeRequest] = []
    client = acking_client(slack, seen)
    client.connect()
    try:
        socket_server.wait_connected()
        socket_server.disconnect_all()
        slack.wait_for(
            lambda: len(slack.calls("apps.connections.open")) >= 2,
            description="a second apps.connections.open",
        )
        socket_server.wait_connected()
        socket_server.wait_drained()
        event = payloads.event_callback(payloads.message_event(user=ALICE, channel=DESK, text="y"))
        socket_server.deliver("events_api", event)
    finally:
        client.close()
    assert socket_server.connects == 2
    assert [r.type for r in seen] == ["events_api"]


def test_used_ticket_is_refused(slack: SlackStandIn, socket_server: SocketModeServer) -> None:
    from websockets.exceptions import InvalidStatus
    from websockets.sync.client import connect

    url = socket_server.connection_url()
    with connect(url) as first:
        assert '"hello"' in str(first.recv(timeout=5))
    with pytest.raises(InvalidStatus) as refused:
        connect(url, open_timeout=5)
    assert refused.value.response.status_code == 401
