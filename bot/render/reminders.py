"""Block Kit for the scheduler's messages: a checker's reminder DM, the editors' escalation, the nudge."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Final

from bot.render import ids
from bot.render.limits import (
    CARD_TEXT_CHARS,
    MAX_CONTEXT_TEXT,
    MAX_FALLBACK_TEXT,
    MAX_MESSAGE_BLOCKS,
    MAX_SECTION_TEXT,
    trim,
)

Block = dict[str, Any]

# Snooze buttons in reminder DMs; the value is one ticket id or several joined by commas.
ACTION_SNOOZE_HOUR: Final = "reminder_snooze_hour"
ACTION_SNOOZE_MORNING: Final = "reminder_snooze_morning"

# What people read. Tests assert against these.
REMINDER_HEADER: Final = "{count} of your tickets {verb} due for a check:"
REMINDER_FALLBACK: Final = "Reminder: {count} ticket{s} due: {ids}"
REMINDER_MORE: Final = "Also due: {ids}. See them all with `/factcheck mine`."
REMINDER_MORE_CUT: Final = "…and {count} more; see them all with `/factcheck mine`."
SNOOZE_HOUR_LABEL: Final = "Snooze 1 hour"
SNOOZE_MORNING_LABEL: Final = "Snooze till morning"
ESCALATION_HEADER: Final = "{count} ticket{s} still open after {reminders} reminders:"
ESCALATION_FALLBACK: Final = "Escalation: {ids} still open after {reminders} reminders"
ESCALATION_LINE: Final = "*#{id}* held by <@{assignee}> for {held}, {reminders} reminders sent"
NUDGE_TEXT: Final = (
    "{count} {noun} still unclaimed in this article. Claim one with its button above "
    "or `/factcheck claim ID`."
)
SNOOZED_TEXT: Final = "Snoozed {ids} until {until}. I will remind you then."


@dataclass(frozen=True)
class ReminderItem:
    """One due ticket as the DM shows it (no storage types: the renderer stays pure)."""

    ticket_id: int
    kind: str
    text: str
    claimed_at: datetime | None
    article_link: str | None
    article_title: str | None


@dataclass(frozen=True)
class EscalationItem:
    ticket_id: int
    assignee: str
    text: str
    reminders_sent: int
    claimed_at: datetime | None
    article_link: str | None


@dataclass(frozen=True)
class RenderedMessage:
    text: str
    blocks: list[Block]


def format_held(held: timedelta) -> str:
    """`2d 3h`, `5h 12m`, `14m`: how long a ticket has been held, to the minute."""
    minutes = max(int(held.total_seconds() // 60), 0)
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    if days:
        return f"{days}d {hours}h"
    if hours:
        return f"{hours}h {mins}m"
    return f"{mins}m"


def _ids_text(ticket_ids: Sequence[int]) -> str:
    return ", ".join(f"#{ticket_id}" for ticket_id in ticket_ids)


def _plural(count: int) -> str:
    return "" if count == 1 else "s"


def _mrkdwn_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _article_ref(link: str | None, title: str | None) -> str:
    label = _mrkdwn_escape(trim(title, 80)) if title else "the article"
    return f"<{link}|{label}>" if link else label


def _ticket_text(item: ReminderItem, *, now: datetime) -> str:
    held = format_held(now - item.claimed_at) if item.claimed_at else "a while"
    quote = _mrkdwn_escape(trim(item.text, CARD_TEXT_CHARS)).replace("\n", " ")
    article = _article_ref(item.article_link, item.article_title)
    return trim(
        f"*#{item.ticket_id}* · {item.kind} · held {held}\n>{quote}\nin {article}",
        MAX_SECTION_TEXT,
    )


def _button(label: str, action_id: str, value: str, style: str | None = None) -> Block:
    button: Block = {
        "type": "button",
        "text": {"type": "plain_text", "text": label},
        "action_id": action_id,
        "value": value,
    }
    if style:
        button["style"] = style
    return button


def _snooze_buttons(value: str) -> list[Block]:
    return [
        _button(SNOOZE_HOUR_LABEL, ACTION_SNOOZE_HOUR, value),
        _button(SNOOZE_MORNING_LABEL, ACTION_SNOOZE_MORNING, value),
    ]


def _full_ticket(item: ReminderItem, *, now: datetime) -> list[Block]:
    value = str(item.ticket_id)
    return [
        {
            "type": "section",
            "block_id": ids.ticket_block_id(item.ticket_id, "remind"),
            "text": {"type": "mrkdwn", "text": _ticket_text(item, now=now)},
        },
        {
            "type": "actions",
            "block_id": ids.ticket_block_id(item.ticket_id, "remindactions"),
            "elements": [
                _button("Verify", ids.ACTION_VERIFY, value, "primary"),
                _button("Flag", ids.ACTION_FLAG, value, "danger"),
                _button("Release", ids.ACTION_RELEASE, value),
                *_snooze_buttons(value),
            ],
        },
    ]


def _compact_ticket(item: ReminderItem, *, now: datetime) -> Block:
    """One block per ticket when many are due: the desk's ticket menu as the accessory."""

    def option(label: str, verb: str) -> Block:
        return {
            "text": {"type": "plain_text", "text": label},
            "value": ids.menu_value(verb, item.ticket_id),
        }

    return {
        "type": "section",
        "block_id": ids.ticket_block_id(item.ticket_id, "remind"),
        "text": {"type": "mrkdwn", "text": _ticket_text(item, now=now)},
        "accessory": {
            "type": "overflow",
            "action_id": ids.ACTION_TICKET_MENU,
            "options": [
                option("Verify", ids.MENU_VERIFY),
                option("Flag", ids.MENU_FLAG),
                option("Release", ids.MENU_RELEASE),
            ],
        },
    }


def render_reminder(items: Sequence[ReminderItem], *, now: datetime) -> RenderedMessage:
    """One DM listing every due ticket of one checker, within Slack's 50-block limit.

    Up to 24 tickets each get a section and a row of buttons (Verify, Flag, Release, Snooze 1
    hour, Snooze till morning). More than that: one section per ticket with the desk's overflow
    menu, one "Snooze all shown" row, and the ids that did not fit listed at the end, so a
    checker with hundreds due still gets exactly one message naming every ticket.
    """
    count = len(items)
    header: Block = {
        "type": "section",
        "text": {
            "type": "mrkdwn",
            "text": REMINDER_HEADER.format(
                count=count if count > 1 else "One", verb="are" if count > 1 else "is"
            ),
        },
    }
    text = trim(
        REMINDER_FALLBACK.format(
            count=count, s=_plural(count), ids=_ids_text([i.ticket_id for i in items])
        ),
        MAX_FALLBACK_TEXT,
    )
    if 1 + 2 * count <= MAX_MESSAGE_BLOCKS:
        blocks = [header]
        for item in items:
            blocks.extend(_full_ticket(item, now=now))
        return RenderedMessage(text=text, blocks=blocks)

    # header + shown + (tail) + snooze-all row <= 50
    room = MAX_MESSAGE_BLOCKS - 2
    shown = list(items) if count <= room else list(items[: room - 1])
    rest = list(items[len(shown) :])
    blocks = [header, *(_compact_ticket(item, now=now) for item in shown)]
    if rest:
        blocks.append(
            {"type": "context", "elements": [{"type": "mrkdwn", "text": _more_text(rest)}]}
        )
    blocks.append(
        {
            "type": "actions",
            "block_id": "reminder-snooze-all",
            "elements": _snooze_buttons(",".join(str(i.ticket_id) for i in shown)),
        }
    )
    return RenderedMessage(text=text, blocks=blocks)


def _more_text(rest: Sequence[ReminderItem]) -> str:
    ids_text = _ids_text([item.ticket_id for item in rest])
    full = REMINDER_MORE.format(ids=ids_text)
    if len(full) <= MAX_CONTEXT_TEXT:
        return full
    listed: list[int] = []
    for item in rest:
        candidate = _ids_text([*listed, item.ticket_id])
        tail = REMINDER_MORE_CUT.format(count=len(rest) - len(listed) - 1)
        if len(REMINDER_MORE.format(ids=candidate)) + len(tail) + 1 > MAX_CONTEXT_TEXT:
            break
        listed.append(item.ticket_id)
    cut_tail = REMINDER_MORE_CUT.format(count=len(rest) - len(listed))
    return f"Also due: {_ids_text(listed)} {cut_tail}"


def render_escalation(
    items: Sequence[EscalationItem], *, now: datetime, reminders: int
) -> RenderedMessage:
    """The editors' message: which tickets are still open after N reminders, and who holds them."""
    count = len(items)
    blocks: list[Block] = [
        {
            "type": "section",
            "text": {
                "type": "mrkdwn",
                "text": ESCALATION_HEADER.format(
                    count=count, s=_plural(count), reminders=reminders
                ),
            },
        }
    ]
    room = MAX_MESSAGE_BLOCKS - 2
    for item in items[:room]:
        held = format_held(now - item.claimed_at) if item.claimed_at else "a while"
        line = ESCALATION_LINE.format(
            id=item.ticket_id, assignee=item.assignee, held=held, reminders=item.reminders_sent
        )
        quote = _mrkdwn_escape(trim(item.text, CARD_TEXT_CHARS)).replace("\n", " ")
        article = _article_ref(item.article_link, None)
        blocks.append(
            {
                "type": "section",
                "block_id": ids.ticket_block_id(item.ticket_id, "escalation"),
                "text": {
                    "type": "mrkdwn",
                    "text": trim(f"{line}\n>{quote}\nin {article}", MAX_SECTION_TEXT),
                },
            }
        )
    if count > room:
        rest = [item.ticket_id for item in items[room:]]
        blocks.append(
            {
                "type": "context",
                "elements": [
                    {"type": "mrkdwn", "text": trim(f"Also: {_ids_text(rest)}", MAX_CONTEXT_TEXT)}
                ],
            }
        )
    text = trim(
        ESCALATION_FALLBACK.format(
            ids=_ids_text([item.ticket_id for item in items]), reminders=reminders
        ),
        MAX_FALLBACK_TEXT,
    )
    return RenderedMessage(text=text, blocks=blocks)


def render_nudge(open_count: int) -> str:
    """The thread nudge: "5 claims still unclaimed ..."."""
    noun = "claim" if open_count == 1 else "claims"
    return NUDGE_TEXT.format(count=open_count, noun=noun)


def render_snoozed(ticket_ids: Sequence[int], *, until_text: str) -> str:
    return SNOOZED_TEXT.format(ids=_ids_text(ticket_ids), until=until_text)
