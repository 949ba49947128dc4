"""The reply in an article's thread: a header and one card per ticket, split over messages."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Final

from bot.render.blocks import SlackMessage, context, escape, plain_message, plural, section
from bot.render.cards import render_ticket_card
from bot.render.earlier import TicketMemory
from bot.render.limits import MAX_FALLBACK_TEXT, MAX_MESSAGE_BLOCKS, MAX_SECTION_TEXT, Block, trim
from storage.models import Ticket

# 1 header block + 16 cards of at most 3 blocks = 49: every message stays under Slack's 50.
CARD_BLOCKS: Final = 3
CARDS_PER_MESSAGE: Final = (MAX_MESSAGE_BLOCKS - 1) // CARD_BLOCKS

HEADER: Final = "*{found}* · {range}"
HEADER_PROGRESS: Final = "{done} of {total} done · {claimed} claimed · {open} open"
HEADER_HINT: Final = "Claim one with its button or `/factcheck claim {first}`."
CONTINUED: Final = "Tickets {range} (part {part} of {parts})"
NOTHING_FOUND: Final = "I read this but found no check-worthy claims or attributed quotes."
FETCH_FAILED: Final = ":warning: I couldn't read {url}: {reason}"
INTAKE_FAILED: Final = ":warning: I couldn't split this article: {reason}"


def id_range(tickets: Sequence[Ticket]) -> str:
    ids = sorted(t.id for t in tickets if t.id is not None)
    if not ids:
        return "no tickets"
    if len(ids) == 1:
        return f"ticket #{ids[0]}"
    return f"tickets #{ids[0]}–#{ids[-1]}"


def found_summary(tickets: Sequence[Ticket]) -> str:
    kinds = Counter(t.kind for t in tickets)
    return f"{plural(kinds['claim'], 'claim')} and {plural(kinds['quote'], 'quote')}"


def chunk_tickets(tickets: Sequence[Ticket]) -> list[list[Ticket]]:
    """Tickets in id order, CARDS_PER_MESSAGE to a thread message."""
    ordered = sorted(tickets, key=lambda t: t.id or 0)
    return [
        list(ordered[i : i + CARDS_PER_MESSAGE]) for i in range(0, len(ordered), CARDS_PER_MESSAGE)
    ] or [[]]


def render_header(all_tickets: Sequence[Ticket]) -> Block:
    statuses = Counter(t.status for t in all_tickets)
    done = statuses["verified"] + statuses["flagged"] + statuses["dismissed"]
    lines = [
        HEADER.format(found=found_summary(all_tickets), range=id_range(all_tickets)),
        HEADER_PROGRESS.format(
            done=done, total=len(all_tickets), claimed=statuses["claimed"], open=statuses["open"]
        ),
    ]
    first_open = next(
        (t.id for t in sorted(all_tickets, key=lambda t: t.id or 0) if t.status == "open"), None
    )
    if first_open is not None:
        lines.append(HEADER_HINT.format(first=first_open))
    return section(trim("\n".join(lines), MAX_SECTION_TEXT), block_id="thread-header")


def render_thread_message(
    tickets: Sequence[Ticket],
    *,
    all_tickets: Sequence[Ticket],
    part: int,
    parts: int,
    article_text: str | None = None,
    memory: Mapping[int, TicketMemory] | None = None,
    article_deleted: bool = False,
) -> SlackMessage:
    """Thread message number `part` (1-based) of `parts`, holding `tickets`' cards.

    Re-rendered from the database on every change, so the same tickets always land in the
    same message: the first carries the article's header, later ones say which part they are.
    `memory` holds what the desk checked before, per ticket id; `article_deleted` says the
    reporter deleted the article's Slack message.
    """
    if part == 1:
        blocks: list[Block] = [render_header(all_tickets)]
        text = HEADER.format(found=found_summary(all_tickets), range=id_range(all_tickets))
    else:
        label = CONTINUED.format(
            range=id_range(tickets).removeprefix("tickets ").removeprefix("ticket "),
            part=part,
            parts=parts,
        )
        blocks = [context(label, block_id="thread-continued")]
        text = label
    for ticket in sorted(tickets, key=lambda t: t.id or 0):
        blocks.extend(
            render_ticket_card(
                ticket,
                article_text=article_text,
                memory=(memory or {}).get(ticket.id or 0),
                article_deleted=article_deleted,
            )
        )
    return SlackMessage(
        text=trim(text.replace("*", ""), MAX_FALLBACK_TEXT), blocks=blocks[:MAX_MESSAGE_BLOCKS]
    )


def render_thread(
    tickets: Sequence[Ticket], *, article_text: str | None = None
) -> list[tuple[list[Ticket], SlackMessage]]:
    """Every thread message for an article's tickets, with the tickets each one shows.

    `article_text` (what the offsets index) gives each card the sentence before its ticket.
    """
    chunks = chunk_tickets(tickets)
    return [
        (
            chunk,
            render_thread_message(
                chunk, all_tickets=tickets, part=i, parts=len(chunks), article_text=article_text
            ),
        )
        for i, chunk in enumerate(chunks, start=1)
    ]


def render_nothing_found() -> SlackMessage:
    return plain_message(NOTHING_FOUND)


def render_fetch_failed(url: str, reason: str) -> SlackMessage:
    return plain_message(FETCH_FAILED.format(url=f"<{url}>", reason=escape(reason)))


def render_intake_failed(reason: str) -> SlackMessage:
    return plain_message(INTAKE_FAILED.format(reason=escape(reason)))
