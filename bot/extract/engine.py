"""The offline rules engine: Slack text in, claims and quotes out, offsets on the text as given."""

from __future__ import annotations

import re
from bisect import bisect_left, insort

from bot.extract.claims import RulesScorer
from bot.extract.layout import paragraphs, sentences
from bot.extract.markup import to_plain
from bot.extract.quotes import extract_quotes
from bot.extract.types import Claim, ClaimScorer, Extraction, Quote

_NORM = re.compile(r"[\W_]+")
# What a paragraph that ends a sentence ends with (paragraphs come with no spaces around them).
_SENTENCE_ENDS = tuple(".!?…\"”’')]")
_MIN_CLAIM_WORDS = 5
# What may be left of a sentence once its quotation, speaker and title are taken out for it to
# count as mere attribution (`said`, `he told reporters`, a dash).
_MAX_ATTRIBUTION_WORDS = 4
_WORD = re.compile(r"[^\W_]+")


def _norm(text: str) -> str:
    return _NORM.sub(" ", text).strip().lower()


def _beyond_quotes(sentence: str, quoted: list[tuple[int, int, str | None, str | None]]) -> str:
    """What a sentence says besides its quotations and who said them.

    A quotation is its own ticket, so the sentence is judged as a claim on the rest alone:
    `"We waited eight years," said Maria Lopez, chair of the committee.` leaves `said` (no
    claim); `The plan, which Reyes called "a debt trap", costs $48 million.` keeps its figure.
    """
    rest = sentence
    attribution: set[str] = set()
    for start, end, speaker, title in sorted(quoted, reverse=True):
        rest = rest[:start] + " " + rest[end:]
        attribution.update(_WORD.findall(f"{speaker or ''} {title or ''}"))
    return _WORD.sub(lambda word: "" if word.group(0) in attribution else word.group(0), rest)


def _repeats(key: str, seen: list[str]) -> bool:
    """Whether `key` was seen already, whole or as the start of a longer claim (a cut teaser)."""
    at = bisect_left(seen, key)
    return at < len(seen) and seen[at].startswith(key)


def extract(
    text: str, *, scorer: ClaimScorer | None = None, claim_threshold: float | None = None
) -> Extraction:
    """Claims and quotes in `text`; pure and offline. Offsets index `text` exactly as given.

    Candidate sentences are collected first and scored in one `scorer.score` call (a model
    scores a batch much faster than one sentence at a time); `claim_threshold` overrides the
    scorer's ticket threshold. A quotation repeated word for word (a teaser paragraph, a pull
    quote) is reported once, and a sentence that sits inside a quotation is a quote ticket,
    never also a claim.
    """
    scorer = RulesScorer() if scorer is None else scorer
    threshold = scorer.ticket_threshold if claim_threshold is None else claim_threshold
    plain = to_plain(text)
    body = plain.text
    paras = paragraphs(body)
    quotes: list[Quote] = []
    seen_quotes: set[str] = set()
    covered: list[tuple[int, int, str | None, str | None]] = []
    for found in extract_quotes(body, paras):
        key = found.key
        covered.append((found.start, found.end, found.speaker, found.title))
        if not key or key in seen_quotes:
            continue
        seen_quotes.add(key)
        start, end = plain.span(found.start, found.end)
        quotes.append(
            Quote(
                body[found.start : found.end], start, end, found.speaker, found.title, found.score
            )
        )
    spans: list[tuple[int, int]] = []
    judged: list[str] = []  # what each candidate is scored on: the sentence, or its unquoted rest
    cover_index = 0
    for para in paras:
        if para.skip or not body.endswith(_SENTENCE_ENDS, para.start, para.end):
            continue  # debris, repeats and headlines give no claims
        for start, end in sentences(body, para.start, para.end):
            while cover_index < len(covered) and covered[cover_index][1] <= start:
                cover_index += 1
            inside = 0
            quoted: list[tuple[int, int, str | None, str | None]] = []
            for q_start, q_end, speaker, title in covered[cover_index:]:
                if q_start >= end:
                    break
                inside += min(end, q_end) - max(start, q_start)
                quoted.append(
                    (max(q_start, start) - start, min(q_end, end) - start, speaker, title)
                )
            if inside * 2 > end - start:
                continue
            sentence = body[start:end]
            if len(sentence.split()) < _MIN_CLAIM_WORDS:
                continue
            if quoted:
                rest = _beyond_quotes(sentence, quoted)
                if len(_WORD.findall(rest)) <= _MAX_ATTRIBUTION_WORDS:
                    continue
                judged.append(rest)
            else:
                judged.append(sentence)
            spans.append((start, end))
    scores = scorer.score(judged) if judged else []
    claims: list[Claim] = []
    seen_claims: list[str] = []  # sorted, so a prefix lookup is one bisect
    for (start, end), score in zip(spans, scores, strict=True):
        if score < threshold:
            continue
        sentence = body[start:end]
        key = _norm(sentence)
        if _repeats(key, seen_claims):
            continue
        insort(seen_claims, key)
        a, b = plain.span(start, end)
        claims.append(Claim(sentence, a, b, round(score, 3)))
    return Extraction(claims=claims, quotes=quotes)


class RulesExtractor:
    """The offline engine behind the `Extractor` protocol."""

    def __init__(
        self, claim_threshold: float | None = None, *, scorer: ClaimScorer | None = None
    ) -> None:
        self.scorer = RulesScorer(claim_threshold) if scorer is None else scorer
        self.claim_threshold = claim_threshold

    def extract(self, text: str) -> Extraction:
        return extract(text, scorer=self.scorer, claim_threshold=self.claim_threshold)
