"""An article's claim worklist: near-duplicates dropped, ranked by score, a length-bound budget."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from itertools import chain, filterfalse
from operator import itemgetter
from typing import Final, NamedTuple

from bot.extract.tokens import feature_tokens, sentence_tokens, split_words, words_match_features
from bot.extract.types import Claim, Quote

# Most claim tickets an article gets unless FACTCHECK_MAX_CLAIMS says otherwise.
DEFAULT_MAX_CLAIMS: Final = 8
# The budget grows by one ticket for every this many characters after the first few: a 3 kB
# news story gets 6 claim tickets, one of 4 kB or more the maximum.
BASE_CLAIMS: Final = 3
CHARS_PER_CLAIM: Final = 800
# A text this short (one or two sentences) is filed whole: every claim over the threshold.
UNBUDGETED_SENTENCES: Final = 2
# Two claims are the same claim when this share of the shorter one's content words is in the
# other (a teaser and the lead it cuts, a summary restating a sentence, a quote retold).
SAME_CLAIM_SHARE: Final = 0.8
_MIN_SHARED_WORDS: Final = 4
# A word that many kept claims share tells nothing about which one a new claim repeats.
_COMMON_WORD_CLAIMS: Final = 40
_INDEX_FROM: Final = 64
# Words too common to tell two claims apart.
_FUNCTION_WORDS: Final = frozenset(
    """a an the and or but of to in on at by for with from as is are was were be been it its
    this that these those he she they we i you his her their our s t has have had not no
    said says will would also than""".split()
)
_IS_FUNCTION_WORD = _FUNCTION_WORDS.__contains__
# Claims past the tickets and this many offered ones are listed as they come, unchecked for
# repeats: the desk shows no more, and a pasted book must not cost a quadratic pass.
CHECKED_OFFERS: Final = 12


def claim_budget(chars: int, sentences: int, max_claims: int = DEFAULT_MAX_CLAIMS) -> int | None:
    """How many claims of an article of `chars` characters may become tickets; None: all of them."""
    if sentences <= UNBUDGETED_SENTENCES:
        return None
    return max(1, min(max_claims, BASE_CLAIMS + chars // CHARS_PER_CLAIM))


def content_words(
    text: str, split_features: Callable[[str], Sequence[str]] = sentence_tokens
) -> frozenset[str]:
    """The words that carry a claim, lower-cased: all but the commonest function words.

    Most texts split into the same words under the claim features' rule, and a claim sentence
    has just been split by them, so those words are taken from there (`sentence_tokens`). A
    quotation no scorer has read is split afresh (`feature_tokens`): keeping its words would
    only push the article's sentences out of that cache.
    """
    words = split_features(text) if words_match_features(text) else split_words(text)
    # Filtered on the way in: one set built, where a set less a set builds two.
    return frozenset(filterfalse(_IS_FUNCTION_WORD, words))


class Candidate(NamedTuple):
    """A scored claim sentence (or its unquoted stretch); `order` is its place in the article."""

    order: int
    score: float
    text: str


_ORDER = itemgetter(0)
_SCORE = itemgetter(1)


@dataclass(frozen=True)
class Picked:
    """Which candidates stay (by `order`) and which of them are tickets."""

    kept: tuple[int, ...]
    tickets: frozenset[int]


class _SeenClaims:
    """Word sets of the claims kept so far, for the same-claim test.

    An article keeps a few dozen claims, compared one by one; past `_INDEX_FROM` (a pasted
    book) they are indexed by word so the test stays linear. Until then they are also grouped
    by size: a claim with few words in common with all of them can only repeat a small one.
    """

    def __init__(self, quoted: Sequence[frozenset[str]]) -> None:
        self._sets: list[frozenset[str]] = []
        self._seen: set[str] = set()
        self._by_size: dict[int, list[frozenset[str]]] = {}
        self._by_word: dict[str, list[int]] | None = None
        for words in quoted:
            self.add(words)

    def add(self, words: frozenset[str]) -> None:
        self._sets.append(words)
        if self._by_word is None and len(self._sets) > _INDEX_FROM:
            self._by_word = {}
            for index, held in enumerate(self._sets):
                self._index(index, held)
        elif self._by_word is not None:
            self._index(len(self._sets) - 1, words)
        else:
            self._seen |= words
            if len(words) >= _MIN_SHARED_WORDS:  # a smaller set never shares enough words
                self._by_size.setdefault(len(words), []).append(words)

    def _index(self, index: int, words: frozenset[str]) -> None:
        assert self._by_word is not None
        for word in words:
            self._by_word.setdefault(word, []).append(index)

    def repeats(self, words: frozenset[str]) -> bool:
        size = len(words)
        if size < _MIN_SHARED_WORDS:
            return False
        if self._by_word is None:
            # A kept claim shares with `words` just what it shares with `known`: fewer to look up.
            known = words & self._seen
            most = len(known)
            if most < _MIN_SHARED_WORDS:
                return False
            if most < SAME_CLAIM_SHARE * size:
                # No kept claim as long as this one shares enough, nor one that `most` words
                # cannot cover: only the few small ones in between are compared.
                for length in range(_MIN_SHARED_WORDS, int(most / SAME_CLAIM_SHARE) + 2):
                    for held in self._by_size.get(length, ()):
                        count = len(known & held)
                        if count >= _MIN_SHARED_WORDS and count >= SAME_CLAIM_SHARE * length:
                            return True
                return False
            shared = list(map(len, map(known.intersection, self._sets)))  # in C, no Python loop
            if not shared or max(shared) < _MIN_SHARED_WORDS:
                return False
            return any(
                count >= _MIN_SHARED_WORDS and count >= SAME_CLAIM_SHARE * min(size, len(held))
                for count, held in zip(shared, self._sets, strict=True)
            )
        by_word = self._by_word
        holders = [by_word[w] for w in words if w in by_word]
        counts = Counter(chain.from_iterable(h for h in holders if len(h) <= _COMMON_WORD_CLAIMS))
        return any(
            count >= _MIN_SHARED_WORDS
            and count >= SAME_CLAIM_SHARE * min(size, len(self._sets[index]))
            for index, count in counts.items()
        )


def pick_claims(
    candidates: Sequence[Candidate],
    *,
    quoted: Sequence[str],
    ticket_threshold: float,
    budget: int | None,
) -> Picked:
    """Rank by score, drop what repeats a stronger claim or a quote, file the best `budget`.

    Candidates are taken strongest first (article order breaks ties), so of two near-identical
    claims the stronger one stays. Those at or above `ticket_threshold` become tickets until
    the budget is spent; the rest stay as offered claims. Past the tickets and
    `CHECKED_OFFERS` offered claims, the weakest are kept without the repeat check.
    """
    seen = _SeenClaims([content_words(text, feature_tokens) for text in quoted])
    kept: list[int] = []
    tickets: set[int] = set()
    checked = None if budget is None else budget + CHECKED_OFFERS
    # Strongest first, ties in article order: two sorts on one field each (the second is
    # stable), where a key tuple per candidate costs more.
    ranked = sorted(candidates, key=_ORDER)
    ranked.sort(key=_SCORE, reverse=True)
    for candidate in ranked:
        if checked is None or len(kept) < checked:
            words = content_words(candidate.text)
            if seen.repeats(words):
                continue
            seen.add(words)
        kept.append(candidate.order)
        if candidate.score >= ticket_threshold and (budget is None or len(tickets) < budget):
            tickets.add(candidate.order)
    return Picked(tuple(sorted(kept)), frozenset(tickets))


def rank_and_budget(
    claims: Sequence[Claim],
    *,
    quotes: Sequence[Quote],
    chars: int,
    sentences: int,
    ticket_threshold: float = 0.0,
    max_claims: int = DEFAULT_MAX_CLAIMS,
) -> list[Claim]:
    """Claims found by another backend (the LLM), put through the same worklist: repeats of a
    stronger claim or a quote dropped, the strongest `claim_budget` marked tickets, in text order.
    """
    picked = pick_claims(
        [Candidate(order, claim.score, claim.text) for order, claim in enumerate(claims)],
        quoted=[quote.text for quote in quotes],
        ticket_threshold=ticket_threshold,
        budget=claim_budget(chars, sentences, max_claims),
    )
    return [replace(claims[order], ticket=order in picked.tickets) for order in picked.kept]


def overlapping_tickets(spans: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """Pairs (by index) of ticket spans that share text: what "nothing twice" forbids."""
    order = sorted(range(len(spans)), key=lambda i: spans[i])
    pairs: list[tuple[int, int]] = []
    for at, i in enumerate(order):
        for j in order[at + 1 :]:
            if spans[j][0] >= spans[i][1]:
                break
            pairs.append((min(i, j), max(i, j)))
    return pairs
