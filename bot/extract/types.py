"""The values the extraction engine hands out: quotes, claims and the pair of lists."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Final, Protocol

# What a quote's speaker is: a named person, an organisation or group as written ('the White
# House', 'the shipping alliance'), or an unnamed source as written ('a senior official').
SPEAKER_PERSON: Final = "person"
SPEAKER_ORGANISATION: Final = "organisation"
SPEAKER_UNNAMED: Final = "unnamed"
SPEAKER_KINDS: Final = (SPEAKER_PERSON, SPEAKER_ORGANISATION, SPEAKER_UNNAMED)


@dataclass(frozen=True)
class Quote:
    """A direct or partial quotation; `start`/`end` index the text as given to `extract`.

    `text` is the quotation as a reader sees it (Slack markup unwrapped, `&amp;` decoded), so it
    equals ``given[start:end]`` whenever the span holds no markup. `speaker` is a full name when
    the article gives one; `score` (0..1) is how sure the engine is that this is attributed speech.
    `speaker_kind` is one of SPEAKER_KINDS when there is a speaker (None from backends that
    cannot tell).
    """

    text: str
    start: int
    end: int
    speaker: str | None
    speaker_title: str | None
    score: float
    speaker_kind: str | None = None


@dataclass(frozen=True)
class Claim:
    """A check-worthy sentence outside quotations; `score` is 0..1, higher is more check-worthy.

    `ticket` is False for a claim the desk only offers ("Also worth a look") because stronger
    ones used the article's budget or it scored under the ticket threshold.
    """

    text: str
    start: int
    end: int
    score: float
    ticket: bool = True


def make_quote(
    text: str,
    start: int,
    end: int,
    speaker: str | None,
    speaker_title: str | None,
    score: float,
    speaker_kind: str | None,
) -> Quote:
    """`Quote(text, start, end, speaker, speaker_title, score, speaker_kind)`, built faster.

    A frozen dataclass's `__init__` sets each field through `object.__setattr__`; filling the
    new instance's `__dict__` at once, all that `__init__` does here, takes half the time, which
    counts in the engine's loop over an article's quotes."""
    quote: Quote = object.__new__(Quote)
    quote.__dict__.update(
        text=text,
        start=start,
        end=end,
        speaker=speaker,
        speaker_title=speaker_title,
        score=score,
        speaker_kind=speaker_kind,
    )
    return quote


def make_claim(text: str, start: int, end: int, score: float, ticket: bool) -> Claim:
    """`Claim(text, start, end, score, ticket)`, built as `make_quote` builds a quote."""
    claim: Claim = object.__new__(Claim)
    claim.__dict__.update(text=text, start=start, end=end, score=score, ticket=ticket)
    return claim


@dataclass(frozen=True)
class Extraction:
    """Everything one article yields, each list in text order (claims: ticketed and offered)."""

    claims: list[Claim] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)


class Extractor(Protocol):
    """Anything that turns article text into an `Extraction` (the rules engine, the LLM backend)."""

    def extract(self, text: str) -> Extraction: ...


class ClaimScorer(Protocol):
    """Scores candidate claim sentences in one batch (a model scores many at once much faster)."""

    name: str  # "rules" | "semantic"
    ticket_threshold: float  # at or above: may become a ticket (the article's budget applies)
    offer_threshold: float  # recall-oriented: at or above it a claim is at least offered

    def score(self, sentences: Sequence[str]) -> list[float]: ...  # 0..1 each, same order
