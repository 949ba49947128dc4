"""How many MB of article text per second the offline engine handles on one core (quotes and claims together).

Usage: python benchmarks/extract_speed.py [ARTICLES.jsonl|TEXT_FILE ...] [--repeat N]

With no files it times a generated article so it runs anywhere; with the shared quotes JSONL it
times real news text. The bar is 2 MB/s.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from bot.extract import extract

_PARAGRAPHS = [
    "The regional council approved a 45 million euro budget for road repairs on Tuesday, "
    "the largest in a decade, according to figures published by the finance office.",
    '"We have waited long enough for this," said Clara Jensen, head of the transport '
    'committee. "Every village will see work start before the end of the year."',
    "Opposition members voted against the plan, arguing that it cut spending on schools by "
    "3 percent. This suggests the debate is far from over.",
    "“The numbers do not add up,” Jensen’s rival, Peter Holm, told reporters. He said the "
    "council had ignored its own audit from 2021.",
]


def _texts(paths: list[Path]) -> list[str]:
    if not paths:
        return ["\n\n".join(_PARAGRAPHS * 40)] * 50
    texts: list[str] = []
    for path in paths:
        if not path.is_file():
            sys.exit(f"extract_speed: {path}: no such file")
        if path.suffix == ".jsonl":
            with path.open(encoding="utf-8") as handle:
                texts.extend(json.loads(line)["text"] for line in handle if line.strip())
        else:
            texts.append(path.read_text(encoding="utf-8"))
    return texts


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    texts = _texts(args.files)
    size = sum(len(t.encode("utf-8")) for t in texts)
    best = float("inf")
    for _ in range(args.repeat):
        started = time.perf_counter()
        for text in texts:
            extract(text)
        best = min(best, time.perf_counter() - started)
    print(
        f"{len(texts)} texts, {size / 1e6:.2f} MB in {best:.3f} s (best of {args.repeat}): "
        f"{size / 1e6 / best:.2f} MB/s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
