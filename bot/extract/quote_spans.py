"""Quotation spans: quote marks paired within each paragraph, multi-paragraph quotes grouped.

The first pass of the quote engine (see `bot.extract.quotes`); it knows nothing of speakers
beyond the fields the later passes fill in.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from enum import Enum

from bot.extract.layout import Paragraph

# The double quote marks: one character, or two apostrophes or backticks.
_DOUBLE_MARKS = ('"', "“", "”", "„", "«", "»", "''", "``")
_SINGLE_OPEN = re.compile(r"(?:(?<=^)|(?<=[\s(\[—–-]))[‘'](?=[^\W\d_])")
_SINGLE_CLOSE = re.compile(r"(?<=[^\s'‘])[’'](?![^\W_])")
_OPENERS = "“„«"
_CLOSERS = "”»"
_SPACE_BEFORE_OPEN = " \t\n([{—–-/"


class SpeakerKind(Enum):
    """How a quote's speaker was found: by name, by a pronoun, as a phrase (`a senior official`),
    or not at all."""

    NAME = "name"
    PRONOUN = "pronoun"
    PHRASE = "phrase"
    NONE = "none"


@dataclass(slots=True)
class Span:
    """One quoted stretch of a paragraph: `open`/`close` are its marks, `start`/`end` its words;
    the speaker fields are filled in by the later passes. Slots: every pass reads its fields."""

    open: int
    start: int
    end: int
    close: int
    para: int
    closed: bool
    continued: bool = False
    group: int = -1
    speaker: str | None = None
    title: str | None = None
    kind: SpeakerKind = SpeakerKind.NONE
    score: float = 0.0
    cued: bool = False  # a cue verb or dash line was found, even if its speaker was not
    weak: bool = False  # the speaker is only the subject of the sentence, with no cue verb

    def take_speaker(self, source: Span, *, cap: float) -> None:
        """Speak with `source`'s voice, at most `cap` sure: a quote that only borrows its speaker
        from a neighbour or its group is never as certain as the one with the cue."""
        self.speaker, self.title, self.kind = source.speaker, source.title, source.kind
        self.score = min(cap, source.score)


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _double_marks(text: str) -> list[tuple[int, str]]:
    """Each double quote mark of `text` and where it is, in text order.

    Each mark is looked for on its own with `str.find`, which jumps between the places of one
    string many times faster than a regular expression tests a character class at every
    position. Apostrophes pair from the left, as a scan of the text would pair them; a paragraph
    is a line trimmed of spaces, so no pair is cut by a paragraph's edge."""
    found: list[tuple[int, str]] = []
    for mark in _DOUBLE_MARKS:
        at = text.find(mark)
        while at >= 0:
            found.append((at, mark))
            at = text.find(mark, at + len(mark))
    found.sort()
    return found


def _can_close(before: str, after: str) -> bool:
    """Whether a mark between these characters can close a quote: after a word, before a space
    or punctuation."""
    return not before.isspace() and (after.isspace() or not after.isalnum())


def _double_spans(
    text: str, para: Paragraph, index: int, marks: list[tuple[int, str]]
) -> list[Span]:
    """The quotes that the double marks of a paragraph (`marks`, all inside it) open and close.

    Whether a mark can open or close is read only where the mark's kind leaves it in question:
    a straight mark or a closing one after an open quote always closes it."""
    spans: list[Span] = []
    inside: int | None = None
    inner = 0
    pstart, pend = para.start, para.end
    for pos, mark in marks:
        after_pos = pos + len(mark)
        if inside is not None and mark not in _OPENERS:
            start, end = _trim(text, inner, pos)
            if end > start:
                spans.append(Span(inside, start, end, after_pos, index, True))
            inside = None
            continue
        before = text[pos - 1] if pos > pstart else "\n"
        after = text[after_pos] if after_pos < pend else "\n"
        opening = before in _SPACE_BEFORE_OPEN and not after.isspace()
        if inside is None:
            if not opening:
                if mark in _CLOSERS:
                    continue  # a stray closing mark
                if mark not in _OPENERS and mark != "``" and _can_close(before, after):
                    continue  # a mark that only closes, with no quote open
            inside, inner = pos, after_pos
            continue
        if opening and not _can_close(before, after):
            inside, inner = pos, after_pos  # an opening mark before the last one closed
            continue
        start, end = _trim(text, inner, pos)
        if end > start:
            spans.append(Span(inside, start, end, after_pos, index, True))
        inside = None
    if inside is not None:
        start, end = _trim(text, inner, pend)
        if end > start:
            spans.append(Span(inside, start, end, pend, index, False))
    return spans


def _single_spans(text: str, para: Paragraph, index: int) -> list[Span]:
    spans: list[Span] = []
    pstart, pend = para.start, para.end
    closes = [m.start() for m in _SINGLE_CLOSE.finditer(text, pstart, pend)]
    openers = list(_SINGLE_OPEN.finditer(text, pstart, pend))
    # A curly opening mark is never an apostrophe, so no quote runs past the next one:
    # `‘Black Lives Matter’ Sends ... ‘Instead Of ...’` is two quotes.
    curly = [m.start() for m in openers if text[m.start()] == "‘"]
    pos = pstart
    for opener in openers:
        if opener.start() < pos:
            continue
        at = bisect.bisect_right(closes, opener.start())
        following = bisect.bisect_right(curly, opener.start())
        limit = curly[following] if following < len(curly) else pend
        chosen = None
        for close in closes[at:]:
            if close > limit:
                break
            if text[close - 1] in ",.!?;:—–-" or (close + 1 < pend and text[close + 1] in ",.;:!?"):
                chosen = close
                break
            if chosen is None:
                chosen = close
        if chosen is None:
            break
        start, end = _trim(text, opener.end(), chosen)
        if end - start >= 2:
            spans.append(Span(opener.start(), start, end, chosen + 1, index, True))
        pos = chosen + 1
    return spans


def find_spans(text: str, paras: list[Paragraph]) -> list[Span]:
    """Every quoted stretch, one per paragraph, with multi-paragraph quotes grouped; `paras` are
    lines trimmed of spaces, as `layout.paragraphs` gives them."""
    spans: list[Span] = []
    group = 0
    open_group: int | None = None
    marks = _double_marks(text)
    places = [pos for pos, _ in marks]  # bisected as plain numbers, not as tuples
    count = len(places)
    # Single marks are read in a paragraph with an opening curly mark, a straight one after a
    # space, or a straight one first; an article without the first two has only the last to test.
    singles = "‘" in text or " '" in text
    last = 0  # the first mark after the paragraphs read so far
    ahead = places[0] if count else len(text)  # where that mark is
    for index, (pstart, pend, skip) in enumerate(paras):
        if skip:
            continue
        if ahead < pstart:  # marks in skipped paragraphs
            last = bisect.bisect_left(places, pstart, last + 1)
            ahead = places[last] if last < count else len(text)
        found: list[Span] = []
        if ahead < pend:
            first = last
            last = bisect.bisect_left(places, pend, last + 1)
            ahead = places[last] if last < count else len(text)
            found = _double_spans(text, paras[index], index, marks[first:last])
        if (
            not found
            and (
                text.startswith("'", pstart, pend)
                or (
                    singles
                    and (text.find("‘", pstart, pend) >= 0 or text.find(" '", pstart, pend) >= 0)
                )
            )
            and text.find('"', pstart, pend) < 0
        ):
            found = _single_spans(text, paras[index], index)
        if not found:
            open_group = None
            continue
        for number, span in enumerate(found):
            if number == 0 and open_group is not None and span.open == pstart:
                span.continued = True
                span.group = open_group
            else:
                span.group = group
                group += 1
        open_group = found[-1].group if not found[-1].closed else None
        spans.extend(found)
    return spans
