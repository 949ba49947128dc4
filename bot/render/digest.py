"""Block Kit for the editors' daily digest, inside Slack's limits however large the desk."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, Final
from zoneinfo import ZoneInfo

from bot.render.limits import (
    MAX_CONTEXT_TEXT,
    MAX_FALLBACK_TEXT,
    MAX_HEADER_TEXT,
    MAX_SECTION_TEXT,
    trim,
)
from bot.render.thread import SlackMessage
from storage.digest_figures import DigestFigures

Block = dict[str, Any]

PROGRESS_CELLS: Final = 6
PROGRESS_DONE: Final = "▓"
PROGRESS_TODO: Final = "░"
LINE_TEXT_CHARS: Final = 120

# What people read. Tests assert against these.
DIGEST_TITLE: Final = "Fact-check desk, {day}"
DIGEST_SINCE: Final = "Since {since}{scope}"
DIGEST_FALLBACK: Final = (
    "Fact-check digest: {open} open, {claimed} claimed, {overdue} overdue; "
    "{verified} verified and {flagged} flagged since the last digest"
)
FLAGGED_TITLE: Final = "*Flagged since the last digest* (an editor should look):"
OVERDUE_TITLE: Final = "*Overdue*:"
LOAD_TITLE: Final = "*Load per checker*:"
PROGRESS_TITLE: Final = "*Articles in progress*:"
MORE_IN_QUEUE: Final = (
    "More: `/factcheck queue` lists every open ticket, `/factcheck show ID` any one."
)
NOTHING_ON_DESK: Final = "Nothing in progress on the desk."
AND_MORE: Final = "…and {count} more"


def progress_bar(done: int, total: int, *, cells: int = PROGRESS_CELLS) -> str:
    """`▓▓▓▓░░ 8/12`: finished tickets of an article out of all of its tickets."""
    filled = 0 if total <= 0 else min(cells, round(cells * done / total))
    return f"{PROGRESS_DONE * filled}{PROGRESS_TODO * (cells - filled)} {done}/{total}"


def _local(moment: datetime, zone: ZoneInfo) -> str:
    local = moment.astimezone(zone)
    return f"{local.strftime('%a')} {local.day} {local.strftime('%b %H:%M')}"


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _snippet(text: str) -> str:
    return _escape(trim(text.replace("\n", " "), LINE_TEXT_CHARS))


def _link(url: str | None, label: str) -> str:
    return f"<{url}|{_escape(label)}>" if url else _escape(label)


def _list_section(title: str, lines: Sequence[str], *, total: int) -> Block:
    """A titled list cut to fit one section; what did not fit is counted, never dropped silently."""
    text = title
    shown = 0
    for line in lines:
        remaining = total - shown - 1
        tail = f"\n{AND_MORE.format(count=remaining)}" if remaining > 0 else ""
        if len(text) + 1 + len(line) + len(tail) > MAX_SECTION_TEXT:
            break
        text += "\n" + line
        shown += 1
    if total > shown:
        text += "\n" + AND_MORE.format(count=total - shown)
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def _field(label: str, value: int) -> Block:
    return {"type": "mrkdwn", "text": f"*{label}*\n{value}"}


def render_digest(figures: DigestFigures, *, zone: ZoneInfo) -> SlackMessage:
    """The digest: what is new, what was finished, where the desk stands, who holds what.

    At most a dozen blocks whatever the desk's size: every list is bounded by the figures'
    limit and each section by Slack's 3,000 characters, with "…and N more" and a pointer to
    `/factcheck queue` for the rest.
    """
    now_local = figures.now.astimezone(zone)
    day = f"{now_local.strftime('%A')} {now_local.day} {now_local.strftime('%B')}"
    scope = f" in <#{figures.channel}>" if figures.channel else ""
    blocks: list[Block] = [
        {
            "type": "header",
            "text": {
                "type": "plain_text",
                "text": trim(DIGEST_TITLE.format(day=day), MAX_HEADER_TEXT),
            },
        },
        {
            "type": "context",
            "elements": [
                {
                    "type": "mrkdwn",
                    "text": trim(
                        DIGEST_SINCE.format(since=_local(figures.since, zone), scope=scope),
                        MAX_CONTEXT_TEXT,
                    ),
                }
            ],
        },
        {
            "type": "section",
            "fields": [
                _field("New articles", figures.new_articles),
                _field("New tickets", figures.new_tickets),
                _field("Verified", figures.verified_since),
                _field("Flagged", figures.flagged_since),
                _field("Open", figures.open),
                _field("Claimed", figures.claimed),
                _field("Overdue", figures.overdue),
                _field("Dismissed", figures.dismissed_since),
            ],
        },
    ]
    if figures.flagged:
        lines = []
        for item in figures.flagged:
            label = item.verdict or "Flagged"
            reason = f": {_snippet(item.reason)}" if item.reason else ""
            holder = f" (<@{item.assignee}>)" if item.assignee else ""
            article = _link(item.article_permalink, "article") if item.article_permalink else ""
            lines.append(
                f"• *#{item.ticket_id}* {_snippet(item.text)} · *{_escape(label)}*{reason}"
                f"{holder} {article}".rstrip()
            )
        blocks.append(_list_section(FLAGGED_TITLE, lines, total=figures.flagged_since))
    if figures.overdue_tickets:
        lines = [
            f"• *#{item.ticket_id}* <@{item.assignee}>, due {_local(item.due_at, zone)}: "
            f"{_snippet(item.text)}"
            for item in figures.overdue_tickets
        ]
        blocks.append(_list_section(OVERDUE_TITLE, lines, total=figures.overdue))
    if figures.load:
        lines = [
            f"• <@{load.assignee}>: {load.claimed} claimed"
            + (f", {load.overdue} overdue" if load.overdue else "")
            for load in figures.load
        ]
        blocks.append(_list_section(LOAD_TITLE, lines, total=len(figures.load)))
    if figures.progress:
        lines = [
            f"• `{progress_bar(item.done, item.total)}` "
            f"{_link(item.permalink, trim(item.title or f'Article {item.article_id}', 80))}"
            for item in figures.progress
        ]
        blocks.append(_list_section(PROGRESS_TITLE, lines, total=figures.articles_in_progress))
    if not figures.open and not figures.claimed:
        blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": NOTHING_ON_DESK}})
    blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": MORE_IN_QUEUE}]})
    text = trim(
        DIGEST_FALLBACK.format(
            open=figures.open,
            claimed=figures.claimed,
            overdue=figures.overdue,
            verified=figures.verified_since,
            flagged=figures.flagged_since,
        ),
        MAX_FALLBACK_TEXT,
    )
    return SlackMessage(text=text, blocks=blocks)


def digest_as_text(message: SlackMessage) -> str:
    """The digest as plain lines, for the terminal (`factcheck digest` without --post)."""
    lines: list[str] = []
    for block in message.blocks:
        kind = block.get("type")
        if kind == "header":
            title = str(block["text"]["text"])
            lines += [title, "=" * len(title)]
        elif kind == "context":
            lines += [str(element.get("text", "")) for element in block.get("elements", [])]
        elif kind == "section":
            if "text" in block:
                lines.append(str(block["text"]["text"]))
            for field in block.get("fields", []):
                lines.append(str(field["text"]).replace("\n", ": "))
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"
