"""`factcheck evaluate`: score the offline engine on annotated quote and claim files."""

from __future__ import annotations

import argparse
from pathlib import Path

from bot.errors import BadInput
from bot.extract.evaluation import (
    ClaimReport,
    detect_format,
    evaluate_claim_scorer,
    evaluate_claims,
    evaluate_quotes,
    iter_report_lines,
    iter_side_by_side,
    load_jsonl,
)
from bot.extract.types import ClaimScorer

NOTHING_TO_DO = "give at least one of --quotes FILE, --claims FILE, --ct24 FILE"
SEMANTIC_MISSING = "  semantic  not available: {reason}"


def register(parser: argparse.ArgumentParser) -> None:
    parser.description = (
        "Quote exact/overlap P/R/F1 and speaker accuracy (surname, full name, "
        "pronoun cases apart); claim P/R/F1 and MAP over documents for the rules and the "
        "semantic scorer side by side (each at its own threshold unless --threshold is given); "
        "characters per second. The format of each file is detected, so any flag takes any of "
        "the three formats."
    )
    parser.add_argument("--quotes", type=Path, metavar="FILE", help="articles with gold quotes")
    parser.add_argument("--claims", type=Path, metavar="FILE", help="labelled sentences")
    parser.add_argument("--ct24", type=Path, metavar="FILE", help="CheckThat! 2024 sentences")
    parser.add_argument(
        "--threshold", type=float, help="claim score threshold for both scorers (default: each's)"
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    files = [path for path in (args.quotes, args.claims, args.ct24) if path is not None]
    if not files:
        raise BadInput(NOTHING_TO_DO)
    for path in files:
        if not path.is_file():
            raise BadInput(f"{path}: no such file")
    semantic: list[ClaimScorer | str] = []  # loaded on the first claims file, once
    for path in files:
        rows = load_jsonl(path)
        kind = detect_format(rows)
        if kind == "quotes":
            for line in iter_report_lines(f"{path.name} ({kind})", evaluate_quotes(rows)):
                print(line)
        elif kind in {"claims", "ct24"}:
            reports: list[ClaimReport] = [evaluate_claims(rows, threshold=args.threshold)]
            if not semantic:
                semantic.append(_semantic_scorer())
            scorer = semantic[0]
            if not isinstance(scorer, str):
                reports.append(evaluate_claim_scorer(rows, scorer, threshold=args.threshold))
            for line in iter_side_by_side(f"{path.name} ({kind})", reports):
                print(line)
            if isinstance(scorer, str):
                print(SEMANTIC_MISSING.format(reason=scorer))
        else:
            print(f"{path}: empty")
    return 0


def _semantic_scorer() -> ClaimScorer | str:
    """The semantic scorer, or why it cannot run here."""
    from bot.extract.semantic import SemanticUnavailable, load_semantic_scorer

    try:
        return load_semantic_scorer()
    except SemanticUnavailable as error:
        return str(error)
