"""The playground's workspace: four people with their desk roles, and text as Slack would send it."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final

from bot.localslack.web_api import ALICE, BOB, CAROL, DESK, NEWSROOM, SlackStandIn

DAN: Final = "U0DAN"


@dataclass(frozen=True)
class Person:
    """Someone the page can act as."""

    id: str
    handle: str
    real_name: str
    role: str
    tz: str


#: Reporter first: a newcomer starts by pasting an article.
PEOPLE: Final = (
    Person(CAROL, "carol", "Carol Reporter", "reporter", "Asia/Kolkata"),
    Person(ALICE, "alice", "Alice Checker", "checker", "America/New_York"),
    Person(DAN, "dan", "Dan Checker", "checker", "Europe/London"),
    Person(BOB, "bob", "Bob Editor", "editor", "Europe/Berlin"),
)
EDITORS: Final = tuple(p.id for p in PEOPLE if p.role == "editor")
#: Channels the page lists; the desk is where articles are pasted.
CHANNELS: Final = ((DESK, "factcheck-desk"), (NEWSROOM, "newsroom"))

_MENTION = re.compile(r"(?<![\w<@])@([a-z][a-z0-9._-]*)", re.IGNORECASE)
_URL = re.compile(r"(?<![<|\w])(https?://[^\s<>|]+[^\s<>|.,;:!?)\]'\"])", re.IGNORECASE)


def seed_playground(slack: SlackStandIn) -> None:
    """Put the people and channels on a fresh stand-in (the bot is in both channels)."""
    for person in PEOPLE:
        slack.add_user(person.handle, id=person.id, real_name=person.real_name, tz=person.tz)
    for channel_id, name in CHANNELS:
        slack.add_channel(name, id=channel_id)


def handles(slack: SlackStandIn) -> dict[str, str]:
    """handle -> user id, for turning a typed @name into a mention."""
    with slack.lock:
        return {user.name.lower(): user.id for user in slack.users.values()}


def as_slack_sends(text: str, people: Mapping[str, str], *, command: bool = False) -> str:
    """What Slack puts in an event or a slash command for text a person typed.

    `&`, `<` and `>` are escaped; `@name` of a known person becomes a mention (`<@U|name>` in
    commands, which the manifest escapes, `<@U>` in messages); links are wrapped in `<...>`.
    """
    escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    linked = _URL.sub(lambda m: f"<{m.group(1)}>", escaped)

    def mention(match: re.Match[str]) -> str:
        user = people.get(match.group(1).lower())
        if user is None:
            return match.group(0)
        return f"<@{user}|{match.group(1)}>" if command else f"<@{user}>"

    return _MENTION.sub(mention, linked)
