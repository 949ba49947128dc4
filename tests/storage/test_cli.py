"""`factcheck tickets` and `factcheck export` as an operator runs them, against a real database."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from datetime import timedelta

from sqlalchemy import Engine

from bot.cli.export import CSV_FIELDS
from storage.db import session_scope
from tests.factories import T0, make_article, make_ticket

SOURCE = "https://stats.example.org/a"


def _factcheck(database_url: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "FACTCHECK_ORG_NAME": "Example Desk",
        "FACTCHECK_ORG_URL": "https://news.example.org",
    }
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )


def _prepare(engine: Engine) -> None:
    with session_scope(engine) as session:
        article = make_article(session, source_url="https://news.example.org/budget")
        make_ticket(session, article)
        make_ticket(
            session,
            article,
            kind="quote",
            text="We will win.",
            speaker="Ann Lee",
            speaker_title="PM",
            status="verified",
            assignee="U1",
            verdict="Misquoted",
            sources=[SOURCE],
            closed_at=T0 + timedelta(hours=1),
            reminders_sent=2,
        )
        make_ticket(session, article, status="dismissed", assignee="U1", closed_at=T0)


def test_tickets_json_follows_the_contract(engine: Engine, database_url: str) -> None:
    _prepare(engine)
    result = _factcheck(database_url, "tickets", "--json", "--status", "verified")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == [
        {
            "id": 2,
            "kind": "quote",
            "text": "We will win.",
            "speaker": "Ann Lee",
            "status": "verified",
            "assignee": "U1",
            "article_id": 1,
            "verdict": "Misquoted",
            "sources": [SOURCE],
            "reminders_sent": 2,
        }
    ]


def test_tickets_table_is_readable(engine: Engine, database_url: str) -> None:
    _prepare(engine)
    result = _factcheck(database_url, "tickets", "--article", "1")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["ID", "KIND", "STATUS", "ASSIGNEE", "VERDICT", "ART", "TEXT"]
    assert lines[2].startswith("#2")
    assert "Misquoted" in lines[2]
    assert "(Ann Lee)" in lines[2]


def test_export_claimreview(engine: Engine, database_url: str) -> None:
    _prepare(engine)
    result = _factcheck(database_url, "export", "--format", "claimreview")
    assert result.returncode == 0, result.stderr
    [review] = json.loads(result.stdout)  # the dismissed ticket has no verdict to publish
    assert review["@type"] == "ClaimReview"
    assert review["claimReviewed"] == "We will win."
    assert review["reviewRating"] == {
        "@type": "Rating",
        "alternateName": "Misquoted",
        "ratingValue": 1,
        "bestRating": 5,
        "worstRating": 1,
    }
    assert review["itemReviewed"]["author"] == {
        "@type": "Person",
        "name": "Ann Lee",
        "jobTitle": "PM",
    }
    assert review["itemReviewed"]["appearance"]["url"] == "https://news.example.org/budget"
    assert review["author"] == {
        "@type": "Organization",
        "name": "Example Desk",
        "url": "https://news.example.org",
    }
    assert review["datePublished"] == "2026-03-03"


def test_export_csv_and_json_list_every_finished_ticket(engine: Engine, database_url: str) -> None:
    _prepare(engine)
    as_csv = _factcheck(database_url, "export", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(as_csv.stdout)))
    assert tuple(rows[0]) == CSV_FIELDS
    assert [(r["id"], r["status"]) for r in rows] == [("3", "dismissed"), ("2", "verified")]
    as_json = json.loads(_factcheck(database_url, "export", "--format", "json").stdout)
    assert [r["id"] for r in as_json] == [3, 2]


def test_unmigrated_database_names_the_fix(tmp_path: object) -> None:
    result = _factcheck(f"sqlite:///{tmp_path}/new.db", "tickets")
    assert result.returncode == 2
    assert "run `factcheck db upgrade` first" in result.stderr
    upgraded = _factcheck(f"sqlite:///{tmp_path}/new.db", "db", "upgrade")
    assert upgraded.returncode == 0, upgraded.stderr
    assert _factcheck(f"sqlite:///{tmp_path}/new.db", "tickets").stdout.strip() == "no tickets"
