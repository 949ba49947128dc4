"""Earlier checks as a checker reads them: on a card, and as `/factcheck search` answers."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

from bot.render import ids
from bot.render.blocks import (
    SlackMessage,
    button,
    escape,
    link,
    plain_message,
    plain_text,
    section,
    slack_date,
)
from bot.render.limits import MAX_SECTION_TEXT, Block, trim
from storage.matching import SeenBefore
from storage.models import Article, Ticket

SEEN_BEFORE: Final = ":repeat: Seen before: {ticket} · {state}"
SEEN_IN_THREAD: Final = " · {thread}"
CHECKED_BY: Final = ":repeat: Checked by {publisher}: *{verdict}* · {link}"
ALSO_IN: Final = ":repeat: Also in {tickets}: one checker can take both"
REPASTE: Final = (
    ":recycle: This article is already on the desk: {thread} ({tickets}). Nothing new was filed."
)
REVISION: Final = (
    ":recycle: A revised version of {thread}: {matched} matched tickets filed there were not "
    "filed again; the cards below are what is new."
)
EARLIER_THREAD: Final = "its first thread"
EARLIER_VERSION: Final = "an earlier article"
SEARCH_TITLE: Final = "*Earlier checks* for “{query}”"
SEARCH_NONE: Final = "No earlier check on the desk matches “{query}”."
BUTTON_REUSE: Final = "Reuse verdict"
REUSE_CONFIRM_TITLE: Final = "Reuse the verdict?"
REUSE_CONFIRM: Final = "#{id} takes #{earlier}'s verdict ({verdict}) and its sources."
REUSE_CONFIRM_YES: Final = "Reuse"
REUSE_CONFIRM_NO: Final = "Cancel"
UNRATED: Final = "no rating"
PUBLISHER_UNKNOWN: Final = "a fact-checker"
RESULT_TEXT_CHARS: Final = 200
THREAD_LABEL: Final = "thread"
CHECK_LABEL: Final = "the check"


@dataclass(frozen=True)
class TicketMemory:
    """What the desk remembers for one card: its earlier check, and later tickets repeating it."""

    seen: SeenBefore | None = None
    also_in: tuple[int, ...] = ()

    def line(self) -> str | None:
        if self.seen is not None:
            return seen_before_line(self.seen)
        if self.also_in:
            return also_in_line(self.also_in)
        return None

    def reusable_verdict(self) -> str | None:
        """The earlier desk ticket's verdict, once it has one to reuse."""
        earlier = self.seen.earlier if self.seen is not None else None
        if earlier is None or earlier.status not in ("verified", "flagged"):
            return None
        return earlier.verdict


def reuse_button(ticket_id: int, memory: TicketMemory) -> Block | None:
    """ "Reuse verdict", with a confirmation that says what will be copied."""
    verdict = memory.reusable_verdict()
    if verdict is None or memory.seen is None or memory.seen.earlier is None:
        return None
    element = button(BUTTON_REUSE, ids.ACTION_REUSE_VERDICT, str(ticket_id))
    element["confirm"] = {
        "title": plain_text(REUSE_CONFIRM_TITLE),
        "text": plain_text(
            REUSE_CONFIRM.format(id=ticket_id, earlier=memory.seen.earlier.id, verdict=verdict)
        ),
        "confirm": plain_text(REUSE_CONFIRM_YES),
        "deny": plain_text(REUSE_CONFIRM_NO),
    }
    return element


def _state(seen: SeenBefore) -> str:
    ticket = seen.earlier
    assert ticket is not None
    if ticket.status in ("verified", "flagged") and ticket.verdict:
        parts = [f"*{escape(ticket.verdict)}*"]
    else:
        parts = [f"_{ticket.status}_"]
    if ticket.assignee:
        parts.append(f"<@{ticket.assignee}>")
    when = ticket.closed_at or ticket.created_at
    parts.append(slack_date(when, "{date_short}"))
    return " · ".join(parts)


def seen_before_line(seen: SeenBefore) -> str:
    """`Seen before: #12 · Accurate · @maria · 3 Dec · thread`, or `Checked by PolitiFact: ...`."""
    if seen.earlier is None:
        entry = seen.entry
        return CHECKED_BY.format(
            publisher=escape(entry.publisher or PUBLISHER_UNKNOWN),
            verdict=escape(entry.verdict or UNRATED),
            link=link(entry.url, CHECK_LABEL) if entry.url else "",
        )
    line = SEEN_BEFORE.format(ticket=f"#{seen.earlier.id}", state=_state(seen))
    if seen.article is not None and seen.article.permalink:
        line += SEEN_IN_THREAD.format(thread=link(seen.article.permalink, THREAD_LABEL))
    return line


def also_in_line(later_ids: Sequence[int]) -> str:
    return ALSO_IN.format(tickets=", ".join(f"#{i}" for i in later_ids))


def render_search(query: str, results: Sequence[SeenBefore]) -> SlackMessage:
    """The ephemeral answer to `/factcheck search`: each earlier check with its words."""
    shown = escape(trim(" ".join(query.split()), 80))
    if not results:
        text = SEARCH_NONE.format(query=shown)
        return SlackMessage(text, [section(text)])
    blocks: list[Block] = [section(SEARCH_TITLE.format(query=shown))]
    for seen in results:
        words = escape(trim(" ".join(seen.entry.text.split()), RESULT_TEXT_CHARS))
        body = f"{seen_before_line(seen).removeprefix(':repeat: ')}\n> {words}"
        blocks.append(section(trim(body, MAX_SECTION_TEXT)))
    return SlackMessage(SEARCH_TITLE.format(query=shown), blocks)


def _thread(article: Article | None, label: str) -> str:
    return link(article.permalink, label) if article is not None and article.permalink else label


def render_repaste(
    earlier: Article, filed: Sequence[Ticket], *, permalink: str | None = None
) -> SlackMessage:
    """The answer to a re-paste; `permalink` is the first thread's, when it is known."""
    ids_shown = sorted(t.id for t in filed if t.id is not None)
    tickets = (
        f"tickets #{ids_shown[0]}–#{ids_shown[-1]}"
        if len(ids_shown) > 1
        else f"ticket #{ids_shown[0]}"
        if ids_shown
        else "no tickets"
    )
    thread = link(permalink, EARLIER_THREAD) if permalink else _thread(earlier, EARLIER_THREAD)
    return plain_message(REPASTE.format(thread=thread, tickets=tickets))


def render_revision(matched: int, earlier: Article | None) -> SlackMessage:
    return plain_message(REVISION.format(thread=_thread(earlier, EARLIER_VERSION), matched=matched))
