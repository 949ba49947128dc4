"""Paragraphs and sentences of pasted article text, and the web-page debris that gives no tickets."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache
from typing import NamedTuple

_LINE = re.compile(r"[^\n]+")
# A sentence ends at . ! ? or … (with closing quotes or brackets) before space and a capital,
# a digit or an opening mark. Abbreviations are checked in code, not in this pattern.
_BOUNDARY = re.compile(r"[.!?…]+[\"”’')\]]*(?=\s+[\"“‘'(\[*_]*[A-Z0-9À-Þ])")
# An initial or a run of them ("J." in "J. Smith", "J.M." in "J.M. Berger"), dot already cut.
_INITIALS = re.compile(r"(?:[^\W\d_]\.)*[^\W\d_]")
ABBREVIATIONS = frozenset(
    "mr mrs ms dr prof sen rep gov gen col lt capt sgt adm rev st jr sr no vs etc inc corp co ltd "
    "jan feb mar apr jun jul aug sep sept oct nov dec u.s u.k u.n d.c a.m p.m e.g i.e ft mt "
    "pres supt dept univ est approx fig al".split()
)
_BYLINE = re.compile(
    r"^(?:by|and|avatar|share|tweet|email|print|advertisement|listen|follow)\b", re.I
)
_DEBRIS_WORDS = re.compile(
    r"\b(?:avatar|share this|sign up|subscribe|newsletter|read more|advertisement|comments?|"
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
    lines: list[tuple[int, str]] = []  # each line without the spaces around it, and its start
    for match in _LINE.finditer(text):
        raw = match.group(0)
        line = raw.strip()
        lines.append((match.start() + len(raw) - len(raw.lstrip()) if line else match.end(), line))
    norms = [_norm(line) for _, line in lines]
    result: list[Paragraph] = []
    seen: set[str] = set()
    for index, (start, line) in enumerate(lines):
        if not line:
            result.append(Paragraph(start, start, True))
            continue
        end = start + len(line)
        norm = norms[index]
        skip = is_debris(line) or norm in seen
        if not skip and line.endswith(("…", "...")) and len(norm) > 40:
            # A teaser cut off with an ellipsis and repeated in full further down.
            skip = any(other.startswith(norm) for other in norms[index + 1 :] if other != norm)
        seen.add(norm)
        result.append(Paragraph(start, end, skip))
    return result


def _last_word(text: str, start: int, end: int) -> str:
    """The last whitespace-free word of text[start:end]; only its tail is read, since an
    abbreviation is short (a regex anchored at the end would scan the whole sentence)."""
    lo = max(start, end - 24)
    words = text[lo:end].split()
    if not words:
        return ""
    if lo > start and not text[lo - 1].isspace() and len(words) == 1 and not text[lo].isspace():
        return ""  # a word longer than the window: not an abbreviation
    return words[-1]


@lru_cache(maxsize=4096)
def _no_break_after(word: str) -> bool:
    """Whether a word ending in a period is an abbreviation or initials (`Mr.`, `J.M.`), after
    which no sentence ends; cached, as the same words end sentence after sentence."""
    token = word.lower().strip("\"“(‘'*_").rstrip(".")
    return token in ABBREVIATIONS or _INITIALS.fullmatch(token) is not None


def sentences(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """Sentence spans inside text[start:end], not split after abbreviations or initials."""
    begin = start
    for match in _BOUNDARY.finditer(text, start, end):
        stop = match.end()
        if text[match.start()] == "." and _no_break_after(
            _last_word(text, begin, match.start() + 1)
        ):
            continue
        while begin < stop and text[begin].isspace():
            begin += 1
        if begin < stop:
            yield begin, stop
        begin = stop
    while begin < end and text[begin].isspace():
        begin += 1
    if begin < end:
        yield begin, end
