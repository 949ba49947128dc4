"""MAP@5 and P@1 of `factcheck match` on a claim-matching set, with and without the encoder.

Usage: python scripts/evaluate_matching.py PATH/TO/shared/eval
(reads verified-claims.jsonl and claim-matching-dev.jsonl there; CLEF-2020 CheckThat! Task 2).
Both modes run the real command (`factcheck match --index ... --jsonl ...`) as a subprocess;
the wording-only run sets FACTCHECK_MATCH_ENCODER=off.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

INDEX = "verified-claims.jsonl"
QUERIES = "claim-matching-dev.jsonl"


def average_precision(ranked: list[str], relevant: set[str], k: int = 5) -> float:
    hits, total = 0, 0.0
    for rank, item in enumerate(ranked[:k], 1):
        if item in relevant:
            hits += 1
            total += hits / rank
    return total / min(len(relevant), k) if relevant else 0.0


def run_mode(folder: Path, encoder: str) -> tuple[float, float, float]:
    env = dict(os.environ, FACTCHECK_MATCH_ENCODER=encoder)
    started = time.perf_counter()
    output = subprocess.run(
        [
            sys.executable,
            "-m",
            "bot.cli",
            "match",
            "--index",
            str(folder / INDEX),
            "--jsonl",
            str(folder / QUERIES),
        ],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    seconds = time.perf_counter() - started
    relevant = {}
    for line in (folder / QUERIES).read_text(encoding="utf-8").splitlines():
        item = json.loads(line)
        relevant[item["id"]] = set(item["relevant"])
    scores, first = [], []
    for line in output.splitlines():
        answer = json.loads(line)
        ranked = [m["id"] for m in answer["matches"]]
        scores.append(average_precision(ranked, relevant[answer["id"]]))
        first.append(1.0 if ranked[:1] and ranked[0] in relevant[answer["id"]] else 0.0)
    return sum(scores) / len(relevant), sum(first) / len(relevant), seconds


def main() -> int:
    if len(sys.argv) != 2:
        print(__doc__)
        return 2
    folder = Path(sys.argv[1])
    if not (folder / INDEX).is_file() or not (folder / QUERIES).is_file():
        print(f"{folder}: needs {INDEX} and {QUERIES} (../shared/eval); not found", file=sys.stderr)
        return 2
    for name, encoder in (("wording only", "off"), ("with the encoder", "auto")):
        map5, p1, seconds = run_mode(folder, encoder)
        print(f"{name:18} MAP@5 {map5:.3f}  P@1 {p1:.3f}  ({seconds:.0f} s, whole command)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
