"""The optional semantic layer (extra `semantic`): a sentence encoder and the claim scorer on it.

This module imports nothing heavy: numpy, tokenizers and onnxruntime load only when
`load_semantic_scorer` (or the encoder) is called, so the rules mode never imports them.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.extract.semantic.scorer import SemanticScorer


class SemanticUnavailable(Exception):
    """The semantic layer cannot run here; the message says why in one line."""


def load_semantic_scorer(model_folder: Path | None = None) -> SemanticScorer:
    """The process's semantic scorer (the model is loaded and checked once per process).

    `model_folder` replaces the model wheel's folder (its files must pass the same SHA-256
    check). Raises `SemanticUnavailable` naming the reason: the extra or its model wheel is not
    installed, or a model file is missing or fails its SHA-256 check.
    """
    try:
        from bot.extract.semantic.scorer import SemanticScorer
    except ImportError as error:
        raise SemanticUnavailable(
            f"{error.name or 'a semantic dependency'} is not installed "
            "(install the 'semantic' extra, see README.md)"
        ) from None
    return SemanticScorer.load(model_folder)
