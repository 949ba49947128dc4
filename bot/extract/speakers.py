"""Speaker resolution: a cue's mention turned into the person an article means.

A bare surname is expanded to the full name given elsewhere in the article (nearest before,
else after); `Mrs. X` picks the namesake of her gender; a pronoun goes to the recent person of
its gender, preferring the subject of a sentence. People and their genders are read once per
article, outside quotations, on first use.
"""

from __future__ import annotations

import bisect
import re
from functools import lru_cache
from typing import NamedTuple

from bot.extract.names import (
    ORG_HEAD,
    NameIndex,
    Run,
    clean_name,
    is_name_like,
    is_organisation,
    runs_in,
    surname,
)
from bot.extract.quote_cues import (
    BETWEEN_MODIFIERS,
    BETWEEN_STOP,
    INTRODUCTORY,
    VERB,
    VERB_ALT,
    Mention,
)
from bot.extract.quote_spans import Span, SpeakerKind
from bot.extract.types import SPEAKER_ORGANISATION, SPEAKER_PERSON, SPEAKER_UNNAMED

_PRONOUNS = {"he": "m", "she": "f", "they": "p", "i": "s", "we": "p"}

# he, his, she as whole words, in two patterns that each open with one character: a search for
# one character runs at memory speed in C, where a class such as [HhSs] is tested at every
# position (a whole article's two scans cost under half of one class scan of a third of it).
# The lowercase `h` finds he, his and the h of she or She; the capital finds He and His.
_PRONOUN_H = re.compile(r"h(?:(?<!\wh)(?:e|is)|(?<=[Ss]h)(?<!\w..)e)\b")
_PRONOUN_CAPITAL_H = re.compile(r"H(?<!\wH)(?:e|is)\b")

# How far after the end of a person's name a he/his/she still votes for their gender.
_PRONOUN_REACH = 150


def _pronouns(text: str, lo: int, hi: int) -> list[tuple[int, str]]:
    """Every he/his/she from `lo` in `text[:hi]` as (start, gender), in order ('m' for he and
    his). A word cut at `hi` may be taken for one: the caller drops those by their distance."""
    found = [(m.start(), "m") for m in _PRONOUN_CAPITAL_H.finditer(text, lo, hi)]
    for match in _PRONOUN_H.finditer(text, lo, hi):
        at = match.start()
        # The h of 'he' follows no letter, so one after S or s is the h of 'she'.
        found.append((at - 1, "f") if at and text[at - 1] in "Ss" else (at, "m"))
    found.sort()
    return found


class _Person(NamedTuple):
    """A person named outside quotations, as the pronoun resolver sees them; whether they are
    a sentence's subject is worked out from these when a pronoun asks (`Resolver._roles`)."""

    position: int
    name: str
    end: int  # where the name ends
    previous_end: int  # where the person named before ends, -1 for the first


_SENTENCE_START = re.compile(r"(?:^|\n|[.!?…][\"”’)]?\s+)$")
# What follows a lone capitalised word that opens a sentence as its subject: a verb ('Walsh
# said', 'Walsh quickly agreed') or an appositive ('Walsh, a former labor leader, had').
# ('his', 'this', 'is', 'was' end in s too, but follow adverbs and prepositions: 'Behind his desk'.)
_LOWER_NEXT = re.compile(
    r" (?:[a-z]+ly )?(?!(?:his|this|its|is|was|has|as|us)\b)[a-z]+(?:ed|s)\b"
    r"|, (?:a|an|the|who) [a-z]"
)

# A sentence break, as the people finder means it, is `_BREAK`:
#     [.!?…]["”’)]*\s+(?=["“‘(]*[A-Z0-9])|\n
# `_Breaks` answers its searches without running it. _MARK_BREAKS are its first branch, one
# pattern per mark, each once over the whole article: where the spaces after the mark end (group
# 1's end) and where the capital it needs stands (the match's end). A pattern that opens with
# one character is found by a quick character search, where `[.!?…]` tests a class at every
# position (a third of the instructions), and an article without `!` is not scanned for one.
_MARK_BREAKS = {
    mark: re.compile(rf"{re.escape(mark)}[\"”’)]*(\s+)[\"“‘(]*(?=[A-Z0-9])") for mark in ".!?…"
}


class _Breaks:
    """Where `_BREAK` matches in an article, found in one scan, so that each name run asks by
    bisection instead of searching the text before it again.

    `_BREAK` searched in `text[lo:hi]` matches at a newline in it, or at a sentence mark at or
    after `lo` whose capital stands before `hi` (the lookahead cannot see past `hi`). Marks never
    stand inside another match, so the article's matches of `_MARK_BREAKS` are every such mark.
    """

    def __init__(self, text: str) -> None:
        self.newlines: list[int] = []
        at = text.find("\n")
        while at >= 0:
            self.newlines.append(at)
            at = text.find("\n", at + 1)
        # A match holds one mark, where it starts, so each mark's matches are the same alone.
        marks: list[tuple[int, int, int]] = []
        for mark, pattern in _MARK_BREAKS.items():
            if mark in text:
                marks.extend((m.start(), m.end(1), m.end()) for m in pattern.finditer(text))
        marks.sort()
        self.marks = [start for start, _, _ in marks]
        self.spaces_end = [spaces_end for _, spaces_end, _ in marks]
        self.capitals = [capital for _, _, capital in marks]

    def within(self, lo: int, hi: int) -> bool:
        """Whether `_BREAK.search(text, lo, hi)` finds a match."""
        at = bisect.bisect_left(self.newlines, lo)
        if at < len(self.newlines) and self.newlines[at] < hi:
            return True
        at = bisect.bisect_left(self.marks, lo)
        return at < len(self.marks) and self.capitals[at] < hi

    def last_end(self, lo: int, hi: int) -> int:
        """The end of the last match of `_BREAK.finditer(text, lo, hi)`, or -1: the latest end
        of any match in the window, as a match hides only what ends no later than it does."""
        end = -1
        at = bisect.bisect_left(self.newlines, hi) - 1
        if at >= 0 and self.newlines[at] >= lo:
            end = self.newlines[at] + 1
        at = bisect.bisect_left(self.capitals, hi) - 1
        if at >= 0 and self.marks[at] >= lo:
            end = max(end, self.spaces_end[at])
        return end


_TITLE_GENDER = {
    "mr": "m",
    "mrs": "f",
    "ms": "f",
    "miss": "f",
    "sir": "m",
    "lord": "m",
    "dame": "f",
    "lady": "f",
    "king": "m",
    "queen": "f",
    "prince": "m",
    "princess": "f",
    "father": "m",
    "sister": "f",
    "congressman": "m",
    "congresswoman": "f",
    "chairman": "m",
    "chairwoman": "f",
    "spokesman": "m",
    "spokeswoman": "f",
}
_MODIFIER_WORD = re.compile(r"[a-z][a-z-]*")


def _premodifier(text: str, end: int, next_start: int) -> bool:
    """A name followed by lowercase nouns and another name modifies it: 'Clinton aide Huma Abedin'."""
    if next_start - end > 40:
        return False
    after = text[end]  # what BETWEEN_MODIFIERS can open with, asked without slicing
    if not (after.isspace() or after in "'’"):
        return False
    between = text[end:next_start]
    if not BETWEEN_MODIFIERS.match(between) or BETWEEN_STOP.search(between):
        return False
    words = between.split()
    if words and words[0] in {"'s", "’s", "'", "’"}:
        words = words[1:]
    return all(
        _MODIFIER_WORD.fullmatch(w) is not None
        and not w.endswith(("ed", "ly"))
        and not (w.endswith("s") and not w.endswith("ss"))
        for w in words
    )


_VERB_BEFORE = re.compile(rf"\b(?:{VERB_ALT}) $")
_SUBJECT_BEFORE = re.compile(r"(?:^|\n|[.!?…][\"”’)]?\s+|[,;:—–]\s+(?:and |but |then )?)$")


def _in_opening_phrase(text: str, breaks: _Breaks, start: int, since: int = 0) -> bool:
    """Whether a name at `start` sits in a phrase opening its sentence before the first comma
    (`In Iowa, Cruz ...`, `On the last day of the Convention, Ivanka Trump ...`).

    `since` is where a sentence break is known to follow (the end of the name before), so the
    search for the last break need not start further back."""
    lo = max(0, start - 120)
    begin = breaks.last_end(max(lo, since), start)
    if begin < 0 and lo > 0:
        return False
    opening = text[max(begin, 0) : start]
    return "," not in opening and INTRODUCTORY.match(opening) is not None


@lru_cache(maxsize=8192)
def _name_facts(name: str) -> tuple[int, bool, str]:
    """A name's word count, whether it ends in the head noun of an organisation or a place
    ('Supreme Court'), and its surname: one cache lookup per run instead of three."""
    return len(name.split()), ORG_HEAD.search(name) is not None, surname(name)


def _opens_sentence(text: str, start: int) -> bool:
    """Whether `_SENTENCE_START` finds a sentence break just before `start`. A letter or digit
    two characters back with no newline after it leaves no room for one ('in Iowa'), which is
    told without a regex call."""
    if start >= 2 and text[start - 2].isalnum() and text[start - 1] != "\n":
        return False
    return _SENTENCE_START.search(text, start - 4, start) is not None


def _speaks(text: str, person: _Person) -> bool:
    """Whether a speech verb stands next to a person's name ('Stovall said', 'said Stovall'):
    asked only of the few people whose answer matters, not of every name."""
    return (
        VERB.match(text, person.end + 1) is not None
        or _VERB_BEFORE.search(text, person.position - 12, person.position) is not None
    )


def _after_the(text: str, start: int) -> bool:
    """Whether the word 'the' and one space are the four characters before `start` ('the Tea
    Party'): what `\\b[Tt]he\\s+$` finds searched in just those four, without a regex call."""
    if start < 4 or text[start - 4 : start - 1] not in ("the", "The"):
        return False
    before = text[start - 5] if start > 4 else " "  # `\b` sees the text before the window
    return text[start - 1].isspace() and not (before.isalnum() or before == "_")


# What POSSESSIVE_END finds at the end of a run (which never ends in a newline).
_POSSESSIVE_ENDINGS = ("'", "’", "'s", "’s")


class Resolver:
    """Turns mentions into full names using the article's name index and recent people."""

    def __init__(self, text: str, spans: list[Span]) -> None:
        self.text = text
        runs = runs_in(text)
        self.index = NameIndex.build(text, runs)
        self._runs: list[Run] = runs
        self._spans = spans
        self._people: list[_Person] | None = None
        self.positions: list[int] = []
        self.gender: dict[str, str] = {}
        self._breaks: _Breaks | None = None
        self._role_cache: dict[int, tuple[bool, bool]] = {}  # `_roles` by position

    @property
    def people(self) -> list[_Person]:
        """Person mentions outside quotations, in order; built on first use (pronouns need it)."""
        if self._people is None:
            self._people = self._find_people()
            self.positions = [p.position for p in self._people]
        return self._people

    def _find_people(self) -> list[_Person]:
        text = self.text
        inside = [(sp.start, sp.end) for sp in self._spans]
        starts = [a for a, _ in inside]

        def quoted(position: int) -> bool:
            at = bisect.bisect_right(starts, position) - 1
            return at >= 0 and inside[at][0] <= position < inside[at][1]

        # The runs outside quotations. A run is inside when it starts before the end of the
        # last quotation that starts at or before it, so each quotation hides the runs that
        # start from its start to its end or the next quotation's start: a slice found by
        # bisection, a few per article instead of a step per run.
        everything = self._runs
        run_starts = [found[0] for found in everything]
        runs: list[Run] = []
        kept_to = 0
        for number, (start, end) in enumerate(inside):
            if number + 1 < len(inside):
                end = min(end, starts[number + 1])
            if end <= start:
                continue
            first = bisect.bisect_left(run_starts, start, kept_to)
            runs += everything[kept_to:first]
            kept_to = bisect.bisect_left(run_starts, end, first)
        runs += everything[kept_to:]
        people: list[_Person] = []
        ends: list[int] = []
        votes: dict[str, dict[str, int]] = {}
        lone: set[str] = set()
        titled: list[tuple[int, str, bool]] = []  # (person, gender of the title, bare surname)
        placed: set[str] = set()  # names seen after 'in': places ('in Ohio'), unless a title
        titled_names: set[str] = set()  # or a speech verb beside them shows a person
        previous_end = -1
        by_surname = self.index.by_surname
        new = tuple.__new__
        # Where the run after each one starts (past the last run: too far for `_premodifier`).
        following = [found[0] for found in runs[1:]]
        if runs:
            following.append(len(text) + 41)
        # The checks below are pure, so the cheap ones (cached per name) come first and each
        # regex runs only for the runs that got that far. (A regex's `pos` below 0 counts as 0,
        # so the windows before a run need no max().)
        for (start, end, run, title, name), next_start in zip(runs, following, strict=True):
            size, org_headed, key = _name_facts(name)
            if size > 4 or org_headed:
                continue
            indexed = key in by_surname
            if (
                size == 1
                and not indexed
                and not (
                    " " not in run
                    and _opens_sentence(text, start)
                    and _LOWER_NEXT.match(text, end) is not None
                )
            ):
                continue  # a lone capitalised word is a person only as a sentence's subject
            # ('he' two characters back is what _after_the needs first, asked without a call.)
            if not title and text[start - 3 : start - 1] == "he" and _after_the(text, start):
                continue  # 'the Tea Party', 'the Supreme Court': people are not 'the X'
            if next_start - end <= 40 and _premodifier(text, end, next_start):
                continue  # 'Obama consultant Cornell Belcher': Obama is not the person here
            full = self.index.expand(name, start)
            if size == 1 and not indexed:
                lone.add(full)
            if (
                start >= 3
                and text.startswith("in ", start - 3)
                and not run.endswith(_POSSESSIVE_ENDINGS)
            ):
                placed.add(full)
            if title:
                titled_names.add(full)
            person = (start, full, end, previous_end)
            people.append(new(_Person, person))  # _Person(...) without its Python-level __new__
            ends.append(end)
            previous_end = end
            lead = title.split()[0].lower().rstrip(".") if title else ""
            if lead in _TITLE_GENDER:
                titled.append((len(people) - 1, _TITLE_GENDER[lead], size == 1))
        # A name seen after 'in' is a place unless a title or a speech verb beside it, anywhere,
        # shows a person.
        places = placed - titled_names
        if places:
            for person in people:
                if person.name in places and _speaks(text, person):
                    places.discard(person.name)
        # Each he/his/she outside quotes votes for the nearest person before it; him and her are
        # left out, as objects they mostly point at someone other than the last person named.
        # (One before the first person's end or past the last one's reach has no one to vote
        # for, so it is not looked for.)
        reach = (ends[0], ends[-1] + _PRONOUN_REACH + 4) if ends else (0, 0)
        for position, vote in _pronouns(text, *reach):
            at = bisect.bisect_right(ends, position) - 1
            if at < 0 or position - ends[at] > _PRONOUN_REACH or quoted(position):
                continue
            tally = votes.setdefault(people[at].name, {})
            tally[vote] = tally.get(vote, 0) + 1
        pronoun_gender = {name: max(tally, key=tally.__getitem__) for name, tally in votes.items()}
        by_surname_at: dict[str, list[int]] = {}  # people's places by surname, once needed
        for number, want, bare in titled:
            person = people[number]
            if bare and pronoun_gender.get(person.name, want) != want:
                # 'Mrs. Clinton' after 'Bill Clinton': the Clinton of her gender, nearest first.
                if not by_surname_at:
                    for at, p in enumerate(people):
                        by_surname_at.setdefault(surname(p.name), []).append(at)
                # (A namesake put in below keeps the surname its place is filed under.)
                same = [people[at] for at in by_surname_at[surname(person.name)]]
                namesakes = [p for p in same if pronoun_gender.get(p.name) == want]
                if not namesakes:
                    # 'Ms. Ash' after 'Lena Ash ... her son, Tomas Ash. He ...': the
                    # namesake no pronoun contradicts.
                    namesakes = [p for p in same if " " in p.name and p.name not in pronoun_gender]
                before = [p for p in namesakes if p.position < person.position]
                if namesakes:
                    chosen = before[-1] if before else namesakes[0]
                    person = person._replace(name=chosen.name)
                    people[number] = person
            tally = votes.setdefault(person.name, {})
            tally[want] = tally.get(want, 0) + 3
        self.gender = {name: max(tally, key=tally.__getitem__) for name, tally in votes.items()}
        # A lone word with no he/she after it is more likely a place or a group than a person.
        if not lone and not places:
            return people
        return [
            p
            for p in people
            if (p.name not in lone or p.name in self.gender) and p.name not in places
        ]

    def _roles(self, person: _Person) -> tuple[bool, bool]:
        """Whether a person is the subject of their sentence, and whether the subject it opens
        with: worked out on first ask, as a pronoun looks back at only some of the people."""
        found = self._role_cache.get(person.position)
        if found is None:
            found = self._role_cache[person.position] = self._find_roles(person)
        return found

    def _find_roles(self, person: _Person) -> tuple[bool, bool]:
        text, start, previous_end = self.text, person.position, person.previous_end
        if text.endswith(_POSSESSIVE_ENDINGS, start, person.end):
            return False, False  # 'Cruz's campaign'
        if self._breaks is None:
            self._breaks = _Breaks(text)
        breaks = self._breaks
        first_in_sentence = previous_end < 0 or breaks.within(previous_end, start)
        if first_in_sentence and _in_opening_phrase(text, breaks, start, max(previous_end, 0)):
            first_in_sentence = False  # 'On the last day of the Convention, Ivanka Trump'
        subject = first_in_sentence or _SUBJECT_BEFORE.search(text, start - 12, start) is not None
        return subject, subject and first_in_sentence

    def name(self, mention: Mention) -> str:
        full = self.index.expand(mention.text, mention.position)
        lead = mention.title.split()[-1].lower().rstrip(".") if mention.title else ""
        want = _TITLE_GENDER.get(lead)
        if want is None or " " in mention.text:
            return full
        # 'Mrs. Clinton' is the Clinton of her gender: nearest before, else after.
        people = self.people
        if self.gender.get(full, want) == want:
            return full
        key = surname(mention.text)
        same = [p for p in people if surname(p.name) == key and self.gender.get(p.name) == want]
        before = [p for p in same if p.position < mention.position]
        chosen = before[-1] if before else (same[0] if same else None)
        # With no namesake of her gender, 'Ms. Ash' is not 'her son, Tomas Ash': keep the
        # name as the text gives it.
        return chosen.name if chosen is not None else mention.text

    def pronoun(self, mention: Mention, last_speaker: tuple[int, str] | None) -> str | None:
        want = _PRONOUNS.get(mention.text)
        if want not in {"m", "f"}:
            return None
        people = self.people
        at = bisect.bisect_left(self.positions, mention.position)
        recent = people[max(0, at - 15) : at]
        floor = last_speaker[0] if last_speaker is not None else -1
        since = [p for p in reversed(recent) if p.position >= floor]
        roles = self._roles
        fits = [p for p in since if self.gender.get(p.name, want) == want and roles(p)[0]]
        if fits:
            # The subject a sentence opens with outranks one in a clause after a comma in the
            # same sentence ('Amano said that, if true, North Korea is violating ..., which he
            # added'), unless that one is the speaker of a reporting clause ('Cruz won, Stovall
            # said.').
            if _speaks(self.text, fits[0]):
                return fits[0].name
            for person in since[since.index(fits[0]) :]:
                if roles(person)[1]:
                    return person.name if person in fits else fits[0].name
            return fits[0].name
        if last_speaker is not None and self.gender.get(last_speaker[1], want) == want:
            return last_speaker[1]
        for person in reversed(recent):
            gender = self.gender.get(person.name)
            if (gender is None or gender == want) and roles(person)[0]:
                return person.name
        for person in reversed(recent):
            if self.gender.get(person.name) == want:
                return person.name
        return last_speaker[1] if last_speaker is not None else None


def attribute(
    span: Span, mention: Mention, resolver: Resolver, last: tuple[int, str] | None
) -> None:
    """Give `span` the speaker `mention` names; `last` is the latest (position, speaker) before it."""
    span.cued = True
    if mention.kind == SpeakerKind.NAME:
        span.speaker = resolver.name(mention)
        span.title = mention.title
        span.kind = SpeakerKind.NAME
        span.score = mention.strength
    elif mention.kind == SpeakerKind.PRONOUN:
        span.speaker = resolver.pronoun(mention, last)
        span.kind = SpeakerKind.PRONOUN if span.speaker else SpeakerKind.NONE
        span.score = mention.strength * (0.95 if span.speaker else 0.6)
    else:
        span.speaker = mention.text
        span.kind = SpeakerKind.PHRASE
        span.score = mention.strength * 0.8


# The head of a phrase ends before its first preposition or relative pronoun: 'a spokeswoman
# for the Democratic National Convention' is a spokeswoman.
_PHRASE_HEAD = re.compile(r"\s(?:of|for|at|with|from|in|on|to|who|which|that|whose)\s.*$", re.S)
# Nouns for a person left unnamed, or for a text nobody is named as writing.
_UNNAMED_NOUN = re.compile(
    r"\b(?:officials?|spokes(?:man|woman|person)|aides?|advis[eo]rs?|sources?|person|people|"
    r"lawyers?|attorneys?|analysts?|experts?|diplomats?|officers?|executives?|members?|"
    r"residents?|voters?|supporters?|critics?|man|woman|someone|insiders?|staffers?|"
    r"strategists?|lawmakers?|witness(?:es)?|friends?|neighbou?rs?|workers?|pollsters?|"
    r"historians?|economists?|observers?|statement|release|report|letter|memo|filing|post|"
    r"tweet|document|announcement|note)$"
)


def speaker_kind(speaker: str, found: SpeakerKind | None = None) -> str:
    """What a speaker is (types.SPEAKER_KINDS), from how the engine found it or, for text a
    person typed, from the words: a name is a person, 'a senior official' an unnamed source,
    'the White House' or 'CNN' an organisation."""
    if found in (SpeakerKind.NAME, SpeakerKind.PRONOUN):
        return SPEAKER_PERSON
    words = speaker.strip()
    if found is None:
        _, name = clean_name(words)
        if name and is_name_like(name) and not is_organisation(name):
            return SPEAKER_PERSON
    head = _PHRASE_HEAD.sub("", words).lower()
    return SPEAKER_UNNAMED if _UNNAMED_NOUN.search(head) else SPEAKER_ORGANISATION
