"""Block Kit for the editors' daily digest, inside Slack's limits however large the desk."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Final
from zoneinfo import ZoneInfo

from bot.render import ids
from bot.render.blocks import (
    SlackMessage,
    context,
    escape,
    fields_section,
    header,
    link,
    section,
)
from bot.render.desk_lines import article_name, load_line, overdue_line, progress_line
from bot.render.limits import MAX_FALLBACK_TEXT, MAX_SECTION_TEXT, Block, trim
from bot.render.reminders import editor_actions, format_held, open_thread_button
from bot.verdicts import DEFAULT_SCALE, VerdictScale
from storage.digest_figures import DigestFigures, FlaggedItem, OverdueItem, UnclaimedItem

LINE_TEXT_CHARS: Final = 120
# The first tickets of each list get their buttons (two blocks each at most); the rest are
# plain lines, so the digest stays near 30 of Slack's 50 blocks however large the desk.
TICKETS_WITH_BUTTONS: Final = 5

# What people read. Tests assert against these.
DIGEST_TITLE: Final = "Fact-check desk, {day}"
DIGEST_SINCE: Final = "Since {since}{scope}"
DIGEST_FALLBACK: Final = (
    "Fact-check digest: {open} open, {claimed} claimed, {overdue} overdue; "
    "{verified} verified and {flagged} flagged since the last digest"
)
FLAGGED_TITLE: Final = (
    "*Found wrong since the last digest* (flagged: an editor should look; "
    "or verified with a wrong verdict):"
)
WRONG_LINE: Final = "• *#{id}*{speaker} {text} · *{verdict}*{state}{reason}"
WRONG_DETAILS: Final = "   {details}"
WRONG_SOURCE: Final = "source {link}"
WRONG_CHECKER: Final = "checker <@{user}>"
WRONG_STORY: Final = "in {story}"
STATE_FLAGGED: Final = " (flagged)"
VERDICTS_TITLE: Final = "*Verdicts since the last digest*: {counts}"
NO_VERDICTS: Final = "none yet"
OLDEST_UNCLAIMED: Final = "*Oldest unclaimed*: *#{id}*{speaker}, waiting {age}: {text}"
MORE_UNCLAIMED: Final = "…and {count} more unclaimed: `/factcheck queue`"
OVERDUE_TITLE: Final = "*Overdue*:"
ALSO_FOUND_WRONG: Final = "*Also found wrong*:"
ALSO_OVERDUE: Final = "*Also overdue*:"
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


def _said(speaker: str | None) -> str:
    return f" *{escape(speaker)}*:" if speaker else ""


def _wrong_line(item: FlaggedItem) -> str:
    """What was found wrong, and where to look: verdict, reason, source, checker, story."""
    head = WRONG_LINE.format(
        id=item.ticket_id,
        speaker=_said(item.speaker),
        text=_snippet(item.text),
        verdict=escape(item.verdict or "Flagged"),
        state=STATE_FLAGGED if item.status == "flagged" and item.verdict else "",
        reason=f": {_snippet(item.reason)}" if item.reason else "",
    )
    details = []
    if item.source:
        details.append(WRONG_SOURCE.format(link=link(item.source)))
    if item.assignee:
        details.append(WRONG_CHECKER.format(user=item.assignee))
    if item.article_id is not None:
        name = article_name(None, item.article_id, item.article_title)
        details.append(WRONG_STORY.format(story=link(item.article_permalink, name)))
    return head + ("\n" + WRONG_DETAILS.format(details=" · ".join(details)) if details else "")


def _verdict_counts(counts: dict[str, int], scale: VerdictScale) -> str:
    """Finished work by verdict, in the scale's order: what is true, apart from the workflow."""
    shown = " · ".join(f"{escape(label)} {count}" for label, count in scale.ordered(counts))
    return VERDICTS_TITLE.format(counts=shown or NO_VERDICTS)


def _found_wrong(figures: DigestFigures) -> list[Block]:
    """What was found wrong: the first tickets each with Open thread, the rest as lines."""
    shown = figures.flagged[:TICKETS_WITH_BUTTONS]
    total = max(figures.found_wrong_since, len(figures.flagged))
    blocks = [section(FLAGGED_TITLE)]
    for item in shown:
        thread = (
            open_thread_button(item.ticket_id, item.article_permalink)
            if item.article_permalink
            else None
        )
        blocks.append(
            section(
                _wrong_line(item),
                accessory=thread,
                block_id=ids.ticket_block_id(item.ticket_id, "wrong"),
            )
        )
    rest = [_wrong_line(item) for item in figures.flagged[len(shown) :]]
    if total > len(shown):
        blocks.append(_list_section(ALSO_FOUND_WRONG, rest, total=total - len(shown)))
    return blocks


def _oldest_unclaimed(item: UnclaimedItem, *, now: datetime, open_count: int) -> list[Block]:
    """The ticket that has waited longest: Claim, Assign…, Open thread; how many more wait."""
    text = OLDEST_UNCLAIMED.format(
        id=item.ticket_id,
        speaker=f" ({escape(item.speaker)})" if item.speaker else "",
        age=format_held(now - item.created_at),
        text=_snippet(item.text),
    )
    blocks = [
        section(text, block_id=ids.ticket_block_id(item.ticket_id, "oldest")),
        editor_actions(
            item.ticket_id, item.article_permalink, "oldestactions", holder=None, claim=True
        ),
    ]
    if open_count > 1:
        blocks.append(context(MORE_UNCLAIMED.format(count=open_count - 1)))
    return blocks


def _overdue_line(item: OverdueItem, zone: ZoneInfo) -> str:
    due = overdue_line(item, when=_local(item.due_at, zone))
    return f"• {due}:{_said(item.speaker)} {_snippet(item.text)}"


def _overdue(figures: DigestFigures, zone: ZoneInfo) -> list[Block]:
    """Overdue tickets: the first each with Assign… and Open thread, the rest as lines."""
    shown = figures.overdue_tickets[:TICKETS_WITH_BUTTONS]
    blocks = [section(OVERDUE_TITLE)]
    for item in shown:
        blocks.append(
            section(
                _overdue_line(item, zone),
                block_id=ids.ticket_block_id(item.ticket_id, "overdue"),
            )
        )
        blocks.append(
            editor_actions(
                item.ticket_id, item.article_permalink, "overdueactions", holder=item.assignee
            )
        )
    rest = [_overdue_line(item, zone) for item in figures.overdue_tickets[len(shown) :]]
    total = max(figures.overdue, len(figures.overdue_tickets))
    if total > len(shown):
        blocks.append(_list_section(ALSO_OVERDUE, rest, total=total - len(shown)))
    return blocks


def render_digest(
    figures: DigestFigures, *, zone: ZoneInfo, scale: VerdictScale = DEFAULT_SCALE
) -> SlackMessage:
    """The digest: what is new, what was finished, where the desk stands, who holds what.

    Editors act from it: the tickets it names carry Claim (unclaimed), Assign… (open or
    claimed) and Open thread. At most 30 blocks whatever the desk's size: only the first
    TICKETS_WITH_BUTTONS of a list get buttons, every list is bounded by the figures' limit
    and each section by Slack's 3,000 characters, with "…and N more" and a pointer to
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
                ("Flagged (needs an editor)", figures.flagged_since),
                ("Open", figures.open),
                ("Claimed", figures.claimed),
                ("Overdue", figures.overdue),
                ("Dismissed", figures.dismissed_since),
            ]
        ),
    ]
    blocks.append(context(_verdict_counts(figures.verdicts_since, scale)))
    if figures.flagged:
        blocks += _found_wrong(figures)
    if figures.oldest_unclaimed is not None:
        blocks += _oldest_unclaimed(
            figures.oldest_unclaimed, now=figures.now, open_count=figures.open
        )
    if figures.overdue_tickets:
        blocks += _overdue(figures, zone)
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
        if kind == "actions":
            continue  # buttons are for Slack
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
