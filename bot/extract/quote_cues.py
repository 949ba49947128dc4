"""Attribution cues: the wording around a quote that names who spoke it.

`cue_after` reads the sentence after a closing mark (`,” said X, title`, `” – Name`), `cue_before`
the sentence before an opening one (`X said: “`, `According to X, “`), `sentence_subject` the
person opening a sentence a partial quote sits in. Each returns a `Mention` (a name, a pronoun
or a phrase, with its position and how strong the cue is); `bot.extract.speakers` then turns it
into a full name.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from bot.extract.layout import first_sentence, last_sentence
from bot.extract.names import (
    NAME_RUN,
    ORG_HEAD,
    NameIndex,
    clean_name,
    is_name_like,
    is_organisation,
    surname,
    trie_pattern,
)
from bot.extract.quote_spans import SpeakerKind

_SPEECH = """said says say saying told tells tell added adds adding asked asks wrote writes write
explained explains noted notes stated states declared declares argued argues insisted insists
continued continues recalled recalls warned warns claimed claims announced announces replied
replies responded responds tweeted tweets posted observed observes suggested acknowledged
acknowledges admitted admits conceded concedes complained complains emphasized emphasised
emphasizes emphasises stressed stresses predicted predicts quipped quips joked jokes remarked
remarks concluded concludes cautioned cautions urged urges testified testifies shouted shouts
yelled yells vowed vows promised promises maintained maintains countered counters contended
contends lamented laments boasted boasts mused muses agreed agrees charged alleged alleges
reiterated reiterates proclaimed proclaims recounted recounts described describes called calls
labeled labelled dubbed branded blasted slammed decried denounced touted praised accused
criticized criticised characterized characterised pledged pledges wondered wonders whispered
screamed demanded demands asserted asserts confirmed confirms denied denies thundered snapped
retorted sighed laughed offered reads read reported reports texted emailed chanted cried
explained insisted answered answers began begins concluded ruled writes referred refers
acknowledged mocked scoffed derided hailed lauded cheered warned declaring telling calling
writing noting arguing insisting warning claiming describing asking explaining stating
announcing replying responding tweeting recalling predicting urging promising vowing
complaining suggesting joking adds fumed fumes barked barks bemoaned bemoans assured assures
indicated indicates referenced references cited cites mentioned mentions hinted hints reasoned
reasons scolded scolds pleaded pleads interjected griped gripes groused grouses muttered mutters
murmured murmurs exclaimed exclaims informed informs reminded reminds opined opines ventured
speculated speculates estimated estimates recommended recommends summarized summarised
clarified clarifies elaborated elaborates lectured lectures preached preaches pronounced
proposed proposes ranted rants raved raves roared roars sneered sneers teased teases
thanked thanks theorized theorised vented vents griping fuming stating citing repeated repeats""".split()
_PHRASES = [
    "pointed out",
    "points out",
    "went on",
    "goes on",
    "put it",
    "puts it",
    "summed up",
    "chimed in",
    "chimes in",
]


VERB_ALT = trie_pattern({*_SPEECH, *_PHRASES})
VERB = re.compile(rf"(?=[a-z])\b(?:{VERB_ALT})\b")
VERB_FIRST = re.compile(rf"[\s,;:]*(?:{VERB_ALT}|Said|Says)\b")
# `\b[Aa]ccording to\b`, opening with its letter so a search jumps between a and A in C (a
# leading `\b` is tried at every position); the lookbehind then asks for the word start.
_ACCORDING = re.compile(r"[Aa](?<!\w.)ccording to\b")


def _according(sentence: str) -> re.Match[str] | None:
    """`_ACCORDING.search(sentence)`, run only when the words are there: the search stops at
    every `a`, a substring test skips the sentence in C."""
    return _ACCORDING.search(sentence) if "ccording to" in sentence else None


DASH_START = re.compile(r"\s*,?\s*(?:[-–—]{1,2}|―)\s*(?=\S)")
POSSESSIVE_END = re.compile(r"['’]s?$")
# `More from Jones:`, `A statement by Smith:`: the source of a colon line.
_FROM_SOURCE = re.compile(r"^\S.*?\b(?:from|by)\s+(?=[A-Z])")

_PRONOUN_AT_END = re.compile(
    r"(?:^|[\s,])(he|she|they|He|She|They|I|we|We)\s*(?:also\s+|then\s+|later\s+|again\s+)?$"
)
_LEADING_FILLER = re.compile(r"^(?:and|but|so|yet|or|as|while|when|then|also|because)\s+", re.I)
_PARENS = re.compile(r"\s*\([^()]*\)")
_PREPOSITION = re.compile(
    r"^(?:in|on|at|for|to|from|with|by|during|after|before|while|when|who|which|that|speaking|"
    r"adding|according|told|said|says|asked|writing|last|this|earlier|later|on|via|as)\b",
    re.I,
)
BETWEEN_MODIFIERS = re.compile(
    r"^(?:['’]s?)?(?:\s+(?:[a-z][a-z-]*|\d+(?:st|nd|rd|th)|\d+-[a-z]+)){1,4}\s+$"
)
BETWEEN_STOP = re.compile(
    r"\b(?:in|on|at|for|to|from|with|by|of|during|after|before|and|or|who|which|that|said|told|"
    r"says|is|was|has|had|will|would)\b"
)
# A verb between two names makes the second its object, not the head of one noun phrase:
# 'Warren praised Mrs. Clinton's advocacy' is Warren, as 'campaign spokesman Brian Fallon' is not.
_BETWEEN_VERB = re.compile(rf"\b(?:[a-z]{{2,}}ed|{VERB_ALT})\b")
# A person described before their name: `A longtime ally, Councillor Lena Varga,`.
_DESCRIBED = re.compile(r"(?:[Tt]he|[Aa]n?|[Oo]ne|[Aa]nother|[Hh]is|[Hh]er|[Tt]heir)\s[^A-Z]*$")
_DASH_BETWEEN = re.compile(r"\s*(?:[-–—]{1,2}|―)\s*")
# What follows a name that only modifies a noun: `Twitter user`, `Trump's campaign chairman`.
_MODIFIED_NOUN = re.compile(r"(?:['’]s?)?(?:\s+[a-z][a-z-]*)+\s*")

_STOP_BEFORE = re.compile(
    r"\b(?:if|that|whether|when|who|which|for|of|to|with|by|is|was|had|has|at|in|on|from|"
    r"about)\b"
)
_NOUN_PHRASE = re.compile(
    r"^(?:(?i:the|a|an)|his|her|their|its|our|one|some|many|several|two|three|other|officials|"
    r"aides|advisers|analysts|experts|critics|supporters|voters|residents|[A-Z])\b"
)
# 'was called', 'is described as': a passive naming verb, never a cue.
_PASSIVE = re.compile(r"\b(?:was|were|is|are|be|been|being)\s+$")
# After a comma or 'also', 'often', the verb is passive only when the quote follows it at once
# ('Terre Haute, called the “Crossroads of America”'); with an object between, it is active
# ('Viguerie, who ran the campaign, called her “the first lady”', 'Trump also called it “a sham”').
_MAYBE_PASSIVE = re.compile(r"(?:\b(?:widely|often|also|once)|,)\s+$")
_QUOTE_NEXT = re.compile(r"\s*(?:(?:as|the|a|an)\s+)?(?:$|''|``|[\"“‘'])")
_PASSIVE_VERBS = frozenset(
    "described called labeled labelled dubbed branded referred characterized characterised".split()
)


@dataclass(slots=True)
class Mention:
    """Who a cue names: a name, a pronoun or a phrase as written, where, and how strong the cue."""

    kind: SpeakerKind  # never NONE
    text: str
    title: str | None
    position: int
    strength: float


_TITLE_LEAD = re.compile(r"^(?:the|a|an|and|but)\s+", re.I)


def strip_title(title: str) -> str | None:
    title = _TITLE_LEAD.sub("", title.strip(" ,.;:-–—"))
    title = title.strip(" ,.;:")
    if not title or len(title.split()) > 18:
        return None
    return title


def _head_name(segment: str) -> tuple[str, str, int, int] | None:
    """The name heading a noun phrase: 'Clinton campaign spokesman Brian Fallon' -> Brian Fallon."""
    chosen: tuple[str, str, int, int] | None = None
    for match in NAME_RUN.finditer(segment):
        title, name = clean_name(match.group(0))
        if not name or not is_name_like(name) or is_organisation(name):
            continue
        if chosen is not None:
            between = segment[chosen[3] : match.start()]
            if _DASH_BETWEEN.fullmatch(between):
                pass  # a dateline or a label before the dash: 'BERGEN (Wire) - Mara Quill'
            elif (
                not BETWEEN_MODIFIERS.match(between)
                or BETWEEN_STOP.search(between)
                or _BETWEEN_VERB.search(between)
            ):
                break
        chosen = (title, name, match.start(), match.end())
    return chosen


def _bare_name(segment: str) -> bool:
    """Whether a comma-separated piece is a name and nothing else: `Geoff Garin` in `Geoff Garin,
    a pollster who works with Priorities USA, said` is the subject, whatever the appositive names."""
    head = _head_name(segment)
    return (
        head is not None
        and " " in head[1]  # a full name: a lone capital may be `Additionally`, `Asked`
        and not segment[: head[2]].strip()
        and not segment[head[3] :].strip()
    )


def _segments(region: str) -> list[tuple[int, str]]:
    cleaned = _PARENS.sub(lambda m: " " * len(m.group(0)), region) if "(" in region else region
    if "," not in cleaned:
        return [(0, cleaned)]
    result = []
    pos = 0
    for part in cleaned.split(","):
        result.append((pos, part))
        pos += len(part) + 1
    return result


_MAX_REGION_WORDS = 30
# How many words may stand before a name that ends the region right before its verb:
# `Harbour Department senior litigation counsel Lena Varga wrote`.
_MAX_TAIL_PREFIX = 6
# A verb right after a name: the name is its subject.
_ACTS = re.compile(rf"\s+(?:[a-z]+ly\s+)?(?:{VERB_ALT}|[a-z]{{2,}}ed)\b")
_OBJECT_OF = re.compile(r"\b(?:for|of|at|with|from|by|to|in|on|about|against)\s+$")
_RELATIVE = re.compile(r"\s+(?:who|which|that|whose)\b.*$", re.S)
_SENTENCE_ENDS = (".", "!", "?")
# A capitalised run with `the` before it, at the end or the start of a region.
_THE_RUN_AT_END = re.compile(rf"(?:\b[Tt]he\s+)?({NAME_RUN.pattern})\s*$")
_THE_RUN_AT_START = re.compile(rf"\s*(?:[Tt]he\s+)?({NAME_RUN.pattern})")


def _has_the(region: str) -> bool:
    """Whether `region` holds `the ` in any case, as a run after `the` must (4 substring tests
    in C cost less than one case-blind search)."""
    return "he " in region or "HE " in region or "He " in region or "hE " in region


def _organisation_in(region: str, *, at_end: bool) -> tuple[str, int] | None:
    """An organisation named right beside the verb, as written, and where it starts: `the
    Harbour Department` (`the` and no title before a name), `CNN`, `the Labour Party`."""
    if at_end:
        # The run must end the region, so its last word does: most regions end in lower case,
        # and need no search for a run at every position.
        last = region.rsplit(None, 1)[-1:]
        if not last or not (last[0][:1].isupper() or last[0].startswith("al-")):
            return None
        word = last[0]
        if not (word[-1].isupper() or ORG_HEAD.search(word) or _has_the(region)):
            # What passes below is an organisation's head noun or an acronym, and they end
            # the region's last word, or else a run after `the`: most regions end on a person.
            return None
    else:
        first = region.lstrip()
        if not (first[:1].isupper() or first.startswith("the")):
            return None  # the run (or 'the') must open the region
    if at_end:
        # Neither a run nor `the` holds a comma, so the search starts after the last one.
        found = _THE_RUN_AT_END.search(region, region.rfind(",") + 1)
    else:
        found = _THE_RUN_AT_START.match(region)
    if found is None or _OBJECT_OF.search(region, 0, found.start()):
        return None  # `a spokeswoman for the Democratic National Convention` is a person
    title, name = clean_name(found.group(1))
    with_the = found.group(0).strip()[:4].lower() == "the "
    if not (is_organisation(found.group(1)) or (with_the and not title and name)):
        return None
    if name and not is_organisation(name) and is_name_like(name) and not with_the:
        return None
    text = found.group(0).strip()
    return text, found.start() + (len(found.group(0)) - len(found.group(0).lstrip()))


# The last word of any text _PRONOUN_AT_END finds in: a pronoun, or an adverb after one.
_PRONOUN_END_WORDS = tuple("he she they He She They I we We also then later again".split())


def _pronoun_at_end(text: str) -> re.Match[str] | None:
    """`_PRONOUN_AT_END.search(text)`, which tries every position, run only when the text ends
    on a word it can end on (most regions end on a name or a noun)."""
    if not text.rstrip().endswith(_PRONOUN_END_WORDS):
        return None
    return _PRONOUN_AT_END.search(text)


def _mention_in(
    region: str, offset: int, *, strength: float, before_verb: bool = True
) -> Mention | None:
    """The speaker named in a noun-phrase region (text between a quote and its cue verb)."""
    stripped = region.strip(" ,:;—–-\n")
    if not stripped:
        return None
    if (
        len(stripped) > 2 * _MAX_REGION_WORDS  # shorter, it cannot hold more words
        and len(stripped.split(None, _MAX_REGION_WORDS)) > _MAX_REGION_WORDS
    ):
        if before_verb:
            return None
        # `said Mr. Berg, who spent the morning criticising ... after ...`: the speaker and
        # the appositive come first, however long the description runs on after them.
        region = ",".join(region.split(",")[:2])
        stripped = region.strip(" ,:;—–-\n")
        if not stripped or len(stripped.split(None, _MAX_REGION_WORDS)) > _MAX_REGION_WORDS:
            return None
    pron = _pronoun_at_end(region.rstrip(" ,"))
    if pron is not None and pron.end() >= len(region.rstrip(" ,")) - 1:
        return Mention(
            SpeakerKind.PRONOUN, pron.group(1).lower(), None, offset + pron.start(1), strength
        )
    segments = _segments(region)
    organisation = _organisation_in(region, at_end=before_verb)
    if organisation is not None and (before_verb or not _head_name(segments[0][1])):
        # `the Harbour Department wrote to the paper`, `said the shipping alliance`: an organisation
        # right beside the verb is the source, whoever else the sentence names.
        text, at = organisation
        return Mention(SpeakerKind.PHRASE, text, None, offset + at, strength)
    order: Iterable[tuple[int, tuple[int, str]]] = enumerate(segments)
    opening = 0
    if len(segments) > 1:
        opening = _opening_parts([segment for _, segment in segments])
    if len(segments) > 1 and before_verb:
        # A name right before the verb ("Asked about it, Ryan said") beats one earlier on.
        _, tail = segments[-1] if segments[-1][1].strip() else segments[-2]
        tail_head = _head_name(tail)
        if (
            tail_head is not None
            and not tail[tail_head[3] :].strip(" '’s")
            and len(tail[: tail_head[2]].split()) <= _MAX_TAIL_PREFIX
            and not _STOP_BEFORE.search(tail[: tail_head[2]])
            and not _bare_name(segments[0][1])
        ):
            last = len(segments) - 1 if segments[-1][1].strip() else len(segments) - 2
            order = [(last, segments[last]), *order]
    for number, (pos, segment) in order:
        if number < opening and number + 1 < len(segments):
            continue  # `Reached by phone, Brandt denied it`: the name in the phrase is no subject
        head = _head_name(segment)
        if head is None:
            continue
        title_words, name, run_start, run_end = head
        if (
            number + 1 < len(segments)
            and _MODIFIED_NOUN.fullmatch(segment, run_end)
            and not VERB.search(segment, run_end)
            and _bare_name(segments[number + 1][1])
        ):
            # `another Twitter user, Johanna Bayer` / `Mr. Trump's campaign chairman, Paul
            # Manafort,`: the name modifies a noun, and the name after the comma is that noun.
            pos, named = segments[number + 1]
            _, name, run_start, _ = _head_name(named) or head
            return Mention(
                SpeakerKind.NAME, name, strip_title(segment), offset + pos + run_start, strength
            )
        title = None
        if number + 1 < len(segments):
            appositive = segments[number + 1][1].strip()
            if appositive and not _PREPOSITION.match(appositive) and not VERB.search(appositive):
                title = strip_title(appositive)
        if title is None:
            prefix = _LEADING_FILLER.sub("", segment[:run_start].strip())
            if prefix and len(prefix.split()) <= 6 and not _PREPOSITION.match(prefix):
                title = strip_title(f"{prefix} {title_words}".strip())
            elif title_words:
                title = strip_title(title_words)
        return Mention(SpeakerKind.NAME, name, title, offset + pos + run_start, strength)
    if pron is not None:
        return Mention(
            SpeakerKind.PRONOUN, pron.group(1).lower(), None, offset + pron.start(1), strength
        )
    # The subject ends the region before a verb and opens the one after it.
    phrase = _LEADING_FILLER.sub("", segments[-1 if before_verb else 0][1].strip(" ,:;—–-\n"))
    if not before_verb:
        phrase = _RELATIVE.sub("", phrase)  # `said a senior official who asked not to be named`
    if (
        phrase
        and len(phrase.split()) <= 8
        and _NOUN_PHRASE.match(phrase)
        and not VERB.search(phrase)
    ):
        return Mention(SpeakerKind.PHRASE, phrase, None, offset, strength * 0.8)
    return None


def _used_passively(sentence: str, verb: re.Match[str]) -> bool:
    """Whether a speech verb is a naming verb (`described`, `called`) used in the passive here:
    'was described as'. Other speech verbs never are, which is asked first."""
    return verb.group(0) in _PASSIVE_VERBS and (
        _PASSIVE.search(sentence, 0, verb.start()) is not None
        or (
            _MAYBE_PASSIVE.search(sentence, 0, verb.start()) is not None
            and _QUOTE_NEXT.match(sentence, verb.end()) is not None
        )
    )


def _verbs(sentence: str) -> list[re.Match[str]]:
    """Speech verbs in a sentence, without passives like 'was described as'."""
    found = []
    for match in VERB.finditer(sentence):
        if not _used_passively(sentence, match):
            found.append(match)
    return found


def _first_verb(sentence: str) -> re.Match[str] | None:
    """The first of `_verbs(sentence)`: the scan stops there."""
    for match in VERB.finditer(sentence):
        if not _used_passively(sentence, match):
            return match
    return None


def _subject_or_object(
    sentence: str, verb: re.Match[str], offset: int, strength: float
) -> Mention | None:
    region = sentence[: verb.start()]
    mention = _mention_in(region, offset, strength=strength)
    if mention is None or mention.kind == SpeakerKind.PHRASE:
        # Inverted order: `“...” about the decision, said RoseAnn DeMoro, executive director`.
        after = sentence[verb.end() :].rstrip(" .")
        inverted = _mention_in(after, offset + verb.end(), strength=strength, before_verb=False)
        if (
            inverted is not None
            and inverted.kind == SpeakerKind.NAME
            and _head_name(after.split(",")[0])
        ):
            return inverted
    return mention


def cue_after(text: str, start: int, end: int) -> Mention | None:
    """`,” X said` / `,” said X, title` / `” – Name, title.` right after a closing mark."""
    s, e = first_sentence(text, start, end)
    sentence = text[s:e]
    dash = DASH_START.match(sentence)
    if dash:
        body = sentence[dash.end() :].rstrip(" .")
        name, _, rest = body.partition(",")
        head = _head_name(name)
        if head is not None:
            title = (
                strip_title(rest) if rest.strip() else (strip_title(head[0]) if head[0] else None)
            )
            return Mention(SpeakerKind.NAME, head[1], title, s + dash.end() + head[2], 0.95)
        return None
    first = VERB_FIRST.match(sentence)
    if first:
        return _mention_in(
            sentence[first.end() :].rstrip(" ."), s + first.end(), strength=0.9, before_verb=False
        )
    according = _according(sentence)
    verb = _first_verb(sentence)
    if according and (verb is None or according.start() < verb.start()):
        return _mention_in(
            sentence[according.end() :].rstrip(" ."),
            s + according.end(),
            strength=0.85,
            before_verb=False,
        )
    if verb is None:
        return None
    strength = 0.9 if len(sentence[: verb.start()].split()) <= 12 else 0.7
    return _subject_or_object(sentence, verb, s, strength)


def _clause_subject(text: str, para_start: int, at: int) -> Mention | None:
    """The subject of the sentence a participle (`, saying “...”`) hangs from."""
    s, _ = last_sentence(text, para_start, at)
    region = text[s:at]
    parts = region.split(",")
    skip = _opening_parts(parts)
    if skip >= len(parts):
        return None
    offset = sum(len(part) + 1 for part in parts[:skip])
    head = _head_name(region[offset:].split(",")[0])
    if head is None:
        return None
    return Mention(SpeakerKind.NAME, head[1], None, s + offset + head[2], 0.75)


def _opening_parts(parts: list[str]) -> int:
    """How many comma-separated parts open a sentence before its subject: `Reached by phone,`,
    `At a rally in Portsmouth, N.H., on Tuesday,` (a state after its city, `on Tuesday`)."""
    count = 0
    for part in parts[:4]:
        if not (INTRODUCTORY.match(part) or (count and _PHRASE_GOES_ON.match(part))):
            break
        count += 1
    return count


# What continues an opening phrase after a comma: a state after its city, `on Tuesday`.
_PHRASE_GOES_ON = re.compile(r"\s*(?:(?:[A-Z]\.)+|[A-Z][a-z]+\.?|(?:on|in|at|after)\s.*)$")
# A phrase that opens a sentence before its subject: a participle or a preposition.
INTRODUCTORY = re.compile(
    r"\s*(?:[A-Z][a-z]+(?:ing|ed)\s+[a-z]|(?:In|On|At|After|Before|During|Behind|From|With|For|"
    r"Since|Until|Like|Unlike|Despite|Amid|Among|Following|Throughout|Under|Without|Against)\b"
    # a subordinate clause, with more than a name after its conjunction ('As Blumenthal spoke,'
    # but not 'As Steven Rosenthal, a tax lawyer, put it')
    r"|(?:When|While|As|Although|Though|Because|If|Once|Ever since|Even (?:as|though|if|when|while|before|after))\b.*\s[a-z])"
)


_SUBJECT_VERB = re.compile(
    r"(?:\s+(?:also|then|later|again|once|has|had|have|was|is|will|would)\b)*\s+[a-z]"
)


def sentence_subject(text: str, start: int, at: int, index: NameIndex) -> Mention | None:
    """A known person opening the sentence a quote sits in (`Rubio also bemoaned people “...”`).

    `start` is where the text outside quotes begins (the paragraph or the previous quote's end).
    """
    s, _ = last_sentence(text, start, at)  # (at, at) for blank text, which names no one
    region = text[s:at]
    match = NAME_RUN.match(region)
    if match is None or POSSESSIVE_END.search(match.group(0)):
        return None
    title, name = clean_name(match.group(0))
    if (
        not name
        or not is_name_like(name)
        or (" " not in name and surname(name) not in index.by_surname)
        or not _SUBJECT_VERB.match(region, match.end())
    ):
        return None
    return Mention(
        SpeakerKind.NAME, name, strip_title(title) if title else None, s + match.start(), 0.6
    )


def _acting_name(region: str, offset: int) -> Mention | None:
    """The last person in `region` who does something (`Mr. Ostrow emailed`, `Mrs. Quill
    echoed`): who a participle after the region (`, telling them “...”`) hangs from."""
    found = None
    for match in NAME_RUN.finditer(region):
        if _ACTS.match(region, match.end()) and not _OBJECT_OF.search(region, 0, match.start()):
            found = match  # ('Senator Mara Quill of Vermont backed': not Vermont)
    if found is None:
        return None
    title, name = clean_name(found.group(0))
    if not name or not is_name_like(name) or is_organisation(name):
        return None
    return Mention(
        SpeakerKind.NAME, name, strip_title(title) if title else None, offset + found.start(), 0.8
    )


# Compiled here, not on a call's first use inside a pass.
_SPACED_DASH = re.compile(r"\s[-–—]+\s")
_PRONOUN_FIRST = re.compile(r"\s*(He|She|he|she)\b")


def cue_before(text: str, start: int, end: int, para_start: int) -> Mention | None:
    """`X said: “` / `According to X, “` / `X called the offer “` in the sentence before a quote."""
    s, e = last_sentence(text, start, end)
    sentence = text[s:e]
    verbs = _verbs(sentence)
    according = _according(sentence)
    if according and (not verbs or according.start() > verbs[-1].start()):
        after = sentence[according.end() :]
        return _mention_in(
            after.split(",")[0] if "," in after else after, s + according.end(), strength=0.85
        )
    if not verbs:
        stripped = sentence.rstrip()
        if stripped.endswith(":"):
            # `Pollsters agree - Carl Bialik: “...` / `Politico reveals a few relevant facts:`
            tail = _SPACED_DASH.split(stripped[:-1])[-1]
            source = _FROM_SOURCE.search(tail)
            if source is not None:
                tail = tail[source.end() :]  # `More from Jones:`, `A statement by Smith:`
            parts = tail.split(",")
            skip = _opening_parts(parts)  # `Asked which county he would win, he demurred:`
            skip = skip if skip < len(parts) else 0
            part = parts[skip]
            offset = s + stripped[:-1].rfind(tail) + sum(len(p) + 1 for p in parts[:skip])
            head = _head_name(part)
            if (
                head is None
                and skip + 1 < len(parts)
                and _DESCRIBED.match(part.strip())
                and _bare_name(parts[skip + 1])
            ):
                # `A longtime ally, Councillor Lena Varga, defended the plan on the radio:`
                offset += len(part) + 1
                head = _head_name(parts[skip + 1])
            if head is not None and _OBJECT_OF.search(part, 0, head[2]):
                return None  # `... and set the mayor against Quill: “` is not Quill speaking
            if head is not None:
                return Mention(SpeakerKind.NAME, head[1], None, offset + head[2], 0.75)
            first = _PRONOUN_FIRST.match(part)
            if first:
                return Mention(
                    SpeakerKind.PRONOUN, first.group(1).lower(), None, offset + first.start(1), 0.7
                )
        return None
    # A sentence that ends before the quote attributes it with its main verb, the first
    # (`Quill said, pointing to a fund called Harbour First. “...”`); one that leads into it
    # (`X told CNN, “`, `X called the offer “`) with the verb right before the quote.
    verb = verbs[0] if sentence.rstrip()[-1:] in _SENTENCE_ENDS else verbs[-1]
    region = sentence[: verb.start()]
    if not region.strip(" ,;:—–-") and verb.group(0).endswith("ing"):
        return _clause_subject(text, para_start, s + verb.start())
    # The subject is the start of the clause the verb belongs to.
    clause = max(region.rfind(";"), region.rfind(" and "), region.rfind(" but "))
    if region[:clause].count(",") % 2 == 1 and region[clause] != ";":
        # `X, a Republican who voted for JFK and Bill Clinton, said`: the "and" is inside an
        # appositive that the comma before the verb closes, so X stays the subject.
        clause = region.rfind(";")
    if clause > 0 and _mention_in(region[clause:], 0, strength=1) is not None:
        region_start = clause
    else:
        region_start = 0
        if clause > 0 and region[clause:].strip() == "and":
            # `Berg said he expected a trial and added, “`: the verb shares the subject of
            # the clause before it, whoever else the sentence names.
            acting = _acting_name(region[:clause], s)
            if acting is not None:
                return acting
    if verb.group(0).endswith("ing") and region.rstrip().endswith(","):
        acting = _acting_name(region, s)
        if acting is not None:
            return acting  # `Mr. Ostrow emailed clients, telling them the firm was “...”`
        mention = _mention_in(region[region_start:], s + region_start, strength=0.8)
        if mention is None or mention.kind == SpeakerKind.PHRASE:
            return _clause_subject(text, para_start, s + verb.start()) or mention
        return mention
    strength = 0.9 if sentence.rstrip().endswith((":", ",")) else 0.8
    return _mention_in(region[region_start:], s + region_start, strength=strength)


# `Norvik Energy issued a statement`: who made a statement, with no speech verb.
_ISSUED = re.compile(r"\b(?:issued|released|put out|published|sent out|posted)\s")


def statement_cue(text: str, start: int, end: int, para_start: int) -> Mention | None:
    """The source of a sentence that mentions a statement: `X said in a statement`, `In a
    statement, X said`, `X issued a statement`."""
    mention = cue_before(text, start, end, para_start)
    if mention is not None:
        return mention
    issued = _ISSUED.search(text, start, end)
    if issued is None:
        return None
    return _mention_in(text[start : issued.start()], start, strength=0.8)
