"""Tune the claim scorer's few weights by logistic regression on a CheckThat!-style JSONL file.

Usage: python scripts/tune_claims.py PATH/claims-ct24-dev.jsonl [--l2 X] [--write]

Fits one weight per named feature in bot/extract/claims.py (tens of numbers) by L2-regularised
logistic regression (Newton's method, plain Python), picks the F1-best threshold, and prints the
table to paste into claims.py (or, with --write, replaces it there). Only those weights and the
threshold leave the data; no words, n-grams or tables are derived from it.

Tuning and reporting on the same file overstates the figure, so the script also fits on a fixed
80 % of the file and reports F1 on the other 20 % (a held-out slice chosen by a hash of each
sentence id, threshold chosen on the 80 %), plus a 5-fold cross-validated F1.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import re
import sys
from collections.abc import Sequence
from pathlib import Path

from bot.extract import claims
from bot.extract.claims import FEATURE_NAMES, HAND_SET, features

Row = tuple[str, dict[str, float], int]
_CLAIMS_PY = Path(claims.__file__)
_TABLE = re.compile(
    r"(?ms)^WEIGHTS: dict\[str, float\] = \{\n.*?^\}\nDEFAULT_THRESHOLD = [0-9.]+\n"
)
_FOLDS = 5


def load(path: Path) -> list[Row]:
    rows: list[Row] = []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                row = json.loads(line)
                rows.append((str(row["id"]), features(row["text"]), int(row["label"])))
    return rows


def fold_of(sentence_id: str, folds: int = _FOLDS) -> int:
    """A fixed fold for each sentence, from a hash of its id (so every run splits the same way)."""
    return int(hashlib.sha256(sentence_id.encode()).hexdigest()[:8], 16) % folds


def _sigmoid(z: float) -> float:
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


def _solve(matrix: list[list[float]], vector: list[float]) -> list[float]:
    """Solve a small dense symmetric positive-definite system by Gaussian elimination."""
    n = len(vector)
    a = [[*row, vector[i]] for i, row in enumerate(matrix)]
    for col in range(n):
        pivot = max(range(col, n), key=lambda r: abs(a[r][col]))
        a[col], a[pivot] = a[pivot], a[col]
        head = a[col][col]
        for r in range(col + 1, n):
            factor = a[r][col] / head
            if factor:
                row, top = a[r], a[col]
                for c in range(col, n + 1):
                    row[c] -= factor * top[c]
    solution = [0.0] * n
    for r in range(n - 1, -1, -1):
        total = a[r][n] - sum(a[r][c] * solution[c] for c in range(r + 1, n))
        solution[r] = total / a[r][r]
    return solution


def train(
    rows: Sequence[Row], l2: float, positive_weight: float = 1.0, iterations: int = 25
) -> dict[str, float]:
    """L2-regularised logistic regression by Newton's method; HAND_SET weights stay fixed."""
    names = ["bias", *(name for name in FEATURE_NAMES if name not in HAND_SET)]
    index = {name: i for i, name in enumerate(names)}
    sparse = [
        (
            [(0, 1.0), *((index[k], v) for k, v in found.items() if k in index)],
            sum(HAND_SET.get(k, 0.0) * v for k, v in found.items()),
            label,
        )
        for _, found, label in rows
    ]
    n, size = len(rows), len(names)
    w = [0.0] * size
    for _ in range(iterations):
        grad = [0.0] * size
        hess = [[0.0] * size for _ in range(size)]
        for items, offset, label in sparse:
            p = _sigmoid(offset + sum(w[i] * v for i, v in items))
            share = positive_weight if label else 1.0
            error, curve = share * (p - label), share * p * (1.0 - p)
            for i, v in items:
                grad[i] += error * v
                row = hess[i]
                for j, u in items:
                    row[j] += curve * v * u
        for i in range(size):
            grad[i] /= n
            for j in range(size):
                hess[i][j] /= n
            if i:  # the bias is not penalised
                grad[i] += l2 * w[i]
                hess[i][i] += l2
            hess[i][i] += 1e-9
        step = _solve(hess, grad)
        w = [wi - si for wi, si in zip(w, step, strict=True)]
        if max(abs(s) for s in step) < 1e-6:
            break
    weights = {name: w[index[name]] if name in index else HAND_SET[name] for name in names}
    weights.update(HAND_SET)
    return {"bias": weights["bias"], **{name: weights[name] for name in FEATURE_NAMES}}


def _scores(rows: Sequence[Row], weights: dict[str, float]) -> list[tuple[float, int]]:
    return [(claims.score_features(found, weights), label) for _, found, label in rows]


def f1_at(scored: Sequence[tuple[float, int]], threshold: float) -> tuple[float, float, float]:
    """Precision, recall and F1 of the positive class at `threshold`."""
    tp = sum(1 for s, y in scored if s >= threshold and y)
    fp = sum(1 for s, y in scored if s >= threshold and not y)
    fn = sum(1 for s, y in scored if s < threshold and y)
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def best_threshold(scored: Sequence[tuple[float, int]]) -> tuple[float, float]:
    """The F1-best threshold on a 0.01 grid, and that F1."""
    best = (0.5, -1.0)
    for step in range(5, 95):
        f1 = f1_at(scored, step / 100)[2]
        if f1 > best[1]:
            best = (step / 100, f1)
    return best


def held_out(
    rows: Sequence[Row], l2: float, positive_weight: float, fold: int
) -> tuple[float, float, float, float]:
    """Fit and pick the threshold without fold `fold`; P, R, F1 on it and the threshold."""
    fit = [r for r in rows if fold_of(r[0]) != fold]
    test = [r for r in rows if fold_of(r[0]) == fold]
    weights = train(fit, l2, positive_weight)
    threshold, _ = best_threshold(_scores(fit, weights))
    return (*f1_at(_scores(test, weights), threshold), threshold)


def _table(weights: dict[str, float], threshold: float) -> str:
    lines = ["WEIGHTS: dict[str, float] = {"]
    lines += [f'    "{name}": {value:.2f},' for name, value in weights.items()]
    lines += ["}", f"DEFAULT_THRESHOLD = {threshold:.2f}", ""]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", type=Path, help="CheckThat! 2024 dev JSONL (id, text, label)")
    parser.add_argument("--l2", type=float, default=0.002, help="L2 penalty per feature")
    parser.add_argument(
        "--positive-weight", type=float, default=1.0, help="weight of a check-worthy sentence"
    )
    parser.add_argument("--write", action="store_true", help="replace the table in claims.py")
    args = parser.parse_args()
    if not args.path.is_file():
        print(
            f"tune_claims: {args.path}: no such file (pass the CT24 dev JSONL path)",
            file=sys.stderr,
        )
        return 2
    rows = load(args.path)
    p, r, f1, t = held_out(rows, args.l2, args.positive_weight, 0)
    test_size = sum(1 for row in rows if fold_of(row[0]) == 0)
    print(f"held-out slice (fold 0, {test_size} sentences): P {p:.3f} R {r:.3f} F1 {f1:.3f} @ {t}")
    folds = [held_out(rows, args.l2, args.positive_weight, k)[2] for k in range(_FOLDS)]
    spread = f"{min(folds):.3f}..{max(folds):.3f}"
    print(f"{_FOLDS}-fold cross-validated F1: {sum(folds) / _FOLDS:.3f} (folds {spread})")
    weights = {k: round(v, 2) for k, v in train(rows, args.l2, args.positive_weight).items()}
    scored = _scores(rows, weights)
    threshold, _ = best_threshold(scored)
    p, r, f1 = f1_at(scored, threshold)
    table = _table(weights, threshold)
    print(table, end="")
    positives = sum(label for *_, label in rows)
    print(f"# whole file (tuned on itself): P {p:.3f} R {r:.3f} F1 {f1:.3f}")
    print(f"# positives {positives} / {len(rows)}; log-loss {_log_loss(scored):.4f}")
    if args.write:
        source = _CLAIMS_PY.read_text(encoding="utf-8")
        if not _TABLE.search(source):
            print(f"tune_claims: no WEIGHTS table found in {_CLAIMS_PY}", file=sys.stderr)
            return 1
        _CLAIMS_PY.write_text(_TABLE.sub(lambda _: table, source, count=1), encoding="utf-8")
        print(f"# written to {_CLAIMS_PY}")
    return 0


def _log_loss(scored: Sequence[tuple[float, int]]) -> float:
    total = 0.0
    for score, label in scored:
        p = min(max(score, 1e-9), 1 - 1e-9)
        total -= math.log(p) if label else math.log(1 - p)
    return total / len(scored)


if __name__ == "__main__":
    sys.exit(main())
