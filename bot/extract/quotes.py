"""Quotations and who said them: the orchestration of the quote engine.

How a quote and its speaker are found, in passes over one article's paragraphs:

1. **Spans** (`quote_spans`): double quote marks are paired within each paragraph (single marks
   only where a paragraph has no double ones); a quote left open at a paragraph's end continues
   in the next paragraph that opens with a mark, and the pieces share a group.
2. **Cues** (`quote_cues`), per span in text order: a closed quote followed by `,”`, a speech
   verb or a dash reads the sentence after it first, otherwise the sentence before it first
   (`X said: “`, `According to X`), then the other side. A quote opening a paragraph after a
   line ending in `:` reads that line. With no cue, a known person opening the quote's sentence
   is a weak speaker (`Rubio also bemoaned people “...”`).
3. **Resolution** (`speakers`): each cue's mention becomes a speaker: a surname is expanded to
   the full name given elsewhere, a pronoun goes to the recent person of its gender (or the
   last speaker), an organisation or an unnamed source stays as written (`the White House`,
   `a senior official`); `the statement` is whoever the article says made it, else stays as
   written. Each speaker is a person, an organisation or an unnamed source
   (`speakers.speaker_kind`), which the card shows.
4. **Inheritance**, for quotes still without a speaker: a dash line under the quote, a quote
   beside it in the same paragraph, the previous paragraph's quote or cue; every piece of a
   multi-paragraph quote then shares its speaker, and each person's title is filled in from
   anywhere in the article.
5. **Filtering**: titles of works (`told ABC's “Good Morning America”`), a newsletter's list
   of other outlets' headlines and excerpts, scare quotes without a cue, a headline's shortened
   copy of a body quote, and all but the best-attributed copy of a repeated quote are dropped.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from bot.extract.layout import Paragraph, sentences
from bot.extract.quote_cues import (
    DASH_START,
    VERB_FIRST,
    Mention,
    cue_after,
    cue_before,
    sentence_subject,
    statement_cue,
    strip_title,
)
from bot.extract.quote_spans import Span, SpeakerKind, find_spans
from bot.extract.speakers import Resolver, attribute, speaker_kind

# How sure a quote that borrows its speaker can be: from an earlier piece of its own
# multi-paragraph quote, or from a neighbouring quote.
_GROUP_CAP = 0.85
_NEIGHBOUR_CAP = 0.8

_STATEMENT_NOUN = re.compile(
    r"\b(?:statement|release|report|letter|memo|filing|post|tweet|document|announcement|note)$"
)


class FoundQuote(NamedTuple):
    """A quotation in the plain text, before offsets are mapped back to the given text.

    A named tuple rather than a frozen dataclass: one is made per quote, and a frozen dataclass
    sets each field through `object.__setattr__`."""

    start: int
    end: int
    speaker: str | None
    title: str | None
    score: float
    group: int
    key: str  # its words, lowercased, without punctuation: how repeats are told apart
    speaker_kind: str | None = None  # types.SPEAKER_KINDS, when there is a speaker


def _at_most_words(text: str, count: int) -> bool:
    """Whether `text` has at most `count` words: the split stops after `count` of them, where a
    quote or a paragraph may run on for a hundred."""
    return len(text.split(None, count)) <= count


_TITLE_WORD = re.compile(r"[^\W\d_][\w'’-]*")
# Words a title may keep in lower case.
_SMALL_WORDS = frozenset("a an the of and or in on at to for with from by".split())


def _looks_like_title(text: str) -> bool:
    """At most 12 words, the first capitalised and the rest too or small words (`of`, `the`).

    Read word by word, so a quote of plain speech is given up at its first lower-case word
    rather than split whole."""
    count = 0
    for match in _TITLE_WORD.finditer(text):
        word = match.group()
        count += 1
        if count > 12 or not (word[0].isupper() or (count > 1 and word in _SMALL_WORDS)):
            return False
    return count > 0


def extract_quotes(text: str, paras: list[Paragraph]) -> list[FoundQuote]:
    """Quotations in plain text with speaker, title and a 0..1 score, in text order."""
    spans = find_spans(text, paras)
    if not spans:
        return []
    headline = _headline(text, paras)
    resolver = Resolver(text, spans)
    by_para: dict[int, list[Span]] = {}
    places: list[int] = []  # each span's place among its paragraph's spans
    for span in spans:
        siblings = by_para.setdefault(span.para, [])
        places.append(len(siblings))
        siblings.append(span)
    last: tuple[int, str] | None = None
    group_speaker: dict[int, Span] = {}
    for span, position in zip(spans, places, strict=True):
        para = paras[span.para]
        siblings = by_para[span.para]
        lo = siblings[position - 1].close if position > 0 else para.start
        hi = siblings[position + 1].open if position + 1 < len(siblings) else para.end
        after_first = span.closed and (
            text[span.end - 1 : span.end] in ",—–-"
            or text[span.close : span.close + 2].lstrip().startswith(",")
            or VERB_FIRST.match(text, span.close, hi) is not None
            or DASH_START.match(text, span.close, hi) is not None
        )
        mention = None
        if span.closed:
            if after_first:
                mention = cue_after(text, span.close, hi) or cue_before(
                    text, lo, span.open, para.start
                )
            else:
                mention = cue_before(text, lo, span.open, para.start) or cue_after(
                    text, span.close, hi
                )
        elif not span.continued:
            mention = cue_before(text, lo, span.open, para.start)
        if mention is None and span.open == para.start and span.para > 0 and not span.continued:
            previous = paras[span.para - 1]
            if not previous.skip and text[previous.start : previous.end].rstrip().endswith(":"):
                mention = cue_before(text, previous.start, previous.end, previous.start)
        weak = False
        if mention is None and span.open > para.start and not span.continued:
            mention = sentence_subject(text, lo, span.open, resolver.index)
            weak = mention is not None
        if mention is not None:
            attribute(span, mention, resolver, last)
            span.cued, span.weak = not weak, weak
        elif span.continued and span.group in group_speaker:
            span.take_speaker(group_speaker[span.group], cap=_GROUP_CAP)
        if span.kind == SpeakerKind.NONE and span.group in group_speaker:
            span.take_speaker(group_speaker[span.group], cap=_GROUP_CAP)
        if (
            span.kind == SpeakerKind.PHRASE
            and span.speaker
            and _STATEMENT_NOUN.search(span.speaker)
        ):
            maker = _statement_maker(text, paras, span)
            if maker is not None:
                attribute(
                    span, maker, resolver, last
                )  # 'The shipping alliance said in a statement'
        if span.kind in (SpeakerKind.NAME, SpeakerKind.PRONOUN) and span.speaker:
            last = (span.open, span.speaker)
            group_speaker.setdefault(span.group, span)
        elif span.kind == SpeakerKind.PHRASE:
            group_speaker.setdefault(span.group, span)
    _inherit(text, spans, paras, by_para, resolver)
    _share_within_groups(spans)
    _fill_titles(text, spans)
    kept = [sp for sp in _without_linked_reads(text, paras, spans) if _keep(text, sp)]
    keys = {id(sp): _quote_key(text, sp) for sp in kept}  # each quote's wording, computed once
    kept = _drop_headline_copies(kept, headline, keys)
    return [
        FoundQuote(
            sp.start,
            sp.end,
            sp.speaker,
            sp.title,
            round(sp.score, 3),
            sp.group,
            keys[id(sp)],
            speaker_kind(sp.speaker, sp.kind) if sp.speaker else None,
        )
        for sp in _best_of_repeats(kept, keys)
    ]


_NOT_WORD = re.compile(r"[\W_]+")
_STATEMENT = re.compile(r"\bstatement\b")


def _statement_maker(text: str, paras: list[Paragraph], span: Span) -> Mention | None:
    """Who made the statement a quote's cue names (`..., the statement said`): the source of
    the latest sentence before the quote, in its paragraph or the one before, that mentions a
    statement (`The shipping alliance said in a statement on Monday ...`)."""
    first = max(0, span.para - 1)
    lo = paras[first].start
    for found in reversed(list(_STATEMENT.finditer(text, lo, span.open))):
        para = next(p for p in paras[first : span.para + 1] if p.start <= found.start() < p.end)
        for start, end in sentences(text, para.start, para.end):
            if start <= found.start() < end:
                mention = statement_cue(text, start, end, para.start)
                if mention is not None and not (
                    mention.kind == SpeakerKind.PHRASE and _STATEMENT_NOUN.search(mention.text)
                ):
                    return mention
                break
    return None


def _best_of_repeats(spans: list[Span], keys: dict[int, str]) -> list[Span]:
    """One span per wording: a quote repeated in a pull quote or subhead is kept where its
    attribution is strongest (the body's `“...,” said X`), not where it happens to come first."""
    best: dict[str, Span] = {}
    for span in spans:
        key = keys[id(span)]
        if key not in best or span.score > best[key].score:
            best[key] = span
    chosen = {id(span) for span in best.values()}
    return [span for span in spans if id(span) in chosen]


# Each ASCII byte that `_NOT_WORD` finds (all but letters and digits) as a space.
_ASCII_SPACED = bytes(code if chr(code).isalnum() and code < 128 else 32 for code in range(256))


# The non-ASCII characters quotes hold most: none a word character, so each may stand as a
# space for `_NOT_WORD`, which replaces any run of them with one.
_COMMON_NON_ASCII = ("’", "‘", "—", "–", "…", "\xa0", "“", "”")


def _quote_key(text: str, span: Span) -> str:
    content = text[span.start : span.end]
    if not content.isascii():
        for mark in _COMMON_NON_ASCII:
            content = content.replace(mark, " ")  # leaves most quotes ASCII
    if content.isascii():
        # The same words, the bytes mapped by a table in C: the regex tests a character class
        # at every position of the quote, at several times the cost.
        return " ".join(content.encode().translate(_ASCII_SPACED).lower().decode().split())
    return _NOT_WORD.sub(" ", content).strip().lower()


def _drop_headline_copies(spans: list[Span], headline: int, keys: dict[int, str]) -> list[Span]:
    """Without the headline's quotes that the body repeats with a speaker.

    A headline often shortens a quote the body gives in full and attributes (`Reid: 'Never
    underestimate Trump.'`); that copy is no ticket of its own. A headline quote the body does
    not repeat word for word is the only place the quote is found, so it stays."""
    if headline < 0 or not spans or spans[0].para != headline:
        return spans  # spans are in text order, and the headline is the first paragraph
    body = [
        f" {keys[id(sp)]} " for sp in spans if sp.para != headline and sp.kind != SpeakerKind.NONE
    ]
    return [
        sp
        for sp in spans
        if sp.para != headline or not any(f" {keys[id(sp)]} " in key for key in body)
    ]


def _headline(text: str, paras: list[Paragraph]) -> int:
    """The index of a headline: a short first paragraph with more text after it, else -1."""
    body = (index for index, para in enumerate(paras) if not para.skip)  # only two are read
    at, after = next(body, -1), next(body, -1)
    if after < 0:
        return -1
    first, second = paras[at], paras[after]
    if DASH_START.match(text[second.start : second.end]):
        return -1  # “...”\n– Name, title: a quote with its attribution line, not a headline
    return at if _at_most_words(text[first.start : first.end], _HEADLINE_WORDS) else -1


_HEADLINE_WORDS = 20


def _inherit(
    text: str,
    spans: list[Span],
    paras: list[Paragraph],
    by_para: dict[int, list[Span]],
    resolver: Resolver,
) -> None:
    """Quotes without a cue take the speaker of a quote beside them, or of a dash line after them."""
    for number, span in enumerate(spans):
        if span.kind != SpeakerKind.NONE:
            continue
        siblings = by_para[span.para]
        later = [s for s in siblings if s.open > span.open and s.kind != SpeakerKind.NONE]
        earlier = [s for s in siblings if s.open < span.open and s.kind != SpeakerKind.NONE]
        source: Span | None = None
        # A dash attribution on the next line: “...”\n– Name, title.
        nxt = span.para + 1
        while nxt < len(paras) and paras[nxt].skip and paras[nxt].start == paras[nxt].end:
            nxt += 1
        if span.close >= paras[span.para].end - 1 and nxt < len(paras):
            line = text[paras[nxt].start : paras[nxt].end]
            if DASH_START.match(line):
                mention = cue_after(text, paras[nxt].start, paras[nxt].end)
                if mention is not None:
                    attribute(span, mention, resolver, None)
                    continue
        if earlier:
            source = earlier[-1]
        elif later:
            source = later[0]
        elif span.open == paras[span.para].start and number > 0:
            previous = spans[number - 1]
            if previous.para >= span.para - 1 and previous.kind != SpeakerKind.NONE:
                source = previous
        if source is not None:
            span.take_speaker(source, cap=_NEIGHBOUR_CAP)
            continue
        if span.open == paras[span.para].start and span.para > 0 and not span.continued:
            # A quote paragraph after `Ash argued in his email, the incident shows ...`.
            previous_para = paras[span.para - 1]
            if not previous_para.skip:
                mention = cue_before(
                    text, previous_para.start, previous_para.end, previous_para.start
                )
                if mention is not None and mention.kind in (SpeakerKind.NAME, SpeakerKind.PRONOUN):
                    attribute(span, mention, resolver, None)
                    span.score = min(0.7, span.score)


def _share_within_groups(spans: list[Span]) -> None:
    """A quote running over paragraphs has one speaker, wherever its cue is."""
    by_group: dict[int, Span] = {}
    for span in spans:
        if span.kind != SpeakerKind.NONE and span.group not in by_group:
            by_group[span.group] = span
    for span in spans:
        source = by_group.get(span.group)
        if span.kind == SpeakerKind.NONE and source is not None:
            span.take_speaker(source, cap=_GROUP_CAP)


_APPOSITIVE = re.compile(r",\s+((?:a|an|the)\s+[^,.;:\n“”\"]{3,90}?),")


def _appositive_title(text: str, name: str) -> str | None:
    """`Name, the city treasurer,` anywhere in the article."""
    at = text.find(name + ",")
    while at >= 0:
        found = _APPOSITIVE.match(text, at + len(name))
        if found:
            return strip_title(found.group(1))
        at = text.find(name + ",", at + 1)
    return None


def _fill_titles(text: str, spans: list[Span]) -> None:
    """Give every quote of a person the title the article gives them anywhere."""
    titles: dict[str, str | None] = {}
    for span in spans:
        if (
            span.kind == SpeakerKind.NAME
            and span.speaker
            and span.title
            and span.speaker not in titles
        ):
            titles[span.speaker] = span.title
    for span in spans:
        if (
            not span.speaker
            or span.title
            or span.kind not in (SpeakerKind.NAME, SpeakerKind.PRONOUN)
        ):
            continue
        if span.speaker not in titles:
            titles[span.speaker] = _appositive_title(text, span.speaker)
        span.title = titles[span.speaker]


# What stands before the title of a show, book or film: a possessive ("CNN's “State of the
# Union,”"), "on" ("said on “Meet the Press”"), "author of", or a noun naming the kind of work.
_WORK_CUE = re.compile(
    r"(?:\w['’]s?|\b(?:on|(?:co-)?(?:author|editor|host|hosts|star) of|titled|entitled|book|show|"
    r"program|programme|film|movie|song|album|series|novel|memoir|autobiography|podcast))"
    r"\s*(?:''|[\"“‘'])$"
)


def _names_a_work(text: str, span: Span, quoted: str) -> bool:
    """A short Title Case quote after a possessive or "on": `told ABC's “Good Morning America.”`.

    `quoted` is the span's text, as the caller has it."""
    content = quoted.rstrip(",.!?;:")
    return (
        _at_most_words(content, 6)
        and _looks_like_title(content)
        and _WORK_CUE.search(text, max(0, span.open - 40), span.start) is not None
    )


# `“Harbour music hall shuts,” by Harbour Times' Ben Sol: “The hall, home to ...”`: a
# newsletter's list of other outlets' stories, each a headline with its byline and an excerpt.
_BYLINE_AFTER = re.compile(r"\s*by\s+(?:the\s+)?[A-Z]")
_LIST_LABEL = re.compile(r"[A-Z0-9 ,'’&:-]*[—–-]*\s*$")
_EXCERPT_BEFORE = re.compile(r"^\s*by\s+[^.“”\"]{1,80}:\s*$")


def _without_linked_reads(text: str, paras: list[Paragraph], spans: list[Span]) -> list[Span]:
    """Without the headlines of other outlets' stories (`“...,” by Outlet's Author`, opening
    their paragraph, after a label like `FAREWELL—`) and the excerpts quoted after their
    bylines: what other papers wrote, not what anyone said."""
    kept: list[Span] = []
    headline: Span | None = None
    for span in spans:
        if (
            headline is not None
            and headline.para == span.para
            and _EXCERPT_BEFORE.match(text[headline.close : span.open])
        ):
            headline = None
            continue
        headline = None
        if (
            text[span.end - 1 : span.end] == ","
            and _BYLINE_AFTER.match(text, span.close)
            and _LIST_LABEL.match(text, paras[span.para].start, span.open)
        ):
            headline = span
            continue
        kept.append(span)
    return kept


def _keep(text: str, span: Span) -> bool:
    content = text[span.start : span.end]
    if _names_a_work(text, span, content):
        return False
    if span.kind == SpeakerKind.NONE or span.weak:
        if not span.cued and (_at_most_words(content, 3) or _looks_like_title(content)):
            return False
        if span.kind == SpeakerKind.NONE:
            span.score = 0.3
    elif content[-1:] not in ",.!?" and _at_most_words(content, 6) and _looks_like_title(content):
        # "told Good Morning America", "his book “Destiny and Power”": a title, not speech.
        return False
    return True
