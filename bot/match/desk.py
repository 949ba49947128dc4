"""Earlier checks at intake: re-pasted articles, revised versions, and claims seen before.

The rules, as a checker would put them:
- the same article again (same words, or the same link) files nothing: the thread points to
  the first one;
- a revised version (most of its claims word for word those of one earlier article) files only
  what is new, and says how many it matched;
- any other claim or quote that the desk (or a published fact-check) checked before is filed,
  and its card says where: a quote only counts as seen before when the same person said it.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from bot.match.index import ALL_TERMS
from bot.match.matcher import Match, Matcher, is_confident
from bot.match.terms import query_terms
from bot.render.earlier import TicketMemory
from storage.matching import (
    articles_of_tickets,
    index_tickets,
    link_earlier,
    linked_cards,
    seen_again,
    seen_before,
)
from storage.models import Article, Ticket
from storage.outbox import enqueue_card_update
from storage.tickets import TicketDraft

# A match this close is the same sentence, give or take an edit: a revision's unchanged claim.
NEAR_IDENTICAL = 0.9
_WORDS = re.compile(r"[^\W_]+")


def content_key(text: str) -> str | None:
    """The article's words, case and punctuation aside, hashed: equal for a plain re-paste."""
    words = _WORDS.findall(text.lower())
    if not words:
        return None
    return hashlib.sha256(" ".join(words).encode()).hexdigest()


def _surname(name: str | None) -> str:
    words = _WORDS.findall((name or "").lower())
    return words[-1] if words else ""


def same_speaker(one: str | None, other: str | None) -> bool:
    """Same surname, or one of them not known: a title or first name may come and go."""
    mine, theirs = _surname(one), _surname(other)
    return not mine or not theirs or mine == theirs


def comparable(draft: TicketDraft, match: Match) -> bool:
    """A quote is the same quote only from the same speaker (when both have one)."""
    if draft.kind != "quote" or match.entry.kind != "quote":
        return True
    return same_speaker(draft.speaker, match.entry.speaker)


@dataclass
class IntakeMatches:
    """What intake files and links: drafts to file with their best earlier check each."""

    drafts: list[TicketDraft]
    earlier: list[Match | None]
    matched: int = 0
    revised_from: int | None = None


def best_matches(
    session: Session, matcher: Matcher, *, team: str, drafts: Sequence[TicketDraft]
) -> list[Match | None]:
    """Each draft's best confident earlier check by wording (None: nothing close enough)."""
    texts = [draft.text for draft in drafts]
    found = matcher.by_wording().find(session, team=team, texts=texts, top=3)
    return [
        next((m for m in matches if is_confident(m) and comparable(draft, m)), None)
        for draft, matches in zip(drafts, found, strict=True)
    ]


def match_drafts(
    session: Session,
    matcher: Matcher,
    *,
    team: str,
    drafts: Sequence[TicketDraft],
) -> IntakeMatches:
    """Each draft's best confident earlier check by wording; a revision's unchanged drafts are
    set aside.

    Wording only, so intake posts its thread without waiting for the encoder: what only meaning
    finds is added once the thread is out (`add_meaning`). A revision is recognised by where
    its near-twins come from: at least two, and at least half of the drafts, word for word
    tickets of one earlier article.
    """
    best = best_matches(session, matcher, team=team, drafts=drafts)
    article_of = articles_of_tickets(
        session, [m.entry.ticket_id for m in best if m is not None and m.entry.ticket_id]
    )
    twins = Counter(
        article_of[m.entry.ticket_id]
        for m in best
        if m is not None and m.score >= NEAR_IDENTICAL and m.entry.ticket_id in article_of
    )
    plan = IntakeMatches([], [])
    revision = twins.most_common(1)[0] if twins else None
    if revision is not None and revision[1] >= 2 and revision[1] * 2 >= len(drafts):
        plan.revised_from = revision[0]
    for draft, match in zip(drafts, best, strict=True):
        if (
            plan.revised_from is not None
            and match is not None
            and match.score >= NEAR_IDENTICAL
            and article_of.get(match.entry.ticket_id or -1) == plan.revised_from
        ):
            plan.matched += 1
            continue
        plan.drafts.append(draft)
        plan.earlier.append(match)
    return plan


def remember_tickets(
    session: Session, plan: IntakeMatches, *, team: str, tickets: Sequence[Ticket], now: datetime
) -> None:
    """Index the filed tickets and link each to its earlier check, in the filing transaction."""
    index_tickets(
        session,
        team=team,
        tickets=tickets,
        embeddings=[None] * len(tickets),  # by meaning comes later: bot.desk.meaning
        terms=[query_terms(ticket.text, limit=ALL_TERMS) for ticket in tickets],
        now=now,
    )
    links = [
        (ticket.id, match.entry.id, match.score)
        for ticket, match in zip(tickets, plan.earlier, strict=True)
        if match is not None and ticket.id is not None and match.entry.id is not None
    ]
    link_earlier(session, links, now=now)
    # An earlier ticket still open now shows "Also in #new": its card is owed an update.
    for ticket in tickets:
        if ticket.id is not None:
            owe_linked_cards(session, ticket.id, now=now)


def owe_linked_cards(
    session: Session, ticket_id: int, *, now: datetime, itself: Article | None = None
) -> None:
    """Card updates for every card that shows `ticket_id` (and, with `itself`, its own)."""
    for article_id, channel, linked_id in linked_cards(session, ticket_id):
        enqueue_card_update(
            session, article_id=article_id, channel=channel, ticket_id=linked_id, now=now
        )
    if itself is not None and itself.id is not None:
        enqueue_card_update(
            session, article_id=itself.id, channel=itself.channel, ticket_id=ticket_id, now=now
        )


def ticket_memory(session: Session, ticket_ids: Sequence[int]) -> dict[int, TicketMemory]:
    """What each card shows of earlier checks: its own, or the later tickets that repeat it."""
    seen = seen_before(session, ticket_ids)
    later = seen_again(session, ticket_ids)
    return {
        ticket_id: TicketMemory(seen.get(ticket_id), tuple(later.get(ticket_id, ())))
        for ticket_id in ticket_ids
        if ticket_id in seen or ticket_id in later
    }
