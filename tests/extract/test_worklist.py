"""The claim worklist: ranked tickets within a length-bound budget, offered claims, nothing twice."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.extract import Extraction, extract
from bot.extract.claims import DEFAULT_OFFER_THRESHOLD, DEFAULT_THRESHOLD, check_reason
from bot.extract.worklist import DEFAULT_MAX_CLAIMS, claim_budget, overlapping_tickets
from tests.shared_data import shared_file

DESK_ARTICLE = Path(__file__).resolve().parents[1] / "desk" / "article.txt"

LONG_ATTRIBUTION = """Harbour City Approves Flood Barrier

The city council approved a 120 million euro flood barrier on Tuesday, ending a decade of debate over how to protect the old port.

"We waited eight years for this barrier and the money is finally there," said Maria Lopez, who has chaired the harbour committee since 2009 and lives beside the old port.

Floods struck the port three times since 2015, according to the council's own figures, causing damage worth more than 40 million euros.
"""

QUOTE_TAIL = """Senator Ada Reyes said she was the only candidate who had spent her career "fighting to defend the pension fund. We will not let them raid it again," she told supporters in Harbour City on Monday.

The pension fund lost 12 percent of its value in 2022, according to the state auditor.
"""

TEASER = """The council approved a 120 million euro flood barrier for the old port on Tuesday.

Harbour City will spend 120 million euros on a flood barrier for the old port, the council approved on Tuesday after a decade of debate.

Floods struck the port three times since 2015, according to the council's own figures.
"""

# An agreement story in the style of a wire analysis: the clauses a checker must not lose.
AGREEMENT = """Aldovia and Merrant have finalised a long-delayed cooperation agreement, marking a significant step in relations between the two states after three years of talks.

The agreement, which expands military and trade cooperation, reflects a shared interest in resisting outside pressure.

While not a formal alliance, the agreement ensures mutual security by committing both sides not to aid any party that attacks the other.

The two governments signed a separate energy accord worth 4 billion dollars in 2021, according to the trade ministry.

Merrant supplied 40 percent of Aldovia's grain imports last year, the highest share since 2010.

Aldovia's parliament ratified the defence clauses in March by 212 votes to 31.

Nevertheless, some factions within Aldovia are calling for a reassessment of this stance.

Analysts expect the agreement to shape the region for years, though much remains to be seen.
"""


def _claims(result: Extraction) -> list[str]:
    return [c.text for c in result.claims]


def _tickets(result: Extraction) -> list[tuple[int, int]]:
    spans = [(c.start, c.end) for c in result.claims if c.ticket]
    return spans + [(q.start, q.end) for q in result.quotes]


def _many_claims(count: int) -> str:
    """A long article of distinct factual sentences, one paragraph each."""
    return "\n\n".join(
        f"District {n} spent {n * 7 + 3} million euros on its {n}th harbour wall in {1990 + n}, "
        f"according to the council's audit of project number {n * 13}."
        for n in range(1, count + 1)
    )


def test_a_quote_with_a_long_attribution_is_filed_once() -> None:
    result = extract(LONG_ATTRIBUTION)
    quote = result.quotes[0]
    assert quote.speaker == "Maria Lopez"
    assert overlapping_tickets(_tickets(result)) == []
    assert all("We waited eight years" not in text for text in _claims(result))


def test_the_tail_of_a_quote_does_not_come_back_as_a_claim() -> None:
    result = extract(QUOTE_TAIL)
    assert overlapping_tickets(_tickets(result)) == []
    quoted = " ".join(q.text for q in result.quotes)
    assert "fighting to defend the pension fund" in quoted
    for claim in result.claims:
        assert "pension fund. We will" not in claim.text
        assert "fighting to defend" not in claim.text
    # Neither the words framing the quotation nor its attribution are claims of their own.
    assert _claims(result) == [
        "The pension fund lost 12 percent of its value in 2022, according to the state auditor."
    ]


def test_a_teaser_and_the_lead_it_restates_give_one_claim() -> None:
    texts = _claims(extract(TEASER))
    assert sum("flood barrier" in text for text in texts) == 1
    assert any("three times since 2015" in text for text in texts)


def test_the_strongest_claims_are_tickets_and_the_rest_offered() -> None:
    text = _many_claims(40) + "\n\nThe harbour board may review the plan later."
    result = extract(text)
    tickets = [c for c in result.claims if c.ticket]
    offered = [c for c in result.claims if not c.ticket]
    assert len(tickets) == DEFAULT_MAX_CLAIMS
    assert offered
    assert min(c.score for c in tickets) >= max(c.score for c in offered)
    assert all(c.score >= DEFAULT_OFFER_THRESHOLD for c in offered)
    assert [c.start for c in result.claims] == sorted(c.start for c in result.claims)


def test_the_budget_grows_with_length_up_to_the_maximum() -> None:
    short = claim_budget(1500, 12)
    news = claim_budget(3000, 25)
    assert short is not None
    assert news is not None
    assert long_cap(60_000) is not None
    assert short <= news <= 8
    assert long_cap(60_000) == DEFAULT_MAX_CLAIMS
    assert claim_budget(60_000, 400, max_claims=15) == 15
    story = extract(_many_claims(22), max_claims=30)  # about 3 kB
    assert 5 <= sum(c.ticket for c in story.claims) <= 8


def long_cap(chars: int) -> int | None:
    return claim_budget(chars, chars // 100)


def test_a_text_of_two_sentences_files_every_claim_over_the_threshold() -> None:
    text = _many_claims(2)
    result = extract(text, max_claims=1)
    assert len(result.claims) == 2
    assert all(c.ticket and c.score >= DEFAULT_THRESHOLD for c in result.claims)
    assert claim_budget(len(text), 2) is None


def test_clauses_of_an_agreement_are_tickets_or_offered() -> None:
    texts = _claims(extract(AGREEMENT))
    for clause in ("ensures mutual security", "calling for a reassessment", "have finalised"):
        assert any(clause in text for text in texts), clause


def test_no_two_tickets_share_text_over_several_articles() -> None:
    articles = [
        LONG_ATTRIBUTION,
        QUOTE_TAIL,
        TEASER,
        AGREEMENT,
        _many_claims(30),
        DESK_ARTICLE.read_text(encoding="utf-8"),
    ]
    overlaps = [len(overlapping_tickets(_tickets(extract(a)))) for a in articles]
    assert overlaps == [0] * len(articles)


def test_no_two_tickets_share_text_on_the_quotes_dev_set() -> None:
    path = shared_file("eval/quotes-dev.jsonl")
    overlaps = 0
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            overlaps += len(overlapping_tickets(_tickets(extract(json.loads(line)["text"]))))
    assert overlaps == 0


def test_overlapping_tickets_counts_shared_text() -> None:
    assert overlapping_tickets([(0, 10), (5, 20), (20, 30), (25, 26)]) == [(0, 1), (2, 3)]


@pytest.mark.parametrize(
    ("sentence", "reason"),
    [
        ("Unemployment fell 3 percent in 2023, the statistics office reported.", "a percentage"),
        ("Senator Ada Reyes voted against the harbour bill in March.", "an official act"),
        ("The new barrier is the largest ever built in the region.", "a record or superlative"),
    ],
)
def test_a_claim_comes_with_a_reason_a_checker_reads(sentence: str, reason: str) -> None:
    assert reason in check_reason(sentence)


def test_opinion_has_no_reason() -> None:
    assert check_reason("I think we should wait and see.") == ""


def test_a_lead_in_cut_off_by_its_quotation_is_not_a_claim() -> None:
    text = (
        "Senator Ada Reyes argued on Monday that the harbour board of Riverton has "
        "“got to come a long way on flood defences before the winter storms of 2026.”\n\n"
        "The pension fund lost 12 percent of its value in 2022, according to the state auditor."
    )
    texts = _claims(extract(text))
    assert not any(t.endswith("has") for t in texts)
    assert any("12 percent" in t for t in texts)
