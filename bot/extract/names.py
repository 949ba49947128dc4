"""Names in running text: capitalised runs, titles in front of them, and a surname index for back- and forward references."""

from __future__ import annotations

import bisect
import operator
import re
from dataclasses import dataclass, field
from functools import lru_cache

_Trie = dict[str, "_Trie"]


def trie_pattern(words: set[str]) -> str:
    """One regex alternation with shared prefixes factored out, so matching does not try every
    word at every position: {'said', 'says', 'sighed'} -> 's(?:a(?:id|y(?:s)?)|ighed)'."""
    trie: _Trie = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def build(node: _Trie) -> str:
        ends = "" in node
        parts = [re.escape(char) + build(child) for char, child in sorted(node.items()) if char]
        if not parts:
            return ""
        body = parts[0] if len(parts) == 1 and not ends else f"(?:{'|'.join(parts)})"
        return f"{body}?" if ends else body

    return build(trie)


_U = "A-ZÀ-ÖØ-Þ"
_L = "a-zß-öø-ÿ"
# A capitalised word (McCain, O'Rourke, Al-Assad, Jean-Luc), an initial (J.), or a suffix.
_ABBREVIATIONS = (
    "Mr Mrs Ms Dr Sen Rep Gov Gen Col Lt Capt Sgt Adm Rev Prof St Pres Supt Cmdr Maj Ft Mt"
).split()
_ABBREV = rf"{trie_pattern(set(_ABBREVIATIONS))}\."
_WORD = rf"(?:{_ABBREV}|(?:[{_U}]\.)+|[{_U}][{_U}{_L}]*(?:['’-][{_U}{_L}]+)*)"


def _rests_after_capital(words: list[str]) -> str:
    """An alternation of the words with their first capital already read, one branch per letter
    the rest opens with (the matcher skips a branch whose letter differs without entering it),
    a lookbehind then putting back the capital: ['Mr', 'Mrs', 'Dr'] ->
    'r(?:(?<=Mr)|s(?<=Mrs)|(?<=Dr))'. At most one branch can match: the lookbehind fixes the
    word, so the order of the branches does not matter."""
    by_letter: dict[str, list[str]] = {}
    for word in words:
        by_letter.setdefault(word[1], []).append(word)
    return "|".join(
        f"{letter}(?:{'|'.join(f'{word[2:]}(?<={word})' for word in group)})"
        for letter, group in by_letter.items()
    )


# _WORD with its first capital already read, so that NAME_RUN can open with a plain character
# class. The abbreviations are tried only where one to three lowercase letters and a period
# follow (their rests' shape), which one lookahead tells for the words that are none.
_WORD_AFTER_CAPITAL = (
    rf"(?:(?=[a-z]{{1,3}}\.)(?:{_rests_after_capital(_ABBREVIATIONS)})\."
    rf"|\.(?:[{_U}]\.)*|[{_U}{_L}]*(?:['’-][{_U}{_L}]+)*)"
)
_PARTICLES = "de da del della di du van von der den la le bin ibn al el dos das ter".split()
_PARTICLE = rf"(?:{'|'.join(_PARTICLES)})"
WEEKDAYS = frozenset("monday tuesday wednesday thursday friday saturday sunday".split())
_MONTH_NAMES = """january february march april may june july august september october november
    december""".split()
_MONTH_SHORT = "jan feb mar apr jun jul aug sep sept oct nov dec".split()
MONTHS = frozenset(_MONTH_NAMES + _MONTH_SHORT)
TIME_WORDS = WEEKDAYS | MONTHS
# Newsrooms write a month's short form with its period ('Jan. 5'), and a month before a day's
# number; NAME_RUN stops before either, so a month word left inside a run is part of a name.
_DATE_AHEAD = (
    rf"(?!{trie_pattern({m.capitalize() for m in _MONTH_SHORT})}\."
    rf"|{trie_pattern({m.capitalize() for m in _MONTH_NAMES})}\s+\d)"
)
# A capital read first, with the lookbehind for what stands before it after it: a pattern that
# opens with a character class lets the scanner jump between capitals in C, where a leading
# lookaround is tried at every position (a fifth fewer instructions for the scan; the same
# runs as `(?=[A-Z])(?<![\w'’-]){_WORD}...`). The whitespace before a next word is read once for
# all the branches that need it (a word, a particle and a word, a suffix, `al-`): no branch can
# start on a space, so giving back spaces never lets one match. The branches that open with a
# capital (a word, Jr., II, ...) sit behind one lookahead for it, so the lowercase word that
# ends most runs is tried against the particles and `al-` only; a particle, and with it `al-`,
# never opens a word, so the branches that can match are tried in the same order as
# `\s+(?:(?:{particle}\s+)?{_DATE_AHEAD}{_WORD}|Jr\.|Sr\.|II|III|IV|al-{_WORD})`.
NAME_RUN = re.compile(
    rf"[{_U}](?<![\w'’-].){_WORD_AFTER_CAPITAL}"
    rf"(?:\s+(?:(?=[{_U}])(?:{_DATE_AHEAD}{_WORD}|Jr\.|Sr\.|II|III|IV)"
    rf"|{trie_pattern(set(_PARTICLES))}\s+{_DATE_AHEAD}{_WORD}|al-{_WORD})"
    rf"|-{_DATE_AHEAD}{_WORD})*(?![\w])"
)
_POSSESSIVE = re.compile(r"['’]s?$")

# Capitalised words that start sentences or name roles rather than people.
FUNCTION_WORDS = frozenset(
    """a an the this that these those it its he she they we i you his her their our my your
    in on at by for from to of with without into onto over under after before during since until
    but and or nor so yet if when while where whereas although though because as than then thus
    there here what who whom whose which why how also still even just only not no yes
    meanwhile however moreover furthermore nevertheless nonetheless instead indeed rather
    some many most several all both each every any another other such one two three
    according asked said says told added last next first later earlier today yesterday tomorrow
    tonight now once ever again already ago despite amid among between through throughout
    speaking writing more most less above below behind beyond inside outside across around
    along within upon toward towards against besides beside via unlike except""".split()
)
TITLE_WORDS = frozenset(
    """mr mrs ms miss mx dr prof professor sen senator rep representative congressman
    congresswoman gov governor president vice secretary minister prime chancellor premier gen
    general col colonel lt lieutenant capt captain sgt sergeant adm admiral cmdr maj major judge
    justice rev reverend father bishop archbishop cardinal pope rabbi imam sheikh ayatollah
    mayor chairman chairwoman chair speaker leader ambassador commissioner director attorney
    sheriff chief former ex candidate nominee republican republicans democrat democratic
    democrats gop sir dame lord lady king queen prince princess st saint house majority minority
    senate state foreign defense defence interior treasury deputy acting assistant associate
    executive ceo coach officer detective agent inspector superintendent councilman
    councilwoman councillor alderman delegate lawmaker economist analyst spokesman
    spokeswoman spokesperson president-elect vice-president first frontrunner front-runner
    independent libertarian labour labor conservative liberal tory mp mep u.s us uk un
    white presidential senators representatives reps sens governors congressmen congresswomen
    mayors""".split()
)
_TITLE_OR_FUNCTION = (
    TITLE_WORDS | FUNCTION_WORDS
)  # built once: a union per test costs more than the test
# Job titles that stand before a name in capitals ("Chief of Staff Denis McDonough") but, unlike
# TITLE_WORDS, are not honorifics to drop when names are compared.
ROLE_WORDS = frozenset(
    """staff counsel treasurer adviser advisor strategist pollster columnist historian founder
    co-founder editor correspondent anchor host reporter aide manager lawyer attorney-general
    commander pastor trooper clerk auditor comptroller administrator chancellor dean provost
    principal surgeon consul envoy minister-president""".split()
)
# Titles that are also surnames ('Dana King', 'Mr. Bishop'), and the honorifics before one.
SURNAME_TITLES = frozenset({"king", "bishop", "major", "judge", "marshal", "dean", "sheriff"})
HONORIFICS = frozenset({"mr", "mrs", "ms", "miss", "dr"})
_PARTICLE_WORD = re.compile(rf"{_PARTICLE}(?:-|$)")
SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})


# "I'm", "We've", "It'd": a pronoun with its verb, never a name.
_CONTRACTION = re.compile(r"['’](?:m|ve|d|ll|re)$", re.I)


@lru_cache(maxsize=16384)
def _key(word: str) -> str:
    # An initial keeps its period, so 'A.' in 'Nora A. Pell' is never the article 'a' ('I.' is
    # mostly a numeral ending a sentence: 'after World War I. Morton says').
    if len(word) == 2 and word[1] == "." and word[0] != "I":
        return word.lower()
    key = word.lower().rstrip(".")
    return _CONTRACTION.sub("", key) if "'" in key or "’" in key else key


# What `_POSSESSIVE` finds at the end of a word (no line break ends one).
_POSSESSIVE_ENDINGS = ("'", "’", "'s", "’s")


def _is_role(word: str) -> bool:
    if len(word) > 2 and word.endswith(_POSSESSIVE_ENDINGS):  # what _POSSESSIVE finds
        return True
    parts = _key(word).split("-")
    return any(part in TITLE_WORDS or part in ROLE_WORDS for part in parts)


@lru_cache(maxsize=8192)
def clean_name(run: str) -> tuple[str, str]:
    """Split a capitalised run into (leading title words, name): 'Sen. Ted Cruz' -> ('Sen.', 'Ted Cruz')."""
    words = _POSSESSIVE.sub("", run).split()
    cut = 0
    while cut < len(words) - 1 and _key(words[cut]) in _TITLE_OR_FUNCTION:
        cut += 1
    if (
        cut == len(words) - 1
        and _key(words[cut]) in _TITLE_OR_FUNCTION
        and not (cut and _key(words[cut]) in SURNAME_TITLES and _key(words[0]) in HONORIFICS)
    ):
        cut = len(words)  # a title alone, but 'Mr. King' is Mr. King
    # A role inside the run ends the title: 'Texas Sen. Ted Cruz', 'NATO Secretary General Jens
    # Stoltenberg', "Fox's Chris Wallace" -> the name starts after the last role or possessive.
    for at in range(len(words) - 2, cut - 1, -1):
        if _is_role(words[at]):
            cut = at + 1
            break
    end = len(words)
    while end - 1 > cut and _key(words[end - 1]) in WEEKDAYS:
        end -= 1  # 'said Mike Pence Thursday': the day is no part of the name
    title = " ".join(w for w in words[:cut] if _key(w) not in FUNCTION_WORDS)
    return title, " ".join(words[cut:end])


@lru_cache(maxsize=8192)
def surname(name: str) -> str:
    """The last word of a name, without suffixes like Jr. or possessive endings."""
    words = [w for w in name.replace(",", " ").split() if _key(w) not in SUFFIXES]
    if not words:
        return ""
    return _POSSESSIVE.sub("", words[-1]).lower()


def _month_in_name(key: str, last: bool) -> bool:
    """A month word inside a longer name: NAME_RUN already stopped before dates, so 'Ai Jun' and
    'Jan Brewer' are names, and a full month may end one ('Theresa May'); a weekday never is."""
    return key in MONTHS and (last or len(key) <= 4)


@lru_cache(maxsize=8192)
def is_name_like(name: str) -> bool:
    """True when every word is capitalised and none is a function, time or title word."""
    words = name.split()
    if not words:
        return False
    last = len(words) - 1
    return all(
        (w[0].isupper() or _PARTICLE_WORD.match(w) is not None)
        and _key(w) not in FUNCTION_WORDS
        and (_key(w) not in TIME_WORDS or (last > 0 and _month_in_name(_key(w), at == last)))
        for at, w in enumerate(words)
    ) and (
        _key(words[-1]) not in TITLE_WORDS
        # after an initial it is a surname: 'Peter T. King'
        or (len(words) > 2 and len(words[-2]) == 2 and words[-2].endswith("."))
        # a title that is also a surname, after a first name or alone once clean_name kept it
        # for its honorific ('Dana King', 'Ms. King')
        or (_key(words[-1]) in SURNAME_TITLES and len(words) == 1)
        or (
            len(words) > 1
            and _key(words[-1]) in SURNAME_TITLES
            and _key(words[-2]) not in TITLE_WORDS
            and not _is_role(words[-2])
        )
    )


# Head nouns of organisations, places and documents: never a person's name.
_ORG_HEADS = """Party Court Republic Amendment Act Committee Council Department Agency University
    College School Institute Center Centre Foundation Association Union League Bank Company
    Corporation Group News Times Post Journal Review Magazine Network Channel Press Radio Senate
    Congress Parliament Assembly Administration Office Ministry Service Board Commission Campaign
    Fund Trust Club Church Hospital Airport Street Avenue Road Square Park River County City State
    States Kingdom Island Islands Mountains Valley Coast Inc Corp Co Convention Caucus Organization
    Organisation Alliance Directorate Coalition Federation Police Army Navy Forces""".split()
ORG_HEAD = re.compile(rf"\b{trie_pattern(set(_ORG_HEADS))}$")


@lru_cache(maxsize=8192)
def is_organisation(name: str) -> bool:
    """A name that holds an organisation, a place or a document, not a person: its head noun
    says so ('Democratic National Convention'), or it is an acronym ('NRA', 'CNN')."""
    return ORG_HEAD.search(name) is not None or (
        " " not in name and len(name) > 1 and name.isupper() and "." not in name
    )


# A run of one of these words alone ('The', 'But', 'Monday', 'President') is never a name.
_NEVER_ALONE = FUNCTION_WORDS | TIME_WORDS | TITLE_WORDS


_WHOLE_MATCH = operator.itemgetter(0)
# A capitalised run that holds a name, as (start, end, text, title, name): 'Sen. Ted Cruz' at
# 10..24 -> title 'Sen.', name 'Ted Cruz'. A plain tuple, as building a tuple subclass per run
# costs a call more than concatenating two tuples.
Run = tuple[int, int, str, str, str]


@lru_cache(maxsize=8192)
def _run_name(run: str) -> tuple[str, str, str] | None:
    """(run, title, name) for a capitalised run that holds a name, else None; one cache lookup
    per run, as an article repeats most of its runs ('The', 'But', its people), and the tail of
    the run's tuple, so a found run is its match's span plus this."""
    if " " not in run and run.lower().rstrip(".") in _NEVER_ALONE:
        return None
    title, name = clean_name(run)
    return (run, title, name) if name and is_name_like(name) else None


def runs_in(text: str) -> list[Run]:
    """Every run in `text` whose cleaned name is name-like, in order, as plain tuples: one pass
    over the article that the name index and the people finder share, so neither cleans a run
    twice."""
    matches = list(NAME_RUN.finditer(text))
    # Each run's text and its cache lookup are mapped in C, without a bytecode step per run.
    named = map(_run_name, map(_WHOLE_MATCH, matches))
    return [
        match.span() + found
        for match, found in zip(matches, named, strict=True)
        if found is not None
    ]


def full_names(text: str, *, limit: int = 50) -> list[str]:
    """The people an article names in full, each once, in the order they first appear (the
    choices a checker gets when fixing a speaker)."""
    found: dict[str, None] = {}
    index = NameIndex.build(text)
    for at, name in sorted(p for entries in index.by_surname.values() for p in entries):
        if not is_organisation(name) and not _PLACE_BEFORE.search(text, max(0, at - 6), at):
            found.setdefault(index.expand(name, 0), None)
    return list(found)[:limit]


# What stands before the name of a place, an organisation or a work rather than a person.
_PLACE_BEFORE = re.compile(r"(?:\b(?:the|of|for|at|in|on|to|from)\s+|\A)$")


# A participle or an auxiliary opening a sentence, glued to the name after it by NAME_RUN
# ('Praising Quill's work', 'Does Quill'), and where a sentence starts.
_AUXILIARIES = frozenset("Does Did Has Is Was Should Would Could".split())


def _indexable(name: str) -> bool:
    """A name of two to four words, none an acronym ('NATO', 'CNN'): one the index keeps."""
    words = name.split()
    return len(words) <= 4 and not any(
        w.isupper() and len(w) > 1 and not w.endswith(".") for w in words
    )


def _opens_with_a_verb(name: str) -> bool:
    """Whether a name's first word is an auxiliary ('Does') or a participle ('Praising': a
    capitalised word of seven letters or more ending in -ing)."""
    first = name.split(" ", 1)[0]
    return first in _AUXILIARIES or (
        len(first) > 6 and first.endswith("ing") and first[1:].islower()
    )


@lru_cache(maxsize=8192)
def _index_key(name: str) -> tuple[tuple[str, str], bool] | None:
    """What the index needs of a name of two or more words, in one cache lookup per run:
    (surname, first word) and whether it opens with a verb; None for a name it does not keep."""
    if not _indexable(name):
        return None
    return (surname(name), name.split(" ", 1)[0]), _opens_with_a_verb(name)


_SENTENCE_END_BEFORE = re.compile(r"(?:[.!?][\"”’)]?\s+|\n)$")


def _starts_sentence(text: str, start: int) -> bool:
    return start == 0 or _SENTENCE_END_BEFORE.search(text, max(0, start - 4), start) is not None


# The gender a leading title gives a surname ('Mrs. Clinton').
_LEAD_GENDER = {
    **dict.fromkeys(("mr", "sir", "lord", "king", "prince", "father"), "m"),
    **dict.fromkeys(("mrs", "ms", "miss", "dame", "lady", "queen", "princess"), "f"),
}


@dataclass
class NameIndex:
    """Every multi-word name in an article, by surname, so 'Azizi' finds 'Hamidreza Azizi'."""

    by_surname: dict[str, list[tuple[int, str]]] = field(default_factory=dict)
    genders: dict[str, str] = field(default_factory=dict)
    # Filled by `build` so that `expand` looks up instead of scanning every namesake per mention:
    # the starts of each surname's names in order, and the longest name per (surname, first word).
    _positions: dict[str, list[int]] = field(default_factory=dict, repr=False)
    _pairs: dict[str, list[tuple[str, str]]] = field(default_factory=dict, repr=False)  # by start
    _longest: dict[tuple[str, str], str] = field(default_factory=dict, repr=False)
    _ends: dict[str, str] = field(default_factory=dict, repr=False)  # `expand`'s answers

    @classmethod
    def build(cls, text: str, runs: list[Run] | None = None) -> NameIndex:
        """Index the names in `text` (or in `runs`, its `runs_in` already found)."""
        index = cls()
        by_surname, positions, longest = index.by_surname, index._positions, index._longest
        pairs = index._pairs
        for start, _, _, title, name in runs_in(text) if runs is None else runs:
            if " " not in name:
                continue
            facts = _index_key(name)
            if facts is None:
                continue  # more than four words, or an acronym: NATO, CNN, GOP
            pair, verb = facts
            if verb and not title and _starts_sentence(text, start):
                continue  # 'Praising Quill's work ...': a participle glued to a surname
            key = pair[0]
            entries = by_surname.get(key)
            if entries is None:
                by_surname[key] = [(start, name)]
                positions[key] = [start]
                pairs[key] = [pair]
            else:
                entries.append((start, name))
                positions[key].append(start)
                pairs[key].append(pair)
            if len(name) > len(longest.get(pair, "")):
                longest[pair] = name  # the first of the longest, as max() picks
            if title:
                gender = _LEAD_GENDER.get(_key(title.split()[0]))
                if gender is not None:
                    index.genders.setdefault(key, gender)
        return index

    def expand(self, name: str, position: int) -> str:
        """The full name a bare surname (or a shorter form) stands for, nearest before, else after."""
        if " " in name:
            found = self._ends.get(name)  # a longer form does not depend on where it stands
            if found is None:
                found = self._ends[name] = self._longer_form(name)
            return found
        key = surname(name)
        positions = self._positions.get(key)
        if positions is None:
            return name
        at = bisect.bisect_left(positions, position)
        return self._longest[self._pairs[key][at - 1 if at > 0 else 0]]

    def _longer_form(self, name: str) -> str:
        """The longest indexed name with the same first word and surname, else the longest
        that ends with `name` ('Van Loon' and 'Reyes Jr.' are the ends of 'Anna Van Loon'
        and 'Tom Reyes Jr.'), else `name`."""
        words = name.split()
        key = surname(name)
        candidates = self.by_surname.get(key)
        if not candidates:
            return name
        longest = self._longest.get((key, words[0]), name)
        if longest != name:
            return longest
        tail = " " + " ".join(words)
        found, size = name, -1  # the first of the longest, as max() picks
        for _, longer in candidates:
            if len(longer) > size and longer.endswith(tail):
                found, size = longer, len(longer)
        return found

    def people_before(self, position: int) -> list[tuple[int, str]]:
        """Every indexed name that starts before `position`, nearest first."""
        found = [(p, n) for entries in self.by_surname.values() for p, n in entries if p < position]
        found.sort(reverse=True)
        return found
