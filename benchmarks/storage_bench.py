"""Benchmark: leasing 1,000 due reminders and one channel's digest, at 10k, 100k and 1M tickets.

    .venv/bin/python benchmarks/storage_bench.py [--sizes 10000,100000,1000000] [--engines sqlite,postgresql]

Each size gets a fresh, migrated database bulk-loaded with a desk that has a long history:
most tickets are closed weeks ago, 1,000 claimed tickets are due, 1,000 claimed are not yet due
and 500 are open, spread over 20 channels, ten tickets per article. All sizes of an engine are
loaded first and then timed side by side, round by round; every timing is the median of seven
rounds, each run rolled back so the next one sees the same state. The target is that the 1M
time is at most 1.5 times the 10k time: the work follows what is due and active, not the table
size. PostgreSQL: FACTCHECK_TEST_POSTGRES_URL (default as in tests/db.py).
"""

from __future__ import annotations

import argparse
import os
import random
import secrets
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlmodel import Session

from storage.db import make_engine, normalise_url
from storage.digest_figures import digest_figures
from storage.migrate import upgrade
from storage.reminders import acquire_due_reminders

NOW = datetime(2026, 3, 3, 9, 0, tzinfo=UTC)
BULK_LOAD_TIMEOUT_S = 3600.0
DUE, CLAIMED_LATER, OPEN = 1000, 1000, 500
CHANNELS = 20
PER_ARTICLE = 10
RUNS = 7
TICKET_COLUMNS = (
    "id", "article_id", "channel", "kind", "text", "start_offset", "end_offset", "status", "assignee",
    "claim_number", "claimed_at", "due_at", "closed_at", "verdict", "sources", "reminders_sent",
    "next_reminder_at", "escalated", "created_at", "updated_at",
)  # fmt: skip
ARTICLE_COLUMNS = (
    "id", "team", "channel", "ts", "text", "created_at", "intake_status", "intake_started_at",
    "title", "permalink",
)  # fmt: skip
Row = tuple[object, ...]


def desk_rows(size: int, seed: int = 7) -> tuple[list[Row], Iterator[Row]]:
    """Articles and tickets; the active ones are scattered through the id range."""
    rng = random.Random(seed)
    articles = size // PER_ARTICLE
    history_start = NOW - timedelta(days=365)
    article_rows: list[Row] = []
    for a in range(1, articles + 1):
        created = history_start + timedelta(seconds=a * 365 * 86400 // max(articles, 1))
        channel = f"C{a % CHANNELS:02d}"
        article_rows.append(
            (a, "T1", channel, f"{1700000000 + a}.000100", "text", created, "ready", created,
             f"Article {a}", f"https://slack.example/{channel}/p{a}")
        )  # fmt: skip
    active = rng.sample(range(1, size + 1), DUE + CLAIMED_LATER + OPEN)
    due_ids = set(active[:DUE])
    later_ids = set(active[DUE : DUE + CLAIMED_LATER])
    open_ids = set(active[DUE + CLAIMED_LATER :])

    def tickets() -> Iterator[Row]:
        for t in range(1, size + 1):
            article_id = (t - 1) // PER_ARTICLE + 1
            created = article_rows[article_id - 1][5]
            assert isinstance(created, datetime)
            status = "verified"
            assignee: str | None = f"U{t % 200:03d}"
            claimed: datetime | None = created
            due: datetime | None = created + timedelta(hours=4)
            closed: datetime | None = created + timedelta(hours=6)
            verdict: str | None = "Accurate"
            next_at: datetime | None = None
            if t in due_ids or t in later_ids:
                status, closed, verdict = "claimed", None, None
                claimed = NOW - timedelta(hours=5 if t in due_ids else 1)
                due = NOW + timedelta(hours=-1 if t in due_ids else 3)
                next_at = due
            elif t in open_ids:
                status, assignee, claimed, due, closed, verdict = (
                    "open",
                    None,
                    None,
                    None,
                    None,
                    None,
                )
            elif t % 10 == 3:
                status, verdict = "dismissed", None
            elif t % 25 == 4:
                status, verdict = "flagged", "Misleading"
            yield (
                t, article_id, article_rows[article_id - 1][2], "claim", f"claim number {t}", 0, 10, status, assignee,
                1 if claimed else 0, claimed, due, closed, verdict, "[]", 0, next_at, False,
                created, created,
            )  # fmt: skip

    return article_rows, tickets()


def _sqlite_value(value: object) -> object:
    if isinstance(value, datetime):
        return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
    if isinstance(value, bool):
        return int(value)
    return value


def load_sqlite(path: Path, articles: list[Row], tickets: Iterator[Row]) -> None:
    conn = sqlite3.connect(path)
    try:
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = OFF")
        with conn:
            conn.executemany(
                f"INSERT INTO article ({', '.join(ARTICLE_COLUMNS)}) "
                f"VALUES ({', '.join('?' * len(ARTICLE_COLUMNS))})",
                ([_sqlite_value(v) for v in row] for row in articles),
            )
            conn.executemany(
                f"INSERT INTO ticket ({', '.join(TICKET_COLUMNS)}) "
                f"VALUES ({', '.join('?' * len(TICKET_COLUMNS))})",
                ([_sqlite_value(v) for v in row] for row in tickets),
            )
        conn.execute("ANALYZE")
    finally:
        conn.close()


def load_postgres(engine: Engine, articles: list[Row], tickets: Iterator[Row]) -> None:
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        with cursor.copy(f"COPY article ({', '.join(ARTICLE_COLUMNS)}) FROM STDIN") as copy:
            for row in articles:
                copy.write_row(row)
        with cursor.copy(f"COPY ticket ({', '.join(TICKET_COLUMNS)}) FROM STDIN") as copy:
            for row in tickets:
                copy.write_row(row)
        for table in ("article", "ticket"):
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"
            )
        raw.commit()
        # As autovacuum leaves a long-lived table: statistics, and the visibility map and hint
        # bits set, so the first timed reads do not pay for the bulk load's cleanup.
        driver = raw.driver_connection
        assert driver is not None
        driver.autocommit = True  # VACUUM runs outside a transaction
        cursor.execute("VACUUM ANALYZE")
        driver.autocommit = False  # the pool hands this connection to the timed runs
    finally:
        raw.close()


def timed_ms(
    engine: Engine, work: Callable[[Session], object], check: Callable[[object], None]
) -> float:
    """Wall time of `work` in its own transaction, rolled back so the next run sees the same."""
    with Session(engine) as session:
        start = time.perf_counter()
        result = work(session)
        elapsed = (time.perf_counter() - start) * 1000
        check(result)
        session.rollback()
    return elapsed


def _acquire(session: Session) -> object:
    return acquire_due_reminders(
        session, now=NOW, owner="bench", lease=timedelta(minutes=5), limit=DUE
    )


def _check_acquire(result: object) -> None:
    assert isinstance(result, list)
    assert len(result) == DUE, "every due reminder is leased"


def _digest(session: Session) -> object:
    return digest_figures(session, channel="C00", since=NOW - timedelta(days=1), now=NOW)


def measure(engines: dict[int, Engine]) -> dict[int, tuple[float, float]]:
    """Median acquire and digest times per size, the sizes taken in turn within each round
    (rotated), so a slow moment of the machine (a bulk load's write-back, another process)
    falls on every size alike instead of on whichever was timed then."""
    timings: dict[int, tuple[list[float], list[float]]] = {size: ([], []) for size in engines}
    sizes = list(engines)
    for run in range(RUNS):
        for size in sizes[run % len(sizes) :] + sizes[: run % len(sizes)]:
            engine = engines[size]
            timings[size][0].append(timed_ms(engine, _acquire, _check_acquire))
            timings[size][1].append(timed_ms(engine, _digest, lambda _r: None))
    return {
        size: (statistics.median(acquire), statistics.median(digest))
        for size, (acquire, digest) in timings.items()
    }


@contextmanager
def sqlite_desks(sizes: list[int], workdir: Path) -> Iterator[dict[int, tuple[Engine, float]]]:
    """A loaded SQLite desk per size, with how long its load took; removed afterwards."""
    desks: dict[int, tuple[Engine, float]] = {}
    try:
        for size in sizes:
            path = workdir / f"bench_{size}.db"
            path.unlink(missing_ok=True)
            upgrade(f"sqlite:///{path}")
            started = time.perf_counter()
            load_sqlite(path, *desk_rows(size))
            desks[size] = make_engine(f"sqlite:///{path}"), time.perf_counter() - started
        yield desks
    finally:
        for engine, _ in desks.values():
            engine.dispose()


@contextmanager
def postgres_desks(sizes: list[int], admin_url: str) -> Iterator[dict[int, tuple[Engine, float]]]:
    """A loaded PostgreSQL database per size, with how long its load took; dropped afterwards."""
    admin = create_engine(normalise_url(admin_url), isolation_level="AUTOCOMMIT")
    names: list[str] = []
    desks: dict[int, tuple[Engine, float]] = {}
    try:
        for size in sizes:
            name = f"factcheck_bench_{secrets.token_hex(4)}"
            with admin.connect() as conn:
                conn.execute(text(f'CREATE DATABASE "{name}"'))
            names.append(name)
            url = make_url(normalise_url(admin_url)).set(database=name)
            upgrade(url)
            # The bot's 30 s statement limit would cancel the bulk COPY of a million tickets.
            engine = make_engine(url, statement_timeout=BULK_LOAD_TIMEOUT_S)
            started = time.perf_counter()
            load_postgres(engine, *desk_rows(size))
            desks[size] = engine, time.perf_counter() - started
        yield desks
    finally:
        for engine, _ in desks.values():
            engine.dispose()
        with admin.connect() as conn:
            for name in names:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--engines", default="sqlite,postgresql")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    admin_url = os.environ.get(
        "FACTCHECK_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
    )
    results: dict[tuple[str, int], tuple[float, float, float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for engine_name in args.engines.split(","):
            desks = (
                sqlite_desks(sizes, Path(tmp))
                if engine_name == "sqlite"
                else postgres_desks(sizes, admin_url)
            )
            with desks as loaded:
                medians = measure({size: engine for size, (engine, _) in loaded.items()})
                for size, (_, load_seconds) in loaded.items():
                    acquire, digest = medians[size]
                    results[engine_name, size] = load_seconds, acquire, digest
                    print(
                        f"  {engine_name} {size:>9,}: loaded in {load_seconds:.1f}s, acquire "
                        f"{acquire:.1f} ms, digest {digest:.1f} ms",
                        file=sys.stderr,
                    )
    print(f"{'engine':<11} {'tickets':>10} {'due':>6} {'acquire ms':>11} {'digest ms':>10}")
    for (engine_name, size), (_loaded, acquire, digest) in results.items():
        print(f"{engine_name:<11} {size:>10,} {DUE:>6,} {acquire:>11.1f} {digest:>10.1f}")
    smallest, largest = min(sizes), max(sizes)
    print(f"\nratio {largest:,} / {smallest:,} (target <= 1.5):")
    for engine_name in args.engines.split(","):
        small, large = results[engine_name, smallest], results[engine_name, largest]
        print(
            f"{engine_name:<11} acquire {large[1] / small[1]:.2f}x   digest {large[2] / small[2]:.2f}x"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
