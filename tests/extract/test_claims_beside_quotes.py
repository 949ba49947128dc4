"""A quote is one ticket: its attribution sentence is not filed again as a claim."""

from __future__ import annotations

from bot.extract import extract

ARTICLE = """The city council approved a $48 million road repair budget on Tuesday, the largest since 2009.

"We have waited eight years for a budget like this," said Maria Lopez, chair of the council's transport committee.

"This is money we will borrow, not money we have," councillor Tom Reyes told reporters.

The opposition leader, Anna Berg, said the plan was "a fantasy built on borrowed money."

The plan, which Reyes called "a debt trap for our children", costs $48 million over four years.
"""


def test_attribution_sentences_give_quote_tickets_only() -> None:
    result = extract(ARTICLE)
    assert {q.speaker for q in result.quotes} >= {"Maria Lopez", "Tom Reyes"}
    claim_texts = " ".join(c.text for c in result.claims)
    assert "waited eight years" not in claim_texts
    assert "money we will borrow" not in claim_texts


def test_a_sentence_that_only_frames_a_partial_quote_is_the_quote_ticket() -> None:
    result = extract(ARTICLE)
    assert any(q.text.startswith("a fantasy built on borrowed money") for q in result.quotes)
    assert not any("fantasy" in c.text for c in result.claims)


def test_a_sentence_that_asserts_more_than_its_quote_stays_a_claim() -> None:
    result = extract(ARTICLE)
    assert any("costs $48 million over four years" in c.text for c in result.claims)
    assert any("approved a $48 million" in c.text for c in result.claims)
