"""Check-worthy sentences: an interpretable, feature-based score for each sentence outside quotations."""

from __future__ import annotations

import math
import re

# Each feature is a pattern a fact-checker would name; the weight says how much it counts.
# Weights were tuned with scripts/tune_claims.py (logistic regression) on the development
# split of the CheckThat! 2024 Task 1 English data (ClaimBuster debate sentences, research use);
# only these few numbers come from it, no words or tables.
_FEATURES: dict[str, re.Pattern[str]] = {
    "number": re.compile(
        r"\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|"
        r"forty|fifty|sixty|seventy|eighty|ninety|hundred|hundreds|thousand|thousands|million|"
        r"millions|billion|billions|trillion|trillions|dozen|dozens|half|twice|percent|per cent)\b",
        re.I,
    ),
    "money_or_percent": re.compile(
        r"[$€£%]|\b(?:dollars?|percent|per cent|budget|deficit|debt|tax(?:es)?)\b", re.I
    ),
    "date": re.compile(
        r"\b(?:1[89]\d\d|20\d\d|\d{2,4}s|january|february|march|april|june|july|august|september|"
        r"october|november|december|monday|tuesday|wednesday|thursday|friday|saturday|sunday|"
        r"last (?:year|month|week|decade)|since|ago|decades?|years?|months?|centur(?:y|ies))\b",
        re.I,
    ),
    "comparative": re.compile(
        r"\b(?:more|less|fewer|higher|lower|larger|smaller|bigger|greater|most|least|largest|"
        r"biggest|highest|lowest|record|doubled|tripled|increased?|decreased?|rose|risen|fell|"
        r"fallen|dropped|grew|grown|cut|raised|reduced|than|only|every|first|never|always|all)\b",
        re.I,
    ),
    "institutional": re.compile(
        r"\b(?:law|laws|bill|act|treaty|agreement|deal|sanctions?|court|congress|senate|"
        r"parliament|legislation|voted?|votes|passed|signed|vetoed|ruled|banned|approved|"
        r"program(?:me)?s?|jobs?|unemployment|economy|wages?|insurance|military|troops|weapons?|"
        r"nuclear|government|administration|federal|state|country|countries|nations?)\b",
        re.I,
    ),
    "attribution": re.compile(
        r"\b(?:according to|reported|report|study|studies|survey|data|statistics|figures|census|"
        r"estimates?|found that|shows? that)\b",
        re.I,
    ),
    "factual_verb": re.compile(
        r"\b(?:has|have|had|was|were|is|are)\s+(?:\w+\s+)?(?:been\s+)?\w+ed\b|\b(?:built|created|"
        r"lost|spent|paid|killed|invaded|won|led|held|made|took|gave|sent|sold|bought)\b",
        re.I,
    ),
    "entities": re.compile(r"(?<=\w )(?:[A-Z][a-z]+|[A-Z]{2,})\b"),
    "question": re.compile(r"\?\s*[\"”’']?\s*$"),
    "first_person_opinion": re.compile(
        r"\b(?:I|we)\s+(?:think|believe|feel|hope|want|wish|know|guess|mean|suppose|agree|"
        r"disagree|love|like|'m going|am going|will|would|can|should|must)\b|\bI'm\b|\bI am\b|"
        r"\blet me\b|\blet's\b",
        re.I,
    ),
    "opinion": re.compile(
        r"\b(?:should|ought|must|need to|needs to|great|terrible|wonderful|horrible|good|bad|"
        r"wrong|right|best|worst|important|believe|think|feel|hope|agree|disagree|sure|fair|"
        r"unfair|amazing|disaster|ridiculous)\b",
        re.I,
    ),
    "hedge": re.compile(
        r"\b(?:may|might|could|would|perhaps|maybe|possibly|probably|likely|unlikely|appears?|"
        r"seems?|expected to|going to|will|gonna)\b",
        re.I,
    ),
    "analysis": re.compile(
        r"\b(?:this|that|it) (?:suggests|signals|shows how|reflects|underscores|highlights|"
        r"indicates|means|marks)\b|\b(?:underscores|elaborates|highlights|emphasizes|emphasises|"
        r"suggests that|remains to be seen|given these)\b",
        re.I,
    ),
    "address": re.compile(
        r"\b(?:thank you|thanks|good evening|good night|ladies and gentlemen|applause|laughter|"
        r"crosstalk|welcome|congratulations|you know|okay|ok|well,|uh|um)\b",
        re.I,
    ),
    "second_person": re.compile(r"\byou\b|\byour\b", re.I),
}
_WEIGHTS: dict[str, float] = {
    "bias": -2.2,
    "number": 1.2,
    "money_or_percent": 0.6,
    "date": 0.5,
    "comparative": 0.5,
    "institutional": 0.7,
    "attribution": 0.6,
    "factual_verb": 0.6,
    "entities": 0.25,
    "question": -1.5,
    "first_person_opinion": -1.0,
    "opinion": -0.6,
    "hedge": -0.5,
    "analysis": -1.2,
    "address": -1.2,
    "second_person": -0.4,
    "log_words": 0.5,
    "short": -1.5,
}
DEFAULT_THRESHOLD = 0.5
_WORD = re.compile(r"\w+")


def features(sentence: str) -> dict[str, float]:
    """The named features of one sentence (counts are capped so no single cue dominates)."""
    found: dict[str, float] = {}
    for name, pattern in _FEATURES.items():
        if name == "entities":
            found[name] = min(3, len(pattern.findall(sentence)))
        elif pattern.search(sentence):
            found[name] = 1.0
    words = len(_WORD.findall(sentence))
    found["log_words"] = math.log1p(words) - 2.5
    if words < 6:
        found["short"] = 1.0
    return found


def score_features(found: dict[str, float], weights: dict[str, float] | None = None) -> float:
    table = weights or _WEIGHTS
    total = table["bias"] + sum(table.get(name, 0.0) * value for name, value in found.items())
    return 1.0 / (1.0 + math.exp(-total))


def score_sentence(sentence: str) -> float:
    """How check-worthy one sentence is, 0..1."""
    return score_features(features(sentence))
