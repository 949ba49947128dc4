"""The whole engine: Slack markup, offsets on the text as given, debris, repeats, claims versus quotes, no network."""

from __future__ import annotations

import socket
from collections.abc import Sequence
from dataclasses import replace

import pytest

from bot.extract import Claim, Extraction, Quote, RulesScorer, build_extractor, extract
from bot.extract.claims import score_sentence
from bot.extract.markup import to_plain
from bot.extract.types import make_claim, make_quote

ARTICLE = """Harbour City Approves Flood Barrier

The city council approved a 120 million euro flood barrier on Tuesday, ending a decade of debate over how to protect the old port…

Nina Avatar

By

Harbour City Approves Flood Barrier

The city council approved a 120 million euro flood barrier on Tuesday, ending a decade of debate over how to protect the old port. The barrier will be the largest of its kind in the region.

*Floods* struck the port three times since 2015, according to the council's own figures, causing damage worth &amp; more than 40 million euros.

"The barrier buys us fifty years of safety, and it is paid for," – Sofia Brandt, deputy mayor of Harbour City.

This suggests the council has finally found a consensus.

Is the barrier worth the money? I think we should wait and see.

Read more at <https://example.org/harbour|the council site>.
"""


def test_offsets_index_the_text_as_given() -> None:
    result = extract(ARTICLE)
    items: list[Claim | Quote] = [*result.claims, *result.quotes]
    for item in items:
        raw = ARTICLE[item.start : item.end]
        assert raw.replace("*", "").replace("&amp;", "&") == item.text


def test_debris_and_repeats_give_no_tickets_and_no_duplicates() -> None:
    result = extract(ARTICLE)
    texts = [c.text for c in result.claims] + [q.text for q in result.quotes]
    assert not any("Avatar" in t or t.strip() == "By" for t in texts)
    assert len(texts) == len(set(texts))
    barrier = [c for c in result.claims if c.text.startswith("The city council approved")]
    assert len(barrier) == 1
    assert barrier[0].text.endswith("protect the old port.")  # the full one, not the teaser


def test_factual_claims_found_and_opinion_analysis_questions_left_out() -> None:
    claims = [c.text for c in extract(ARTICLE).claims]
    assert any(c.startswith("*Floods* struck") or c.startswith("Floods struck") for c in claims)
    assert any("120 million euro" in c for c in claims)
    assert not any(c.startswith("This suggests") for c in claims)
    assert not any(c.endswith("?") for c in claims)
    assert not any(c.startswith("I think") for c in claims)


def test_statement_inside_a_quote_is_not_a_claim() -> None:
    result = extract(ARTICLE)
    assert [q.speaker for q in result.quotes] == ["Sofia Brandt"]
    assert result.quotes[0].speaker_title == "deputy mayor of Harbour City"
    assert not any("fifty years of safety" in c.text for c in result.claims)


def test_claim_threshold_is_a_setting() -> None:
    everything = extract(ARTICLE, claim_threshold=0.0).claims
    nothing = extract(ARTICLE, claim_threshold=1.0).claims
    assert len(everything) > len(extract(ARTICLE).claims) >= 1
    assert [claim for claim in nothing if claim.ticket] == []
    assert all(0.0 <= c.score <= 1.0 for c in everything)


def test_scorer_prefers_figures_to_opinion() -> None:
    fact = "Unemployment fell to 4.1 percent in 2019, the lowest rate since 1969."
    opinion = "I think we need to do better for our families."
    assert score_sentence(fact) > 0.5 > score_sentence(opinion)


def test_markup_map_points_back_into_the_original() -> None:
    given = "See <https://x.example/a|the report> &amp; *read* it."
    plain = to_plain(given)
    assert plain.text == "See the report & read it."
    start = plain.text.index("the report")
    a, b = plain.span(start, start + len("the report"))
    assert given[a:b] == "the report"
    a, b = plain.span(plain.text.index("&"), plain.text.index("&") + 1)
    assert given[a:b] == "&amp;"


def test_runs_with_networking_disabled(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise OSError("network disabled in this test")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    result = extract(ARTICLE)
    assert isinstance(result, Extraction)
    assert result.quotes
    assert result.claims


def test_empty_and_quote_free_text() -> None:
    assert extract("") == Extraction([], [])
    assert extract("Short note.").quotes == []


def test_build_extractor_defaults_to_rules() -> None:
    from bot.config import load_settings

    settings = load_settings(_env_file=None, FACTCHECK_CLAIM_THRESHOLD=0.9)
    extractor = build_extractor(settings)
    assert extractor.extract(ARTICLE).quotes[0].speaker == "Sofia Brandt"
    assert all(c.score >= 0.9 for c in extractor.extract(ARTICLE).claims)


class _CountingScorer:
    """A `ClaimScorer` that records each batch it is given and scores like the rules."""

    name = "counting"
    ticket_threshold = 0.28
    offer_threshold = 0.18

    def __init__(self) -> None:
        self.batches: list[list[str]] = []

    def score(self, sentences: Sequence[str]) -> list[float]:
        self.batches.append(list(sentences))
        return RulesScorer().score(sentences)


def test_an_article_is_scored_in_one_batch_by_the_scorer_given() -> None:
    scorer = _CountingScorer()
    result = extract(ARTICLE, scorer=scorer)
    assert len(scorer.batches) == 1
    assert result == extract(ARTICLE)
    assert all(claim.text in scorer.batches[0] for claim in result.claims)


def test_a_scorer_decides_which_sentences_are_claims() -> None:
    class Nothing(_CountingScorer):
        def score(self, sentences: Sequence[str]) -> list[float]:
            return [0.0] * len(sentences)

    assert extract(ARTICLE, scorer=Nothing()).claims == []
    assert extract(ARTICLE).claims


def test_rules_scorer_offers_below_its_ticket_threshold() -> None:
    scorer = RulesScorer()
    assert scorer.name == "rules"
    assert scorer.offer_threshold < scorer.ticket_threshold == 0.28
    assert RulesScorer(0.1).offer_threshold == 0.1


def test_the_engine_s_quick_constructors_build_the_same_values_as_the_classes() -> None:
    """`make_claim`/`make_quote` fill a frozen dataclass's fields directly: a field added to
    `Claim` or `Quote` must be added to them too, or cards would miss it."""
    claim = make_claim("The port handled 3 million containers.", 4, 41, 0.612, False)
    assert claim == Claim("The port handled 3 million containers.", 4, 41, 0.612, ticket=False)
    assert vars(claim) == vars(Claim("The port handled 3 million containers.", 4, 41, 0.612, False))
    quote = make_quote("We waited.", 1, 11, "Maria Lopez", "chair", 0.9, "person")
    assert quote == Quote("We waited.", 1, 11, "Maria Lopez", "chair", 0.9, "person")
    assert vars(quote) == vars(Quote("We waited.", 1, 11, "Maria Lopez", "chair", 0.9, "person"))
    assert hash(claim) == hash(replace(claim))
