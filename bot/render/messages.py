"""Answers to `/factcheck` and to buttons: short mrkdwn messages, most of them ephemeral."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Final

from bot.render.blocks import SlackMessage, context, plain_message, section
from bot.render.cards import ticket_line
from bot.render.desk_lines import ticket_rows
from bot.render.limits import MAX_SECTION_TEXT, Block, split_blocks, trim
from storage.articles import INTAKE_ACTOR
from storage.models import Article, AuditEvent, RosterMember, Ticket

CLAIMED: Final = "You claimed {ids}."
RELEASED: Final = "Released #{id}; it is back in the queue."
REUSED: Final = "#{id} took the verdict of its earlier check: *{verdict}*."
VERIFIED: Final = "#{id} verified: *{verdict}*."
FLAGGED: Final = "#{id} flagged for the editors."
FLAGGED_WITH_VERDICT: Final = "#{id} flagged: *{verdict}*."
DISMISSED: Final = "#{id} dismissed."
ASSIGNED: Final = "#{id} is now <@{assignee}>'s."
ASSIGNED_DM: Final = "<@{editor}> assigned you #{id}: {line}"
REOPENED: Final = "#{id} is open again."
MINE_TITLE: Final = "*Your tickets* ({count})"
MINE_EMPTY: Final = "You hold no tickets. `/factcheck queue` shows what is waiting."
QUEUE_TITLE: Final = "*Unclaimed* ({count})"
QUEUE_EMPTY: Final = "Nothing is waiting: every ticket has a checker."
LIST_MORE: Final = "…and {count} more."
ROSTER_TITLE: Final = "*Roster*"
ROSTER_EMPTY: Final = (
    "The roster is empty. An editor adds people with `/factcheck roster add @name`."
)
ROSTER_ADDED: Final = "<@{user}> is on the desk as {role}."
ROSTER_REMOVED: Final = "<@{user}> is off the roster."
INGEST_STARTED: Final = "Reading it now; the tickets will appear in the thread of your message."
INGEST_DUPLICATE: Final = "That message is already on the desk."
THREAD_LINK: Final = "<{permalink}|Open the thread>"
HISTORY_TITLE: Final = "*History*"
APOLOGY: Final = (
    "Sorry, something went wrong on our side. It has been logged; please try again in a minute."
)

# A list in an ephemeral answer shows this many lines before "...and N more".
LIST_LIMIT: Final = 25


def render_claimed(claimed: Sequence[int], refusals: Sequence[str]) -> SlackMessage:
    lines = []
    if claimed:
        lines.append(CLAIMED.format(ids=", ".join(f"#{i}" for i in claimed)))
    lines.extend(refusals)
    return plain_message("\n".join(lines))


def render_ticket_list(
    title: str,
    tickets: Sequence[Ticket],
    *,
    total: int,
    empty: str,
    now: datetime,
    articles: Mapping[int, Article],
) -> SlackMessage:
    """`/factcheck mine` and `queue`: the App Home's rows (due, story, Claim or ⋯, thread)."""
    if not tickets:
        return plain_message(empty)
    shown = list(tickets[:LIST_LIMIT])
    blocks = [section(title.format(count=total)), *ticket_rows(shown, now=now, articles=articles)]
    if total > len(shown):
        blocks.append(context(LIST_MORE.format(count=total - len(shown))))
    return SlackMessage(text=trim(title.format(count=total).replace("*", ""), 300), blocks=blocks)


def _long_message(title: str, lines: Sequence[str]) -> SlackMessage:
    """A title and lines, packed into as few sections as Slack's 3,000 characters allow."""
    sections: list[Block] = []
    current = title
    for line in lines:
        line = trim(line, MAX_SECTION_TEXT - 10)
        if len(current) + 1 + len(line) > MAX_SECTION_TEXT:
            sections.append(section(current))
            current = line
        else:
            current = f"{current}\n{line}"
    sections.append(section(current))
    blocks = split_blocks([[s] for s in sections])[0]
    return SlackMessage(text=trim(title.replace("*", ""), 300), blocks=blocks)


def render_show(
    ticket: Ticket, card: list[Block], history: Sequence[AuditEvent], permalink: str | None
) -> SlackMessage:
    """One ticket's card, its thread, and its audit trail (most recent last)."""
    blocks = list(card)
    if permalink:
        blocks.append(context(THREAD_LINK.format(permalink=permalink)))
    lines = [
        f"{event.at.strftime('%d %b %H:%M')} UTC · <@{event.actor}> {event.action}"
        + (
            f" ({event.from_status} → {event.to_status})"
            if event.from_status != event.to_status
            else ""
        )
        for event in history[-LIST_LIMIT:]
        if event.actor != INTAKE_ACTOR or event.action != "create"
    ]
    if lines:
        blocks.append(section(HISTORY_TITLE + "\n" + "\n".join(lines)))
    return SlackMessage(text=trim(ticket_line(ticket).replace("*", ""), 300), blocks=blocks)


def render_roster(members: Sequence[RosterMember]) -> SlackMessage:
    if not members:
        return plain_message(ROSTER_EMPTY)
    editors = [m for m in members if m.role == "editor" and m.active]
    checkers = [m for m in members if m.role == "checker" and m.active]
    lines = []
    if editors:
        lines.append("Editors: " + ", ".join(f"<@{m.user_id}>" for m in editors))
    if checkers:
        lines.append("Checkers: " + ", ".join(f"<@{m.user_id}>" for m in checkers))
    return _long_message(ROSTER_TITLE, lines)
