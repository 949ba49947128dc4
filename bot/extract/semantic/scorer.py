"""The semantic claim scorer: MiniLM sentence embeddings and the interpretable features, one head."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from pathlib import Path

from bot.extract.claims import score_sentence
from bot.extract.semantic.encoder import SentenceEncoder, load_encoder
from bot.extract.semantic.head import HEAD_FILE, ClaimHead, feature_matrix, load_head

#: Most sentences of one article the model scores (a 20 kB analysis piece has about 170).
MODEL_LIMIT = 200


class SemanticScorer:
    """Scores a batch of sentences at once (the encoder is much faster on many than one by one).

    Implements the engine's `ClaimScorer`: scores 0..1 in the sentences' order; the thresholds
    are those the fitting script chose on out-of-fold scores (see claim_head.json).
    """

    name = "semantic"

    def __init__(
        self, encoder: SentenceEncoder, head: ClaimHead, model_limit: int = MODEL_LIMIT
    ) -> None:
        self.encoder = encoder
        self.head = head
        self.ticket_threshold = head.ticket_threshold
        self.offer_threshold = head.offer_threshold
        self.model_limit = model_limit

    def score(self, sentences: Sequence[str]) -> list[float]:
        """Model scores; past `model_limit` sentences, only the rules' best that many get one.

        The rest score 0 (neither filed nor offered): a huge paste is then scored in seconds,
        and its few tickets come from the sentences the rules already rank highest.
        """
        if len(sentences) <= self.model_limit:
            return self._model_scores(sentences)
        rules = [score_sentence(sentence) for sentence in sentences]
        best = sorted(range(len(sentences)), key=lambda i: -rules[i])[: self.model_limit]
        scores = [0.0] * len(sentences)
        for index, value in zip(
            best, self._model_scores([sentences[i] for i in best]), strict=True
        ):
            scores[index] = value
        return scores

    def _model_scores(self, sentences: Sequence[str]) -> list[float]:
        if not sentences:
            return []
        embeddings = self.encoder.encode(sentences)
        found = feature_matrix(sentences, self.head.feature_names)
        return [float(p) for p in self.head.score(embeddings, found)]

    @classmethod
    def load(cls, model_folder: Path | None = None, head_file: Path = HEAD_FILE) -> SemanticScorer:
        """The scorer on the process's encoder; the head file is read once per path."""
        return cls(load_encoder(model_folder), _head(head_file))


_heads: dict[Path, ClaimHead] = {}
_heads_lock = threading.Lock()


def _head(path: Path) -> ClaimHead:
    with _heads_lock:
        if path not in _heads:
            _heads[path] = load_head(path)
        return _heads[path]
