"""The words of a claim that are worth looking up: lower-case, no function words, no link debris."""

from __future__ import annotations

import re

MAX_QUERY_TERMS = 32
# A query looks up its rarest words first and stops before their postings pass this many rows:
# the cost of a match then follows the claim, not the size of the desk.
POSTINGS_BUDGET = 2_000
MIN_LOOKUP_TERMS = 3
MAX_LOOKUP_TERMS = MAX_QUERY_TERMS

# General English function words plus the debris of pasted posts (links, retweets, entities).
# Written by hand; nothing here is learned from data.
STOPWORDS = frozenset(
    """a an the and or but if then else of at by for with about against between into through
    during before after above below to from up down in out on off over under again further once
    here there when where why how all any both each few more most other some such no nor not only
    own same so than too very can will just should now i me my we our ours you your yours he him
    his she her hers it its they them their theirs what which who whom this that these those am is
    are was were be been being have has had having do does did doing would could ought shall may
    might must also get got s t d ll m re ve rt via amp http https www com co html htm pic twitter
    status""".split()
)
_WORD = re.compile(r"[^\W_]+")
_SUFFIXES = ("ing", "ed", "es", "s")


def query_terms(text: str, *, limit: int = MAX_QUERY_TERMS) -> list[str]:
    """The distinct content words of `text` in order, at most `limit`; safe for any query syntax."""
    seen: dict[str, None] = {}
    for word in _WORD.findall(text.lower()):
        if word in STOPWORDS or (len(word) < 2 and not word.isdigit()):
            continue
        seen.setdefault(word, None)
        if len(seen) == limit:
            break
    return list(seen)


def _stem(word: str) -> str:
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def stems(text: str) -> frozenset[str]:
    return frozenset(_stem(word) for word in query_terms(text, limit=10_000))


def overlap(query: frozenset[str], candidate: frozenset[str]) -> float:
    """How much of the query's content a candidate repeats (0..1), for a threshold people trust."""
    if not query:
        return 0.0
    return len(query & candidate) / len(query)


def rarest_terms(terms: list[str], docs: dict[str, int]) -> list[str]:
    """The words to look up: rarest first, within the postings budget (at least a few)."""
    chosen: list[str] = []
    total = 0
    for term in sorted(terms, key=lambda term: docs.get(term, 0)):
        count = docs.get(term, 0)
        if len(chosen) >= MIN_LOOKUP_TERMS and total + count > POSTINGS_BUDGET:
            break
        chosen.append(term)
        total += count
        if len(chosen) == MAX_LOOKUP_TERMS:
            break
    return chosen
