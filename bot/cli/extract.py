"""`factcheck extract`: claims and quotes from article text, offline, as a table, JSON or JSON lines."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Iterable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from bot.errors import BadInput
from bot.extract import ClaimScorer, Extraction, extract
from bot.extract.claims import check_reason
from bot.extract.worklist import DEFAULT_MAX_CLAIMS

if TYPE_CHECKING:
    from multiprocessing.pool import Pool

NO_FILE = "{path}: no such file"
CLAIMS_HEADING = "CLAIMS ({filed} tickets, {offered} offered)"
BAD_LINE = 'line {number}: expected a JSON object with a string "text" (and an "id")'
BAD_JOBS = "--jobs must be a whole number of at least 1, not {value!r}"
#: The default for `--jobs` is the number of CPUs this process may use, at most this many: a
#: worker beyond the cores only adds start-up and memory.
MAX_DEFAULT_JOBS = 4
# Articles handed to a worker at a time: enough that the pipes are not the bottleneck, few
# enough that the workers finish together at the end of a batch.
_CHUNK = 8


def register(parser: argparse.ArgumentParser) -> None:
    parser.description = (
        "Read article text (a file or - for stdin) and print its check-worthy claims "
        "and quotes with speakers. Offsets index the input as given. Claims are scored by "
        "the scorer FACTCHECK_EXTRACTOR names (auto: semantic when installed, else rules)."
    )
    parser.add_argument("file", nargs="?", default="-", help="article text file, or - for stdin")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument(
        "--jsonl",
        metavar="FILE",
        help='batch mode: each input line {"id", "text"} gives one output line (- for stdin)',
    )
    parser.add_argument(
        "--jobs",
        type=_job_count,
        metavar="N",
        help=(
            "with --jsonl and the rules engine: extract in N worker processes, output still in "
            f"input order (default: the number of CPUs, at most {MAX_DEFAULT_JOBS})"
        ),
    )
    parser.add_argument("--threshold", type=float, help="minimum claim score (default: engine's)")
    parser.set_defaults(handler=run)


def _job_count(value: str) -> int:
    try:
        jobs = int(value)
    except ValueError:
        jobs = 0
    if jobs < 1:
        raise argparse.ArgumentTypeError(BAD_JOBS.format(value=value))
    return jobs


def default_jobs() -> int:
    """The CPUs this process may run on (its affinity, not the machine's count), capped."""
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cpus = os.cpu_count() or 1
    return max(1, min(cpus, MAX_DEFAULT_JOBS))


def as_json(result: Extraction) -> dict[str, list[dict[str, Any]]]:
    """The contract's shape: claims {text,start,end,score,ticket}, quotes {text,start,end,speaker,speaker_title}.

    Every claim over the offer threshold is listed; `ticket` says whether the desk files it
    or only offers it.
    """
    return {
        "claims": [
            {
                "text": c.text,
                "start": c.start,
                "end": c.end,
                "score": c.score,
                "ticket": c.ticket,
            }
            for c in result.claims
        ],
        "quotes": [
            {
                "text": q.text,
                "start": q.start,
                "end": q.end,
                "speaker": q.speaker,
                "speaker_title": q.speaker_title,
                "score": q.score,
            }
            for q in result.quotes
        ],
    }


def _read(path: str) -> str:
    if path == "-":
        return sys.stdin.read()
    file = Path(path)
    if not file.is_file():
        raise BadInput(NO_FILE.format(path=path))
    return file.read_text(encoding="utf-8")


def _open_lines(path: str) -> TextIO:
    if path == "-":
        return sys.stdin
    file = Path(path)
    if not file.is_file():
        raise BadInput(NO_FILE.format(path=path))
    return file.open(encoding="utf-8")


def _shorten(text: str, width: int) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


def render_table(result: Extraction) -> str:
    """A readable listing for a terminal."""
    lines = [f"QUOTES ({len(result.quotes)})"]
    for q in result.quotes:
        who = q.speaker or "(unattributed)"
        if q.speaker_title:
            who += f", {q.speaker_title}"
        lines.append(f"  {q.start:>6}-{q.end:<6} {q.score:.2f}  {_shorten(q.text, 70)}")
        lines.append(f"  {'':>13}       — {_shorten(who, 90)}")
    filed = sum(1 for c in result.claims if c.ticket)
    lines.append(CLAIMS_HEADING.format(filed=filed, offered=len(result.claims) - filed))
    for c in result.claims:
        mark = "ticket" if c.ticket else "offer "
        lines.append(f"  {c.start:>6}-{c.end:<6} {c.score:.2f} {mark}  {_shorten(c.text, 90)}")
        reason = check_reason(c.text)
        if reason:
            lines.append(f"  {'':>13}       — {reason}")
    return "\n".join(lines)


def _scorer() -> tuple[ClaimScorer | None, int]:
    """The configured claim scorer (None: the rules scorer), loaded when a command needs it,
    and FACTCHECK_MAX_CLAIMS, so `ticket` marks what the desk would file."""
    # The environment outranks .env in Settings, so FACTCHECK_EXTRACTOR=rules (or llm, whose
    # fallback is the rules engine) settles it without loading pydantic-settings (~0.2 s),
    # unless FACTCHECK_MAX_CLAIMS is set (or may be, in a .env file) and needs validating.
    if (
        os.environ.get("FACTCHECK_EXTRACTOR") in {"rules", "llm"}
        and "FACTCHECK_MAX_CLAIMS" not in os.environ
        and not Path(".env").exists()
    ):
        return None, DEFAULT_MAX_CLAIMS
    from bot.config import load_settings
    from bot.extract.scoring import build_semantic_scorer

    settings = load_settings()
    return build_semantic_scorer(settings), settings.max_claims


def _output_line(
    numbered: tuple[int, str],
    *,
    scorer: ClaimScorer | None,
    threshold: float | None,
    max_claims: int,
) -> str | BadInput:
    """The output line for one input line (empty for a blank line), or what is wrong with it.

    The error is returned, not raised, so that with workers the lines before a bad one are
    still written before it is reported, as with one process (a worker's exception would
    take the rest of its chunk with it).
    """
    number, line = numbered
    if not line.strip():
        return ""
    try:
        row = json.loads(line)
    except json.JSONDecodeError:
        return BadInput(BAD_LINE.format(number=number))
    if not isinstance(row, dict) or not isinstance(row.get("text"), str):
        return BadInput(BAD_LINE.format(number=number))
    result = extract(row["text"], scorer=scorer, claim_threshold=threshold, max_claims=max_claims)
    out = {"id": row.get("id"), **as_json(result)}
    return json.dumps(out, ensure_ascii=False) + "\n"


def _worker_pool(jobs: int) -> Pool | None:
    """`jobs` forked workers, or None where fork is missing; multiprocessing (~8 ms to import)
    is loaded only here. Forked workers start with the engine imported (no ~0.1 s import each)."""
    import multiprocessing

    if "fork" not in multiprocessing.get_all_start_methods():
        return None
    return multiprocessing.get_context("fork").Pool(jobs)


def _write(lines: Iterable[str | BadInput]) -> None:
    for line in lines:
        if isinstance(line, BadInput):
            raise line
        sys.stdout.write(line)


def run(args: argparse.Namespace) -> int:
    if args.jsonl:
        handle = _open_lines(args.jsonl)
        jobs = default_jobs() if args.jobs is None else args.jobs
        try:
            scorer, max_claims = _scorer()
            one = partial(
                _output_line, scorer=scorer, threshold=args.threshold, max_claims=max_claims
            )
            numbered: Iterable[tuple[int, str]] = enumerate(handle, 1)
            # A model-backed scorer stays in this process: its runtime's threads do not survive
            # a fork. Each worker returns finished JSON, so encoding runs in parallel too.
            pool = _worker_pool(jobs) if jobs > 1 and scorer is None else None
            if pool is None:
                _write(map(one, numbered))
            else:
                with pool:
                    _write(pool.imap(one, numbered, chunksize=_CHUNK))
        finally:
            if handle is not sys.stdin:
                handle.close()
        return 0
    text = _read(args.file)
    scorer, max_claims = _scorer()
    result = extract(text, scorer=scorer, claim_threshold=args.threshold, max_claims=max_claims)
    if args.json:
        print(json.dumps(as_json(result), ensure_ascii=False, indent=2))
    else:
        print(render_table(result))
    return 0
