"""`factcheck match` and `factcheck import claimreview` as an operator runs them."""

from __future__ import annotations

import io
import json
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select

from bot.cli import main
from bot.match.claimreview import MAX_FILE_BYTES
from bot.match.matcher import CONFIDENT_SCORE
from storage.db import session_scope
from storage.models import MatchEntry

INDEX = [
    {"id": "v1", "text": "The city council approved a $48 million road budget.", "title": "Roads"},
    {"id": "v2", "text": "Unemployment fell to 3.9 percent in April.", "verdict": "True"},
    {"id": "v3", "text": "A photo shows sharks swimming on a flooded highway.", "title": "Sharks?"},
]
QUERIES = [
    {"id": "q1", "text": "BREAKING: sharks swimming down the flooded highway!! pic.twitter.com/x"},
    {"id": 2, "text": "unemployment fell to 3.9% in april"},
    {"id": "q3", "text": "nothing here matches at all"},
]
REVIEW = {
    "@context": "https://schema.org",
    "@type": "ClaimReview",
    "claimReviewed": "Crime in the city doubled over five years.",
    "url": "https://factcheck.example.org/crime-doubled",
    "datePublished": "2026-11-02",
    "author": {"@type": "Organization", "name": "Example Fact Check"},
    "reviewRating": {"@type": "Rating", "alternateName": "False"},
    "itemReviewed": {"@type": "Claim", "author": {"@type": "Person", "name": "Ann Lee"}},
}


@dataclass(frozen=True)
class Done:
    returncode: int
    stdout: str
    stderr: str


@pytest.fixture
def factcheck(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> Callable[..., Done]:
    """`factcheck ARGS` in this process, as the console script runs it (env, stdin, exit code)."""

    def run(*args: str, env: dict[str, str] | None = None, stdin: str = "") -> Done:
        for name, value in (env or {}).items():
            monkeypatch.setenv(name, value)
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
        code = main(list(args))
        out, err = capsys.readouterr()
        return Done(code, out, err)

    return run


def _jsonl(path: Path, items: Sequence[Mapping[str, object]]) -> Path:
    path.write_text("".join(json.dumps(item) + "\n" for item in items), encoding="utf-8")
    return path


def test_match_against_an_index_file_answers_each_query_in_order(
    factcheck: Callable[..., Done], tmp_path: Path
) -> None:
    index = _jsonl(tmp_path / "index.jsonl", INDEX)
    done = factcheck(
        "match",
        "--index",
        str(index),
        "--top",
        "2",
        stdin="".join(json.dumps(query) + "\n" for query in QUERIES),
    )
    assert done.returncode == 0, done.stderr
    lines = [json.loads(line) for line in done.stdout.splitlines()]
    assert [line["id"] for line in lines] == ["q1", 2, "q3"]
    assert lines[0]["matches"][0]["id"] == "v3"
    assert lines[1]["matches"][0]["id"] == "v2"
    # Nothing shares its words; by meaning (with the encoder) only weak neighbours come back.
    assert all(match["score"] < CONFIDENT_SCORE for match in lines[2]["matches"])
    assert all(len(line["matches"]) <= 2 for line in lines)


def test_a_malformed_query_line_names_the_line(
    factcheck: Callable[..., Done], tmp_path: Path
) -> None:
    index = _jsonl(tmp_path / "index.jsonl", INDEX)
    done = factcheck("match", "--index", str(index), stdin='{"id": "q1"}\n')
    assert done.returncode == 1
    assert "line 1" in done.stderr
    assert "Traceback" not in done.stderr


def _count(engine: Engine) -> int:
    with session_scope(engine) as session:
        return int(session.scalar(select(func.count()).select_from(MatchEntry)) or 0)


def test_import_is_idempotent_and_reads_feeds(
    factcheck: Callable[..., Done], tmp_path: Path, engine: Engine, database_url: str
) -> None:
    feed = {
        "@context": "https://schema.org",
        "@type": "DataFeed",
        "dataFeedElement": [{"@type": "DataFeedItem", "item": [REVIEW]}],
    }
    path = tmp_path / "feed.json"
    path.write_text(json.dumps(feed), encoding="utf-8")
    first = factcheck("import", "claimreview", str(path), env={"DATABASE_URL": database_url})
    again = factcheck("import", "claimreview", str(path), env={"DATABASE_URL": database_url})
    assert first.returncode == 0, first.stderr
    assert "1 new published checks" in first.stdout
    assert "0 new published checks" in again.stdout
    assert _count(engine) == 1
    with session_scope(engine) as session:
        entry = session.scalars(select(MatchEntry)).one()
    assert (entry.verdict, entry.publisher, entry.speaker) == (
        "False",
        "Example Fact Check",
        "Ann Lee",
    )


@pytest.mark.parametrize(
    ("content", "says"),
    [
        (b"not json at all", "is not JSON"),
        (json.dumps({"@type": "Thing"}).encode(), "holds no ClaimReview"),
        (json.dumps([REVIEW, {**REVIEW, "claimReviewed": 42}]).encode(), "review 2 has a non-text"),
        (
            json.dumps([{**REVIEW, "url": "javascript:alert(1)"}]).encode(),
            "review 1 has no http(s) url",
        ),
        (b"\xff\xfe\x00garbage", "is not JSON"),
    ],
    ids=["not-json", "no-reviews", "wrong-type", "script-url", "binary"],
)
def test_a_bad_file_is_refused_whole(
    factcheck: Callable[..., Done],
    tmp_path: Path,
    engine: Engine,
    database_url: str,
    content: bytes,
    says: str,
) -> None:
    path = tmp_path / "bad.json"
    path.write_bytes(content)
    done = factcheck("import", "claimreview", str(path), env={"DATABASE_URL": database_url})
    assert done.returncode == 1
    assert says in done.stderr
    assert "Traceback" not in done.stderr
    assert _count(engine) == 0


def test_a_huge_file_is_refused_before_it_is_read(
    factcheck: Callable[..., Done], tmp_path: Path, engine: Engine, database_url: str
) -> None:
    path = tmp_path / "huge.json"
    with path.open("wb") as stream:
        stream.truncate(MAX_FILE_BYTES * 2 + 10 * 1024 * 1024)  # 50 MB, sparse
    done = factcheck("import", "claimreview", str(path), env={"DATABASE_URL": database_url})
    assert done.returncode == 1
    assert "up to 20 MB" in done.stderr
    assert _count(engine) == 0


def test_script_in_a_field_is_stored_as_text(
    factcheck: Callable[..., Done], tmp_path: Path, engine: Engine, database_url: str
) -> None:
    hostile = {**REVIEW, "claimReviewed": "<script>alert('x')</script> Taxes <b>tripled</b>"}
    path = tmp_path / "hostile.json"
    path.write_text(json.dumps([hostile]), encoding="utf-8")
    done = factcheck("import", "claimreview", str(path), env={"DATABASE_URL": database_url})
    assert done.returncode == 0, done.stderr
    with session_scope(engine) as session:
        entry = session.scalars(select(MatchEntry)).one()
    assert entry.text == "<script>alert('x')</script> Taxes <b>tripled</b>"
