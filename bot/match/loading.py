"""The matcher with the semantic encoder when its extra is installed, wording alone otherwise."""

from __future__ import annotations

import logging
import os
from functools import cache

from bot.config import Settings
from bot.match.matcher import Matcher, TextEncoder

logger = logging.getLogger(__name__)


@cache
def load_encoder() -> TextEncoder | None:
    """The semantic layer's encoder, or None (one log line says why) when it cannot load.

    FACTCHECK_MATCH_ENCODER=off matches by wording alone (for side-by-side evaluation).
    """
    if os.environ.get("FACTCHECK_MATCH_ENCODER", "auto") == "off":
        return None
    try:
        from bot.extract.semantic.encoder import load_encoder as load_semantic_encoder
    except ImportError:
        return None
    try:
        encoder: TextEncoder = load_semantic_encoder()
    except Exception as error:  # any load failure means wording only, said once
        logger.warning("matching by wording only: the sentence encoder did not load (%s)", error)
        return None
    return encoder


def load_matcher() -> Matcher:
    return Matcher(load_encoder())


def build_matcher(settings: Settings) -> Matcher:
    """Wording only where the settings keep the semantic layer out (rules, llm)."""
    if settings.extractor in ("rules", "llm"):
        return Matcher(None)
    return load_matcher()
