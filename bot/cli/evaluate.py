"""`factcheck evaluate`: score the offline engine on annotated quote and claim files."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from bot.errors import BadInput
from bot.extract.evaluation import (
    detect_format,
    evaluate_claims,
    evaluate_quotes,
    iter_report_lines,
    load_jsonl,
)

NOTHING_TO_DO = "give at least one of --quotes FILE, --claims FILE, --ct24 FILE"


def register(parser: argparse.ArgumentParser) -> None:
    parser.description = (
        "Quote exact/overlap P/R/F1 and speaker accuracy (surname, full name, "
        "pronoun cases apart); claim P/R/F1 and MAP over documents; characters per second. "
        "The format of each file is detected, so any flag takes any of the three formats."
    )
    parser.add_argument("--quotes", type=Path, metavar="FILE", help="articles with gold quotes")
    parser.add_argument("--claims", type=Path, metavar="FILE", help="labelled sentences")
    parser.add_argument("--ct24", type=Path, metavar="FILE", help="CheckThat! 2024 sentences")
    parser.add_argument("--threshold", type=float, help="claim score threshold (default: engine's)")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    files = [path for path in (args.quotes, args.claims, args.ct24) if path is not None]
    if not files:
        raise BadInput(NOTHING_TO_DO)
    for path in files:
        if not path.is_file():
            raise BadInput(f"{path}: no such file")
    for path in files:
        rows = load_jsonl(path)
        kind = detect_format(rows)
        if kind == "quotes":
            report: Any = evaluate_quotes(rows)
        elif kind in {"claims", "ct24"}:
            report = evaluate_claims(rows, threshold=args.threshold)
        else:
            print(f"{path}: empty")
            continue
        for line in iter_report_lines(f"{path.name} ({kind})", report):
            print(line)
    return 0
