"""One reminder sweep over a big desk on PostgreSQL: time, and Slack calls (target: one per checker).

    .venv/bin/python benchmarks/sweep_bench.py [--tickets 1000000] [--due 10000] [--checkers 200]

Creates a throwaway database on FACTCHECK_TEST_POSTGRES_URL's server (default
postgresql+psycopg://postgres@127.0.0.1:5432/test), fills it with SQL (`generate_series`), starts
the local Slack stand-in (tests/slack) and runs the real `ReminderSweeper` once, then a second
sweep that must find nothing. Prints the figures and checks every due ticket was reminded once.
"""

from __future__ import annotations

import argparse
import os
import secrets
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.config import load_settings
from bot.localslack.web_api import start_slack
from bot.reminders import ReminderSweeper
from bot.services import Services
from bot.slack_client import build_web_client
from storage.db import make_engine, normalise_url, session_scope
from storage.migrate import upgrade
from storage.models import ReminderDelivery
from storage.reminders import acquire_due_reminders

ADMIN_URL = os.environ.get(
    "FACTCHECK_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
TICKETS_PER_ARTICLE = 100

# Every ticket i: 1 in `stride` is claimed and due; the next 5 claimed but not due yet; the
# next 5 open (their articles were nudged a minute ago); the rest finished.
SEED_SQL = """
INSERT INTO article (id, team, channel, ts, permalink, title, text, posted_by, created_at,
                     intake_status, intake_started_at, last_nudged_at)
SELECT a, 'T1', 'C0DESK', '1700000000.' || lpad(a::text, 6, '0'),
       'https://desk.example/p/' || a, 'Story ' || a, '', 'U0POSTER',
       :now - interval '2 days', 'ready', :now - interval '2 days', :now - interval '1 minute'
FROM generate_series(1, :articles) AS a;

INSERT INTO ticket (id, article_id, {channel_column} kind, text, start_offset, end_offset, status, assignee,
                    claim_number, claimed_at, due_at, next_reminder_at, sources, reminders_sent,
                    escalated, created_at, updated_at, closed_at, verdict)
SELECT i,
       (i - 1) / 100 + 1, {channel_value}
       CASE WHEN i % 7 = 0 THEN 'quote' ELSE 'claim' END,
       'Claim number ' || i || ' says unemployment fell to 3% last year.',
       0, 10,
       CASE WHEN i % :stride = 0 THEN 'claimed'
            WHEN i % :stride BETWEEN 1 AND 5 THEN 'claimed'
            WHEN i % :stride BETWEEN 6 AND 10 THEN 'open'
            WHEN i % 3 = 0 THEN 'flagged'
            WHEN i % 3 = 1 THEN 'verified'
            ELSE 'dismissed' END,
       CASE WHEN i % :stride BETWEEN 6 AND 10 THEN NULL
            ELSE 'U0CHK' || lpad(((i / :stride) % :checkers)::text, 4, '0') END,
       1,
       :now - interval '5 hours',
       CASE WHEN i % :stride = 0 THEN :now - interval '1 hour'
            WHEN i % :stride BETWEEN 1 AND 5 THEN :now + interval '3 hours' END,
       CASE WHEN i % :stride = 0 THEN :now - interval '1 hour'
            WHEN i % :stride BETWEEN 1 AND 5 THEN :now + interval '3 hours' END,
       '[]', 0, false,
       :now - interval '2 days', :now - interval '1 hour',
       CASE WHEN i % :stride > 10 THEN :now - interval '1 day' END,
       CASE WHEN i % :stride > 10 AND i % 3 = 1 THEN 'Accurate' END
FROM generate_series(1, :tickets) AS i;
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=1_000_000)
    parser.add_argument("--due", type=int, default=10_000)
    parser.add_argument("--checkers", type=int, default=200)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    args = parser.parse_args()
    stride = args.tickets // args.due
    now = datetime.now(UTC)

    admin = create_engine(normalise_url(ADMIN_URL), isolation_level="AUTOCOMMIT")
    name = f"factcheck_bench_{secrets.token_hex(4)}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(normalise_url(ADMIN_URL)).set(database=name)
    slack = start_slack(seed=False)
    try:
        upgrade(url)
        engine = make_engine(url)
        started = time.perf_counter()
        with engine.begin() as conn:
            # Newer schemas copy the article's channel onto each ticket.
            has_channel = conn.scalar(
                text(
                    "SELECT count(*) FROM information_schema.columns "
                    "WHERE table_name = 'ticket' AND column_name = 'channel'"
                )
            )
            seed_sql = SEED_SQL.format(
                channel_column="channel," if has_channel else "",
                channel_value="'C0DESK'," if has_channel else "",
            )
            for statement in seed_sql.split(";\n"):
                if statement.strip():
                    conn.execute(
                        text(statement),
                        {
                            "now": now,
                            "articles": args.tickets // TICKETS_PER_ARTICLE,
                            "tickets": args.tickets,
                            "stride": stride,
                            "checkers": args.checkers,
                        },
                    )
            conn.execute(text("SELECT setval('ticket_id_seq', :n)"), {"n": args.tickets})
            conn.execute(
                text("SELECT setval('article_id_seq', :n)"),
                {"n": args.tickets // TICKETS_PER_ARTICLE},
            )
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM ANALYZE"))
        seeded = time.perf_counter() - started
        for n in range(args.checkers):
            slack.add_user(f"checker{n}", id=f"U0CHK{n:04d}", tz="Europe/London")

        settings = load_settings(
            _env_file=None,
            slack_bot_token=slack.bot_token,
            slack_api_url=slack.api_url,
            reminder_interval="4h",
            escalate_after=3,
        )
        services = Services(
            settings=settings, engine=engine, client=build_web_client(settings), clock=lambda: now
        )

        # The lease query alone, rolled back, so the sweep below still finds the work.
        with engine.connect() as conn:
            from sqlmodel import Session

            session = Session(bind=conn)
            t0 = time.perf_counter()
            leased = acquire_due_reminders(
                session, now=now, owner="probe", lease=timedelta(minutes=10), limit=20_000
            )
            acquire_seconds = time.perf_counter() - t0
            session.rollback()

        sweeper = ReminderSweeper(services, owner="bench")
        calls_before = len(slack.calls())
        t0 = time.perf_counter()
        report = sweeper.sweep()
        sweep_seconds = time.perf_counter() - t0
        calls = slack.calls()[calls_before:]
        posts = [c for c in calls if c.method == "chat.postMessage"]

        t0 = time.perf_counter()
        idle = sweeper.sweep()
        idle_seconds = time.perf_counter() - t0

        with session_scope(engine) as session:
            deliveries = session.scalar(select(func.count()).select_from(ReminderDelivery))
        print(f"tickets {args.tickets:,}, due {len(leased):,}, checkers {args.checkers}")
        print(f"seeding (SQL generate_series + VACUUM ANALYZE): {seeded:.1f} s")
        print(
            f"lease query alone ({len(leased):,} rows, rolled back): {acquire_seconds * 1000:.0f} ms"
        )
        print(f"sweep: {sweep_seconds:.2f} s  ({report})")
        print(
            f"Slack calls in the sweep: {len(calls)} "
            f"({len(posts)} chat.postMessage; {len(posts) / args.checkers:.2f} per checker)"
        )
        print(f"second sweep (nothing due): {idle_seconds * 1000:.0f} ms, {idle}")
        print(f"reminder_delivery rows: {deliveries:,}")
        ok = (
            deliveries == len(leased) == report.tickets_reminded
            and len(posts) == args.checkers
            and idle.tickets_reminded == 0
        )
        print("check:", "every due ticket reminded once, one DM per checker" if ok else "FAILED")
        engine.dispose()
        return 0 if ok else 1
    finally:
        slack.stop()
        if not args.keep:
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


if __name__ == "__main__":
    sys.exit(main())
