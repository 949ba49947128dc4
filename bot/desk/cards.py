"""Live ticket cards: what an article's thread shows, rendered from the database when delivered.

Nothing here talks to Slack. Intake and every ticket change write outbox rows in their own
transaction (storage/outbox.py); the dispatcher (bot/outbox.py) asks this module what a
thread part or a card update shows *at the moment it delivers it*, so a card always shows
its ticket's current state and several changes make one update.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlmodel import Session

from bot.match.desk import ticket_memory
from bot.render.blocks import SlackMessage
from bot.render.thread import chunk_tickets, render_thread_message
from bot.services import Services
from storage.articles import get_article
from storage.models import Ticket
from storage.tickets import tickets_for_article


@dataclass(frozen=True)
class ThreadPart:
    """A thread message as it should look now: the tickets it shows, and where it already is
    (None: not posted yet; a ticket filed later joins a posted message in place)."""

    ticket_ids: list[int]
    message: SlackMessage
    home: tuple[str, str] | None


def thread_parts(tickets: Sequence[Ticket]) -> int:
    """How many thread messages the article's tickets take."""
    return len(chunk_tickets(tickets))


def _article_state(session: Session, article_id: int) -> tuple[str, bool]:
    """The text the tickets' offsets index (a link's page, once fetched; the edited text after
    an edit), and whether the reporter deleted the article's message."""
    article = get_article(session, article_id)
    if article is None:
        return "", False
    return article.text, article.deleted_at is not None


def _render_part(
    session: Session,
    article_id: int,
    chunk: Sequence[Ticket],
    all_tickets: Sequence[Ticket],
    part: int,
    parts: int,
) -> SlackMessage:
    """One thread message as the desk stands now: the article's text and whether it was
    deleted, and each ticket's earlier checks, read in the caller's session."""
    text, deleted = _article_state(session, article_id)
    return render_thread_message(
        chunk,
        all_tickets=all_tickets,
        part=part,
        parts=parts,
        article_text=text,
        memory=ticket_memory(session, [t.id for t in chunk if t.id is not None]),
        article_deleted=deleted,
    )


def thread_part(session: Session, article_id: int, part: int) -> ThreadPart | None:
    """Thread message `part` (1-based) as it should look now, or None when there is nothing to
    do: every ticket it shows already has its card there (so a part is posted once, however
    often its delivery is retried), or the part does not exist."""
    all_tickets = tickets_for_article(session, article_id)
    chunks = chunk_tickets(all_tickets)
    if not all_tickets or part > len(chunks):
        return None
    chunk = chunks[part - 1]
    if all(t.card_ts for t in chunk):
        return None
    homes = {(t.card_channel, t.card_ts) for t in chunk if t.card_channel and t.card_ts}
    home = homes.pop() if len(homes) == 1 else None
    message = _render_part(session, article_id, chunk, all_tickets, part, len(chunks))
    return ThreadPart(
        [t.id for t in chunk if t.id is not None],
        message,
        (str(home[0]), str(home[1])) if home else None,
    )


def card_updates(
    session: Session, article_id: int, ticket_ids: Iterable[int]
) -> list[tuple[str, str, SlackMessage]]:
    """(channel, ts, message) for the posted thread messages showing `ticket_ids`, and the
    first one, whose header shows the article's progress; rendered from the state now."""
    wanted = set(ticket_ids)
    all_tickets = tickets_for_article(session, article_id)
    chunks = chunk_tickets(all_tickets)
    updates: list[tuple[str, str, SlackMessage]] = []
    for part, chunk in enumerate(chunks, start=1):
        # Part 1 carries the header (progress), so it changes whenever any ticket does.
        if part != 1 and not wanted & {t.id for t in chunk}:
            continue
        homes = {(t.card_channel, t.card_ts) for t in chunk if t.card_channel and t.card_ts}
        if len(homes) != 1:
            continue  # not posted yet: its thread row renders the current state when it is
        channel, ts = homes.pop()
        assert channel is not None
        assert ts is not None
        message = _render_part(session, article_id, chunk, all_tickets, part, len(chunks))
        updates.append((channel, ts, message))
    return updates


def refresh_ticket_cards(services: Services, ticket_ids: Iterable[int] = ()) -> None:
    """Deliver the card updates owed (written with each change) now, and anything else owed.

    The changes themselves wrote their updates to the outbox; this only hurries delivery
    along after a request. `ticket_ids` is accepted for callers that name what changed.
    """
    from bot.outbox import deliver_owed  # the dispatcher renders through this module

    deliver_owed(services)
