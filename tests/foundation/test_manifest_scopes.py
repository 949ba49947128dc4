"""The manifest asks for exactly the scopes the code needs: each one is tied to a call or event.

A scope no code uses makes installers grant more than the desk needs; a Slack call whose scope
is missing fails only in production with `missing_scope`. Both fail here.
"""

from __future__ import annotations

import re

from bot.localslack.blockkit import ELEMENT_TYPES
from bot.manifest import BOT_EVENTS, BOT_SCOPES, build_manifest
from tests.shared_data import REPO

# Slack's documented bot-token scopes for each Web API method the bot may call (None: no
# scope; a tuple: all of them, as the bot calls it).
METHOD_SCOPE: dict[str, str | tuple[str, ...] | None] = {
    "chat_postMessage": "chat:write",
    "chat_postEphemeral": "chat:write",
    "chat_update": "chat:write",
    "chat_delete": "chat:write",
    "chat_getPermalink": None,
    "reactions_add": "reactions:write",
    "reactions_remove": "reactions:write",
    "users_info": "users:read",
    "views_open": None,
    "views_publish": None,
    "views_update": None,
    "auth_test": None,
    # Catch-up and the outbox's look for its own post; channels:history covers public
    # channels, groups:history (also granted) private ones, im:history the bot's DMs.
    "conversations_history": ("channels:history", "im:history"),
    "conversations_replies": "channels:history",
    # The outbox's look for a DM: the DM's channel id.
    "conversations_open": "im:write",
    # Catch-up with FACTCHECK_CHANNELS empty: types=public_channel,private_channel.
    "users_conversations": ("channels:read", "groups:read"),
    "files_getUploadURLExternal": "files:write",
    "files_completeUploadExternal": "files:write",
    # slack_sdk's helper for the two above (and the POST of the bytes between them).
    "files_upload_v2": "files:write",
}
# ... and for each event the manifest subscribes to.
EVENT_SCOPE: dict[str, str | None] = {
    "app_mention": "app_mentions:read",
    "message.channels": "channels:history",
    "message.groups": "groups:history",
    "app_home_opened": None,
}
_METHOD = (
    r"(?:chat|users|reactions|views|conversations|files|auth|team|usergroups)_[a-z][A-Za-z]+"
    r"(?:_v\d)?"  # slack_sdk's helpers: files_upload_v2
)
# `client.chat_postMessage(` or a method named in a string (`getattr(client, "reactions_add")`).
METHOD_NAME = re.compile(rf"\.({_METHOD})\(|[\"']({_METHOD})[\"']")


def scopes_of(method: str) -> set[str]:
    needed = METHOD_SCOPE.get(method)
    if needed is None:
        return set()
    return {needed} if isinstance(needed, str) else set(needed)


def methods_called_by_the_bot() -> set[str]:
    found: set[str] = set()
    for path in (REPO / "bot").rglob("*.py"):
        if {"localslack", "playground"} & set(path.relative_to(REPO).parts):
            continue  # the local Slack answers these methods and its page draws them; neither calls one
        code = "\n".join(line.split("#")[0] for line in path.read_text().splitlines())
        names = (name for pair in METHOD_NAME.findall(code) for name in pair)
        # "team_id" is a field and "users_select" a Block Kit element, not Web API methods.
        found.update(
            name
            for name in names
            if name and not name.endswith("_id") and name not in ELEMENT_TYPES
        )
    return found


def test_every_slack_method_the_bot_calls_has_its_documented_scope() -> None:
    called = methods_called_by_the_bot()
    assert "chat_postMessage" in called  # the scan finds calls at all
    unknown = called - METHOD_SCOPE.keys()
    assert not unknown, f"add these methods and their scopes to METHOD_SCOPE: {sorted(unknown)}"
    needed = {s for m in called for s in scopes_of(m)} | {EVENT_SCOPE[e] for e in BOT_EVENTS}
    missing = {scope for scope in needed if scope} - set(BOT_SCOPES)
    assert not missing, f"Slack would answer missing_scope: {sorted(missing)}"


def test_the_manifest_asks_for_no_scope_the_code_does_not_use() -> None:
    called = methods_called_by_the_bot()
    used = {s for m in called for s in scopes_of(m)} | {EVENT_SCOPE[e] for e in BOT_EVENTS}
    used.add("commands")  # the /factcheck slash command in the manifest
    assert build_manifest()["features"]["slash_commands"]
    unused = set(BOT_SCOPES) - used
    assert not unused, f"scopes no code uses: {sorted(unused)}"
    assert build_manifest()["oauth_config"]["scopes"]["bot"] == list(BOT_SCOPES)


def test_readme_names_every_scope_the_manifest_asks_for() -> None:
    # An installer reads the list before granting it; it must be the manifest's, no more.
    readme = (REPO / "README.md").read_text()
    step = readme.split("## Create the Slack app", 1)[1].split("\n2. ", 1)[0]
    named = set(re.findall(r"`([a-z_]+:[a-z_]+)`", step)) | {"commands"}
    assert named == set(BOT_SCOPES)
