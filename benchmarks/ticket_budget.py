"""Claim tickets per article and overlapping tickets, over a JSONL of news articles.

Usage: python benchmarks/ticket_budget.py PATH/quotes-dev.jsonl [--min-kb 2] [--max-kb 5]

Uses the claim scorer and FACTCHECK_MAX_CLAIMS the settings give (FACTCHECK_EXTRACTOR=rules
for the rules scorer; auto, the default, is the semantic one when its extra is installed).
Prints, for the articles of MIN..MAX kB (UTF-8), the median and largest number of claim tickets
and their distribution, then the number of ticket pairs (claims and quotes) that share text
over every article. The issue's bar: median <= 6, none above 10, 0 overlapping pairs.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from collections import Counter
from pathlib import Path

from bot.config import load_settings
from bot.extract import extract
from bot.extract.scoring import build_semantic_scorer
from bot.extract.worklist import overlapping_tickets

MISSING = "ticket_budget: {path}: no such file (pass the path to quotes-dev.jsonl from ../shared)"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", type=Path)
    parser.add_argument("--min-kb", type=float, default=2.0)
    parser.add_argument("--max-kb", type=float, default=5.0)
    args = parser.parse_args()
    if not args.path.is_file():
        sys.exit(MISSING.format(path=args.path))
    settings = load_settings()
    scorer = build_semantic_scorer(settings)
    print(f"scorer: {'rules' if scorer is None else scorer.name}, max claims {settings.max_claims}")
    counts: list[int] = []
    offered: list[int] = []
    overlaps = 0
    articles = 0
    with args.path.open(encoding="utf-8") as handle:
        for line in handle:
            if not line.strip():
                continue
            text = json.loads(line)["text"]
            result = extract(text, scorer=scorer, max_claims=settings.max_claims)
            articles += 1
            spans = [(c.start, c.end) for c in result.claims if c.ticket]
            spans += [(q.start, q.end) for q in result.quotes]
            overlaps += len(overlapping_tickets(spans))
            if args.min_kb * 1000 <= len(text.encode("utf-8")) <= args.max_kb * 1000:
                filed = sum(1 for c in result.claims if c.ticket)
                counts.append(filed)
                offered.append(len(result.claims) - filed)
    if counts:
        print(
            f"{len(counts)} articles of {args.min_kb:g}-{args.max_kb:g} kB: claim tickets "
            f"median {statistics.median(counts):g}, max {max(counts)}; "
            f"offered median {statistics.median(offered):g}"
        )
        spread = Counter(counts)
        print("distribution:", ", ".join(f"{n}: {spread[n]}" for n in sorted(spread)))
    print(f"overlapping ticket pairs over {articles} articles: {overlaps}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
