"""Benchmark: matching one claim against a desk of 100,000 earlier checks, SQLite and PostgreSQL.

    .venv/bin/python benchmarks/match_bench.py [--size 100000] [--engines sqlite,postgresql]

Each engine gets a fresh, migrated database bulk-loaded with `size` match entries whose words
follow a Zipf law over a made-up vocabulary (so posting lists are as skewed as in news text),
each with a stored float16 embedding. One claim is matched at a time (`Matcher.find`, as intake
and `/factcheck search` do), median of 50 claims, against the full desk and against an empty
one: the ratio shows what the desk's size costs. With the semantic extra the query is encoded
by the real encoder; without it matching is by wording only. PostgreSQL:
FACTCHECK_TEST_POSTGRES_URL (default as in tests/db.py).
"""

from __future__ import annotations

import argparse
import os
import random
import secrets
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Engine, create_engine, insert, text
from sqlalchemy.engine import make_url

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.match.loading import load_matcher
from bot.match.matcher import Matcher
from bot.match.terms import query_terms
from storage.db import make_engine, normalise_url, session_scope
from storage.matching import count_terms
from storage.migrate import upgrade
from storage.models import MatchEntry

NOW = datetime(2026, 3, 3, 9, 0, tzinfo=UTC)
VOCABULARY = 20_000
STOPWORD_RANKS = 100
QUERIES = 50
BATCH = 5_000


def _words(rng: random.Random, count: int) -> str:
    """Zipf-distributed words; the commonest are function words a query drops anyway, so the
    vocabulary starts at the rank where content words begin."""
    low, high = STOPWORD_RANKS, VOCABULARY
    ranks = [int(low * (high / low) ** rng.random()) for _ in range(count)]
    return " ".join(f"w{rank}x" for rank in ranks)


def load_desk(engine: Engine, size: int, matcher: Matcher, team: str = "T1") -> None:
    """`size` synthetic earlier checks, with word counts (and embeddings with the encoder)."""
    rng = random.Random(7)
    vector = bytes(384 * 2)  # a stored embedding's size; its values do not change the cost
    for start in range(0, size, BATCH):
        rows = [
            {
                "team": team,
                "kind": "claim",
                "text": _words(rng, rng.randint(12, 30)),
                "embedding": vector if matcher.encoder is not None else None,
                "created_at": NOW,
            }
            for _ in range(min(BATCH, size - start))
        ]
        with session_scope(engine) as session:
            session.execute(insert(MatchEntry), rows)
            count_terms(session, [query_terms(str(row["text"])) for row in rows])


def _time(engine: Engine, matcher: Matcher) -> float:
    rng = random.Random(11)
    timings = []
    for _ in range(QUERIES):
        claim = _words(rng, 20)
        started = time.perf_counter()
        with session_scope(engine) as session:
            matcher.find(session, team="T1", texts=[claim], top=3)
        timings.append(time.perf_counter() - started)
    return statistics.median(timings) * 1000


def _engine(name: str, folder: Path, label: str) -> tuple[Engine, str | None]:
    if name == "sqlite":
        url = f"sqlite:///{folder / label}.db"
        upgrade(url)
        return make_engine(url), None
    admin = normalise_url(
        os.environ.get(
            "FACTCHECK_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
        )
    )
    database = f"factcheck_match_bench_{secrets.token_hex(4)}"
    with create_engine(admin, isolation_level="AUTOCOMMIT").connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{database}"'))
    pg_url = make_url(admin).set(database=database)
    upgrade(pg_url)
    return make_engine(pg_url), database


def _drop(database: str) -> None:
    admin = normalise_url(
        os.environ.get(
            "FACTCHECK_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
        )
    )
    with create_engine(admin, isolation_level="AUTOCOMMIT").connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--engines", default="sqlite,postgresql")
    args = parser.parse_args()
    matcher = load_matcher()
    mode = "wording + meaning" if matcher.encoder is not None else "wording only"
    print(f"matching one claim, median of {QUERIES} ({mode})")
    with tempfile.TemporaryDirectory() as scratch:
        for name in args.engines.split(","):
            timings = {}
            for label, size in (("empty", 0), ("full", args.size)):
                engine, database = _engine(name, Path(scratch), f"{name}-{label}")
                matcher = Matcher(matcher.encoder)  # a bot has one matcher per database
                try:
                    load_desk(engine, size, matcher)
                    if name == "postgresql":
                        with engine.begin() as conn:
                            conn.execute(text("ANALYZE match_entry"))
                    timings[label] = _time(engine, matcher)
                finally:
                    engine.dispose()
                    if database:
                        _drop(database)
            print(
                f"{name:10} empty desk {timings['empty']:6.1f} ms | {args.size:,} entries "
                f"{timings['full']:6.1f} ms | ratio {timings['full'] / timings['empty']:.2f}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
