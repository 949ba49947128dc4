"""Block Kit for the scheduler's messages: a checker's reminder DM, the editors' escalation, the nudge."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Final

from bot.render import ids
from bot.render.blocks import (
    SlackMessage,
    actions,
    button,
    context,
    escape,
    link,
    overflow,
    plural,
    section,
    user_picker,
)
from bot.render.cards import BUTTON_CLAIM, BUTTON_FLAG, BUTTON_RELEASE, BUTTON_VERIFY
from bot.render.limits import (
    CARD_TEXT_CHARS,
    MAX_CONTEXT_TEXT,
    MAX_FALLBACK_TEXT,
    MAX_MESSAGE_BLOCKS,
    MAX_SECTION_TEXT,
    Block,
    trim,
)

# Snooze buttons in reminder DMs; the value is one ticket id or several joined by commas.
ACTION_SNOOZE_HOUR: Final = "reminder_snooze_hour"
ACTION_SNOOZE_MORNING: Final = "reminder_snooze_morning"

# What people read. Tests assert against these.
REMINDER_HEADER: Final = "{count} of your tickets {verb} due for a check:"
REMINDER_FALLBACK: Final = "Reminder: {tickets} due: {ids}"
REMINDER_MORE: Final = "Also due: {ids}. See them all with `/factcheck mine`."
REMINDER_MORE_CUT: Final = "…and {count} more; see them all with `/factcheck mine`."
SNOOZE_HOUR_LABEL: Final = "Snooze 1 hour"
SNOOZE_MORNING_LABEL: Final = "Snooze till morning"
ESCALATION_HEADER: Final = "{tickets} still open after {reminders} reminders:"
ESCALATION_FALLBACK: Final = "Escalation: {ids} still open after {reminders} reminders"
ESCALATION_LINE: Final = "*#{id}* held by <@{assignee}> for {held}, {reminders} reminders sent"
NUDGE_TEXT: Final = (
    "{claims} still unclaimed in this article. Claim one with its button above "
    "or `/factcheck claim ID`."
)
ASSIGN_PLACEHOLDER: Final = "Assign…"
#: What an editor's row (digest, escalation DM) says once someone acted on it from there.
ROW_ASSIGNED: Final = "✅ #{id} assigned to <@{assignee}> by <@{editor}>"
ROW_CLAIMED: Final = "🙋 #{id} claimed by <@{editor}>"
OPEN_THREAD_LABEL: Final = "Open thread"
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
    speaker: str | None = None


@dataclass(frozen=True)
class EscalationItem:
    ticket_id: int
    assignee: str
    text: str
    reminders_sent: int
    claimed_at: datetime | None
    article_link: str | None
    speaker: str | None = None


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


def _article_ref(url: str | None, title: str | None) -> str:
    return link(url, title or "the article") if url else escape(trim(title or "the article", 80))


def _ticket_text(item: ReminderItem, *, now: datetime) -> str:
    held = format_held(now - item.claimed_at) if item.claimed_at else "a while"
    quote = escape(trim(item.text, CARD_TEXT_CHARS)).replace("\n", " ")
    article = _article_ref(item.article_link, item.article_title)
    said = f" · *{escape(item.speaker)}*" if item.speaker else ""
    return trim(
        f"*#{item.ticket_id}* · {item.kind}{said} · held {held}\n>{quote}\nin {article}",
        MAX_SECTION_TEXT,
    )


def _snooze_buttons(value: str) -> list[Block]:
    return [
        button(SNOOZE_HOUR_LABEL, ACTION_SNOOZE_HOUR, value),
        button(SNOOZE_MORNING_LABEL, ACTION_SNOOZE_MORNING, value),
    ]


def _full_ticket(item: ReminderItem, *, now: datetime) -> list[Block]:
    value = str(item.ticket_id)
    return [
        section(
            _ticket_text(item, now=now), block_id=ids.ticket_block_id(item.ticket_id, "remind")
        ),
        actions(
            [
                button(BUTTON_VERIFY, ids.ACTION_VERIFY, value, "primary"),
                button(BUTTON_FLAG, ids.ACTION_FLAG, value, "danger"),
                button(BUTTON_RELEASE, ids.ACTION_RELEASE, value),
                *_snooze_buttons(value),
            ],
            block_id=ids.ticket_block_id(item.ticket_id, "remindactions"),
        ),
    ]


def _compact_ticket(item: ReminderItem, *, now: datetime) -> Block:
    """One block per ticket when many are due: the desk's ticket menu as the accessory."""
    menu = overflow(
        ids.ACTION_TICKET_MENU,
        [
            (label, ids.menu_value(verb, item.ticket_id))
            for label, verb in (
                (BUTTON_VERIFY, ids.MENU_VERIFY),
                (BUTTON_FLAG, ids.MENU_FLAG),
                (BUTTON_RELEASE, ids.MENU_RELEASE),
            )
        ],
    )
    return section(
        _ticket_text(item, now=now),
        accessory=menu,
        block_id=ids.ticket_block_id(item.ticket_id, "remind"),
    )


def render_reminder(items: Sequence[ReminderItem], *, now: datetime) -> SlackMessage:
    """One DM listing every due ticket of one checker, within Slack's 50-block limit.

    Up to 24 tickets each get a section and a row of buttons (Verify, Flag, Release, Snooze 1
    hour, Snooze till morning). More than that: one section per ticket with the desk's overflow
    menu, one "Snooze all shown" row, and the ids that did not fit listed at the end, so a
    checker with hundreds due still gets exactly one message naming every ticket.
    """
    count = len(items)
    header = section(
        REMINDER_HEADER.format(
            count=count if count > 1 else "One", verb="are" if count > 1 else "is"
        )
    )
    text = trim(
        REMINDER_FALLBACK.format(
            tickets=plural(count, "ticket"), ids=_ids_text([i.ticket_id for i in items])
        ),
        MAX_FALLBACK_TEXT,
    )
    if 1 + 2 * count <= MAX_MESSAGE_BLOCKS:
        blocks = [header]
        for item in items:
            blocks.extend(_full_ticket(item, now=now))
        return SlackMessage(text=text, blocks=blocks)

    # header + shown + (tail) + snooze-all row <= 50
    room = MAX_MESSAGE_BLOCKS - 2
    shown = list(items) if count <= room else list(items[: room - 1])
    rest = list(items[len(shown) :])
    blocks = [header, *(_compact_ticket(item, now=now) for item in shown)]
    if rest:
        blocks.append(context(_more_text(rest)))
    blocks.append(
        actions(
            _snooze_buttons(",".join(str(i.ticket_id) for i in shown)),
            block_id="reminder-snooze-all",
        )
    )
    return SlackMessage(text=text, blocks=blocks)


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
) -> SlackMessage:
    """The editors' message: which tickets are still open after N reminders, and who holds them."""
    count = len(items)
    blocks: list[Block] = [
        section(ESCALATION_HEADER.format(tickets=plural(count, "ticket"), reminders=reminders))
    ]
    room = (MAX_MESSAGE_BLOCKS - 2) // 2  # each ticket: its text and its actions
    for item in items[:room]:
        held = format_held(now - item.claimed_at) if item.claimed_at else "a while"
        line = ESCALATION_LINE.format(
            id=item.ticket_id, assignee=item.assignee, held=held, reminders=item.reminders_sent
        )
        quote = escape(trim(item.text, CARD_TEXT_CHARS)).replace("\n", " ")
        article = _article_ref(item.article_link, None)
        if item.speaker:
            line += f" · quote of *{escape(item.speaker)}*"
        blocks.append(
            section(
                f"{line}\n>{quote}\nin {article}",
                block_id=ids.ticket_block_id(item.ticket_id, "escalation"),
            )
        )
        blocks.append(
            editor_actions(
                item.ticket_id, item.article_link, "escalationactions", holder=item.assignee
            )
        )
    if count > room:
        rest = [item.ticket_id for item in items[room:]]
        blocks.append(context(f"Also: {_ids_text(rest)}"))
    text = trim(
        ESCALATION_FALLBACK.format(
            ids=_ids_text([item.ticket_id for item in items]), reminders=reminders
        ),
        MAX_FALLBACK_TEXT,
    )
    return SlackMessage(text=text, blocks=blocks)


def editor_actions(
    ticket_id: int,
    thread_link: str | None,
    part: str,
    *,
    holder: str | None,
    claim: bool = False,
) -> Block:
    """What an editor does with a listed ticket: Claim (when unclaimed and `claim`), Assign…
    (a user picker), Open thread.

    The block id names the ticket and its `holder` as shown (None: unclaimed), so a pick made
    after the ticket changed hands is refused (`ids.assign_block_id`).
    """
    elements: list[Block] = []
    if claim and holder is None:
        elements.append(button(BUTTON_CLAIM, ids.ACTION_CLAIM, str(ticket_id), "primary"))
    elements.append(user_picker(ids.ACTION_ASSIGN_PICK, ASSIGN_PLACEHOLDER))
    if thread_link:
        elements.append(open_thread_button(ticket_id, thread_link))
    return actions(elements, block_id=ids.assign_block_id(ticket_id, part, holder))


def editor_row_done(ticket_id: int, *, editor: str, assignee: str | None) -> Block:
    """What replaces an editor's row of buttons once an editor acted from it, so whoever else
    reads the digest or the DM sees the ticket is taken care of, and by whom."""
    text = (
        ROW_ASSIGNED.format(id=ticket_id, assignee=assignee, editor=editor)
        if assignee and assignee != editor
        else ROW_CLAIMED.format(id=ticket_id, editor=editor)
    )
    return context(text, block_id=ids.ticket_block_id(ticket_id, "done"))


def open_thread_button(ticket_id: int, thread_link: str) -> Block:
    """A link button to the article's thread (Slack opens it; the click is only acked)."""
    return button(OPEN_THREAD_LABEL, ids.ACTION_OPEN_THREAD, str(ticket_id), url=thread_link)


def render_nudge(open_count: int) -> str:
    """The thread nudge: "5 claims still unclaimed ..."."""
    return NUDGE_TEXT.format(claims=plural(open_count, "claim"))


def render_snoozed(ticket_ids: Sequence[int], *, until_text: str) -> str:
    return SNOOZED_TEXT.format(ids=_ids_text(ticket_ids), until=until_text)
