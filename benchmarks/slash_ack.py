"""Ack and answer times for 50 concurrent `/factcheck` commands and 50 concurrent button clicks.

Over HTTP to `factcheck run --http` in its own process (SQLite, rules extractor, no scheduler),
as production runs it; the stand-in and the 50 senders live in this process. The ack is the
HTTP response to Slack's request; the answer is the bot's POST to the request's response_url
(the command's reply, or the Snooze button's confirmation), as the stand-in timed it.
`--in-process` serves the WSGI app from this process instead (the stand-in's threads then
share the bot's interpreter lock).

`--compare DIR` runs the same rounds against another checkout (e.g. a `git worktree` of the
parent commit), alternating round by round in child processes, so both see the same load.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path

# The code under test: this checkout, or the one a parent run asked for.
CODE = Path(os.environ.get("FACTCHECK_BENCH_CODE", Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(CODE))

from benchmarks.desk_server import served_desk  # noqa: E402
from bot.localslack.driver import SlackDriver  # noqa: E402
from bot.localslack.signing import EventSender  # noqa: E402
from bot.localslack.web_api import (  # noqa: E402
    ALICE,
    CAROL,
    DESK,
    SlackStandIn,
    start_slack,
)
from bot.render.reminders import ACTION_SNOOZE_HOUR  # noqa: E402
from tests.slack.bot_process import BotProcess  # noqa: E402

ARTICLE = (Path(__file__).resolve().parents[1] / "tests" / "desk" / "article.txt").read_text(
    encoding="utf-8"
)
COMMANDS = ("queue", "mine", "help", "show 1", "claim 1")
KINDS = ("command", "button")


#: Seconds per request, by kind ("command", "button") and by what was timed ("ack", "answer").
Figures = dict[str, dict[str, list[float]]]


def _snooze_message(ticket_id: int) -> dict[str, object]:
    """A reminder DM's Snooze button for one ticket, as the driver clicks it."""
    button = {
        "type": "button",
        "action_id": ACTION_SNOOZE_HOUR,
        "value": str(ticket_id),
        "text": {"type": "plain_text", "text": "Snooze 1 hour"},
    }
    return {"ts": f"{time.time():.6f}", "blocks": [{"type": "actions", "elements": [button]}]}


def _answered_at(slack: SlackStandIn, url: str | None, deadline: float) -> float | None:
    while time.time() < deadline:
        posts = slack.responses(url)
        if posts:
            return posts[0].at
        time.sleep(0.01)
    return None


@contextmanager
def served_bot() -> Iterator[tuple[SlackStandIn, str]]:
    """`factcheck run --http` of the code under test, against a fresh stand-in."""
    slack = start_slack()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            bot = BotProcess(
                "http",
                slack,
                f"sqlite:///{tmp}/bench.db",
                CODE,
                env={
                    "FACTCHECK_SCHEDULER": "off",
                    "FACTCHECK_MIN_ARTICLE_CHARS": "200",
                    "FACTCHECK_EXTRACTOR": "rules",
                },
            )
            try:
                yield slack, f"{bot.wait_healthy()}/slack/events"
            finally:
                bot.stop(timeout=30)
    finally:
        slack.stop()


@contextmanager
def served_in_process() -> Iterator[tuple[SlackStandIn, str]]:
    with served_desk() as (slack, _services, events_url):
        yield slack, events_url


def one_round(concurrency: int, rounds: int, *, in_process: bool = False) -> Figures:
    """Ack and answer seconds per request, for each kind, from `rounds` bursts of each."""
    results: Figures = {kind: {"ack": [], "answer": []} for kind in KINDS}
    served: AbstractContextManager[tuple[SlackStandIn, str]] = (
        served_in_process() if in_process else served_bot()
    )
    with served as (slack, events_url):
        senders = [EventSender(events_url, slack.signing_secret) for _ in range(concurrency)]
        drivers = [SlackDriver(slack, sender=s) for s in senders]
        drivers[0].say(CAROL, DESK, ARTICLE)
        slack.wait_for(lambda: len(slack.calls("reactions.remove")) >= 1, timeout=60)
        drivers[0].command(ALICE, "/factcheck", "claim 1 2 3 4 5 6", channel=DESK)
        slack.wait_for(lambda: slack.responses(), timeout=60)
        # Warm every path the bursts take (a fresh process loads some modules on first use).
        warm = [drivers[0].command(ALICE, "/factcheck", text, channel=DESK) for text in COMMANDS]
        warm.append(drivers[0].click(ALICE, _snooze_message(1), ACTION_SNOOZE_HOUR, channel=DESK))
        for delivery in warm:
            _answered_at(slack, delivery.response_url, time.time() + 30)

        def one(kind: str, i: int) -> tuple[float, float | None]:
            started = time.time()
            if kind == "command":
                text = COMMANDS[i % len(COMMANDS)]
                delivery = drivers[i].command(ALICE, "/factcheck", text, channel=DESK)
            else:
                message = _snooze_message(1 + i % 6)
                delivery = drivers[i].click(ALICE, message, ACTION_SNOOZE_HOUR, channel=DESK)
            acked = time.time() - started
            assert delivery.acked, delivery
            answered = _answered_at(slack, delivery.response_url, started + 30)
            return acked, None if answered is None else answered - started

        with ThreadPoolExecutor(max_workers=concurrency) as pool:
            for _ in range(rounds):
                for kind in KINDS:
                    burst = [pool.submit(one, kind, i) for i in range(concurrency)]
                    for acked, answered in (future.result() for future in burst):
                        results[kind]["ack"].append(acked)
                        if answered is not None:
                            results[kind]["answer"].append(answered)
                    time.sleep(0.5)
        for sender in senders:
            sender.close()
    return results


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


def _report(name: str, results: Figures, expected: int) -> None:
    for kind in KINDS:
        for what in ("ack", "answer"):
            values = results[kind][what]
            if not values:
                print(f"{name:8} {kind:8} {what:6} none")
                continue
            print(
                f"{name:8} {kind:8} {what:6} p50 {statistics.median(values) * 1000:5.0f} ms"
                f"  p99 {_percentile(values, 0.99) * 1000:5.0f} ms"
                f"  max {max(values) * 1000:5.0f} ms  ({len(values)} of {expected})"
            )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--compare", type=Path, metavar="DIR", help="another checkout to time")
    parser.add_argument("--in-process", action="store_true", help="serve from this process")
    parser.add_argument("--json", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.json:  # a child of a --compare run: one checkout, figures on stdout
        print(json.dumps(one_round(args.concurrency, args.rounds, in_process=args.in_process)))
        return 0
    checkouts = {"this": Path(__file__).resolve().parents[1]}
    if args.compare:
        checkouts["compare"] = args.compare.resolve()
    totals: dict[str, Figures] = {
        name: {kind: {"ack": [], "answer": []} for kind in KINDS} for name in checkouts
    }
    for _ in range(args.rounds):  # one burst of each kind per child, alternating checkouts
        for name, code in checkouts.items():
            child = subprocess.run(
                [
                    sys.executable,
                    __file__,
                    "--json",
                    "--rounds=1",
                    f"--concurrency={args.concurrency}",
                    *(["--in-process"] if args.in_process else []),
                ],
                env={**os.environ, "FACTCHECK_BENCH_CODE": str(code)},
                capture_output=True,
                text=True,
                check=True,
            )
            figures = json.loads(child.stdout.strip().splitlines()[-1])
            for kind in KINDS:
                for what in ("ack", "answer"):
                    totals[name][kind][what] += figures[kind][what]
    print(f"{args.rounds} rounds of {args.concurrency} at once, per kind, over HTTP (SQLite)")
    for name in checkouts:
        _report(name, totals[name], args.rounds * args.concurrency)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
