"""Quotations and who said them: quote marks paired per paragraph, cues found around them, speakers resolved like a reader would."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from typing import NamedTuple

from bot.extract.layout import Paragraph, sentences
from bot.extract.names import (
    NAME_RUN,
    NameIndex,
    NameRun,
    clean_name,
    is_name_like,
    name_runs,
    surname,
)

_DOUBLE = re.compile(r"''|``|[\"“”„«»]")
_SINGLE_OPEN = re.compile(r"(?:(?<=^)|(?<=[\s(\[—–-]))[‘'](?=[^\W\d_])")
_SINGLE_CLOSE = re.compile(r"(?<=[^\s'‘])[’'](?![^\W_])")
_OPENERS = "“„«"
_CLOSERS = "”»"
_SPACE_BEFORE_OPEN = " \t\n([{—–-/"

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
thanked thanks theorized theorised vented vents griping fuming stating citing""".split()
_PHRASES = ["pointed out", "points out", "went on", "goes on", "put it", "puts it", "summed up"]


_Trie = dict[str, "_Trie"]


def _trie_pattern(words: set[str]) -> str:
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


_VERB_ALT = _trie_pattern({*_SPEECH, *_PHRASES})
_VERB = re.compile(rf"(?=[a-z])\b(?:{_VERB_ALT})\b")
_VERB_FIRST = re.compile(rf"[\s,;:]*(?:{_VERB_ALT}|Said|Says)\b")
_ACCORDING = re.compile(r"\b[Aa]ccording to\b")
_DASH_START = re.compile(r"\s*,?\s*(?:[-–—]{1,2}|―)\s*(?=\S)")
_PRONOUNS = {"he": "m", "she": "f", "they": "p", "i": "s", "we": "p"}
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
_BETWEEN_MODIFIERS = re.compile(
    r"^(?:['’]s?)?(?:\s+(?:[a-z][a-z-]*|\d+(?:st|nd|rd|th)|\d+-[a-z]+)){1,4}\s+$"
)
_BETWEEN_STOP = re.compile(
    r"\b(?:in|on|at|for|to|from|with|by|of|during|after|before|and|or|who|which|that|said|told|"
    r"says|is|was|has|had|will|would)\b"
)
# A verb between two names makes the second its object, not the head of one noun phrase:
# 'Warren praised Mrs. Clinton's advocacy' is Warren, as 'campaign spokesman Brian Fallon' is not.
_BETWEEN_VERB = re.compile(rf"\b(?:[a-z]{{2,}}ed|{_VERB_ALT})\b")
# What follows a name that only modifies a noun: `Twitter user`, `Trump's campaign chairman`.
_MODIFIED_NOUN = re.compile(r"(?:['’]s?)?(?:\s+[a-z][a-z-]*)+\s*")
_STATEMENT_NOUN = re.compile(
    r"\b(?:statement|release|report|letter|memo|filing|post|tweet|document|announcement|note)$"
)
_STOP_BEFORE = re.compile(
    r"\b(?:if|that|whether|when|who|which|for|of|to|with|by|is|was|had|has|at|in|on|from|"
    r"about)\b"
)
_NOUN_PHRASE = re.compile(
    r"^(?:the|a|an|his|her|their|its|our|one|some|many|several|two|three|other|officials|"
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
# he, his, she as whole words. Starting with a plain character class lets the scanner jump
# between candidate letters in C (a leading lookahead or \b makes it try every position); the
# lookbehinds then ask for a word start and the right first letter.
_PRONOUN_WORDS = re.compile(r"[HhSs](?<!\w[HhSs])(?:(?<=[Hh])(?:e|is)|(?<=[Ss])he)\b")


@dataclass
class _Span:
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
    kind: str = "none"  # name | pronoun | phrase | none
    score: float = 0.0
    cued: bool = False  # a cue verb or dash line was found, even if its speaker was not
    weak: bool = False  # the speaker is only the subject of the sentence, with no cue verb


@dataclass(frozen=True)
class FoundQuote:
    """A quotation in the plain text, before offsets are mapped back to the given text."""

    start: int
    end: int
    speaker: str | None
    title: str | None
    score: float
    group: int
    key: str  # its words, lowercased, without punctuation: how repeats are told apart


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _double_spans(text: str, para: Paragraph, index: int) -> list[_Span]:
    spans: list[_Span] = []
    inside: int | None = None
    inner = 0
    pstart, pend = para.start, para.end
    for match in _DOUBLE.finditer(text, pstart, pend):
        mark, pos, after_pos = match.group(0), match.start(), match.end()
        before = text[pos - 1] if pos > pstart else "\n"
        after = text[after_pos] if after_pos < pend else "\n"
        opening = before in _SPACE_BEFORE_OPEN and not after.isspace()
        closing = not before.isspace() and (after.isspace() or not after.isalnum())
        if inside is None:
            if mark in _CLOSERS and not opening:
                continue  # a stray closing mark
            if mark not in _OPENERS and closing and not opening and mark != "``":
                continue
            inside, inner = pos, after_pos
            continue
        if mark in _OPENERS and opening and not closing:
            inside, inner = pos, after_pos  # an opening mark before the last one closed
            continue
        start, end = _trim(text, inner, pos)
        if end > start:
            spans.append(_Span(inside, start, end, after_pos, index, True))
        inside = None
    if inside is not None:
        start, end = _trim(text, inner, pend)
        if end > start:
            spans.append(_Span(inside, start, end, pend, index, False))
    return spans


def _single_spans(text: str, para: Paragraph, index: int) -> list[_Span]:
    spans: list[_Span] = []
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
            spans.append(_Span(opener.start(), start, end, chosen + 1, index, True))
        pos = chosen + 1
    return spans


def find_spans(text: str, paras: list[Paragraph]) -> list[_Span]:
    """Every quoted stretch, one per paragraph, with multi-paragraph quotes grouped."""
    spans: list[_Span] = []
    group = 0
    open_group: int | None = None
    for index, para in enumerate(paras):
        if para.skip:
            continue
        found = _double_spans(text, para, index)
        if not found:
            line = text[para.start : para.end]
            if '"' not in line and ("‘" in line or " '" in line or line.startswith("'")):
                found = _single_spans(text, para, index)
        for number, span in enumerate(found):
            if number == 0 and open_group is not None and span.open == para.start:
                span.continued = True
                span.group = open_group
            else:
                span.group = group
                group += 1
        open_group = found[-1].group if found and not found[-1].closed else None
        spans.extend(found)
    return spans


@dataclass
class _Mention:
    kind: str  # name | pronoun | phrase
    text: str
    title: str | None
    position: int
    strength: float


def _strip_title(title: str) -> str | None:
    title = re.sub(r"^(?:the|a|an|and|but)\s+", "", title.strip(" ,.;:-–—"), flags=re.I)
    title = title.strip(" ,.;:")
    if not title or len(title.split()) > 18:
        return None
    return title


def _head_name(segment: str) -> tuple[str, str, int, int] | None:
    """The name heading a noun phrase: 'Clinton campaign spokesman Brian Fallon' -> Brian Fallon."""
    chosen: tuple[str, str, int, int] | None = None
    for match in NAME_RUN.finditer(segment):
        title, name = clean_name(match.group(0))
        if not name or not is_name_like(name):
            continue
        if chosen is not None:
            between = segment[chosen[3] : match.start()]
            if (
                not _BETWEEN_MODIFIERS.match(between)
                or _BETWEEN_STOP.search(between)
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
    cleaned = _PARENS.sub(lambda m: " " * len(m.group(0)), region)
    result = []
    pos = 0
    for part in cleaned.split(","):
        result.append((pos, part))
        pos += len(part) + 1
    return result


def _mention_in(
    region: str, offset: int, *, strength: float, before_verb: bool = True
) -> _Mention | None:
    """The speaker named in a noun-phrase region (text between a quote and its cue verb)."""
    stripped = region.strip(" ,:;—–-\n")
    if not stripped or len(stripped.split()) > 30:
        return None
    pron = _PRONOUN_AT_END.search(region.rstrip(" ,"))
    segments = _segments(region)
    order = list(enumerate(segments))
    if len(segments) > 1 and before_verb:
        # A name right before the verb ("Asked about it, Ryan said") beats one earlier on.
        _, tail = segments[-1] if segments[-1][1].strip() else segments[-2]
        tail_head = _head_name(tail)
        if (
            tail_head is not None
            and not tail[tail_head[3] :].strip(" '’s")
            and len(tail[: tail_head[2]].split()) <= 3
            and not _STOP_BEFORE.search(tail[: tail_head[2]])
            and not _bare_name(segments[0][1])
        ):
            last = len(segments) - 1 if segments[-1][1].strip() else len(segments) - 2
            order = [(last, segments[last]), *order]
    if pron is not None and pron.end() >= len(region.rstrip(" ,")) - 1:
        return _Mention("pronoun", pron.group(1).lower(), None, offset + pron.start(1), strength)
    opening = _opening_parts([segment for _, segment in segments])
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
            and not _VERB.search(segment, run_end)
            and _bare_name(segments[number + 1][1])
        ):
            # `another Twitter user, Johanna Bayer` / `Mr. Trump's campaign chairman, Paul
            # Manafort,`: the name modifies a noun, and the name after the comma is that noun.
            pos, named = segments[number + 1]
            _, name, run_start, _ = _head_name(named) or head
            return _Mention("name", name, _strip_title(segment), offset + pos + run_start, strength)
        title = None
        if number + 1 < len(segments):
            appositive = segments[number + 1][1].strip()
            if appositive and not _PREPOSITION.match(appositive) and not _VERB.search(appositive):
                title = _strip_title(appositive)
        if title is None:
            prefix = _LEADING_FILLER.sub("", segment[:run_start].strip())
            if prefix and len(prefix.split()) <= 6 and not _PREPOSITION.match(prefix):
                title = _strip_title(f"{prefix} {title_words}".strip())
            elif title_words:
                title = _strip_title(title_words)
        return _Mention("name", name, title, offset + pos + run_start, strength)
    if pron is not None:
        return _Mention("pronoun", pron.group(1).lower(), None, offset + pron.start(1), strength)
    phrase = _LEADING_FILLER.sub("", segments[-1][1].strip(" ,:;—–-\n"))
    if (
        phrase
        and len(phrase.split()) <= 8
        and _NOUN_PHRASE.match(phrase)
        and not _VERB.search(phrase)
    ):
        return _Mention("phrase", phrase, None, offset, strength * 0.8)
    return None


def _first_sentence(text: str, start: int, end: int) -> tuple[int, int]:
    for span in sentences(text, start, end):
        return start, span[1]
    return start, start


def _last_sentence(text: str, start: int, end: int) -> tuple[int, int]:
    last = (end, end)
    for span in sentences(text, start, end):
        last = span
    return last


def _verbs(sentence: str) -> list[re.Match[str]]:
    """Speech verbs in a sentence, without passives like 'was described as'."""
    found = []
    for match in _VERB.finditer(sentence):
        if match.group(0) in _PASSIVE_VERBS and (
            _PASSIVE.search(sentence, 0, match.start())
            or (
                _MAYBE_PASSIVE.search(sentence, 0, match.start())
                and _QUOTE_NEXT.match(sentence, match.end())
            )
        ):
            continue
        found.append(match)
    return found


def _subject_or_object(
    sentence: str, verb: re.Match[str], offset: int, strength: float
) -> _Mention | None:
    region = sentence[: verb.start()]
    mention = _mention_in(region, offset, strength=strength)
    if mention is None or mention.kind == "phrase":
        # Inverted order: `“...” about the decision, said RoseAnn DeMoro, executive director`.
        after = sentence[verb.end() :].rstrip(" .")
        inverted = _mention_in(after, offset + verb.end(), strength=strength, before_verb=False)
        if inverted is not None and inverted.kind == "name" and _head_name(after.split(",")[0]):
            return inverted
    return mention


def _cue_after(text: str, start: int, end: int) -> _Mention | None:
    """`,” X said` / `,” said X, title` / `” – Name, title.` right after a closing mark."""
    s, e = _first_sentence(text, start, end)
    sentence = text[s:e]
    dash = _DASH_START.match(sentence)
    if dash:
        body = sentence[dash.end() :].rstrip(" .")
        name, _, rest = body.partition(",")
        head = _head_name(name)
        if head is not None:
            title = (
                _strip_title(rest) if rest.strip() else (_strip_title(head[0]) if head[0] else None)
            )
            return _Mention("name", head[1], title, s + dash.end() + head[2], 0.95)
        return None
    first = _VERB_FIRST.match(sentence)
    if first:
        return _mention_in(
            sentence[first.end() :].rstrip(" ."), s + first.end(), strength=0.9, before_verb=False
        )
    according = _ACCORDING.search(sentence)
    verbs = _verbs(sentence)
    if according and (not verbs or according.start() < verbs[0].start()):
        return _mention_in(
            sentence[according.end() :].rstrip(" ."),
            s + according.end(),
            strength=0.85,
            before_verb=False,
        )
    if not verbs:
        return None
    verb = verbs[0]
    strength = 0.9 if len(sentence[: verb.start()].split()) <= 12 else 0.7
    return _subject_or_object(sentence, verb, s, strength)


def _clause_subject(text: str, para_start: int, at: int) -> _Mention | None:
    """The subject of the sentence a participle (`, saying “...”`) hangs from."""
    s = para_start
    for begin, _ in sentences(text, para_start, at):
        s = begin
    region = text[s:at]
    parts = region.split(",")
    skip = _opening_parts(parts)
    if skip >= len(parts):
        return None
    offset = sum(len(part) + 1 for part in parts[:skip])
    head = _head_name(region[offset:].split(",")[0])
    if head is None:
        return None
    return _Mention("name", head[1], None, s + offset + head[2], 0.75)


def _opening_parts(parts: list[str]) -> int:
    """How many comma-separated parts open a sentence before its subject: `Reached by phone,`,
    `At a rally in Portsmouth, N.H., on Tuesday,` (a state after its city, `on Tuesday`)."""
    count = 0
    for part in parts[:4]:
        if not (_INTRODUCTORY.match(part) or (count and _PHRASE_GOES_ON.match(part))):
            break
        count += 1
    return count


# What continues an opening phrase after a comma: a state after its city, `on Tuesday`.
_PHRASE_GOES_ON = re.compile(r"\s*(?:(?:[A-Z]\.)+|[A-Z][a-z]+\.?|(?:on|in|at|after)\s.*)$")
# A phrase that opens a sentence before its subject: a participle or a preposition.
_INTRODUCTORY = re.compile(
    r"\s*(?:[A-Z][a-z]+(?:ing|ed)\s+[a-z]|(?:In|On|At|After|Before|During|Behind|From|With|For|"
    r"Since|Until|Like|Unlike|Despite|Amid|Among|Following|Throughout|Under|Without|Against)\b"
    # a subordinate clause, with more than a name after its conjunction ('As Blumenthal spoke,'
    # but not 'As Steven Rosenthal, a tax lawyer, put it')
    r"|(?:When|While|As|Although|Though|Because|If|Once|Ever since|Even (?:as|though|if|when|while|before|after))\b.*\s[a-z])"
)


_SUBJECT_VERB = re.compile(
    r"(?:\s+(?:also|then|later|again|once|has|had|have|was|is|will|would)\b)*\s+[a-z]"
)


def _sentence_subject(text: str, start: int, at: int, index: NameIndex) -> _Mention | None:
    """A known person opening the sentence a quote sits in (`Rubio also bemoaned people “...”`).

    `start` is where the text outside quotes begins (the paragraph or the previous quote's end).
    """
    s = start
    for begin, _ in sentences(text, start, at):
        s = begin
    region = text[s:at]
    match = NAME_RUN.match(region)
    if match is None or _POSSESSIVE_END.search(match.group(0)):
        return None
    title, name = clean_name(match.group(0))
    if (
        not name
        or not is_name_like(name)
        or (" " not in name and surname(name) not in index.by_surname)
        or not _SUBJECT_VERB.match(region, match.end())
    ):
        return None
    return _Mention("name", name, _strip_title(title) if title else None, s + match.start(), 0.6)


def _cue_before(text: str, start: int, end: int, para_start: int) -> _Mention | None:
    """`X said: “` / `According to X, “` / `X called the offer “` in the sentence before a quote."""
    s, e = _last_sentence(text, start, end)
    sentence = text[s:e]
    verbs = _verbs(sentence)
    according = _ACCORDING.search(sentence)
    if according and (not verbs or according.start() > verbs[-1].start()):
        after = sentence[according.end() :]
        return _mention_in(
            after.split(",")[0] if "," in after else after, s + according.end(), strength=0.85
        )
    if not verbs:
        stripped = sentence.rstrip()
        if stripped.endswith(":"):
            # `Pollsters agree - Carl Bialik: “...` / `Politico reveals a few relevant facts:`
            tail = re.split(r"\s[-–—]+\s", stripped[:-1])[-1]
            source = _FROM_SOURCE.search(tail)
            if source is not None:
                tail = tail[source.end() :]  # `More from Jones:`, `A statement by Smith:`
            parts = tail.split(",")
            skip = _opening_parts(parts)  # `Asked which county he would win, he demurred:`
            skip = skip if skip < len(parts) else 0
            part = parts[skip]
            offset = s + stripped[:-1].rfind(tail) + sum(len(p) + 1 for p in parts[:skip])
            head = _head_name(part)
            if head is not None:
                return _Mention("name", head[1], None, offset + head[2], 0.75)
            first = re.match(r"\s*(He|She|he|she)\b", part)
            if first:
                return _Mention(
                    "pronoun", first.group(1).lower(), None, offset + first.start(1), 0.7
                )
        return None
    verb = verbs[-1]
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
    if verb.group(0).endswith("ing") and region.rstrip().endswith(","):
        mention = _mention_in(region[region_start:], s + region_start, strength=0.8)
        if mention is None or mention.kind == "phrase":
            return _clause_subject(text, para_start, s + verb.start()) or mention
        return mention
    strength = 0.9 if sentence.rstrip().endswith((":", ",")) else 0.8
    return _mention_in(region[region_start:], s + region_start, strength=strength)


class _Person(NamedTuple):
    position: int
    name: str
    subject: bool
    first: bool = False  # the first person named in its sentence
    speaks: bool = False  # a speech verb next to the name ('Stovall said', 'said Stovall')


_SENTENCE_START = re.compile(r"(?:^|\n|[.!?…][\"”’)]?\s+)$")
# What follows a lone capitalised word that opens a sentence as its subject: a verb ('Walsh
# said', 'Walsh quickly agreed') or an appositive ('Walsh, a former labor leader, had').
# ('his', 'this', 'is', 'was' end in s too, but follow adverbs and prepositions: 'Behind his desk'.)
_LOWER_NEXT = re.compile(
    r" (?:[a-z]+ly )?(?!(?:his|this|its|is|was|has|as|us)\b)[a-z]+(?:ed|s)\b"
    r"|, (?:a|an|the|who) [a-z]"
)
_FROM_SOURCE = re.compile(r"^\S.*?\b(?:from|by)\s+(?=[A-Z])")
_BREAK = re.compile(r"[.!?…][\"”’)]*\s+(?=[\"“‘(]*[A-Z0-9])|\n")
_POSSESSIVE_END = re.compile(r"['’]s?$")
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
_THE_BEFORE = re.compile(r"\b[Tt]he\s+$")
# Head nouns of organisations, places and documents: never a person's name.
_ORG_HEAD = re.compile(
    r"\b(?:Party|Court|Republic|Amendment|Act|Committee|Council|Department|Agency|University|"
    r"College|School|Institute|Center|Centre|Foundation|Association|Union|League|Bank|Company|"
    r"Corporation|Group|News|Times|Post|Journal|Review|Magazine|Network|Channel|Press|Radio|"
    r"Senate|Congress|Parliament|Assembly|Administration|Office|Ministry|Service|Board|Commission|"
    r"Campaign|Fund|Trust|Club|Church|Hospital|Airport|Street|Avenue|Road|Square|Park|River|"
    r"County|City|State|States|Kingdom|Island|Islands|Mountains|Valley|Coast|Street|Inc|Corp|Co)$"
)
_MODIFIER_WORD = re.compile(r"[a-z][a-z-]*")


def _premodifier(text: str, end: int, next_start: int) -> bool:
    """A name followed by lowercase nouns and another name modifies it: 'Clinton aide Huma Abedin'."""
    if next_start - end > 40:
        return False
    between = text[end:next_start]
    if not _BETWEEN_MODIFIERS.match(between) or _BETWEEN_STOP.search(between):
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


_VERB_BEFORE = re.compile(rf"\b(?:{_VERB_ALT}) $")
_SUBJECT_BEFORE = re.compile(r"(?:^|\n|[.!?…][\"”’)]?\s+|[,;:—–]\s+(?:and |but |then )?)$")


def _in_opening_phrase(text: str, start: int) -> bool:
    """Whether a name at `start` sits in a phrase opening its sentence before the first comma
    (`In Iowa, Cruz ...`, `On the last day of the Convention, Ivanka Trump ...`)."""
    lo = max(0, start - 120)
    begin = -1
    for match in _BREAK.finditer(text, lo, start):
        begin = match.end()
    if begin < 0 and lo > 0:
        return False
    opening = text[max(begin, 0) : start]
    return "," not in opening and _INTRODUCTORY.match(opening) is not None


class _Resolver:
    """Turns mentions into full names using the article's name index and recent people."""

    def __init__(self, text: str, spans: list[_Span]) -> None:
        self.text = text
        runs = name_runs(text)
        self.index = NameIndex.build(text, runs)
        self._runs: list[NameRun] = runs
        self._spans = spans
        self._people: list[_Person] | None = None
        self.positions: list[int] = []
        self.gender: dict[str, str] = {}

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

        runs = [run for run in self._runs if not quoted(run.start)]
        people: list[_Person] = []
        ends: list[int] = []
        votes: dict[str, dict[str, int]] = {}
        lone: set[str] = set()
        titled: list[tuple[int, str, bool]] = []  # (person, gender of the title, bare surname)
        placed: set[str] = set()  # names seen after 'in': places, unless a title or a verb of
        spoke: set[str] = set()  # speech beside them shows a person ('in Ohio', 'Kasich said')
        previous_end = -1
        for number, (start, end, run, title, name) in enumerate(runs):
            words = name.split()
            if len(words) > 4:
                continue
            if not title and _THE_BEFORE.search(text, max(0, start - 4), start):
                continue  # 'the Tea Party', 'the Supreme Court': people are not 'the X'
            if _ORG_HEAD.search(name):
                continue
            if number + 1 < len(runs) and _premodifier(text, end, runs[number + 1][0]):
                continue  # 'Obama consultant Cornell Belcher': Obama is not the person here
            indexed = surname(name) in self.index.by_surname
            lone_subject = (
                " " not in run
                and _SENTENCE_START.search(text, max(0, start - 4), start) is not None
                and _LOWER_NEXT.match(text, end) is not None
            )
            if len(words) == 1 and not indexed and not lone_subject:
                continue  # a lone capitalised word is a person only as a sentence's subject
            full = self.index.expand(name, start)
            if len(words) == 1 and not indexed:
                lone.add(full)
            first_in_sentence = previous_end < 0 or (
                _BREAK.search(text, previous_end, start) is not None
            )
            if first_in_sentence and _in_opening_phrase(text, start):
                first_in_sentence = False  # 'On the last day of the Convention, Ivanka Trump'
            subject = not _POSSESSIVE_END.search(run) and (
                first_in_sentence
                or _SUBJECT_BEFORE.search(text, max(0, start - 12), start) is not None
            )
            if text[max(0, start - 3) : start] == "in " and not _POSSESSIVE_END.search(run):
                placed.add(full)
            speaks = bool(
                _VERB.match(text, end + 1) or _VERB_BEFORE.search(text, max(0, start - 12), start)
            )
            if title or speaks:
                spoke.add(full)
            people.append(_Person(start, full, subject, subject and first_in_sentence, speaks))
            ends.append(end)
            previous_end = end
            lead = title.split()[0].lower().rstrip(".") if title else ""
            if lead in _TITLE_GENDER:
                titled.append((len(people) - 1, _TITLE_GENDER[lead], len(words) == 1))
        # Each he/his/she outside quotes votes for the nearest person before it; him and her are
        # left out, as objects they mostly point at someone other than the last person named.
        for match in _PRONOUN_WORDS.finditer(text):
            position = match.start()
            at = bisect.bisect_right(ends, position) - 1
            if at < 0 or position - ends[at] > 150 or quoted(position):
                continue
            vote = "m" if match.group(0).lower() in {"he", "him", "his"} else "f"
            tally = votes.setdefault(people[at].name, {})
            tally[vote] = tally.get(vote, 0) + 1
        pronoun_gender = {name: max(tally, key=lambda g: tally[g]) for name, tally in votes.items()}
        for number, want, bare in titled:
            person = people[number]
            if bare and pronoun_gender.get(person.name, want) != want:
                # 'Mrs. Clinton' after 'Bill Clinton': the Clinton of her gender, nearest first.
                key = surname(person.name)
                namesakes = [
                    p
                    for p in people
                    if surname(p.name) == key and pronoun_gender.get(p.name) == want
                ]
                before = [p for p in namesakes if p.position < person.position]
                if namesakes:
                    chosen = before[-1] if before else namesakes[0]
                    person = _Person(
                        person.position, chosen.name, person.subject, person.first, person.speaks
                    )
                    people[number] = person
            tally = votes.setdefault(person.name, {})
            tally[want] = tally.get(want, 0) + 3
        self.gender = {name: max(tally, key=lambda g: tally[g]) for name, tally in votes.items()}
        # A lone word with no he/she after it is more likely a place or a group than a person.
        places = placed - spoke
        return [
            p
            for p in people
            if (p.name not in lone or p.name in self.gender) and p.name not in places
        ]

    def name(self, mention: _Mention) -> str:
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
        return chosen.name if chosen is not None else full

    def pronoun(self, mention: _Mention, last_speaker: tuple[int, str] | None) -> str | None:
        want = _PRONOUNS.get(mention.text)
        if want not in {"m", "f"}:
            return None
        people = self.people
        at = bisect.bisect_left(self.positions, mention.position)
        recent = people[max(0, at - 15) : at]
        floor = last_speaker[0] if last_speaker is not None else -1
        since = [p for p in reversed(recent) if p.position >= floor]
        fits = [p for p in since if p.subject and self.gender.get(p.name, want) == want]
        if fits:
            # The subject a sentence opens with outranks one in a clause after a comma in the
            # same sentence ('Amano said that, if true, North Korea is violating ..., which he
            # added'), unless that one is the speaker of a reporting clause ('Cruz won, Stovall
            # said.').
            if fits[0].speaks:
                return fits[0].name
            for person in since[since.index(fits[0]) :]:
                if person.first:
                    return person.name if person in fits else fits[0].name
            return fits[0].name
        if last_speaker is not None and self.gender.get(last_speaker[1], want) == want:
            return last_speaker[1]
        for person in reversed(recent):
            gender = self.gender.get(person.name)
            if person.subject and (gender is None or gender == want):
                return person.name
        for person in reversed(recent):
            if self.gender.get(person.name) == want:
                return person.name
        return last_speaker[1] if last_speaker is not None else None

    def statement_source(self, position: int) -> str | None:
        people = self.people
        at = bisect.bisect_left(self.positions, position)
        return people[at - 1].name if at > 0 else None


def _apply(
    span: _Span, mention: _Mention, resolver: _Resolver, last: tuple[int, str] | None
) -> None:
    span.cued = True
    if mention.kind == "name":
        span.speaker = resolver.name(mention)
        span.title = mention.title
        span.kind = "name"
        span.score = mention.strength
    elif mention.kind == "pronoun":
        span.speaker = resolver.pronoun(mention, last)
        span.kind = "pronoun" if span.speaker else "none"
        span.score = mention.strength * (0.95 if span.speaker else 0.6)
    else:
        span.speaker = mention.text
        span.kind = "phrase"
        span.score = mention.strength * 0.8


def _word_count(text: str) -> int:
    return len(text.split())


def _looks_like_title(text: str) -> bool:
    words = [w for w in re.findall(r"[^\W\d_][\w'’-]*", text)]
    if not words or len(words) > 12:
        return False
    small = {
        "a",
        "an",
        "the",
        "of",
        "and",
        "or",
        "in",
        "on",
        "at",
        "to",
        "for",
        "with",
        "from",
        "by",
    }
    return all(w[0].isupper() or w in small for w in words) and words[0][0].isupper()


def extract_quotes(text: str, paras: list[Paragraph]) -> list[FoundQuote]:
    """Quotations in plain text with speaker, title and a 0..1 score, in text order."""
    spans = find_spans(text, paras)
    if not spans:
        return []
    headline = _headline(text, paras)
    resolver = _Resolver(text, spans)
    by_para: dict[int, list[_Span]] = {}
    for span in spans:
        by_para.setdefault(span.para, []).append(span)
    last: tuple[int, str] | None = None
    group_speaker: dict[int, _Span] = {}
    for span in spans:
        para = paras[span.para]
        siblings = by_para[span.para]
        position = siblings.index(span)
        lo = siblings[position - 1].close if position > 0 else para.start
        hi = siblings[position + 1].open if position + 1 < len(siblings) else para.end
        after_first = span.closed and (
            text[span.end - 1 : span.end] in ",—–-"
            or text[span.close : span.close + 2].lstrip().startswith(",")
            or _VERB_FIRST.match(text, span.close, hi) is not None
            or _DASH_START.match(text, span.close, hi) is not None
        )
        mention = None
        if span.closed:
            if after_first:
                mention = _cue_after(text, span.close, hi) or _cue_before(
                    text, lo, span.open, para.start
                )
            else:
                mention = _cue_before(text, lo, span.open, para.start) or _cue_after(
                    text, span.close, hi
                )
        elif not span.continued:
            mention = _cue_before(text, lo, span.open, para.start)
        if mention is None and span.open == para.start and span.para > 0 and not span.continued:
            previous = paras[span.para - 1]
            if not previous.skip and text[previous.start : previous.end].rstrip().endswith(":"):
                mention = _cue_before(text, previous.start, previous.end, previous.start)
        weak = False
        if mention is None and span.open > para.start and not span.continued:
            mention = _sentence_subject(text, lo, span.open, resolver.index)
            weak = mention is not None
        if mention is not None:
            _apply(span, mention, resolver, last)
            span.cued, span.weak = not weak, weak
        elif span.continued and span.group in group_speaker:
            source = group_speaker[span.group]
            span.speaker, span.title, span.kind = source.speaker, source.title, source.kind
            span.score = min(0.85, source.score)
        if span.kind == "none" and span.group in group_speaker:
            source = group_speaker[span.group]
            span.speaker, span.title, span.kind = source.speaker, source.title, source.kind
            span.score = min(0.85, source.score)
        if span.kind == "phrase" and span.speaker and _STATEMENT_NOUN.search(span.speaker):
            source_name = resolver.statement_source(span.open)
            if source_name:
                span.speaker = source_name
        if span.kind in {"name", "pronoun"} and span.speaker:
            last = (span.open, span.speaker)
            group_speaker.setdefault(span.group, span)
        elif span.kind == "phrase":
            group_speaker.setdefault(span.group, span)
    _inherit(text, spans, paras, by_para, resolver)
    _share_within_groups(spans)
    _fill_titles(text, spans)
    kept = [sp for sp in spans if _keep(text, sp)]
    keys = {id(sp): _quote_key(text, sp) for sp in kept}  # each quote's wording, computed once
    kept = _drop_headline_copies(kept, headline, keys)
    return [
        FoundQuote(
            sp.start, sp.end, sp.speaker, sp.title, round(sp.score, 3), sp.group, keys[id(sp)]
        )
        for sp in _best_of_repeats(kept, keys)
    ]


_NOT_WORD = re.compile(r"[\W_]+")


def _best_of_repeats(spans: list[_Span], keys: dict[int, str]) -> list[_Span]:
    """One span per wording: a quote repeated in a pull quote or subhead is kept where its
    attribution is strongest (the body's `“...,” said X`), not where it happens to come first."""
    best: dict[str, _Span] = {}
    for span in spans:
        key = keys[id(span)]
        if key not in best or span.score > best[key].score:
            best[key] = span
    chosen = {id(span) for span in best.values()}
    return [span for span in spans if id(span) in chosen]


def _quote_key(text: str, span: _Span) -> str:
    return _NOT_WORD.sub(" ", text[span.start : span.end]).strip().lower()


def _drop_headline_copies(spans: list[_Span], headline: int, keys: dict[int, str]) -> list[_Span]:
    """Without the headline's quotes that the body repeats with a speaker.

    A headline often shortens a quote the body gives in full and attributes (`Reid: 'Never
    underestimate Trump.'`); that copy is no ticket of its own. A headline quote the body does
    not repeat word for word is the only place the quote is found, so it stays."""
    if headline < 0:
        return spans
    body = [f" {keys[id(sp)]} " for sp in spans if sp.para != headline and sp.kind != "none"]
    return [
        sp
        for sp in spans
        if sp.para != headline or not any(f" {keys[id(sp)]} " in key for key in body)
    ]


def _headline(text: str, paras: list[Paragraph]) -> int:
    """The index of a headline: a short first paragraph with more text after it, else -1."""
    body = [index for index, para in enumerate(paras) if not para.skip]
    if len(body) < 2:
        return -1
    first, second = paras[body[0]], paras[body[1]]
    if _DASH_START.match(text[second.start : second.end]):
        return -1  # “...”\n– Name, title: a quote with its attribution line, not a headline
    return body[0] if _word_count(text[first.start : first.end]) <= _HEADLINE_WORDS else -1


_HEADLINE_WORDS = 20


def _inherit(
    text: str,
    spans: list[_Span],
    paras: list[Paragraph],
    by_para: dict[int, list[_Span]],
    resolver: _Resolver,
) -> None:
    """Quotes without a cue take the speaker of a quote beside them, or of a dash line after them."""
    for number, span in enumerate(spans):
        if span.kind != "none":
            continue
        siblings = by_para[span.para]
        later = [s for s in siblings if s.open > span.open and s.kind != "none"]
        earlier = [s for s in siblings if s.open < span.open and s.kind != "none"]
        source: _Span | None = None
        # A dash attribution on the next line: “...”\n– Name, title.
        nxt = span.para + 1
        while nxt < len(paras) and paras[nxt].skip and paras[nxt].start == paras[nxt].end:
            nxt += 1
        if span.close >= paras[span.para].end - 1 and nxt < len(paras):
            line = text[paras[nxt].start : paras[nxt].end]
            if _DASH_START.match(line):
                mention = _cue_after(text, paras[nxt].start, paras[nxt].end)
                if mention is not None:
                    _apply(span, mention, resolver, None)
                    continue
        if earlier:
            source = earlier[-1]
        elif later:
            source = later[0]
        elif span.open == paras[span.para].start and number > 0:
            previous = spans[number - 1]
            if previous.para >= span.para - 1 and previous.kind != "none":
                source = previous
        if source is not None:
            span.speaker, span.title, span.kind = source.speaker, source.title, source.kind
            span.score = min(0.8, source.score)
            continue
        if span.open == paras[span.para].start and span.para > 0 and not span.continued:
            # A quote paragraph after `Ash argued in his email, the incident shows ...`.
            previous_para = paras[span.para - 1]
            if not previous_para.skip:
                mention = _cue_before(
                    text, previous_para.start, previous_para.end, previous_para.start
                )
                if mention is not None and mention.kind in {"name", "pronoun"}:
                    _apply(span, mention, resolver, None)
                    span.score = min(0.7, span.score)


def _share_within_groups(spans: list[_Span]) -> None:
    """A quote running over paragraphs has one speaker, wherever its cue is."""
    by_group: dict[int, _Span] = {}
    for span in spans:
        if span.kind != "none" and span.group not in by_group:
            by_group[span.group] = span
    for span in spans:
        source = by_group.get(span.group)
        if span.kind == "none" and source is not None:
            span.speaker, span.title, span.kind = source.speaker, source.title, source.kind
            span.score = min(0.85, source.score)


_APPOSITIVE = re.compile(r",\s+((?:a|an|the)\s+[^,.;:\n“”\"]{3,90}?),")


def _appositive_title(text: str, name: str) -> str | None:
    """`Name, the city treasurer,` anywhere in the article."""
    at = text.find(name + ",")
    while at >= 0:
        found = _APPOSITIVE.match(text, at + len(name))
        if found:
            return _strip_title(found.group(1))
        at = text.find(name + ",", at + 1)
    return None


def _fill_titles(text: str, spans: list[_Span]) -> None:
    """Give every quote of a person the title the article gives them anywhere."""
    titles: dict[str, str | None] = {}
    for span in spans:
        if span.kind == "name" and span.speaker and span.title and span.speaker not in titles:
            titles[span.speaker] = span.title
    for span in spans:
        if not span.speaker or span.title or span.kind not in {"name", "pronoun"}:
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


def _names_a_work(text: str, span: _Span) -> bool:
    """A short Title Case quote after a possessive or "on": `told ABC's “Good Morning America.”`."""
    content = text[span.start : span.end].rstrip(",.!?;:")
    return (
        _word_count(content) <= 6
        and _looks_like_title(content)
        and _WORK_CUE.search(text, max(0, span.open - 40), span.start) is not None
    )


def _keep(text: str, span: _Span) -> bool:
    content = text[span.start : span.end]
    if _names_a_work(text, span):
        return False
    if span.kind == "none" or span.weak:
        if not span.cued and (_word_count(content) <= 3 or _looks_like_title(content)):
            return False
        if span.kind == "none":
            span.score = 0.3
    elif _word_count(content) <= 6 and content[-1:] not in ",.!?" and _looks_like_title(content):
        # "told Good Morning America", "his book “Destiny and Power”": a title, not speech.
        return False
    return True
