"""Builders for what Slack sends a bot: events, slash commands, interactions, shortcuts.

Shapes follow real payloads (Events API wrapper, block_actions, view_submission,
message_action). Builders are pure: pass ``trigger_id``/``response_url`` minted by the stand-in
(:meth:`SlackStandIn.new_trigger_id`, :meth:`SlackStandIn.new_response_url`) when the bot is
expected to use them; :mod:`bot.localslack.driver` does that for you.
"""

from __future__ import annotations

import secrets
import time
import uuid
from collections.abc import Mapping, Sequence
from typing import Any

from bot.localslack.web_api import (
    DEFAULT_APP_ID,
    DEFAULT_BOT_USER_ID,
    DEFAULT_TEAM_DOMAIN,
    DEFAULT_TEAM_ID,
)

#: The deprecated verification token Slack still puts in payloads; bots ignore it.
VERIFICATION_TOKEN = "legacy-verification-token"  # noqa: S105


def new_ts() -> str:
    """A message-style ts for payloads that do not come from the stand-in."""
    now_us = time.time_ns() // 1000
    return f"{now_us // 1_000_000}.{now_us % 1_000_000:06d}"


def new_trigger_id() -> str:
    """A well-formed trigger_id the stand-in does not know (views.open answers invalid)."""
    return f"{int(time.time())}.{secrets.randbelow(10**11)}.{secrets.token_hex(16)}"


def _event_id() -> str:
    return "Ev" + secrets.token_hex(5).upper()


def _rich_text(text: str) -> list[dict[str, Any]]:
    return [
        {
            "type": "rich_text",
            "block_id": secrets.token_hex(2),
            "elements": [
                {"type": "rich_text_section", "elements": [{"type": "text", "text": text}]}
            ],
        }
    ]


# ------------------------------------------------------------------------------- events


def message_event(
    *,
    user: str,
    channel: str,
    text: str,
    ts: str | None = None,
    thread_ts: str | None = None,
    channel_type: str = "channel",
    team_id: str = DEFAULT_TEAM_ID,
) -> dict[str, Any]:
    """A person's ``message`` event (use ``channel_type="im"`` for a DM to the bot)."""
    ts = ts or new_ts()
    event: dict[str, Any] = {
        "client_msg_id": str(uuid.uuid4()),
        "type": "message",
        "text": text,
        "user": user,
        "ts": ts,
        "team": team_id,
        "blocks": _rich_text(text),
        "channel": channel,
        "event_ts": ts,
        "channel_type": channel_type,
    }
    if thread_ts:
        event["thread_ts"] = thread_ts
        event["parent_user_id"] = user
    return event


def bot_message_event(
    *,
    channel: str,
    text: str,
    bot_id: str,
    user: str | None = None,
    ts: str | None = None,
    subtype: str | None = None,
    channel_type: str = "channel",
) -> dict[str, Any]:
    """A message posted by an app (modern apps carry ``bot_id`` and ``user``, no subtype)."""
    ts = ts or new_ts()
    event: dict[str, Any] = {
        "type": "message",
        "text": text,
        "ts": ts,
        "bot_id": bot_id,
        "channel": channel,
        "event_ts": ts,
        "channel_type": channel_type,
    }
    if user:
        event["user"] = user
    if subtype:
        event["subtype"] = subtype
        event["username"] = "classic-bot"
    return event


def message_changed_event(
    *,
    channel: str,
    user: str,
    ts: str,
    old_text: str,
    new_text: str,
    channel_type: str = "channel",
    team_id: str = DEFAULT_TEAM_ID,
    thread_ts: str | None = None,
) -> dict[str, Any]:
    """A ``message_changed`` subtype event: a person edited message ``ts`` (a reply in thread
    ``thread_ts``, when given)."""
    event_ts = new_ts()
    threaded = {"thread_ts": thread_ts} if thread_ts else {}
    return {
        "type": "message",
        "subtype": "message_changed",
        "message": {
            "type": "message",
            "text": new_text,
            "user": user,
            "team": team_id,
            "edited": {"user": user, "ts": event_ts.split(".")[0] + ".000000"},
            "blocks": _rich_text(new_text),
            "ts": ts,
            **threaded,
        },
        "previous_message": {
            "type": "message",
            "text": old_text,
            "user": user,
            "team": team_id,
            "ts": ts,
            "blocks": _rich_text(old_text),
        },
        "channel": channel,
        "hidden": True,
        "ts": event_ts,
        "event_ts": event_ts,
        "channel_type": channel_type,
    }


def message_deleted_event(
    *, channel: str, ts: str, channel_type: str = "channel"
) -> dict[str, Any]:
    """A ``message_deleted`` subtype event for message ``ts``."""
    event_ts = new_ts()
    return {
        "type": "message",
        "subtype": "message_deleted",
        "hidden": True,
        "deleted_ts": ts,
        "channel": channel,
        "ts": event_ts,
        "event_ts": event_ts,
        "channel_type": channel_type,
    }


def message_tombstoned_event(
    *, channel: str, tombstone: Mapping[str, Any], previous: Mapping[str, Any]
) -> dict[str, Any]:
    """The ``message_changed`` Slack sends when a message with thread replies is deleted.

    The message becomes a tombstone (``subtype: tombstone``, "This message was deleted.") and
    its thread stays; no ``message_deleted`` event comes.
    """
    event_ts = new_ts()
    return {
        "type": "message",
        "subtype": "message_changed",
        "message": dict(tombstone),
        "previous_message": dict(previous),
        "channel": channel,
        "hidden": True,
        "ts": event_ts,
        "event_ts": event_ts,
        "channel_type": "channel",
    }


def app_mention_event(
    *,
    user: str,
    channel: str,
    text: str,
    ts: str | None = None,
    thread_ts: str | None = None,
    team_id: str = DEFAULT_TEAM_ID,
) -> dict[str, Any]:
    """An ``app_mention`` event; write the mention into ``text`` (``<@U0BOT> check this``)."""
    event = message_event(user=user, channel=channel, text=text, ts=ts, thread_ts=thread_ts)
    event["type"] = "app_mention"
    event.pop("channel_type")
    event["team"] = team_id
    return event


def app_home_opened_event(*, user: str, channel: str, tab: str = "home") -> dict[str, Any]:
    """An ``app_home_opened`` event (``channel`` is the bot's DM with ``user``)."""
    return {
        "type": "app_home_opened",
        "user": user,
        "channel": channel,
        "tab": tab,
        "event_ts": new_ts(),
    }


def event_callback(
    event: Mapping[str, Any],
    *,
    team_id: str = DEFAULT_TEAM_ID,
    api_app_id: str = DEFAULT_APP_ID,
    bot_user_id: str = DEFAULT_BOT_USER_ID,
    event_id: str | None = None,
    event_time: int | None = None,
) -> dict[str, Any]:
    """Wrap an event the way the Events API delivers it."""
    channel = event.get("channel", "")
    return {
        "token": VERIFICATION_TOKEN,
        "team_id": team_id,
        "api_app_id": api_app_id,
        "event": dict(event),
        "type": "event_callback",
        "event_id": event_id or _event_id(),
        "event_time": event_time or int(time.time()),
        "authorizations": [
            {
                "enterprise_id": None,
                "team_id": team_id,
                "user_id": bot_user_id,
                "is_bot": True,
                "is_enterprise_install": False,
            }
        ],
        "is_ext_shared_channel": False,
        "event_context": f"4-{event.get('type', 'message')}-{team_id}-{channel}",
    }


def url_verification(
    challenge: str = "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P",
) -> dict[str, Any]:
    """The handshake Slack sends when the Request URL is saved."""
    return {"token": VERIFICATION_TOKEN, "challenge": challenge, "type": "url_verification"}


# ------------------------------------------------------------------------------- commands


def slash_command(
    *,
    command: str,
    text: str,
    user_id: str,
    channel_id: str,
    response_url: str,
    trigger_id: str | None = None,
    user_name: str = "checker",
    channel_name: str = "factcheck-desk",
    team_id: str = DEFAULT_TEAM_ID,
    team_domain: str = DEFAULT_TEAM_DOMAIN,
    api_app_id: str = DEFAULT_APP_ID,
) -> dict[str, str]:
    """The form fields of a slash command, in Slack's order (send form-encoded)."""
    return {
        "token": VERIFICATION_TOKEN,
        "team_id": team_id,
        "team_domain": team_domain,
        "channel_id": channel_id,
        "channel_name": channel_name,
        "user_id": user_id,
        "user_name": user_name,
        "command": command,
        "text": text,
        "api_app_id": api_app_id,
        "is_enterprise_install": "false",
        "response_url": response_url,
        "trigger_id": trigger_id or new_trigger_id(),
    }


# ------------------------------------------------------------------------------- interactions


def _plain(text: str) -> dict[str, Any]:
    return {"type": "plain_text", "text": text, "emoji": True}


def button(
    action_id: str, *, value: str | None = None, block_id: str = "actions", text: str = "Button"
) -> dict[str, Any]:
    """One clicked button, as it appears in ``actions``."""
    action: dict[str, Any] = {
        "action_id": action_id,
        "block_id": block_id,
        "text": _plain(text),
        "type": "button",
        "action_ts": new_ts(),
    }
    if value is not None:
        action["value"] = value
    return action


def overflow(
    action_id: str, *, value: str, text: str = "Option", block_id: str = "actions"
) -> dict[str, Any]:
    """One chosen overflow-menu option, as it appears in ``actions``."""
    return {
        "type": "overflow",
        "action_id": action_id,
        "block_id": block_id,
        "selected_option": {"text": _plain(text), "value": value},
        "action_ts": new_ts(),
    }


def static_select(
    action_id: str, *, value: str, text: str = "Option", block_id: str = "actions"
) -> dict[str, Any]:
    """One chosen static_select option, as it appears in ``actions``."""
    return {
        "type": "static_select",
        "action_id": action_id,
        "block_id": block_id,
        "selected_option": {"text": _plain(text), "value": value},
        "placeholder": _plain("Select"),
        "action_ts": new_ts(),
    }


def users_select(action_id: str, *, user: str, block_id: str = "actions") -> dict[str, Any]:
    """One chosen users_select value, as it appears in ``actions``."""
    return {
        "type": "users_select",
        "action_id": action_id,
        "block_id": block_id,
        "selected_user": user,
        "action_ts": new_ts(),
    }


def _team(team_id: str, team_domain: str) -> dict[str, Any]:
    return {"id": team_id, "domain": team_domain}


def _user(user_id: str, team_id: str) -> dict[str, Any]:
    return {"id": user_id, "username": user_id.lower(), "name": user_id.lower(), "team_id": team_id}


def block_actions(
    *,
    user: str,
    actions: Sequence[Mapping[str, Any]],
    trigger_id: str,
    channel: str | None = None,
    message: Mapping[str, Any] | None = None,
    response_url: str | None = None,
    view: Mapping[str, Any] | None = None,
    is_ephemeral: bool = False,
    team_id: str = DEFAULT_TEAM_ID,
    team_domain: str = DEFAULT_TEAM_DOMAIN,
    api_app_id: str = DEFAULT_APP_ID,
) -> dict[str, Any]:
    """A ``block_actions`` payload from a message (``channel`` + ``message``) or a ``view``."""
    payload: dict[str, Any] = {
        "type": "block_actions",
        "user": _user(user, team_id),
        "api_app_id": api_app_id,
        "token": VERIFICATION_TOKEN,
        "trigger_id": trigger_id,
        "team": _team(team_id, team_domain),
        "enterprise": None,
        "is_enterprise_install": False,
        "actions": [dict(action) for action in actions],
    }
    if view is not None:
        payload["container"] = {"type": "view", "view_id": view.get("id")}
        payload["view"] = dict(view)
    elif channel is not None and message is not None:
        payload["container"] = {
            "type": "message",
            "message_ts": message["ts"],
            "channel_id": channel,
            "is_ephemeral": is_ephemeral,
        }
        payload["channel"] = {"id": channel, "name": channel.lower()}
        payload["message"] = dict(message)
        payload["state"] = {"values": {}}
    if response_url is not None:
        payload["response_url"] = response_url
    return payload


def text_input(value: str | None) -> dict[str, Any]:
    """A plain_text_input's state value."""
    return {"type": "plain_text_input", "value": value}


def select_input(value: str, text: str = "Option") -> dict[str, Any]:
    """A static_select's state value."""
    return {"type": "static_select", "selected_option": {"text": _plain(text), "value": value}}


def user_input(user: str | None) -> dict[str, Any]:
    """A users_select's state value."""
    return {"type": "users_select", "selected_user": user}


def date_input(date: str | None) -> dict[str, Any]:
    """A datepicker's state value (``YYYY-MM-DD``)."""
    return {"type": "datepicker", "selected_date": date}


def view_submission(
    *,
    user: str,
    view: Mapping[str, Any],
    values: Mapping[str, Mapping[str, Mapping[str, Any]]],
    trigger_id: str,
    response_urls: Sequence[Mapping[str, Any]] = (),
    team_id: str = DEFAULT_TEAM_ID,
    team_domain: str = DEFAULT_TEAM_DOMAIN,
    api_app_id: str = DEFAULT_APP_ID,
) -> dict[str, Any]:
    """A ``view_submission`` of ``view`` (as views.open returned it) with state ``values``.

    ``values`` maps block_id -> action_id -> state value (see :func:`text_input`).
    ``view`` keeps its callback_id and private_metadata, as Slack sends them back.
    """
    submitted = dict(view)
    submitted.setdefault("id", "V" + secrets.token_hex(4).upper())
    submitted.setdefault("private_metadata", "")
    submitted.setdefault("callback_id", "")
    submitted.setdefault("hash", f"{int(time.time())}.{secrets.token_hex(4)}")
    submitted["state"] = {"values": {k: dict(v) for k, v in values.items()}}
    return {
        "type": "view_submission",
        "team": _team(team_id, team_domain),
        "user": _user(user, team_id),
        "api_app_id": api_app_id,
        "token": VERIFICATION_TOKEN,
        "trigger_id": trigger_id,
        "view": submitted,
        "response_urls": [dict(url) for url in response_urls],
        "is_enterprise_install": False,
        "enterprise": None,
    }


def view_closed(
    *, user: str, view: Mapping[str, Any], team_id: str = DEFAULT_TEAM_ID
) -> dict[str, Any]:
    """A ``view_closed`` payload (sent only when the view had notify_on_close)."""
    return {
        "type": "view_closed",
        "team": _team(team_id, DEFAULT_TEAM_DOMAIN),
        "user": _user(user, team_id),
        "api_app_id": DEFAULT_APP_ID,
        "token": VERIFICATION_TOKEN,
        "view": dict(view),
        "is_cleared": False,
    }


def message_action(
    *,
    user: str,
    callback_id: str,
    channel: str,
    message: Mapping[str, Any],
    trigger_id: str,
    response_url: str,
    team_id: str = DEFAULT_TEAM_ID,
    team_domain: str = DEFAULT_TEAM_DOMAIN,
) -> dict[str, Any]:
    """A message shortcut (``message_action``) run by ``user`` on ``message``."""
    return {
        "type": "message_action",
        "token": VERIFICATION_TOKEN,
        "action_ts": new_ts(),
        "team": _team(team_id, team_domain),
        "user": {"id": user, "name": user.lower(), "team_id": team_id},
        "channel": {"id": channel, "name": channel.lower()},
        "is_enterprise_install": False,
        "enterprise": None,
        "callback_id": callback_id,
        "trigger_id": trigger_id,
        "message_ts": message["ts"],
        "message": dict(message),
        "response_url": response_url,
    }


def global_shortcut(
    *, user: str, callback_id: str, trigger_id: str, team_id: str = DEFAULT_TEAM_ID
) -> dict[str, Any]:
    """A global shortcut (``shortcut``) run by ``user``."""
    return {
        "type": "shortcut",
        "token": VERIFICATION_TOKEN,
        "action_ts": new_ts(),
        "team": _team(team_id, DEFAULT_TEAM_DOMAIN),
        "user": _user(user, team_id),
        "is_enterprise_install": False,
        "enterprise": None,
        "callback_id": callback_id,
        "trigger_id": trigger_id,
    }
