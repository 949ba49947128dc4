"""Block Kit for the editors' daily digest, inside Slack's limits however large the desk."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Final
from zoneinfo import ZoneInfo

from bot.render.blocks import SlackMessage, context, escape, fields_section, header, link, section
from bot.render.desk_lines import load_line, overdue_line, progress_line
from bot.render.limits import MAX_FALLBACK_TEXT, MAX_SECTION_TEXT, Block, trim
from storage.digest_figures import DigestFigures

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


def _local(moment: datetime, zone: ZoneInfo) -> str:
    local = moment.astimezone(zone)
    return f"{local.strftime('%a')} {local.day} {local.strftime('%b %H:%M')}"


def _snippet(text: str) -> str:
    return escape(trim(text.replace("\n", " "), LINE_TEXT_CHARS))


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
    return section(text)


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
        header(DIGEST_TITLE.format(day=day)),
        context(DIGEST_SINCE.format(since=_local(figures.since, zone), scope=scope)),
        fields_section(
            [
                ("New articles", figures.new_articles),
                ("New tickets", figures.new_tickets),
                ("Verified", figures.verified_since),
                ("Flagged", figures.flagged_since),
                ("Open", figures.open),
                ("Claimed", figures.claimed),
                ("Overdue", figures.overdue),
                ("Dismissed", figures.dismissed_since),
            ]
        ),
    ]
    if figures.flagged:
        lines = []
        for item in figures.flagged:
            label = item.verdict or "Flagged"
            reason = f": {_snippet(item.reason)}" if item.reason else ""
            holder = f" (<@{item.assignee}>)" if item.assignee else ""
            article = link(item.article_permalink, "article") if item.article_permalink else ""
            lines.append(
                f"• *#{item.ticket_id}* {_snippet(item.text)} · *{escape(label)}*{reason}"
                f"{holder} {article}".rstrip()
            )
        blocks.append(_list_section(FLAGGED_TITLE, lines, total=figures.flagged_since))
    if figures.overdue_tickets:
        lines = [
            f"• {overdue_line(item, when=_local(item.due_at, zone))}: {_snippet(item.text)}"
            for item in figures.overdue_tickets
        ]
        blocks.append(_list_section(OVERDUE_TITLE, lines, total=figures.overdue))
    if figures.load:
        lines = [f"• {load_line(load)}" for load in figures.load]
        blocks.append(_list_section(LOAD_TITLE, lines, total=len(figures.load)))
    if figures.progress:
        lines = [f"• {progress_line(item)}" for item in figures.progress]
        blocks.append(_list_section(PROGRESS_TITLE, lines, total=figures.articles_in_progress))
    if not figures.open and not figures.claimed:
        blocks.append(section(NOTHING_ON_DESK))
    blocks.append(context(MORE_IN_QUEUE))
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
