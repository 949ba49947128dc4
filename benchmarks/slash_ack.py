"""Time to ack for 50 concurrent `/factcheck` commands over HTTP (the production WSGI app, SQLite)."""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.desk_server import served_desk
from bot.localslack.driver import SlackDriver
from bot.localslack.signing import EventSender
from bot.localslack.web_api import ALICE, DESK


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    with served_desk() as (slack, _services, events_url):
        senders = [EventSender(events_url, slack.signing_secret) for _ in range(args.concurrency)]
        drivers = [SlackDriver(slack, sender=s) for s in senders]
        texts = ["queue", "mine", "help", "show 1", "claim 1"]

        def one(i: int) -> float:
            started = time.perf_counter()
            delivery = drivers[i].command(ALICE, "/factcheck", texts[i % len(texts)], channel=DESK)
            elapsed = time.perf_counter() - started
            assert delivery.acked, delivery
            return elapsed

        drivers[0].command(ALICE, "/factcheck", "help", channel=DESK)  # warm up
        times: list[float] = []
        with ThreadPoolExecutor(max_workers=args.concurrency) as pool:
            for _ in range(args.rounds):
                times += list(pool.map(one, range(args.concurrency)))
                time.sleep(0.5)
        for sender in senders:
            sender.close()
    ordered = sorted(times)
    p99 = ordered[min(len(ordered) - 1, round(0.99 * len(ordered)) - 1)]
    print(f"{len(times)} slash commands, {args.concurrency} at once, over HTTP")
    print(
        f"ack p50 {statistics.median(times) * 1000:.0f} ms  p99 {p99 * 1000:.0f} ms  max {ordered[-1] * 1000:.0f} ms"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
