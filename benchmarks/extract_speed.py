"""How many MB of article text per second the rules engine handles on one core (quotes and claims together).

Usage: python benchmarks/extract_speed.py [ARTICLES.jsonl|TEXT_FILE ...] [--repeat N]
       [--baseline GIT_REF] [--whole N] [--jobs N] [--instructions]

With no files it times a generated article so it runs anywhere; with the shared quotes JSONL it
times real news text. The targets: 1.5x the in-process speed of 6d6d5ee (the engine before the
speed work), side by side (`--baseline 6d6d5ee`), and 2.5 MB/s for a whole `factcheck extract
--jsonl` process.

`--baseline REF` (e.g. `--baseline main`) extracts that commit's `bot/` with `git archive` into
a temporary directory and times both engines side by side in one run: each in its own worker
process, the passes interleaved (this, baseline, baseline, this, ...) so both see the same load
on a shared machine; the figures are best of N and the ratio is this tree's speed over the
baseline's. `--whole N` also times `factcheck extract --jsonl FILE` as a whole process (start-up,
import, extraction and output) N times per tree, interleaved the same way; `--jobs N` passes
`--jobs N` to this tree's command (its default is one worker per CPU, up to 4; `--jobs 1` gives
the one-process figure). FACTCHECK_EXTRACTOR is rules throughout.

Wall clock on a shared machine moves by about 10% between two runs of the same tree, so
`--instructions` also counts the CPU instructions of one pass per tree under valgrind's callgrind
(a cold pass: the import subtracted, no warm caches), a figure that load does not move. It needs
valgrind and takes about a minute per tree on the dev set.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Mapping
from functools import partial
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

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

# A worker reads one line per pass from stdin and answers with the seconds that pass took; it
# loads the texts and imports the engine of the tree on its sys.path before the first pass.
_WORKER = """
import json, sys, time
texts = json.load(open(sys.argv[1], encoding="utf-8"))
from bot.extract import extract
print("ready", flush=True)
for _ in sys.stdin:
    started = time.perf_counter()
    for text in texts:
        extract(text)
    print(time.perf_counter() - started, flush=True)
"""
# One process that imports the engine and makes PASSES passes: run under callgrind with 0 and 1.
_PASSES = """
import json, sys
texts = json.load(open(sys.argv[1], encoding="utf-8"))
from bot.extract import extract
for _ in range(int(sys.argv[2])):
    for text in texts:
        extract(text)
"""
_CALLGRIND = ("valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null")
_COLLECTED = re.compile(r"Collected : (\d+)")
# What the `factcheck` console script runs.
_CLI = "import sys; from bot.cli import main; sys.argv[0] = 'factcheck'; sys.exit(main())"


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


def _env(tree: Path) -> dict[str, str]:
    """The rules engine, this tree's `bot` first, and one hash seed for every process: string
    hashing decides how sets and dicts collide, which moved two runs of one tree by up to 10%."""
    return {
        **os.environ,
        "FACTCHECK_EXTRACTOR": "rules",
        "PYTHONPATH": str(tree),
        "PYTHONHASHSEED": "0",
    }


class _Worker:
    """One tree's engine in its own interpreter, timing a pass over the texts on request."""

    def __init__(self, tree: Path, texts_file: Path) -> None:
        self._process = subprocess.Popen(
            [sys.executable, "-c", _WORKER, str(texts_file)],
            cwd=tree,  # sys.path[0] is the working directory: this tree's `bot` is found first
            env=_env(tree),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        if self._read() != "ready":
            sys.exit(f"extract_speed: the worker for {tree} did not start")

    def _read(self) -> str:
        assert self._process.stdout is not None
        return self._process.stdout.readline().strip()

    def one_pass(self) -> float:
        assert self._process.stdin is not None
        self._process.stdin.write("go\n")
        self._process.stdin.flush()
        return float(self._read())

    def close(self) -> None:
        assert self._process.stdin is not None
        self._process.stdin.close()
        self._process.wait()


def _whole_process(tree: Path, jsonl: Path, options: tuple[str, ...] = ()) -> float:
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-c", _CLI, "extract", "--jsonl", str(jsonl), *options],
        cwd=tree,
        env=_env(tree),
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return time.perf_counter() - started


def _instructions(tree: Path, texts_file: Path) -> int:
    """CPU instructions of one pass over the texts with `tree`'s engine, import not counted."""
    counts = []
    for passes in (0, 1):
        run = subprocess.run(
            [*_CALLGRIND, sys.executable, "-c", _PASSES, str(texts_file), str(passes)],
            cwd=tree,
            env=_env(tree),
            capture_output=True,
            text=True,
            check=True,
        )
        found = _COLLECTED.search(run.stderr)
        if found is None:
            sys.exit(f"extract_speed: no instruction count from valgrind: {run.stderr[-300:]}")
        counts.append(int(found.group(1)))
    return counts[1] - counts[0]


def _checkout(ref: str, into: Path) -> Path:
    """`bot/` of commit `ref`, as `git archive` gives it, under `into`."""
    archive = subprocess.run(
        ["git", "archive", ref, "bot"], cwd=REPO, check=True, capture_output=True
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)
    return into


def _interleaved(runners: Mapping[str, Callable[[], float]], rounds: int) -> dict[str, float]:
    """Best time of each runner over `rounds`, the order flipped every round (ABBA...)."""
    names = list(runners)
    best = dict.fromkeys(names, float("inf"))
    for number in range(rounds):
        for name in names if number % 2 == 0 else reversed(names):
            best[name] = min(best[name], runners[name]())
    return best


def _line(label: str, size: float, seconds: float) -> str:
    return f"{label:28} {size / 1e6:.2f} MB in {seconds:.3f} s: {size / 1e6 / seconds:.2f} MB/s"


def _side_by_side(args: argparse.Namespace, texts: list[str], size: int) -> None:
    with tempfile.TemporaryDirectory(prefix="extract-speed-") as scratch:
        base = _checkout(args.baseline, Path(scratch))
        texts_file = Path(scratch) / "texts.json"
        texts_file.write_text(json.dumps(texts), encoding="utf-8")
        trees = {"this tree": REPO, f"baseline {args.baseline}": base}
        workers = {name: _Worker(tree, texts_file) for name, tree in trees.items()}
        try:
            best = _interleaved({n: w.one_pass for n, w in workers.items()}, args.repeat)
        finally:
            for worker in workers.values():
                worker.close()
        print(f"in-process, {len(texts)} texts, best of {args.repeat} interleaved passes:")
        for name, seconds in best.items():
            print("  " + _line(name, size, seconds))
        this, baseline = best.values()
        print(f"  ratio: {baseline / this:.2f}x the baseline's speed")
        if args.whole:
            jsonl = Path(scratch) / "texts.jsonl"
            with jsonl.open("w", encoding="utf-8") as handle:
                for number, text in enumerate(texts):
                    handle.write(json.dumps({"id": number, "text": text}) + "\n")
            jobs = () if args.jobs is None else ("--jobs", str(args.jobs))
            runners = {
                name: partial(_whole_process, tree, jsonl, jobs if tree == REPO else ())
                for name, tree in trees.items()
            }
            _interleaved(runners, 1)  # warm the file cache and write .pyc files
            whole = _interleaved(runners, args.whole)
            command = " ".join(("factcheck extract --jsonl", *jobs))
            print(f"whole process ({command}), best of {args.whole}:")
            for name, seconds in whole.items():
                print("  " + _line(name, size, seconds))
            this, baseline = whole.values()
            print(f"  ratio: {baseline / this:.2f}x the baseline's speed")
        if args.instructions:
            counted = {name: _instructions(tree, texts_file) for name, tree in trees.items()}
            print("instructions of one cold pass (callgrind, import not counted):")
            for name, count in counted.items():
                print(f"  {name:28} {count / 1e9:.3f} G")
            this_count, baseline_count = counted.values()
            print(f"  ratio: {baseline_count / this_count:.3f}x fewer than the baseline")


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path)
    parser.add_argument("--repeat", type=int, default=3, help="passes per tree (best of)")
    parser.add_argument("--baseline", metavar="GIT_REF", help="time this commit's engine too")
    parser.add_argument(
        "--whole", type=int, default=0, metavar="N", help="also time N whole-process runs"
    )
    parser.add_argument(
        "--jobs", type=int, metavar="N", help="--whole: pass --jobs N to this tree's command"
    )
    parser.add_argument(
        "--instructions", action="store_true", help="also count instructions (valgrind)"
    )
    args = parser.parse_args()
    texts = _texts(args.files)
    size = sum(len(t.encode("utf-8")) for t in texts)
    if args.baseline:
        _side_by_side(args, texts, size)
        return 0
    from bot.extract import extract

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
