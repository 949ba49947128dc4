"""Claims and quotes from article text: the offline rules engine, the optional LLM backend, link fetching."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.extract.claims import RulesScorer
from bot.extract.engine import RulesExtractor, extract
from bot.extract.types import Claim, ClaimScorer, Extraction, Extractor, Quote

if TYPE_CHECKING:
    from bot.config import Settings

__all__ = [
    "Claim",
    "ClaimScorer",
    "Extraction",
    "Extractor",
    "Quote",
    "RulesExtractor",
    "RulesScorer",
    "build_extractor",
    "extract",
]


def build_extractor(settings: Settings) -> Extractor:
    """The engine FACTCHECK_EXTRACTOR asks for, with its claim scorer loaded now.

    "auto": the semantic scorer when its extra is installed and loads, else the rules scorer
    (one warning line says why); "semantic": that scorer or a ConfigError; "rules": the
    interpretable scorer only; "llm": the LLM backend, falling back to the rules engine.
    """
    from bot.extract.scoring import build_semantic_scorer

    rules = RulesExtractor(
        settings.claim_threshold,
        scorer=build_semantic_scorer(settings),
        max_claims=settings.max_claims,
    )
    if settings.extractor == "llm":
        from bot.extract.llm import LLMExtractor

        return LLMExtractor.from_settings(settings, fallback=rules)
    return rules
