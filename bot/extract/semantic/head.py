"""The claim head: a small network over [sentence embedding ⊕ the interpretable claim features].

Its numbers live in `claim_head.json` beside this file, written by scripts/fit_claim_head.py
(the command and the data's citation are in the file). Only weights, the features' scaling and
the thresholds come from the data; no words or n-grams.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from bot.extract.claims import HAND_SET, features

HEAD_FILE = Path(__file__).with_name("claim_head.json")
Matrix = npt.NDArray[np.float64]


def feature_matrix(sentences: Sequence[str], names: Sequence[str]) -> Matrix:
    """The interpretable features of each sentence, in the order of `names` (absent = 0)."""
    out = np.zeros((len(sentences), len(names)))
    for row, sentence in enumerate(sentences):
        found = features(sentence)
        out[row] = [found.get(name, 0.0) for name in names]
    return out


@dataclass(frozen=True)
class Layer:
    """One dense layer: x @ weight + bias."""

    weight: Matrix
    bias: Matrix


@dataclass(frozen=True)
class ClaimHead:
    """Scaled features joined to the embedding, dense layers with ReLU between, then a sigmoid."""

    feature_names: tuple[str, ...]
    feature_mean: Matrix
    feature_scale: Matrix
    layers: tuple[Layer, ...]
    ticket_threshold: float
    offer_threshold: float

    def inputs(self, embeddings: npt.NDArray[Any], found: Matrix) -> Matrix:
        """The head's input rows: the embedding, then the features scaled as when it was fitted."""
        scaled = (found - self.feature_mean) / self.feature_scale
        return np.hstack([np.asarray(embeddings, dtype=np.float64), scaled])

    def probabilities(self, inputs: Matrix, found: Matrix) -> Matrix:
        """The fitted network's logit plus the hand-set weights of claims.HAND_SET (features the
        debate data cannot weigh, such as newsroom analysis), as a 0..1 score."""
        x = inputs
        for depth, layer in enumerate(self.layers):
            x = x @ layer.weight + layer.bias
            if depth < len(self.layers) - 1:
                x = np.maximum(x, 0.0)
        logit = x[:, 0]
        for name, weight in HAND_SET.items():
            if name in self.feature_names:
                logit = logit + weight * found[:, self.feature_names.index(name)]
        return 1.0 / (1.0 + np.exp(-logit))

    def score(self, embeddings: npt.NDArray[Any], found: Matrix) -> Matrix:
        """0..1 per row of embeddings and (unscaled) features."""
        return self.probabilities(self.inputs(embeddings, found), found)

    def to_json(self, about: dict[str, Any]) -> str:
        """The file's text: what made it (`about`), then the numbers (6 significant digits),
        one top-level key per line so a diff shows what changed."""

        def rounded(array: Matrix) -> Any:
            if array.ndim > 1:
                return [rounded(row) for row in array]
            return [float(f"{value:.6g}") for value in array.tolist()]

        body = {
            **about,
            "ticket_threshold": self.ticket_threshold,
            "offer_threshold": self.offer_threshold,
            "feature_names": list(self.feature_names),
            "feature_mean": rounded(self.feature_mean),
            "feature_scale": rounded(self.feature_scale),
            "layers": [
                {"weight": rounded(layer.weight), "bias": rounded(layer.bias)}
                for layer in self.layers
            ],
        }
        lines = [f" {json.dumps(key)}: {json.dumps(value)}" for key, value in body.items()]
        return "{\n" + ",\n".join(lines) + "\n}\n"

    @classmethod
    def from_json(cls, text: str) -> ClaimHead:
        data = json.loads(text)
        return cls(
            feature_names=tuple(data["feature_names"]),
            feature_mean=np.array(data["feature_mean"], dtype=np.float64),
            feature_scale=np.array(data["feature_scale"], dtype=np.float64),
            layers=tuple(
                Layer(np.array(layer["weight"], dtype=np.float64), np.array(layer["bias"]))
                for layer in data["layers"]
            ),
            ticket_threshold=float(data["ticket_threshold"]),
            offer_threshold=float(data["offer_threshold"]),
        )


def load_head(path: Path = HEAD_FILE) -> ClaimHead:
    return ClaimHead.from_json(path.read_text(encoding="utf-8"))
