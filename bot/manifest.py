"""The Slack app manifest: everything the desk needs from Slack, in one dict."""

from __future__ import annotations

from typing import Any

from bot.render.ids import MESSAGE_SHORTCUT_CALLBACK, MESSAGE_SHORTCUT_NAME, SLASH_COMMAND

# Only what the code uses (tests/foundation/test_manifest_scopes.py ties each to its calls).
# DMs are posted to the user's id, which needs chat:write only. im:write and im:history serve
# one look only: a DM whose earlier attempt may have reached Slack (the answer was lost, or
# the process died) is looked for in the bot's DM with that person before it is sent again
# (bot/outbox.py); an app installed without them still sends every DM, and such a DM may
# repeat. channels:read and groups:read are read only by catch-up with FACTCHECK_CHANNELS
# empty, to find the channels the bot is in (without them it would miss a channel's first
# article posted while the bot was down); they show channel names and members, no messages.
BOT_SCOPES = (
    "app_mentions:read",  # app_mention: articles pasted with a mention of the bot
    "channels:history",  # message.channels: articles pasted in public channels
    "groups:history",  # message.groups: ... and in private channels the bot was invited to
    "channels:read",  # users.conversations: the public channels catch-up reads
    "groups:read",  # users.conversations: ... and the private ones
    "chat:write",  # chat.postMessage/update/postEphemeral: threads, cards, DMs, digests
    "commands",  # /factcheck
    "files:write",  # files_upload_v2 (files.getUploadURLExternal/completeUploadExternal): the weekly chart
    "im:history",  # conversations.history of the bot's DMs: a DM sent but never acknowledged
    "im:write",  # conversations.open: ... the DM's channel id, to read it
    "reactions:write",  # reactions.add/remove: the :eyes: reaction while an article is read
    "users:read",  # users.info: time zones for quiet hours
)

BOT_EVENTS = ("app_mention", "message.channels", "message.groups", "app_home_opened")


def build_manifest(*, request_url: str | None = None) -> dict[str, Any]:
    """Socket Mode when `request_url` is None (no public URL needed), else HTTP to that URL."""
    slash: dict[str, Any] = {
        "command": SLASH_COMMAND,
        "description": "Fact-check desk: claim, verify, flag and more",
        "usage_hint": "help | claim 12 | verify 12 https://source | mine | queue",
        "should_escape": True,  # so `@maria` arrives as <@U123|maria> for assign and roster
    }
    events: dict[str, Any] = {"bot_events": list(BOT_EVENTS)}
    interactivity: dict[str, Any] = {"is_enabled": True}
    if request_url:
        slash["url"] = request_url
        events["request_url"] = request_url
        interactivity["request_url"] = request_url
    return {
        "_metadata": {"major_version": 1, "minor_version": 1},
        "display_information": {
            "name": "Fact-check desk",
            "description": "Turns pasted articles into claim and quote tickets for the desk",
            "long_description": (
                "Paste an article (text or a link) into a watched channel and the bot splits it "
                "into check-worthy claims and attributed quotes, one ticket each, in the article's "
                "thread. Checkers claim tickets with a button or /factcheck, record a verdict with "
                "sources, and get reminders until every ticket is verified, flagged or dismissed. "
                "Editors see stalled work and a daily digest of where the desk stands."
            ),
            "background_color": "#1d3557",
        },
        "features": {
            "app_home": {
                "home_tab_enabled": True,
                "messages_tab_enabled": True,
                "messages_tab_read_only_enabled": True,
            },
            "bot_user": {"display_name": "factcheck", "always_online": True},
            "shortcuts": [
                {
                    "name": MESSAGE_SHORTCUT_NAME,
                    "type": "message",
                    "callback_id": MESSAGE_SHORTCUT_CALLBACK,
                    "description": "Split this message into claim and quote tickets",
                }
            ],
            "slash_commands": [slash],
        },
        "oauth_config": {"scopes": {"bot": list(BOT_SCOPES)}},
        "settings": {
            "event_subscriptions": events,
            "interactivity": interactivity,
            "org_deploy_enabled": False,
            "socket_mode_enabled": request_url is None,
            "token_rotation_enabled": False,
        },
    }
