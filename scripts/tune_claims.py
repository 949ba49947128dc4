"""Tune the claim scorer's few weights by logistic regression on a CheckThat!-style JSONL file.

Usage: python scripts/tune_claims.py PATH/claims-ct24-dev.jsonl [--epochs N]

Prints a WEIGHTS table to paste into bot/extract/claims.py and the F1-best threshold. Only the
weights (tens of numbers) leave the data; no words, n-grams or tables are derived from it.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path

from bot.extract.claims import FEATURE_NAMES, HAND_SET, features, score_features


def load(path: Path) -> list[tuple[dict[str, float], int]]:
    rows = []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                row = json.loads(line)
                rows.append((features(row["text"]), int(row["label"])))
    return rows


def train(
    rows: list[tuple[dict[str, float], int]], epochs: int, rate: float, l2: float
) -> dict[str, float]:
    weights = {"bias": 0.0, **{name: 0.0 for name in FEATURE_NAMES}}
    n = len(rows)
    for _ in range(epochs):
        grad = dict.fromkeys(weights, 0.0)
        for found, label in rows:
            error = score_features(found, weights) - label
            grad["bias"] += error
            for name, value in found.items():
                grad[name] += error * value
        for name in weights:
            if name in HAND_SET:
                weights[name] = HAND_SET[name]
                continue
            penalty = 0.0 if name == "bias" else l2 * weights[name]
            weights[name] -= rate * (grad[name] / n + penalty)
    return weights


def best_threshold(
    rows: list[tuple[dict[str, float], int]], weights: dict[str, float]
) -> tuple[float, float]:
    scored = [(score_features(found, weights), label) for found, label in rows]
    best = (0.5, 0.0)
    for step in range(5, 95):
        threshold = step / 100
        tp = sum(1 for s, y in scored if s >= threshold and y)
        fp = sum(1 for s, y in scored if s >= threshold and not y)
        fn = sum(1 for s, y in scored if s < threshold and y)
        f1 = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
        if f1 > best[1]:
            best = (threshold, f1)
    return best


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", type=Path, help="CheckThat! 2024 dev JSONL (text, label)")
    parser.add_argument("--epochs", type=int, default=400)
    parser.add_argument("--rate", type=float, default=1.0)
    parser.add_argument("--l2", type=float, default=0.001)
    args = parser.parse_args()
    if not args.path.is_file():
        print(
            f"tune_claims: {args.path}: no such file (pass the CT24 dev JSONL path)",
            file=sys.stderr,
        )
        return 2
    rows = load(args.path)
    weights = train(rows, args.epochs, args.rate, args.l2)
    threshold, f1 = best_threshold(rows, weights)
    print("WEIGHTS: dict[str, float] = {")
    for name, value in weights.items():
        print(f'    "{name}": {value:.2f},')
    print("}")
    print(f"DEFAULT_THRESHOLD = {threshold:.2f}  # F1 {f1:.3f} on {len(rows)} sentences")
    positives = sum(label for _, label in rows)
    print(f"positives {positives} / {len(rows)}; log-loss {_log_loss(rows, weights):.4f}")
    return 0


def _log_loss(rows: list[tuple[dict[str, float], int]], weights: dict[str, float]) -> float:
    total = 0.0
    for found, label in rows:
        p = min(max(score_features(found, weights), 1e-9), 1 - 1e-9)
        total -= math.log(p) if label else math.log(1 - p)
    return total / len(rows)


if __name__ == "__main__":
    sys.exit(main())
