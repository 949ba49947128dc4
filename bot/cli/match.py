"""`factcheck match`: earlier checks for claims, outside Slack, with the engine the desk uses."""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TextIO

from bot.errors import BadInput

NO_FILE = "{path}: no such file"
BAD_LINE = '{path} line {number}: expected a JSON object with a string "id" and "text"'
INDEX_TEAM = "index"
NO_DESK = "the desk has no articles yet; pass --index FILE to match against a file"


def register(parser: argparse.ArgumentParser) -> None:
    parser.description = (
        'Each query line {"id", "text"} gives one line {"id", "matches": '
        '[{"id", "score"}, ...]}, best first. The index is a JSONL file of {"id", "text"} '
        '(optional "title", "verdict"), or without --index the desk\'s own tickets.'
    )
    parser.add_argument("--index", metavar="FILE", help="JSONL of earlier checks to match against")
    parser.add_argument(
        "--jsonl", metavar="FILE", default="-", help="JSONL of queries (default: - for stdin)"
    )
    parser.add_argument("--top", type=int, default=5, help="matches per query (default 5)")
    parser.set_defaults(handler=run)


def _lines(path: str) -> Iterator[tuple[int, dict[str, Any]]]:
    stream: TextIO
    if path == "-":
        stream = sys.stdin
    else:
        if not Path(path).is_file():
            raise BadInput(NO_FILE.format(path=path))
        stream = Path(path).open(encoding="utf-8")  # noqa: SIM115 - closed below
    try:
        for number, line in enumerate(stream, 1):
            if not line.strip():
                continue
            try:
                item = json.loads(line)
            except json.JSONDecodeError:
                item = None
            if not (
                isinstance(item, dict)
                and isinstance(item.get("text"), str)
                and isinstance(item.get("id"), str | int)
            ):
                raise BadInput(BAD_LINE.format(path=path, number=number))
            yield number, item
    finally:
        if stream is not sys.stdin:
            stream.close()


def run(args: argparse.Namespace) -> int:
    if args.top < 1:
        raise BadInput("--top must be at least 1")
    from bot.match.loading import load_matcher

    matcher = load_matcher()
    if args.index:
        with tempfile.TemporaryDirectory(prefix="factcheck-match-") as scratch:
            return _match_against_file(matcher, args, Path(scratch) / "index.db")
    return _match_against_desk(matcher, args)


def _match_against_file(matcher: Any, args: argparse.Namespace, database: Path) -> int:
    from bot.match.index import index_entries
    from bot.services import utc_now
    from storage.db import make_engine, session_scope
    from storage.migrate import upgrade
    from storage.models import MatchEntry

    items = [item for _, item in _lines(args.index)]
    url = f"sqlite:///{database}"
    upgrade(url)
    engine = make_engine(url)
    try:
        now = utc_now()
        entries = [
            MatchEntry(
                team=INDEX_TEAM,
                kind="published",
                source_key=f"line-{number}",
                text=item["text"],
                title=item.get("title") if isinstance(item.get("title"), str) else None,
                verdict=item.get("verdict") if isinstance(item.get("verdict"), str) else None,
                created_at=now,
            )
            for number, item in enumerate(items, 1)
        ]
        from bot.match.matcher import searchable

        for entry, vector in zip(
            entries, matcher.embed([searchable(e) for e in entries]), strict=True
        ):
            entry.embedding = vector
        with session_scope(engine) as session:
            index_entries(session, entries)
        # Index ids are the file's own (any JSON string or number, any length).
        given = {entry.id: item["id"] for entry, item in zip(entries, items, strict=True)}
        _answer(matcher, engine, INDEX_TEAM, args, key=lambda entry: given[entry.id])
    finally:
        engine.dispose()
    return 0


def _match_against_desk(matcher: Any, args: argparse.Namespace) -> int:
    from bot.config import load_settings
    from storage.db import make_engine, session_scope
    from storage.matching import newest_team

    engine = make_engine(load_settings().database_url)
    try:
        with session_scope(engine) as session:
            team = newest_team(session)
        if team is None:
            raise BadInput(NO_DESK)
        _answer(matcher, engine, team, args, key=lambda entry: entry.ticket_id or entry.source_key)
    finally:
        engine.dispose()
    return 0


def _answer(matcher: Any, engine: Any, team: str, args: argparse.Namespace, *, key: Any) -> None:
    from storage.db import session_scope

    batch: list[dict[str, Any]] = []

    def flush() -> None:
        with session_scope(engine) as session:
            found = matcher.find(session, team=team, texts=[q["text"] for q in batch], top=args.top)
        for query, matches in zip(batch, found, strict=True):
            line = {
                "id": query["id"],
                "matches": [{"id": key(m.entry), "score": m.score} for m in matches],
            }
            print(json.dumps(line, ensure_ascii=False))
        batch.clear()

    for _, query in _lines(args.jsonl):
        batch.append(query)
        if len(batch) == 32:
            flush()
    if batch:
        flush()
