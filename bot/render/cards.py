"""A ticket's card: kind, text, speaker, status, and the buttons that act on it."""

from __future__ import annotations

import re
from typing import Final

from bot.extract.claims import check_reason
from bot.extract.types import SPEAKER_ORGANISATION, SPEAKER_UNNAMED
from bot.render import ids
from bot.render.blocks import (
    actions,
    button,
    context,
    escape,
    link,
    overflow,
    readable,
    section,
    slack_date,
)
from bot.render.earlier import TicketMemory, reuse_button
from bot.render.limits import CARD_TEXT_CHARS, MAX_SECTION_TEXT, Block, trim
from storage.models import Ticket

KIND_LABELS: Final = {"claim": "Claim", "quote": "Quote"}
STATUS_OPEN: Final = "*Open* · unclaimed"
STATUS_CLAIMED: Final = "*Claimed* by <@{assignee}>"
STATUS_DUE: Final = " · due {when}"
STATUS_VERIFIED: Final = "*Verified* by <@{assignee}> · *{verdict}*"
STATUS_FLAGGED: Final = "*Flagged* by <@{assignee}>"
STATUS_DISMISSED: Final = "*Dismissed* by <@{assignee}>"
SOURCES_LABEL: Final = " · sources: {links}"
CLAIM_REASON: Final = "_Worth checking: {reason}_"
# The reporter edited the sentence out (the ticket stays: a checker may still need the verdict).
GONE_FROM_TEXT: Final = ":scissors: No longer in the article (edited {when})"
ARTICLE_DELETED: Final = ":wastebasket: Article deleted"

BUTTON_CLAIM: Final = "Claim"
BUTTON_RELEASE: Final = "Release"
BUTTON_VERIFY: Final = "Verify"
BUTTON_FLAG: Final = "Flag"
MENU_VERIFY_TEXT: Final = "Verify…"
MENU_FLAG_TEXT: Final = "Flag…"
MENU_DISMISS_TEXT: Final = "Dismiss (not check-worthy)"
MENU_RELEASE_TEXT: Final = "Release"
MENU_FIX_SPEAKER_TEXT: Final = "Fix speaker…"
# After a speaker who is not a named person: what they are, as the engine or a checker said.
SPEAKER_KIND_LABELS: Final = {
    SPEAKER_ORGANISATION: " (organisation)",
    SPEAKER_UNNAMED: " (unnamed source)",
}

# How many links a card shows before "+2 more".
CARD_SOURCES: Final = 3
# How much of the sentence before a ticket its card shows (the end of it, nearest the ticket).
CONTEXT_CHARS: Final = 160

# Sentence ends (with a closing quote or bracket) and line breaks split an article's text.
_SENTENCE_SPLIT = re.compile(r"\n+|(?<=[.!?…])\s+|(?<=[.!?…][”\"’')\]])\s+")


def ticket_title(ticket: Ticket) -> str:
    """`*#12* Quote · *Ali Vaez*, Iran project director`: id, kind, and the speaker for quotes."""
    head = f"*#{ticket.id}* {KIND_LABELS.get(ticket.kind, ticket.kind.title())}"
    if ticket.kind == "quote":
        speaker = escape(ticket.speaker) if ticket.speaker else "_speaker unknown_"
        head += f" · *{speaker}*" if ticket.speaker else f" · {speaker}"
        if ticket.speaker:
            head += SPEAKER_KIND_LABELS.get(ticket.speaker_kind or "", "")
        if ticket.speaker_title:
            head += f", {escape(ticket.speaker_title)}"
    return head


def ticket_quote(ticket: Ticket, limit: int = CARD_TEXT_CHARS) -> str:
    """The ticket's text cut to `limit`, as a mrkdwn block quote (quotes in quotation marks)."""
    text = escape(trim(" ".join(ticket.text.split()), limit))
    if ticket.kind == "quote":
        # `"A," she said` keeps the comma in the ticket's span; the card reads better without it.
        text = f"“{text.rstrip(' ,;:')}”"
    return f">{text}"


def ticket_start(article_text: str, ticket: Ticket) -> int:
    """Where the ticket's words start in the article as it reads now (an edit may move them)."""
    start, end = ticket.start_offset, ticket.end_offset
    if article_text[start:end] == ticket.text:
        return start
    found = article_text.find(ticket.text)
    return found if found >= 0 else start


def sentence_before(article_text: str, start: int, *, limit: int = CONTEXT_CHARS) -> str | None:
    """The sentence before the one a ticket starts in, its end kept when long; None at the top.

    A checker reads a claim like "It doubled since then" only with what came before it.
    """
    pieces = [p.strip() for p in _SENTENCE_SPLIT.split(article_text[: max(start, 0)])]
    pieces = [p for p in pieces if any(ch.isalnum() for ch in p)]
    before = article_text[: max(start, 0)].rstrip(" \t“\"‘'(")
    # The ticket opens mid-sentence (`Lopez said that ...`): skip that sentence's own opening.
    if pieces and before and not before.endswith(("\n", ".", "!", "?", "…", "”", '"', "’")):
        pieces.pop()
    if not pieces:
        return None
    sentence = " ".join(readable(pieces[-1]).split())
    if len(sentence) <= limit:
        return sentence
    cut = sentence[-limit:]
    space = cut.find(" ")
    return "…" + (cut[space + 1 :] if 0 <= space < limit * 0.4 else cut)


def status_line(ticket: Ticket) -> str:
    """Who holds the ticket and what was found, in one line."""
    who = ticket.assignee or "someone"
    if ticket.status == "open":
        return STATUS_OPEN
    if ticket.status == "claimed":
        line = STATUS_CLAIMED.format(assignee=who)
        if ticket.due_at is not None:
            line += STATUS_DUE.format(when=slack_date(ticket.due_at))
        return line
    if ticket.status == "verified":
        line = STATUS_VERIFIED.format(assignee=who, verdict=escape(ticket.verdict or "Accurate"))
    elif ticket.status == "flagged":
        line = STATUS_FLAGGED.format(assignee=who)
        if ticket.verdict:
            line += f" · *{escape(ticket.verdict)}*"
        if ticket.reason:
            line += f" · {escape(trim(ticket.reason, 200))}"
    else:
        line = STATUS_DISMISSED.format(assignee=who)
        if ticket.reason:
            line += f" · {escape(trim(ticket.reason, 200))}"
    if ticket.sources:
        shown = [link(url, limit=60) for url in ticket.sources[:CARD_SOURCES]]
        more = len(ticket.sources) - CARD_SOURCES
        line += SOURCES_LABEL.format(
            links=", ".join(shown) + (f" +{more} more" if more > 0 else "")
        )
    if ticket.note:
        line += f"\n_{escape(trim(ticket.note, 300))}_"
    return line


def ticket_menu(ticket: Ticket) -> Block:
    """The ⋯ menu: Verify, Flag, Dismiss; on a claimed card (Verify and Flag are its buttons)
    Release and Dismiss; Fix speaker on quotes."""
    assert ticket.id is not None
    options = [(MENU_DISMISS_TEXT, ids.MENU_DISMISS)]
    if ticket.status == "claimed":
        options.insert(0, (MENU_RELEASE_TEXT, ids.MENU_RELEASE))
    else:
        options[:0] = [(MENU_VERIFY_TEXT, ids.MENU_VERIFY), (MENU_FLAG_TEXT, ids.MENU_FLAG)]
    if ticket.kind == "quote":
        options.append((MENU_FIX_SPEAKER_TEXT, ids.MENU_FIX_SPEAKER))
    return overflow(
        ids.ACTION_TICKET_MENU,
        [(text, ids.menu_value(verb, ticket.id)) for text, verb in options],
    )


def _card_text(ticket: Ticket, *, before: str | None) -> str:
    """Title, the sentence before (italics), the text; a claim also says why it is worth checking."""
    lead = f"_{escape(before)}_\n" if before else ""
    text = f"{ticket_title(ticket)}\n{lead}{ticket_quote(ticket)}"
    reason = check_reason(ticket.text) if ticket.kind == "claim" else ""
    return f"{text}\n{CLAIM_REASON.format(reason=reason)}" if reason else text


def render_ticket_card(
    ticket: Ticket,
    *,
    article_text: str | None = None,
    memory: TicketMemory | None = None,
    article_deleted: bool = False,
) -> list[Block]:
    """Three blocks at most: the text (with the menu), the status, and what to do next.

    Open: a Claim button. Claimed: Verify and Flag, what the holder does next (Release and
    Dismiss are in the ⋯ menu). With `article_text`, the sentence before the ticket is shown
    above it, in italics. `memory` adds what the desk checked before: a "Seen before" (or
    "Also in") line under the status and, once the earlier ticket has a verdict, a Reuse
    verdict button. A ticket an edit took out of the article, or whose article was deleted,
    says so under its status and keeps its buttons.
    """
    assert ticket.id is not None
    active = ticket.status in ("open", "claimed")
    before = None
    if article_text and ticket.gone_at is None:
        before = sentence_before(article_text, ticket_start(article_text, ticket))
    lines = [status_line(ticket)]
    if article_deleted:
        lines.append(ARTICLE_DELETED)
    elif ticket.gone_at is not None:
        lines.append(GONE_FROM_TEXT.format(when=slack_date(ticket.gone_at, "{time}")))
    remembered = memory.line() if memory is not None else None
    if remembered:
        lines.append(remembered)
    status = "\n".join(lines)
    blocks: list[Block] = [
        section(
            trim(_card_text(ticket, before=before), MAX_SECTION_TEXT),
            accessory=ticket_menu(ticket) if active else None,
            block_id=ids.ticket_block_id(ticket.id, "card"),
        ),
        context(status, block_id=ids.ticket_block_id(ticket.id, "status")),
    ]
    if active:
        value = str(ticket.id)
        buttons = (
            [button(BUTTON_CLAIM, ids.ACTION_CLAIM, value, "primary")]
            if ticket.status == "open"
            else [
                button(BUTTON_VERIFY, ids.ACTION_VERIFY, value, "primary"),
                button(BUTTON_FLAG, ids.ACTION_FLAG, value, "danger"),
            ]
        )
        reuse = reuse_button(ticket.id, memory) if memory is not None else None
        if reuse is not None:
            buttons.append(reuse)
        blocks.append(actions(buttons, block_id=ids.ticket_block_id(ticket.id, "actions")))
    return blocks


def ticket_line(ticket: Ticket, *, limit: int = 120) -> str:
    """One-line mrkdwn summary, for lists: `#12 Claim: text…` plus the status."""
    text = escape(trim(" ".join(ticket.text.split()), limit))
    kind = KIND_LABELS.get(ticket.kind, ticket.kind)
    speaker = f" ({escape(ticket.speaker)})" if ticket.kind == "quote" and ticket.speaker else ""
    return f"*#{ticket.id}* {kind}{speaker}: {text}"
