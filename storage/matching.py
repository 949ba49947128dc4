"""Earlier checks: the match index beside the tickets, and full-text candidates on each engine."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Insert, or_, select, text, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, col

from storage.db import insert_ignore
from storage.models import Article, MatchEntry, MatchTerm, Ticket, TicketMatch

# What the migration builds beside match_entry; Alembic's model comparison leaves them alone.
FTS_TABLE = "match_entry_fts"
FTS_INDEX = "ix_match_entry_fts"
FTS_COLUMN = "search_vector"

_SQLITE_CANDIDATES = text(
    "SELECT m.id, -bm25(match_entry_fts) AS score FROM match_entry_fts "
    "JOIN match_entry AS m ON m.id = match_entry_fts.rowid "
    "WHERE match_entry_fts MATCH :query AND m.team IN (:team, '') "
    "ORDER BY bm25(match_entry_fts) LIMIT :limit"
)
# The stored tsvector column the migration adds on PostgreSQL (not in the model: SQLite has none).
_PG_DOCUMENT = "m.search_vector"
# ts_rank with normalisation 1 divides by 1 + log(length), so long texts do not win by size
# (ts_rank_cd reads positions too: about three times the cost for no better candidates).
_POSTGRES_CANDIDATES = text(
    "SELECT m.id, ts_rank(" + _PG_DOCUMENT + ", q, 1) AS score "
    "FROM match_entry AS m, to_tsquery('english'::regconfig, :query) AS q "
    "WHERE m.team IN (:team, '') AND " + _PG_DOCUMENT + " @@ q "
    "ORDER BY score DESC LIMIT :limit"
)


def is_search_index(name: str | None) -> bool:
    """Whether a database object is part of the full-text index the migration made by hand."""
    return bool(name) and (str(name).startswith(FTS_TABLE) or name in (FTS_INDEX, FTS_COLUMN))


@dataclass(frozen=True)
class Candidate:
    """An entry the full-text index found for a query; `lexical` is higher for a better match."""

    entry_id: int
    lexical: float


def add_entries(
    session: Session, entries: Sequence[MatchEntry], terms: Sequence[Sequence[str]]
) -> None:
    """Add entries (with each one's distinct words) in the caller's transaction.

    The full-text index follows in the same transaction, and so do the word counts that let a
    query leave out words most entries hold.
    """
    session.add_all(entries)
    session.flush()
    count_terms(session, terms)


def count_terms(session: Session, terms: Sequence[Sequence[str]]) -> None:
    counts = Counter(term[:64] for words in terms for term in set(words))
    if not counts:
        return
    rows = [{"term": term, "docs": docs} for term, docs in sorted(counts.items())]
    # Sorted rows: concurrent intakes lock the same words in the same order (no deadlock).
    if session.get_bind().dialect.name == "postgresql":
        pg = postgresql.insert(MatchTerm)
        statement: Insert = pg.on_conflict_do_update(
            index_elements=["term"], set_={"docs": col(MatchTerm.docs) + pg.excluded.docs}
        )
    else:
        lite = sqlite.insert(MatchTerm)
        statement = lite.on_conflict_do_update(
            index_elements=["term"], set_={"docs": col(MatchTerm.docs) + lite.excluded.docs}
        )
    session.execute(statement, rows)


def term_docs(session: Session, terms: Sequence[str]) -> dict[str, int]:
    """How many entries hold each word (0 for a word none holds)."""
    if not terms:
        return {}
    rows = session.execute(
        select(col(MatchTerm.term), col(MatchTerm.docs)).where(col(MatchTerm.term).in_(terms))
    )
    found = {str(term): int(docs) for term, docs in rows}
    return {term: found.get(term, 0) for term in terms}


def lexical_candidates(
    session: Session, *, team: str, terms: Sequence[str], limit: int
) -> list[Candidate]:
    """The best `limit` entries of `team` (and public ones) sharing any of `terms`, best first.

    `terms` must be plain words (letters and digits): they are joined into the engine's own
    OR-query syntax here, so nothing a person typed reaches the query parser as syntax.
    """
    words = [term for term in terms if term.isalnum()]
    if not words:
        return []
    if session.get_bind().dialect.name == "postgresql":
        statement, query = _POSTGRES_CANDIDATES, " | ".join(words)
    else:
        statement, query = _SQLITE_CANDIDATES, " OR ".join(f'"{word}"' for word in words)
    rows = session.execute(statement, {"query": query, "team": team, "limit": limit})
    return [Candidate(int(entry_id), float(score)) for entry_id, score in rows]


def entries_by_ids(session: Session, entry_ids: Iterable[int]) -> dict[int, MatchEntry]:
    wanted = list(set(entry_ids))
    if not wanted:
        return {}
    entries = session.scalars(select(MatchEntry).where(col(MatchEntry.id).in_(wanted)))
    return {entry.id: entry for entry in entries if entry.id is not None}


def index_tickets(
    session: Session,
    *,
    team: str,
    tickets: Sequence[Ticket],
    embeddings: Sequence[bytes | None],
    terms: Sequence[Sequence[str]],
    now: datetime,
) -> None:
    """Make new tickets findable by later articles, in the transaction that files them."""
    add_entries(
        session,
        [
            MatchEntry(
                team=team,
                kind=ticket.kind,
                ticket_id=ticket.id,
                text=ticket.text,
                speaker=ticket.speaker,
                embedding=embedding,
                created_at=now,
            )
            for ticket, embedding in zip(tickets, embeddings, strict=True)
        ],
        terms,
    )


def link_earlier(
    session: Session, links: Sequence[tuple[int, int, float]], *, now: datetime
) -> None:
    """Record (ticket, entry, score): each new ticket's best earlier check, once."""
    for ticket_id, entry_id, score in links:
        session.execute(
            insert_ignore(session, TicketMatch, conflict=["ticket_id"]).values(
                ticket_id=ticket_id, entry_id=entry_id, score=score, created_at=now
            )
        )


@dataclass(frozen=True)
class SeenBefore:
    """What a card says of a ticket's earlier check: a desk ticket (live) or a published one."""

    entry: MatchEntry
    score: float
    earlier: Ticket | None
    article: Article | None


def seen_before(session: Session, ticket_ids: Iterable[int]) -> dict[int, SeenBefore]:
    """Each given ticket's earlier check, with the earlier ticket's current state."""
    wanted = list(set(ticket_ids))
    if not wanted:
        return {}
    rows = session.execute(
        select(TicketMatch, MatchEntry, Ticket, Article)
        .join(MatchEntry, col(MatchEntry.id) == col(TicketMatch.entry_id))
        .outerjoin(Ticket, col(Ticket.id) == col(MatchEntry.ticket_id))
        .outerjoin(Article, col(Article.id) == col(Ticket.article_id))
        .where(col(TicketMatch.ticket_id).in_(wanted))
    )
    return {
        link.ticket_id: SeenBefore(entry, link.score, earlier, article)
        for link, entry, earlier, article in rows
    }


def seen_again(session: Session, ticket_ids: Iterable[int]) -> dict[int, list[int]]:
    """The later tickets that found each given ticket as their earlier check."""
    wanted = list(set(ticket_ids))
    if not wanted:
        return {}
    rows = session.execute(
        select(col(MatchEntry.ticket_id), col(TicketMatch.ticket_id))
        .join(TicketMatch, col(TicketMatch.entry_id) == col(MatchEntry.id))
        .where(col(MatchEntry.ticket_id).in_(wanted))
        .order_by(col(TicketMatch.ticket_id))
    )
    later: dict[int, list[int]] = {}
    for earlier_id, later_id in rows:
        later.setdefault(int(earlier_id), []).append(int(later_id))
    return later


def find_repaste(
    session: Session,
    *,
    team: str,
    content_key: str | None,
    source_url: str | None,
    article_id: int,
) -> Article | None:
    """An earlier article of `team` with the same words or the same link, if any."""
    same = []
    if content_key:
        same.append(col(Article.content_key) == content_key)
    if source_url:
        same.append(col(Article.source_url) == source_url)
    if not same:
        return None
    return session.scalars(
        select(Article)
        .where(
            col(Article.team) == team,
            col(Article.id) < article_id,
            col(Article.intake_status) == "ready",
            or_(*same),
        )
        .order_by(col(Article.id))
        .limit(1)
    ).one_or_none()


def add_published(
    session: Session, entries: Sequence[MatchEntry], terms: Sequence[Sequence[str]]
) -> int:
    """Insert published reviews once per (team, source_key); returns how many were new."""
    added = 0
    new_terms = []
    for entry, words in zip(entries, terms, strict=True):
        values = entry.model_dump(exclude={"id"})
        statement = insert_ignore(session, MatchEntry, conflict=["team", "source_key"])
        statement = statement.values(values)
        if session.execute(statement.returning(col(MatchEntry.id))).all():
            added += 1
            new_terms.append(words)
    count_terms(session, new_terms)
    return added


def newest_team(session: Session) -> str | None:
    """The workspace of the newest article: the desk `factcheck match` answers for."""
    return session.scalar(select(col(Article.team)).order_by(col(Article.id).desc()).limit(1))


def articles_of_tickets(session: Session, ticket_ids: Iterable[int]) -> dict[int, int]:
    wanted = list(set(ticket_ids))
    if not wanted:
        return {}
    rows = session.execute(
        select(col(Ticket.id), col(Ticket.article_id)).where(col(Ticket.id).in_(wanted))
    )
    return {int(ticket_id): int(article_id) for ticket_id, article_id in rows}


def describe(session: Session, found: Sequence[tuple[MatchEntry, float]]) -> list[SeenBefore]:
    """Entries with their desk ticket and article as committed now (published ones as stored)."""
    ticket_ids = [entry.ticket_id for entry, _ in found if entry.ticket_id is not None]
    rows = (
        session.execute(
            select(Ticket, Article)
            .join(Article, col(Article.id) == col(Ticket.article_id))
            .where(col(Ticket.id).in_(ticket_ids))
        ).all()
        if ticket_ids
        else []
    )
    by_id = {ticket.id: (ticket, article) for ticket, article in rows}
    described = []
    for entry, score in found:
        ticket, article = by_id.get(entry.ticket_id, (None, None))
        described.append(SeenBefore(entry, score, ticket, article))
    return described


def embeddings_after(session: Session, *, team: str, after_id: int) -> list[tuple[int, bytes]]:
    """(id, embedding) of `team`'s and public entries added after `after_id`, in id order."""
    rows = session.execute(
        select(col(MatchEntry.id), col(MatchEntry.embedding))
        .where(
            col(MatchEntry.team).in_([team, ""]),
            col(MatchEntry.id) > after_id,
            col(MatchEntry.embedding).is_not(None),
        )
        .order_by(col(MatchEntry.id))
    )
    return [(int(entry_id), bytes(data)) for entry_id, data in rows]


def linked_cards(session: Session, ticket_id: int) -> list[tuple[int, str, int]]:
    """(article, channel, ticket) of every ticket whose card shows `ticket_id` (both ways)."""
    later = (
        select(col(TicketMatch.ticket_id))
        .join(MatchEntry, col(MatchEntry.id) == col(TicketMatch.entry_id))
        .where(col(MatchEntry.ticket_id) == ticket_id)
    )
    earlier = (
        select(col(MatchEntry.ticket_id))
        .join(TicketMatch, col(TicketMatch.entry_id) == col(MatchEntry.id))
        .where(col(TicketMatch.ticket_id) == ticket_id, col(MatchEntry.ticket_id).is_not(None))
    )
    rows = session.execute(
        select(col(Ticket.article_id), col(Ticket.channel), col(Ticket.id)).where(
            or_(col(Ticket.id).in_(later), col(Ticket.id).in_(earlier))
        )
    )
    return [(int(article_id), str(channel), int(linked)) for article_id, channel, linked in rows]


def set_ticket_embeddings(session: Session, embeddings: dict[int, bytes | None]) -> None:
    """Store each ticket's entry embedding (computed after the ticket was filed)."""
    for ticket_id, data in embeddings.items():
        if data is not None:
            session.execute(
                update(MatchEntry)
                .where(col(MatchEntry.ticket_id) == ticket_id)
                .values(embedding=data)
            )
