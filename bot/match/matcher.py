"""Matching: full-text candidates from the database, re-ranked by meaning when the encoder is there.

One engine serves the desk (a new claim against earlier tickets and imported fact-checks) and
`factcheck match` (a JSONL index loaded into a scratch database). Candidates come from the
database's own full-text search (SQLite FTS5 BM25, PostgreSQL ts_rank_cd); with the semantic
extra each candidate's stored embedding is compared with the query's, and the two scores are
blended. Without it the lexical score alone ranks.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from sqlmodel import Session

from bot.match.dense import DenseIndex
from bot.match.terms import overlap, query_terms, rarest_terms, stems
from storage.matching import Candidate, entries_by_ids, lexical_candidates, term_docs
from storage.models import MatchEntry

# A numpy float32 row or matrix; numpy is imported only by the semantic layer.
Vectors = Any

CANDIDATES = 50
# With the encoder, the entries nearest in meaning join the full-text candidates.
NEAREST = 10
# Blend of meaning and wording once the encoder is there; wording alone ranks without it.
# Chosen on the CLEF-2020 CheckThat! 2 dev split (0.65-0.8 score within 0.003 of each other).
SEMANTIC_WEIGHT = 0.7
# Above this a card says "Seen before" (see `is_confident`).
CONFIDENT_SCORE = 0.75


class TextEncoder(Protocol):
    """The semantic layer's sentence encoder: L2-normalised float32 rows, one per text."""

    def encode(self, texts: Sequence[str]) -> Vectors: ...


@dataclass(frozen=True)
class Match:
    """An earlier entry and how sure the engine is that it is the same claim (0..1)."""

    entry: MatchEntry
    score: float


def embedding_bytes(vector: Any) -> bytes:
    """How an embedding is stored: float16, half the size, ample for a cosine."""
    import numpy as np

    data: bytes = np.asarray(vector, dtype=np.float16).tobytes()
    return data


def _vector(data: bytes) -> Vectors:
    import numpy as np

    return np.frombuffer(data, dtype=np.float16).astype(np.float32)


def searchable(entry: MatchEntry) -> str:
    """What of an entry is compared: its text and, for a published review, its headline."""
    return f"{entry.text}\n{entry.title}" if entry.title else entry.text


def is_confident(match: Match) -> bool:
    return match.score >= CONFIDENT_SCORE


class Matcher:
    """Finds earlier entries for claims; `encoder` None means wording only (rules mode)."""

    def __init__(self, encoder: TextEncoder | None = None) -> None:
        self.encoder = encoder
        self._dense: dict[str, DenseIndex] = {}
        self._dense_lock = threading.Lock()

    def _nearest(self, session: Session, team: str, queries: Vectors) -> list[list[Candidate]]:
        with self._dense_lock:
            dense = self._dense.setdefault(team, DenseIndex(team))
        dense.refresh(session)
        return [
            [Candidate(entry_id, 0.0) for entry_id in dense.nearest(query, NEAREST)]
            for query in queries
        ]

    def by_wording(self) -> Matcher:
        """This matcher without the encoder (the same index, ranked by wording alone)."""
        return Matcher(None) if self.encoder is not None else self

    def encode(self, texts: Sequence[str]) -> Vectors | None:
        """The texts' embeddings, or None without the encoder (or nothing to encode)."""
        if self.encoder is None or not texts:
            return None
        return self.encoder.encode(texts)

    @staticmethod
    def as_stored(vectors: Vectors | None, count: int) -> list[bytes | None]:
        if vectors is None:
            return [None] * count
        return [embedding_bytes(row) for row in vectors]

    def embed(self, texts: Sequence[str]) -> list[bytes | None]:
        """Stored embeddings for new entries (None each without the encoder)."""
        return self.as_stored(self.encode(texts), len(texts))

    def find(
        self,
        session: Session,
        *,
        team: str,
        texts: Sequence[str],
        top: int = 5,
        vectors: Vectors | None = None,
    ) -> list[list[Match]]:
        """The best `top` earlier entries of `team` for each text, best first.

        `vectors` are the texts' embeddings when the caller has them already.
        """
        found = []
        for text in texts:
            terms = query_terms(text)
            lookup = rarest_terms(terms, term_docs(session, terms))
            found.append(lexical_candidates(session, team=team, terms=lookup, limit=CANDIDATES))
        queries = vectors if vectors is not None else self.encode(texts)
        if queries is not None:
            for candidates, near in zip(found, self._nearest(session, team, queries), strict=True):
                known = {candidate.entry_id for candidate in candidates}
                candidates.extend(c for c in near if c.entry_id not in known)
        entries = entries_by_ids(session, (c.entry_id for cands in found for c in cands))
        results: list[list[Match]] = []
        for index, (text, candidates) in enumerate(zip(texts, found, strict=True)):
            query_vector = None if queries is None else queries[index]
            ranked = self._rank(text, candidates, entries, query_vector)
            results.append(ranked[:top])
        return results

    def _rank(
        self,
        text: str,
        candidates: Sequence[Candidate],
        entries: dict[int, MatchEntry],
        query_vector: Vectors | None,
    ) -> list[Match]:
        if not candidates:
            return []
        best = max(candidate.lexical for candidate in candidates) or 1.0
        wanted = stems(text)
        matches = []
        for candidate in candidates:
            entry = entries.get(candidate.entry_id)
            if entry is None:  # gone since the index saw it (its ticket was deleted)
                continue
            wording = overlap(wanted, stems(searchable(entry)))
            lexical = 0.5 * candidate.lexical / best + 0.5 * wording
            if query_vector is not None and entry.embedding is not None:
                meaning = float(_vector(entry.embedding) @ query_vector)
                score = SEMANTIC_WEIGHT * meaning + (1 - SEMANTIC_WEIGHT) * lexical
            else:
                score = lexical
            matches.append(Match(entry, round(max(0.0, min(1.0, score)), 4)))
        matches.sort(key=lambda match: match.score, reverse=True)
        return matches
