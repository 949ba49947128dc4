"""Which claim scorer FACTCHECK_EXTRACTOR asks for: the semantic one when it can run, else rules."""

from __future__ import annotations

import logging
import time
from typing import TYPE_CHECKING

from bot.errors import ConfigError

if TYPE_CHECKING:
    from bot.config import Settings
    from bot.extract.types import ClaimScorer

logger = logging.getLogger(__name__)

SEMANTIC_FORCED_UNAVAILABLE = (
    "FACTCHECK_EXTRACTOR=semantic, but the semantic scorer cannot load: {reason}. "
    "Install it (README.md, section 'The semantic scorer') or set FACTCHECK_EXTRACTOR=auto or rules"
)
SEMANTIC_FALLBACK = "semantic claim scorer unavailable (%s); using the rules scorer"
SEMANTIC_LOADED = "semantic claim scorer ready (model loaded and checked) in %.1f s"


def build_semantic_scorer(settings: Settings) -> ClaimScorer | None:
    """The semantic scorer for `auto` and `semantic`; None means the rules scorer.

    The model loads here, once per process. In `auto` a failure is one warning line and the
    rules take over; in `semantic` it is a ConfigError, so a forced choice never degrades
    silently. In `rules` (and `llm`, whose fallback is the rules engine) nothing of the
    semantic layer is imported.
    """
    if settings.extractor not in {"auto", "semantic"}:
        return None
    from bot.extract.semantic import SemanticUnavailable, load_semantic_scorer

    started = time.perf_counter()
    try:
        scorer = load_semantic_scorer(settings.semantic_model_dir)
    except SemanticUnavailable as error:
        if settings.extractor == "semantic":
            raise ConfigError(SEMANTIC_FORCED_UNAVAILABLE.format(reason=error)) from None
        logger.warning(SEMANTIC_FALLBACK, error)
        return None
    logger.info(SEMANTIC_LOADED, time.perf_counter() - started)
    return scorer
