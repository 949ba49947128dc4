"""What goes into the match index: published reviews and the desk's own tickets."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlmodel import Session

from bot.match.claimreview import PublishedReview
from bot.match.matcher import Matcher, searchable
from bot.match.terms import query_terms
from storage.matching import add_entries, add_published
from storage.models import MatchEntry

# Every distinct word of an entry is counted, not only the first few a query would use.
ALL_TERMS = 10_000

# Published checks are public: every workspace on this database may match against them.
PUBLIC_TEAM = ""


def published_entries(
    reviews: Sequence[PublishedReview], *, matcher: Matcher, now: datetime
) -> list[MatchEntry]:
    unique = list({review.key: review for review in reviews}.values())
    vectors = matcher.embed([review.claim for review in unique])
    return [
        MatchEntry(
            team=PUBLIC_TEAM,
            kind="published",
            source_key=review.key,
            text=review.claim,
            speaker=review.speaker,
            verdict=review.verdict,
            publisher=review.publisher,
            url=review.url,
            reviewed_at=review.reviewed_at,
            embedding=vector,
            created_at=now,
        )
        for review, vector in zip(unique, vectors, strict=True)
    ]


def entry_terms(entry: MatchEntry) -> list[str]:
    return query_terms(searchable(entry), limit=ALL_TERMS)


def index_entries(session: Session, entries: Sequence[MatchEntry]) -> None:
    add_entries(session, entries, [entry_terms(entry) for entry in entries])


def index_published(session: Session, entries: Sequence[MatchEntry]) -> int:
    """Published reviews in once each; how many were new."""
    return add_published(session, entries, [entry_terms(entry) for entry in entries])
