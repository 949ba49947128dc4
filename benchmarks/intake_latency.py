"""Event arrival to thread reply posted, for one article file (SQLite, the production WSGI app).

Each run is a first paste: the desk forgets the earlier runs' match memory in between (else run
2 would be a re-paste and file nothing). `--desk N` fills the desk's match index with N earlier
checks first (synthetic, as benchmarks/match_bench.py makes them), to see what a large desk
costs intake; the run prints the empty-desk figure beside it.

Runs the claim scorer FACTCHECK_EXTRACTOR names (default auto: semantic when its extra is
installed), or the one --extractor gives; the model loads once, before the timed runs, as at
`factcheck run`'s start.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import Engine
from sqlalchemy import text as text_sql

from benchmarks.desk_server import served_desk
from benchmarks.match_bench import load_desk
from bot.localslack import payloads
from bot.localslack.signing import EventSender
from bot.localslack.web_api import CAROL, DESK, Call

# ../shared beside the repo, as the team lays it out; any article file can be given instead.
DEFAULT_ARTICLE = Path(__file__).resolve().parents[2] / "shared/examples/iran-russia-agreement.txt"


def _arg_is(name: str, value: str) -> Callable[[Call], bool]:
    return lambda call: call.args.get(name) == value


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("article", nargs="?", default=DEFAULT_ARTICLE, help="a text file")
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--desk", type=int, default=0, help="earlier checks in the index first")
    parser.add_argument(
        "--extractor",
        choices=["auto", "rules", "semantic"],
        help="claim scorer (default: FACTCHECK_EXTRACTOR, else auto)",
    )
    args = parser.parse_args()
    if args.extractor:
        os.environ["FACTCHECK_EXTRACTOR"] = args.extractor
    path = Path(args.article)
    if not path.is_file():
        print(
            f"article file not found: {path} (give the path as the first argument)", file=sys.stderr
        )
        return 2
    text = path.read_text(encoding="utf-8")
    for size in sorted({0, args.desk}):
        _measure(args, path, text, size)
    return 0


def _forget_matches(engine: Engine) -> None:
    """The match memory of earlier runs, gone: the next paste is a first paste again."""
    with engine.begin() as conn:
        conn.execute(text_sql("DELETE FROM ticket_match"))
        conn.execute(text_sql("DELETE FROM match_entry WHERE ticket_id IS NOT NULL"))
        conn.execute(text_sql("UPDATE article SET content_key = NULL"))


def _measure(args: argparse.Namespace, path: Path, text: str, desk: int) -> None:
    loading = time.perf_counter()
    with served_desk() as (slack, services, events_url):
        loaded = time.perf_counter() - loading
        scorer = getattr(services.extractor, "scorer", None)
        if desk:
            load_desk(services.engine, desk, services.matcher, team=slack.team_id)
        services.extractor.extract(text)  # warm caches, as a running bot has
        times: list[float] = []
        whole: list[float] = []
        blocks = replies = 0
        with EventSender(events_url, slack.signing_secret) as sender:
            for _ in range(args.runs):
                _forget_matches(services.engine)
                message = slack.post_as_user(CAROL, DESK, text)
                ts = message["ts"]
                event = payloads.message_event(
                    user=CAROL, channel=DESK, text=text, ts=message["ts"]
                )
                started = time.perf_counter()
                sender.event(payloads.event_callback(event, team_id=slack.team_id))
                call = slack.wait_for_call(
                    "chat.postMessage",
                    where=_arg_is("thread_ts", ts),
                    timeout=30,
                )
                times.append(time.perf_counter() - started)
                slack.wait_for_call(
                    "reactions.remove",
                    where=_arg_is("timestamp", ts),
                    timeout=30,
                )
                whole.append(time.perf_counter() - started)
                # Matching by meaning runs after the thread is out; let it finish before the
                # next paste, so each run measures one article, not the tail of the last one.
                while services.work.running or services.work.waiting:
                    time.sleep(0.01)
                blocks = len(call.args.get("blocks") or [])
                replies = len(slack.messages_in(DESK, thread_ts=message["ts"])) - 1
    print(
        f"{path.name}: {len(text)} chars; {replies} thread messages (first: {blocks} blocks); "
        f"{args.runs} runs; {desk:,} earlier checks on the desk"
    )
    name = getattr(scorer, "name", type(services.extractor).__name__)
    print(f"claim scorer: {name}; services built (model loaded) in {loaded * 1000:.0f} ms")
    print(
        f"event to first thread reply: median {statistics.median(times) * 1000:.0f} ms, max {max(times) * 1000:.0f} ms"
    )
    print(
        f"event to whole thread posted: median {statistics.median(whole) * 1000:.0f} ms, max {max(whole) * 1000:.0f} ms"
    )


if __name__ == "__main__":
    raise SystemExit(main())
