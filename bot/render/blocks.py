"""The Block Kit toolkit every renderer builds with: one message type, mrkdwn, blocks, buttons.

Blocks are plain dicts built here, in one place. slack_sdk's `models.blocks` was weighed: its
typed classes validate lengths by raising at construction, while the desk must trim to fit
(a 4,000-character quote is still a ticket), and every consumer (Bolt's `respond`, the
stand-in, the tests, the playground) reads dicts anyway, so the classes would be built only to
be turned back into dicts. Small typed functions give the same single source without that.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Final
from urllib.parse import urlsplit

from bot.render.limits import (
    MAX_BUTTON_TEXT,
    MAX_CONTEXT_TEXT,
    MAX_FALLBACK_TEXT,
    MAX_HEADER_TEXT,
    MAX_SECTION_TEXT,
    Block,
    trim,
)

PROGRESS_DONE: Final = "▓"
PROGRESS_TODO: Final = "░"
PROGRESS_CELLS: Final = 10
# A link shows at most this much of its label.
LINK_LABEL_CHARS: Final = 80

_SLACK_LINK = re.compile(r"<([^<>|]+)\|([^<>]+)>")
_SLACK_BARE = re.compile(r"<([^<>|]+)>")


@dataclass(frozen=True)
class SlackMessage:
    """What chat.postMessage / chat.update / respond() take: blocks and a notification text."""

    text: str
    blocks: list[Block]


def escape(text: str) -> str:
    """Text as Slack mrkdwn shows it literally: `&`, `<` and `>` escaped, nothing else."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def readable(text: str) -> str:
    """Slack markup as a reader sees it: `<url|label>` becomes the label, `&amp;` an `&`."""
    return html.unescape(_SLACK_BARE.sub(r"\1", _SLACK_LINK.sub(r"\2", text)))


def link(url: str | None, label: str | None = None, *, limit: int = LINK_LABEL_CHARS) -> str:
    """`<url|label>`, labelled with the host when no label is given; the bare label without a URL."""
    shown = escape(trim(label or (urlsplit(url).hostname if url else None) or url or "", limit))
    return f"<{url}|{shown}>" if url else shown


def slack_date(moment: datetime, fmt: str = "{date_short_pretty} {time}") -> str:
    """A time every reader sees in their own zone, with a UTC fallback."""
    fallback = moment.strftime("%d %b %H:%M UTC")
    return f"<!date^{int(moment.timestamp())}^{fmt}|{fallback}>"


def plural(count: int, word: str, many: str | None = None) -> str:
    """`1 claim`, `3 claims` (or `many` when the plural is not `word` + s)."""
    return f"{count} {word if count == 1 else (many or word + 's')}"


def progress_bar(done: int, total: int, *, cells: int = PROGRESS_CELLS) -> str:
    """`▓▓▓▓░░░░░░ 4/10`: finished out of all, the bar clamped to its cells whatever the counts."""
    share = 0.0 if total <= 0 else min(max(done / total, 0.0), 1.0)
    filled = round(cells * share)
    return f"{PROGRESS_DONE * filled}{PROGRESS_TODO * (cells - filled)} {done}/{total}"


def plain_text(text: str, *, limit: int = MAX_SECTION_TEXT) -> Block:
    return {"type": "plain_text", "text": trim(text, limit), "emoji": True}


def mrkdwn(text: str, *, limit: int = MAX_SECTION_TEXT) -> Block:
    return {"type": "mrkdwn", "text": trim(text, limit)}


def section(text: str, *, accessory: Block | None = None, block_id: str | None = None) -> Block:
    """A mrkdwn section trimmed to Slack's 3,000 characters, with an optional accessory."""
    block: Block = {"type": "section", "text": mrkdwn(text)}
    if block_id is not None:
        block["block_id"] = block_id
    if accessory is not None:
        block["accessory"] = accessory
    return block


def fields_section(fields: list[tuple[str, int | str]]) -> Block:
    """A section of `*label*\\nvalue` fields (Slack shows them in two columns)."""
    return {
        "type": "section",
        "fields": [{"type": "mrkdwn", "text": f"*{label}*\n{value}"} for label, value in fields],
    }


def context(text: str, *, block_id: str | None = None) -> Block:
    block: Block = {"type": "context", "elements": [mrkdwn(text, limit=MAX_CONTEXT_TEXT)]}
    if block_id is not None:
        block["block_id"] = block_id
    return block


def header(text: str) -> Block:
    return {"type": "header", "text": plain_text(text, limit=MAX_HEADER_TEXT)}


def divider() -> Block:
    return {"type": "divider"}


def actions(elements: list[Block], *, block_id: str | None = None) -> Block:
    block: Block = {"type": "actions", "elements": elements}
    if block_id is not None:
        block["block_id"] = block_id
    return block


def button(
    text: str,
    action_id: str,
    value: str | None = None,
    style: str | None = None,
    *,
    url: str | None = None,
) -> Block:
    """A button; `style` is "primary" or "danger"; with `url` it opens that link."""
    element: Block = {
        "type": "button",
        "text": plain_text(text, limit=MAX_BUTTON_TEXT),
        "action_id": action_id,
    }
    if value is not None:
        element["value"] = value
    if url is not None:
        element["url"] = url
    if style:
        element["style"] = style
    return element


def user_picker(action_id: str, placeholder: str) -> Block:
    """A users_select: Slack lists the workspace's people; the choice arrives as `selected_user`."""
    return {
        "type": "users_select",
        "action_id": action_id,
        "placeholder": plain_text(placeholder, limit=MAX_BUTTON_TEXT),
    }


def overflow(action_id: str, options: list[tuple[str, str]]) -> Block:
    """The ⋯ menu: (label, value) pairs."""
    return {
        "type": "overflow",
        "action_id": action_id,
        "options": [{"text": plain_text(label), "value": value} for label, value in options],
    }


def plain_message(text: str) -> SlackMessage:
    """A one-section message (text trimmed to Slack's section limit)."""
    return SlackMessage(text=trim(text, MAX_FALLBACK_TEXT), blocks=[section(text)])
