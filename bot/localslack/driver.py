"""Plays the people in the workspace: what Slack sends when they type, click, submit or run a command.

A :class:`SlackDriver` mints trigger_ids and response_urls on the stand-in (so the bot's
views.open and respond() work as on Slack), builds the payload, and delivers it over signed HTTP
(:class:`EventSender`) or Socket Mode (any :class:`SocketDelivery`, such as the tests'
``SocketModeServer``), returning the bot's ack.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from bot.localslack import payloads
from bot.localslack.signing import EventSender
from bot.localslack.web_api import Ephemeral, SlackStandIn


class SocketAck(Protocol):
    """What a Socket Mode server answers for one delivered envelope."""

    @property
    def payload(self) -> dict[str, Any] | None:
        """The ack's response payload (a slash command's or view submission's answer)."""
        ...


class SocketDelivery(Protocol):
    """A Socket Mode server that delivers one envelope and waits for the app's ack."""

    def deliver(self, envelope_type: str, payload: Mapping[str, Any]) -> SocketAck:
        """Send ``payload`` as an ``envelope_type`` envelope; the app's ack."""
        ...


@dataclass(frozen=True)
class Delivery:
    """The bot's answer to one delivery, plus the ids minted for it."""

    status: int
    body: Any
    response_url: str | None = None
    trigger_id: str | None = None

    @property
    def acked(self) -> bool:
        """True when the bot acknowledged (HTTP 200 or a Socket Mode ack)."""
        return self.status == 200


def _find_element(
    blocks: Any, action_id: str, block_id: str | None = None
) -> tuple[str, dict[str, Any]] | None:
    """The first element with ``action_id`` (in block ``block_id`` when given): Slack tells
    apart same-named buttons of several cards in one message by their block."""
    for block in blocks or []:
        if not isinstance(block, Mapping):
            continue
        if block_id is not None and block.get("block_id") != block_id:
            continue
        elements = list(block.get("elements") or []) if block.get("type") == "actions" else []
        for key in ("accessory", "element"):
            if isinstance(block.get(key), Mapping):
                elements.append(block[key])
        for element in elements:
            if isinstance(element, Mapping) and element.get("action_id") == action_id:
                return str(block.get("block_id", "")), dict(element)
    return None


def _options(element: Mapping[str, Any]) -> Iterator[Mapping[str, Any]]:
    yield from element.get("options") or []
    for group in element.get("option_groups") or []:
        yield from group.get("options") or []


def _chosen(
    element: Mapping[str, Any], action_id: str, value: str, block_id: str
) -> dict[str, Any]:
    """The ``actions`` entry for picking ``value`` in an overflow menu, static select or (a user
    id) users_select."""
    if element.get("type") == "users_select":
        return payloads.users_select(action_id, user=value, block_id=block_id)
    options = {str(o.get("value")): o for o in _options(element)}
    if value not in options:
        raise AssertionError(f"{action_id!r} offers {sorted(options)}, not {value!r}")
    label = str(options[value].get("text", {}).get("text", ""))
    build = payloads.overflow if element.get("type") == "overflow" else payloads.static_select
    return build(action_id, value=value, text=label, block_id=block_id)


class SlackDriver:
    """Sends a bot what Slack would send; give it ``sender`` (HTTP) or ``socket`` (Socket Mode)."""

    def __init__(
        self,
        slack: SlackStandIn,
        *,
        sender: EventSender | None = None,
        socket: SocketDelivery | None = None,
    ) -> None:
        if (sender is None) == (socket is None):
            raise ValueError("give exactly one of sender= (HTTP) or socket= (Socket Mode)")
        self.slack = slack
        self.sender = sender
        self.socket = socket

    # ----------------------------------------------------------------- transport

    def _deliver(self, kind: str, payload: Mapping[str, Any], **ids: str | None) -> Delivery:
        if self.socket is not None:
            envelope = {"event": "events_api", "command": "slash_commands"}.get(kind, "interactive")
            ack = self.socket.deliver(envelope, payload)
            return Delivery(200, ack.payload, **ids)
        assert self.sender is not None
        if kind == "event":
            response = self.sender.event(payload)
        elif kind == "command":
            response = self.sender.command({k: str(v) for k, v in payload.items()})
        else:
            response = self.sender.interactive(payload)
        is_json = response.headers.get("content-type", "").startswith("application/json")
        body = response.json() if is_json and response.content else response.text
        return Delivery(response.status_code, body, **ids)

    def event(self, event: Mapping[str, Any]) -> Delivery:
        """Deliver any inner event wrapped in an ``event_callback``."""
        return self._deliver("event", payloads.event_callback(event, team_id=self.slack.team_id))

    # ----------------------------------------------------------------- people

    def say(
        self, user: str, channel: str, text: str, *, thread_ts: str | None = None
    ) -> dict[str, Any]:
        """``user`` posts ``text`` (stored in history) and the bot gets the ``message`` event.

        ``channel`` may be the bot's user id: a DM to the bot. Returns the stored message.
        """
        if channel == self.slack.bot_user_id:
            channel = self.slack.im_channel_for(user)
        message = self.slack.post_as_user(user, channel, text, thread_ts=thread_ts)
        is_dm = self.slack.channels[channel].is_im
        self.event(
            payloads.message_event(
                user=user,
                channel=channel,
                text=text,
                ts=message["ts"],
                thread_ts=thread_ts,
                channel_type="im" if is_dm else "channel",
            )
        )
        return message

    def edit(self, user: str, channel: str, ts: str, text: str) -> Delivery:
        """``user`` edits their message ``ts`` to ``text``: history changes, ``message_changed``
        is delivered (with the text before, as ``previous_message``)."""
        before = self.slack.edit_as_user(user, channel, ts, text)
        return self.event(
            payloads.message_changed_event(
                channel=channel,
                user=user,
                ts=ts,
                old_text=before["text"],
                new_text=text,
                thread_ts=before.get("thread_ts"),
            )
        )

    def delete(self, user: str, channel: str, ts: str) -> Delivery:
        """``user`` deletes their message ``ts``: ``message_deleted`` is delivered, or, when it
        has thread replies, the ``message_changed`` to a tombstone that Slack sends instead."""
        before = self.slack.message(channel, ts)
        left = self.slack.delete_as_user(user, channel, ts)
        if left:
            assert before is not None
            return self.event(
                payloads.message_tombstoned_event(channel=channel, tombstone=left, previous=before)
            )
        return self.event(payloads.message_deleted_event(channel=channel, ts=ts))

    def mention(
        self, user: str, channel: str, text: str, *, thread_ts: str | None = None
    ) -> dict[str, Any]:
        """``user`` mentions the bot: ``<@BOT> text`` is stored and ``app_mention`` delivered."""
        full = f"<@{self.slack.bot_user_id}> {text}"
        message = self.slack.post_as_user(user, channel, full, thread_ts=thread_ts)
        self.event(
            payloads.app_mention_event(
                user=user, channel=channel, text=full, ts=message["ts"], thread_ts=thread_ts
            )
        )
        return message

    def command(self, user: str, command: str, text: str = "", *, channel: str) -> Delivery:
        """``user`` runs a slash command in ``channel``."""
        trigger_id = self.slack.new_trigger_id(user)
        response_url = self.slack.new_response_url(channel=channel, user=user)
        form = payloads.slash_command(
            command=command,
            text=text,
            user_id=user,
            channel_id=channel,
            channel_name=self.slack.channels[channel].name
            if channel in self.slack.channels
            else "",
            response_url=response_url,
            trigger_id=trigger_id,
            team_id=self.slack.team_id,
            api_app_id=self.slack.app_id,
        )
        return self._deliver("command", form, response_url=response_url, trigger_id=trigger_id)

    def _message_action(
        self,
        user: str,
        message: Mapping[str, Any] | Ephemeral,
        action: dict[str, Any],
        channel: str | None,
    ) -> Delivery:
        if isinstance(message, Ephemeral):
            channel, body, is_ephemeral = message.channel, message.message, True
        else:
            body, is_ephemeral = dict(message), False
            channel = channel or self.channel_of(str(message["ts"]))
        trigger_id = self.slack.new_trigger_id(user)
        response_url = self.slack.new_response_url(
            channel=channel, user=user, message_ts=str(body["ts"]), is_ephemeral=is_ephemeral
        )
        payload = payloads.block_actions(
            user=user,
            actions=[action],
            trigger_id=trigger_id,
            channel=channel,
            message=body,
            response_url=response_url,
            is_ephemeral=is_ephemeral,
            team_id=self.slack.team_id,
            api_app_id=self.slack.app_id,
        )
        return self._deliver(
            "interactive", payload, response_url=response_url, trigger_id=trigger_id
        )

    def click(
        self,
        user: str,
        message: Mapping[str, Any] | Ephemeral,
        action_id: str,
        *,
        channel: str | None = None,
        block_id: str | None = None,
    ) -> Delivery:
        """``user`` clicks the button ``action_id`` (in ``block_id``) on a message."""
        found = self._element(message, action_id, block_id)
        block_id, element = found
        if element.get("type") != "button":
            raise AssertionError(f"{action_id!r} is a {element.get('type')}, not a button")
        action = payloads.button(
            action_id,
            value=element.get("value"),
            block_id=block_id,
            text=str(element.get("text", {}).get("text", "")),
        )
        return self._message_action(user, message, action, channel)

    def choose(
        self,
        user: str,
        message: Mapping[str, Any] | Ephemeral,
        action_id: str,
        value: str,
        *,
        channel: str | None = None,
        block_id: str | None = None,
    ) -> Delivery:
        """``user`` picks option ``value`` of an overflow menu or static select on a message."""
        block_id, element = self._element(message, action_id, block_id)
        action = _chosen(element, action_id, value, block_id)
        return self._message_action(user, message, action, channel)

    def submit(
        self,
        user: str,
        view: Mapping[str, Any],
        values: Mapping[str, Mapping[str, Mapping[str, Any]]],
    ) -> Delivery:
        """``user`` submits ``view`` (as the bot opened it) with state ``values``."""
        trigger_id = self.slack.new_trigger_id(user)
        payload = payloads.view_submission(
            user=user,
            view=view,
            values=values,
            trigger_id=trigger_id,
            team_id=self.slack.team_id,
            api_app_id=self.slack.app_id,
        )
        return self._deliver("interactive", payload, trigger_id=trigger_id)

    def shortcut(
        self,
        user: str,
        message: Mapping[str, Any],
        callback_id: str,
        *,
        channel: str | None = None,
    ) -> Delivery:
        """``user`` runs the message shortcut ``callback_id`` on ``message``."""
        channel = channel or self.channel_of(str(message["ts"]))
        trigger_id = self.slack.new_trigger_id(user)
        response_url = self.slack.new_response_url(
            channel=channel, user=user, message_ts=str(message["ts"])
        )
        payload = payloads.message_action(
            user=user,
            callback_id=callback_id,
            channel=channel,
            message=message,
            trigger_id=trigger_id,
            response_url=response_url,
            team_id=self.slack.team_id,
        )
        return self._deliver(
            "interactive", payload, response_url=response_url, trigger_id=trigger_id
        )

    def act_in_view(
        self,
        user: str,
        view: Mapping[str, Any],
        action_id: str,
        value: str | None = None,
        *,
        block_id: str | None = None,
    ) -> Delivery:
        """``user`` clicks a button (or picks option ``value`` of a menu) in a modal or App Home."""
        found = _find_element(view.get("blocks"), action_id, block_id)
        if found is None:
            raise AssertionError(f"no element with action_id {action_id!r} in the view")
        block_id, element = found
        if value is None:
            label = str(element.get("text", {}).get("text", ""))
            action = payloads.button(
                action_id, value=element.get("value"), block_id=block_id, text=label
            )
        else:
            action = _chosen(element, action_id, value, block_id)
        trigger_id = self.slack.new_trigger_id(user)
        payload = payloads.block_actions(
            user=user,
            actions=[action],
            trigger_id=trigger_id,
            view=view,
            team_id=self.slack.team_id,
            api_app_id=self.slack.app_id,
        )
        return self._deliver("interactive", payload, trigger_id=trigger_id)

    def open_home(self, user: str) -> Delivery:
        """``user`` opens the bot's App Home tab."""
        channel = self.slack.im_channel_for(user)
        return self.event(payloads.app_home_opened_event(user=user, channel=channel))

    # ----------------------------------------------------------------- lookups

    def channel_of(self, ts: str) -> str:
        """The channel holding message ``ts``."""
        with self.slack.lock:
            for channel in list(self.slack.channels):
                if self.slack.message(channel, ts) is not None:
                    return channel
        raise AssertionError(f"no message with ts {ts} in any channel")

    def _element(
        self, message: Mapping[str, Any] | Ephemeral, action_id: str, block_id: str | None = None
    ) -> tuple[str, dict[str, Any]]:
        body = message.message if isinstance(message, Ephemeral) else message
        found = _find_element(body.get("blocks"), action_id, block_id)
        if found is None:
            raise AssertionError(f"no element with action_id {action_id!r} in the message")
        return found
