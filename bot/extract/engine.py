"""The offline rules engine: Slack text in, claims and quotes out, offsets on the text as given."""

from __future__ import annotations

import re
from itertools import islice

from bot.extract.claims import RulesScorer
from bot.extract.layout import paragraphs, sentences_in
from bot.extract.markup import to_plain
from bot.extract.quotes import extract_quotes
from bot.extract.types import Claim, ClaimScorer, Extraction, Quote, make_claim, make_quote
from bot.extract.worklist import (
    DEFAULT_MAX_CLAIMS,
    Candidate,
    claim_budget,
    pick_claims,
)

# The last character of a paragraph that ends a sentence (paragraphs come with no spaces around
# them, and only a skipped one is empty).
_SENTENCE_ENDS = frozenset(".!?…\"”’')]")
_MIN_CLAIM_WORDS = 5
# What may be left of a sentence once its quotation, speaker and title are taken out for it to
# count as mere attribution (`said`, `he told reporters`, a dash).
_MAX_ATTRIBUTION_WORDS = 4
_WORD = re.compile(r"[^\W_]+")
# The first two words of a stretch (`_WORD` runs), whole.
_FIRST_TWO_WORDS = re.compile(r"[\W_]*([^\W_]+)[\W_]+([^\W_]+)")
# More words than attribution leaves (`_MAX_ATTRIBUTION_WORDS` + 1), and what lies between them.
_MORE_THAN_ATTRIBUTION = re.compile(rf"[^\W_]+(?:[\W_]+[^\W_]+){{{_MAX_ATTRIBUTION_WORDS}}}")
# A stretch before a quotation that ends on one of these runs on into the quotation.
_LEAD_IN_ENDS = frozenset(
    """a an the that as to of is was were are be been being has have had his her their its
    because than like and or but with by for from called calling dubbed described said says
    told added wrote read saying adding warned argued claimed insisted noted""".split()
)
# A stretch after a quotation that starts on one of these is its attribution or its tail.
_TAIL_STARTS = frozenset(
    """said says told added asked adding saying wrote and or but nor by with to of""".split()
)
_SAYS = frozenset("said says told argued added claimed insisted noted wrote warned".split())
_PRONOUNS = frozenset("he she they it we i".split())  # `"...," she told supporters`
# What is trimmed off the ends of a claim cut out between quotations.
_STRETCH_EDGES = " \t\n,;:–—-\"“”‘’'("


def _whole_word(text: str, start: int, end: int) -> bool:
    """Whether text[start:end], a run of `_WORD` characters, is a whole word: a maximal run.

    `[^\\W_]` matches what `str.isalnum` says yes to, so the run's neighbours tell. An
    occurrence that starts inside another is never whole (a letter of the word precedes it),
    so a search for the next occurrence goes on after the end of the last."""
    return not (start and text[start - 1].isalnum()) and not (
        end < len(text) and text[end].isalnum()
    )


def _says_verb(low: str) -> bool:
    """Whether a lowercase stretch holds one of the `_SAYS` verbs as a whole word."""
    for verb in _SAYS:
        at = low.find(verb)
        while at >= 0:
            if _whole_word(low, at, at + len(verb)):
                return True
            at = low.find(verb, at + len(verb))
    return False


def _beyond_quotes(
    sentence: str, quoted: list[tuple[int, int, str | None, str | None]]
) -> tuple[str, bool]:
    """What a sentence says besides its quotations and who said them, and whether that is more
    than `_MAX_ATTRIBUTION_WORDS` words.

    A quotation is its own ticket, so the sentence is judged as a claim on the rest alone:
    `"We waited eight years," said Maria Lopez, chair of the committee.` leaves `said` (no
    claim); `The plan, which Reyes called "a debt trap", costs $48 million.` keeps its figure.
    A word is a maximal run of `_WORD`, so dropping one joins no two others. The speaker's and
    title's words are found with `str.find` (a regex tests every character of the sentence,
    several times slower), and only the first few words of the rest are matched.
    """
    rest = sentence
    attribution: set[str] = set()
    for start, end, speaker, title in sorted(quoted, reverse=True):
        rest = rest[:start] + " " + rest[end:]
        attribution.update(_WORD.findall(f"{speaker or ''} {title or ''}"))
    cuts: list[tuple[int, int]] = []  # where an attribution word stands as a whole word
    for word in attribution:
        at = rest.find(word)
        while at >= 0:
            after = at + len(word)
            if _whole_word(rest, at, after):
                cuts.append((at, after))
            at = rest.find(word, after)  # no whole word starts inside this occurrence
    if cuts:
        cuts.sort()
        pieces = []
        at = 0
        for start, end in cuts:
            pieces.append(rest[at:start])
            at = end
        pieces.append(rest[at:])
        rest = "".join(pieces)
    return rest, _MORE_THAN_ATTRIBUTION.search(rest) is not None


def _unquoted_stretch(
    body: str, start: int, end: int, quoted: list[tuple[int, int]]
) -> tuple[int, int]:
    """The longest stretch of `body[start:end]` outside its quotations, edges trimmed.

    A quotation is its own ticket, so a claim in the same sentence keeps none of its words:
    `Cruz said he was the only one "fighting to defend the Constitution."` gives a claim of
    the words before the quotation only.
    """
    best = (start, start)
    at = start
    for q_start, q_end in [*sorted(quoted), (end, end)]:
        a, b = at, max(at, min(q_start, end))
        while a < b and body[a] in _STRETCH_EDGES:
            a += 1
        while b > a and body[b - 1] in _STRETCH_EDGES:
            b -= 1
        if b - a > best[1] - best[0]:
            best = (a, b)
        at = max(at, q_end)
    return best


def _cut_mid_clause(stretch: str, *, lead_in: bool, tail: bool) -> bool:
    """Whether a stretch cut at a quotation breaks off mid-clause, so the quote ticket holds it.

    `Trump argued that Cruz has "got to come a long way"` leaves `Trump argued that Cruz has`
    (a lead-in ending on `has`), `"...," said Tom Reyes` leaves a tail starting on `said`:
    neither is a claim a checker can check apart from the quotation.
    """
    low = stretch.lower()
    # The words the tests read: the first two and the last, and whether a `_SAYS` verb is one.
    # A regex tests every character it reads (some 20 ns each), so it reads the ends of the
    # stretch only, unless that finds too few words; the verbs are looked for with `str.find`.
    head = _FIRST_TWO_WORDS.match(low)
    ends = _WORD.findall(low[-24:]) if lead_in else ["", ""]
    if head is not None and len(ends) > 1:
        first, second = head.groups()
        last = ends[-1]  # a whole word: another one ends before it in the window
    else:
        words = _WORD.findall(low)
        if not words:
            return True
        first, second, last = words[0], words[1] if len(words) > 1 else "", words[-1]
    if lead_in and (last in _LEAD_IN_ENDS or _says_verb(low)):
        return True  # runs on into the quotation, or only frames it ("X said she was ...")
    return tail and (first in _TAIL_STARTS or (first in _PRONOUNS and second in _TAIL_STARTS))


def extract(
    text: str,
    *,
    scorer: ClaimScorer | None = None,
    claim_threshold: float | None = None,
    max_claims: int | None = None,
) -> Extraction:
    """Claims and quotes in `text`; pure and offline. Offsets index `text` exactly as given.

    Candidate sentences are collected first and scored in one `scorer.score` call (a model
    scores a batch much faster than one sentence at a time); `claim_threshold` overrides the
    scorer's ticket threshold. Every claim at or above the scorer's offer threshold is
    returned; the strongest, at most `claim_budget` of them (which grows with the article's
    length up to `max_claims`), are marked `ticket`.

    One span of text gives one ticket: a quotation repeated word for word (a teaser paragraph,
    a pull quote) is reported once, a sentence that sits inside a quotation is a quote ticket,
    never also a claim, a claim keeps no words of a quotation in its sentence, and of
    near-identical claims (a repeated teaser, a summary restating the lead) the strongest stays.
    """
    scorer = RulesScorer() if scorer is None else scorer
    threshold = scorer.ticket_threshold if claim_threshold is None else claim_threshold
    floor = min(scorer.offer_threshold, threshold)
    plain = to_plain(text)
    body = plain.text
    mapped = plain.starts is not None  # else plain offsets are the given text's: no `span` call
    paras = paragraphs(body)
    quotes: list[Quote] = []
    seen_quotes: set[str] = set()
    covered: list[tuple[int, int, str | None, str | None]] = []
    for found in extract_quotes(body, paras):
        key = found.key
        start, end = found.start, found.end
        covered.append((start, end, found.speaker, found.title))
        if not key or key in seen_quotes:
            continue
        seen_quotes.add(key)
        a, b = plain.span(start, end) if mapped else (start, end)
        quotes.append(
            make_quote(
                body[start:end], a, b, found.speaker, found.title, found.score, found.speaker_kind
            )
        )
    spans: list[tuple[int, int]] = []
    judged: list[str] = []  # what each candidate is scored on: the sentence, or its unquoted rest
    sentence_count = 0
    cover_index = 0
    covered_count = len(covered)
    claimable: list[tuple[int, int]] = []  # paragraphs that may hold claims
    for start, end, skip in paras:
        if skip:
            continue
        if body[end - 1] in _SENTENCE_ENDS:
            claimable.append((start, end))
        else:
            sentence_count += 1  # a headline: a sentence of the text, but gives no claim
    found_sentences = sentences_in(body, claimable)
    sentence_count += len(found_sentences)
    no_quotes: list[tuple[int, int, str | None, str | None]] = []  # never added to
    for start, end in found_sentences:
        while cover_index < covered_count and covered[cover_index][1] <= start:
            cover_index += 1
        quoted = no_quotes  # most sentences: no quotation reaches them, no list built
        if cover_index < covered_count and covered[cover_index][0] < end:
            quoted = []
            inside = 0
            for q_start, q_end, speaker, title in islice(covered, cover_index, None):
                if q_start >= end:
                    break
                inside += min(end, q_end) - max(start, q_start)
                quoted.append(
                    (max(q_start, start) - start, min(q_end, end) - start, speaker, title)
                )
            if inside * 2 > end - start:
                continue
        sentence = body[start:end]
        # At most five words are split off: enough to count up to the minimum.
        if len(sentence.split(None, _MIN_CLAIM_WORDS - 1)) < _MIN_CLAIM_WORDS:
            continue
        if quoted:
            # The claim is the longest stretch outside quotations, judged on the sentence's
            # rest beyond quotations and attribution; the stretch is tested first, as it
            # costs less and rules out more than half of these sentences.
            a, b = _unquoted_stretch(
                body, start, end, [(start + q[0], start + q[1]) for q in quoted]
            )
            if len(body[a:b].split()) < _MIN_CLAIM_WORDS or _cut_mid_clause(
                body[a:b],
                lead_in=b < end and body[b:end].strip(_STRETCH_EDGES) != "",
                tail=a > start,
            ):
                continue
            rest, beyond = _beyond_quotes(sentence, quoted)
            if not beyond:
                continue
            start, end = a, b
            judged.append(rest)
        else:
            judged.append(sentence)
        spans.append((start, end))
    scores = scorer.score(judged) if judged else []
    found_claims = [
        (start, end, score)
        for (start, end), score in zip(spans, scores, strict=True)
        if score >= floor
    ]
    new = tuple.__new__  # Candidate(...) goes through a Python-level __new__; the same tuple
    candidates = [
        new(Candidate, (order, score, body[start:end]))
        for order, (start, end, score) in enumerate(found_claims)
    ]
    picked = pick_claims(
        candidates,
        quoted=[q.text for q in quotes],
        ticket_threshold=threshold,
        budget=claim_budget(
            len(body), sentence_count, DEFAULT_MAX_CLAIMS if max_claims is None else max_claims
        ),
    )
    claims: list[Claim] = []
    tickets = picked.tickets
    for order in picked.kept:
        start, end, score = found_claims[order]
        a, b = plain.span(start, end) if mapped else (start, end)
        sentence = candidates[order].text  # body[start:end], already cut
        claims.append(make_claim(sentence, a, b, round(score, 3), order in tickets))
    return Extraction(claims=claims, quotes=quotes)


class RulesExtractor:
    """The offline engine behind the `Extractor` protocol."""

    def __init__(
        self,
        claim_threshold: float | None = None,
        *,
        scorer: ClaimScorer | None = None,
        max_claims: int | None = None,
    ) -> None:
        self.scorer = RulesScorer(claim_threshold) if scorer is None else scorer
        self.claim_threshold = claim_threshold
        self.max_claims = max_claims

    def extract(self, text: str) -> Extraction:
        return extract(
            text,
            scorer=self.scorer,
            claim_threshold=self.claim_threshold,
            max_claims=self.max_claims,
        )
