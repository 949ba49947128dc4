"""Paragraphs and sentences of pasted article text, and the web-page debris that gives no tickets."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import NamedTuple

# A sentence ends at . ! ? or … (with closing quotes or brackets) before space and a capital,
# a digit or an opening mark. Abbreviations are checked in code, not in this pattern.
_BOUNDARY = re.compile(r"[.!?…]+[\"”’')\]]*(?=\s+[\"“‘'(\[*_]*[A-Z0-9À-Þ])")
# The same for a stretch with no `!`, `?` or `…`. It opens with one literal character (`\.\.*`,
# not `\.+`, which hides the literal from the compiler), so the scanner jumps between periods in
# C several times faster than it tests a character class at every position.
_PERIOD_BOUNDARY = re.compile(r"\.\.*[\"”’')\]]*(?=\s+[\"“‘'(\[*_]*[A-Z0-9À-Þ])")
# An initial or a run of them ("J." in "J. Smith", "J.M." in "J.M. Berger"), dot already cut.
_INITIALS = re.compile(r"(?:[^\W\d_]\.)*[^\W\d_]")
ABBREVIATIONS = frozenset(
    "mr mrs ms dr prof sen rep gov gen col lt capt sgt adm rev st jr sr no vs etc inc corp co ltd "
    "jan feb mar apr jun jul aug sep sept oct nov dec u.s u.k u.n d.c a.m p.m e.g i.e ft mt "
    "pres supt dept univ est approx fig al".split()
)
# How the abbreviations of three letters or more end: a period after three letters that end none
# of them closes a word no abbreviation can be.
_ABBREVIATION_TAILS = frozenset(word[-3:] for word in ABBREVIATIONS if len(word) >= 3)
_BYLINE = re.compile(
    r"^(?:by|and|avatar|share|tweet|email|print|advertisement|listen|follow)\b", re.I
)
# The lookahead, the phrases' first letters, lets the scanner drop a position at a word's edge
# with one set test instead of trying every phrase there.
_DEBRIS_WORDS = re.compile(
    r"\b(?=[acfilmnprs])(?:avatar|share this|sign up|subscribe|newsletter|read more|"
    r"advertisement|comments?|"
    r"click here|follow us|listen to this|min read|minute read|related:|photo:|image:|credit:)\b",
    re.I,
)
_ENDS_LINE = re.compile(r"[.!?\"”]$")
_QUOTE_MARK = re.compile(r"[\"“”]")


class Paragraph(NamedTuple):
    """One line of the plain text; `skip` marks debris and repeated teaser paragraphs.

    A named tuple rather than a frozen dataclass: an article makes one per line, and a frozen
    dataclass sets each field through `object.__setattr__`."""

    start: int
    end: int
    skip: bool


def _norm(text: str) -> str:
    return " ".join(text.rstrip(".…").lower().split())


def _last_words(line: str) -> str:
    """The last three words of `_norm(line)`, read from the end of the line only."""
    return " ".join(line.rstrip(".…").rsplit(None, 3)[-3:]).lower()


class _Repeats:
    """Tells the lines that repeat an earlier line once normalised (`_norm`).

    Normalising a line (a lowercase copy, every word split off) costs more than all else the
    paragraph pass does, so a line is first keyed by its last words (`_last_words`), which
    equal lines share, and normalised only when an earlier line ends the same: a few lines an
    article. `paragraphs` looks the key up in `unread` itself (a call per line costs more) and
    calls `repeats` only for a line whose key is there already."""

    def __init__(self) -> None:
        self.unread: dict[str, str | None] = {}  # last words: the one line with them, if one
        self._seen: set[str] = set()  # normalised lines whose last words another line shares

    def repeats(self, line: str, tail: str) -> bool:
        """Whether an earlier line with the last words `tail` normalises as `line` does."""
        first = self.unread[tail]
        if first is not None:
            self._seen.add(_norm(first))
            self.unread[tail] = None
        norm = _norm(line)
        repeated = norm in self._seen
        self._seen.add(norm)
        return repeated


def is_debris(line: str) -> bool:
    """Share widgets, author avatars and bylines that come along when a web page is copied."""
    words = line.split(None, 8)  # nine parts at most: only up to eight words are counted
    if not words:
        return True
    if len(words) <= 4 and not _ENDS_LINE.search(line):
        return bool(_BYLINE.match(line) or _DEBRIS_WORDS.search(line) or len(words) <= 2)
    return len(words) <= 8 and bool(_DEBRIS_WORDS.search(line)) and not _QUOTE_MARK.search(line)


def paragraphs(text: str) -> list[Paragraph]:
    """Lines of text; debris, a repeated paragraph and a teaser that a later paragraph completes are skipped."""
    # `split` gives the lines `[^\n]+` would match, and the empty ones between newlines, which
    # only move the offset on; it builds no match object per line.
    raws = text.split("\n")
    result: list[Paragraph] = []
    repeats = _Repeats()
    unread = repeats.unread
    new = tuple.__new__  # Paragraph(...) goes through a Python-level __new__; the same tuple
    at = 0  # where `raw` starts
    for index, raw in enumerate(raws):
        if not raw:
            at += 1
            continue
        line = raw.strip()  # the paragraph: its line without the spaces around it
        if not line:
            result.append(new(Paragraph, (at + len(raw), at + len(raw), True)))
            at += len(raw) + 1
            continue
        start = at if len(line) == len(raw) else at + len(raw) - len(raw.lstrip())
        at += len(raw) + 1
        # `is_debris` says no to a line of more than eight words, as most are: tested here first.
        skip = len(line.split(None, 8)) <= 8 and is_debris(line)
        tail = _last_words(line)
        if tail not in unread:
            unread[tail] = line  # every line is remembered
        else:
            skip = repeats.repeats(line, tail) | skip
        if not skip and line.endswith(("…", "...")) and len(norm := _norm(line)) > 40:
            # A teaser cut off with an ellipsis and repeated in full further down.
            later = (_norm(other.strip()) for other in raws[index + 1 :])
            skip = any(other.startswith(norm) for other in later if other != norm)
        result.append(new(Paragraph, (start, start + len(line), skip)))
    return result


@lru_cache(maxsize=4096)
def _no_break_after(word: str) -> bool:
    """Whether a word ending in a period is an abbreviation or initials (`Mr.`, `J.M.`), after
    which no sentence ends; cached, as the same words end sentence after sentence."""
    token = word.lower().strip("\"“(‘'*_").rstrip(".")
    return token in ABBREVIATIONS or _INITIALS.fullmatch(token) is not None


def _abbreviation_at(text: str, begin: int, mark: int) -> bool:
    """Whether the period at `mark`, in a sentence from `begin`, ends an abbreviation or
    initials (`Mr.`, `J.M.`), after which no sentence ends.

    A cheap test settles most periods: three ASCII letters before one end no abbreviation, and
    initials have a dot after every letter. Else the last word before it is looked up, read
    from a window of 24 characters (an abbreviation is short; a regex anchored at the end would
    scan the whole sentence), split from the right only; a word longer than the window is none.
    """
    tail = text[mark - 3 : mark]
    if (
        mark - 3 >= begin
        and tail.isalpha()
        and tail.isascii()
        and tail.lower() not in _ABBREVIATION_TAILS
    ):
        return False
    lo = mark - 23 if mark - 23 > begin else begin
    parts = text[lo : mark + 1].rsplit(None, 1)
    return (
        len(parts) == 2 or lo == begin or text[lo - 1].isspace() or text[lo].isspace()
    ) and _no_break_after(parts[-1])


def _periods_only(text: str, start: int = 0, end: int | None = None) -> bool:
    """Whether text[start:end] has no `!`, `?` or `…`: then `_PERIOD_BOUNDARY` finds its
    sentence boundaries."""
    return (
        text.find("!", start, end) < 0
        and text.find("?", start, end) < 0
        and text.find("…", start, end) < 0
    )


def sentences(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """Sentence spans inside text[start:end], not split after abbreviations or initials.

    All are found at once: most callers read them all, and a list costs less than a generator
    resumed once a sentence."""
    found: list[tuple[int, int]] = []
    _split(text, start, end, found)
    return iter(found)


def sentences_in(text: str, ranges: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """`sentences` of each (start, end) range of text in turn, in one list: the engine splits
    every paragraph of an article, most of them one or two sentences long."""
    found: list[tuple[int, int]] = []
    if _periods_only(text):  # as half the articles: no range needs looking at for them
        for start, end in ranges:
            _split(text, start, end, found, _PERIOD_BOUNDARY)
    else:
        for start, end in ranges:
            _split(text, start, end, found)
    return found


def _split(
    text: str,
    start: int,
    end: int,
    found: list[tuple[int, int]],
    boundary: re.Pattern[str] | None = None,
) -> None:
    """Adds the sentence spans of text[start:end] to `found`; `boundary` is the pattern that
    finds where they may end, when the caller knows it."""
    while start < end and text[start].isspace():
        start += 1
    begin = start  # where the next sentence starts, spaces already skipped
    if boundary is None:
        boundary = _PERIOD_BOUNDARY if _periods_only(text, start, end) else _BOUNDARY
    for match in boundary.finditer(text, start, end):
        mark = match.start()
        if text[mark] == "." and _abbreviation_at(text, begin, mark):
            continue
        stop = match.end()
        found.append((begin, stop))
        # The boundary's lookahead saw spaces and a capital before `end`: no bound needed.
        begin = stop + 1
        while text[begin].isspace():
            begin += 1
    if begin < end:
        found.append((begin, end))


def first_sentence(text: str, start: int, end: int) -> tuple[int, int]:
    """`start` and the end of the first of `sentences(text, start, end)`, or `(start, start)`.

    Stops at the first boundary that ends a sentence, without the generator's scan of the
    whole stretch for `!`, `?` and `…` (a cue is read from a stretch that may run to the end of
    its paragraph)."""
    begin = start
    while begin < end and text[begin].isspace():
        begin += 1
    for boundary in _BOUNDARY.finditer(text, begin, end):
        mark = boundary.start()
        if text[mark] != "." or not _abbreviation_at(text, begin, mark):
            return start, boundary.end()
    return (start, end) if begin < end else (start, start)


# Everything up to the last character that may end a sentence.
_UP_TO_LAST_MARK = re.compile(r"(?s:.*)[.!?…]")
_SENTENCE_MARKS = ".!?…"


def last_sentence(text: str, start: int, end: int) -> tuple[int, int]:
    """The last of `sentences(text, start, end)`, or `(end, end)`, read from the end backwards.

    The boundaries `sentences` finds each start a run of marks, and whether one ends a sentence
    (not `Mr.`) depends on the word before it only: a sentence start is preceded by a space, so
    the last word before a mark is the same read from any earlier start. The last boundary that
    ends a sentence is thus the first one found from the end, mostly without reading the rest."""
    while start < end and text[start].isspace():
        start += 1
    at = end
    while (last_mark := _UP_TO_LAST_MARK.match(text, start, at)) is not None:
        mark = last_mark.end() - 1
        while mark > start and text[mark - 1] in _SENTENCE_MARKS:
            mark -= 1  # the start of the run, where a scan from the left finds the boundary
        boundary = _BOUNDARY.match(text, mark, end)
        if boundary is not None and (text[mark] != "." or not _abbreviation_at(text, start, mark)):
            begin = boundary.end() + 1
            while text[begin].isspace():
                begin += 1
            return begin, end
        at = mark
    return (start, end) if start < end else (end, end)
