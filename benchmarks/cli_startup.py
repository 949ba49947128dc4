"""Whole-process time of `factcheck --help` and `factcheck extract ARTICLE`, median of N runs.

Each run is a fresh interpreter (`python -m bot.cli ...`), as an operator would start it.
`--compare DIR` times another checkout (e.g. a `git worktree` of the parent commit) in the same
loop, interleaved run by run, so both see the same load on a shared machine.
FACTCHECK_EXTRACTOR=rules is set for every run: the figure is the rules engine's.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_ARTICLE = REPO.parent / "shared" / "examples" / "iran-russia-agreement.txt"


def timed(checkout: Path, args: list[str]) -> float:
    env = {**os.environ, "FACTCHECK_EXTRACTOR": "rules", "PYTHONPATH": str(checkout)}
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "bot.cli", *args],
        cwd=checkout,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("article", nargs="?", type=Path, default=DEFAULT_ARTICLE)
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--compare", type=Path, metavar="DIR", help="another checkout to time")
    args = parser.parse_args()
    if not args.article.is_file():
        print(f"{args.article}: no such file (pass an article, e.g. ../shared/examples/...)")
        return 2
    checkouts = {"this": REPO}
    if args.compare:
        checkouts["compare"] = args.compare.resolve()
    commands = {"--help": ["--help"], "extract": ["extract", str(args.article)]}
    times: dict[tuple[str, str], list[float]] = {(c, k): [] for c in checkouts for k in commands}
    for checkout, command in times:  # warm the file cache and .pyc files once
        timed(checkouts[checkout], commands[command])
    for _ in range(args.runs):
        for checkout, command in times:
            times[checkout, command].append(timed(checkouts[checkout], commands[command]))
    for (checkout, command), runs in times.items():
        print(
            f"{checkout:8} factcheck {command:8} median {statistics.median(runs) * 1000:6.0f} ms"
            f"  (min {min(runs) * 1000:.0f}, max {max(runs) * 1000:.0f}, {len(runs)} runs)"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
