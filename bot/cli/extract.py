"""`factcheck extract`: claims and quotes from article text, offline, as a table, JSON or JSON lines."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any, TextIO

from bot.errors import BadInput
from bot.extract import ClaimScorer, Extraction, extract
from bot.extract.claims import check_reason
from bot.extract.worklist import DEFAULT_MAX_CLAIMS

NO_FILE = "{path}: no such file"
CLAIMS_HEADING = "CLAIMS ({filed} tickets, {offered} offered)"
BAD_LINE = 'line {number}: expected a JSON object with a string "text" (and an "id")'


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
    parser.add_argument("--threshold", type=float, help="minimum claim score (default: engine's)")
    parser.set_defaults(handler=run)


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


def run(args: argparse.Namespace) -> int:
    if args.jsonl:
        handle = _open_lines(args.jsonl)
        scorer, max_claims = _scorer()
        try:
            for number, line in enumerate(handle, 1):
                if not line.strip():
                    continue
                try:
                    row = json.loads(line)
                except json.JSONDecodeError:
                    raise BadInput(BAD_LINE.format(number=number)) from None
                if not isinstance(row, dict) or not isinstance(row.get("text"), str):
                    raise BadInput(BAD_LINE.format(number=number))
                result = extract(
                    row["text"],
                    scorer=scorer,
                    claim_threshold=args.threshold,
                    max_claims=max_claims,
                )
                out = {"id": row.get("id"), **as_json(result)}
                sys.stdout.write(json.dumps(out, ensure_ascii=False) + "\n")
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
