"""`factcheck tickets` and `factcheck export` as an operator runs them, against a real database."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Engine

from bot.cli.export import CSV_FIELDS
from bot.localslack.web_api import SlackStandIn
from storage.db import session_scope
from tests.factories import T0, make_article, make_ticket

SOURCE = "https://stats.example.org/a"


ORG = {"FACTCHECK_ORG_NAME": "Example Desk", "FACTCHECK_ORG_URL": "https://news.example.org"}
# What Google documents for a ClaimReview in search results (developers.google.com, "Fact
# check (ClaimReview) structured data"): the required properties, and what each must hold.
GOOGLE_REQUIRED = ("claimReviewed", "reviewRating", "itemReviewed", "author", "url")


def _factcheck(
    database_url: str, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("FACTCHECK_ORG", "SLACK_"))}
    env = {**base, "DATABASE_URL": database_url, **(ORG if env is None else env)}
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
            review_url="https://news.example.org/fact-check/we-will-win",
            closed_at=T0 + timedelta(hours=1),
            reminders_sent=2,
        )
        make_ticket(session, article, status="dismissed", assignee="U1", closed_at=T0)
        pasted = make_article(session, permalink="https://fact.slack.com/archives/C1/p1")
        make_ticket(
            session,
            pasted,
            text="Crime fell 20% in a year.",
            status="flagged",
            assignee="U1",
            verdict="Inaccurate",
            sources=[SOURCE],
            closed_at=T0 + timedelta(days=2),
        )


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


def validate_for_google(review: dict[str, Any]) -> None:
    """The properties Google documents for ClaimReview, present and of the documented shape."""
    for name in GOOGLE_REQUIRED:
        assert review.get(name), name
    assert review["@context"] == "https://schema.org"
    assert review["@type"] == "ClaimReview"
    rating = review["reviewRating"]
    assert rating["@type"] == "Rating"
    assert rating.get("alternateName") or "ratingValue" in rating
    if "ratingValue" in rating:
        assert rating["worstRating"] <= rating["ratingValue"] <= rating["bestRating"]
    assert review["itemReviewed"]["@type"] == "Claim"
    assert review["author"]["@type"] in ("Organization", "Person")
    assert review["author"]["name"]
    assert review["url"].startswith("https://")
    assert ".slack.com" not in json.dumps(review)  # nothing private is published
    date.fromisoformat(review["datePublished"])


def test_export_claimreview(engine: Engine, database_url: str) -> None:
    _prepare(engine)
    result = _factcheck(database_url, "export", "--format", "claimreview")
    assert result.returncode == 0, result.stderr
    # The dismissed ticket has no verdict to publish.
    review, pasted = json.loads(result.stdout)
    for each in (review, pasted):
        validate_for_google(each)
    # The verdict's published fact-check is the review's url; without one, the organisation's.
    assert review["url"] == "https://news.example.org/fact-check/we-will-win"
    # A pasted article's Slack permalink is neither the review's url nor where it appeared.
    assert pasted["url"] == "https://news.example.org"
    assert "appearance" not in pasted["itemReviewed"]
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
    assert [(r["id"], r["status"]) for r in rows] == [
        ("3", "dismissed"),
        ("2", "verified"),
        ("4", "flagged"),
    ]
    as_json = json.loads(_factcheck(database_url, "export", "--format", "json").stdout)
    assert [r["id"] for r in as_json] == [3, 2, 4]


def test_exports_filter_by_the_day_a_ticket_was_finished(engine: Engine, database_url: str) -> None:
    _prepare(engine)
    day = T0.date().isoformat()

    def ids(*flags: str) -> list[int]:
        result = _factcheck(database_url, "export", "--format", "json", *flags)
        assert result.returncode == 0, result.stderr
        return [r["id"] for r in json.loads(result.stdout)]

    assert ids("--since", day, "--until", day) == [3, 2]  # --until includes its whole day
    assert ids("--since", (T0 + timedelta(days=1)).date().isoformat()) == [4]
    assert ids("--until", (T0 - timedelta(days=1)).date().isoformat()) == []
    assert ids("--since", (T0 + timedelta(minutes=30)).isoformat()) == [2, 4]
    bad = _factcheck(database_url, "export", "--since", "last week")
    assert bad.returncode != 0
    assert "--since: 'last week' is not a date" in bad.stderr


def test_without_an_organisation_the_author_is_the_workspace(
    engine: Engine, database_url: str, slack: SlackStandIn
) -> None:
    _prepare(engine)
    env = {"SLACK_BOT_TOKEN": slack.bot_token, "SLACK_API_URL": slack.api_url}
    result = _factcheck(database_url, "export", "--format", "claimreview", env=env)
    assert result.returncode == 0, result.stderr
    reviews = json.loads(result.stdout)
    assert [r["author"] for r in reviews] == [
        {"@type": "Organization", "name": slack.team_name}
    ] * 2
    # No organisation URL and no published fact-check: no url rather than a Slack link.
    assert [r.get("url") for r in reviews] == [
        "https://news.example.org/fact-check/we-will-win",
        None,
    ]
    assert "FACTCHECK_ORG_URL is not set" in result.stderr
    alone = _factcheck(database_url, "export", "--format", "claimreview", env={})
    assert alone.returncode != 0
    assert "set FACTCHECK_ORG_NAME" in alone.stderr


def test_unmigrated_database_names_the_fix(tmp_path: object) -> None:
    result = _factcheck(f"sqlite:///{tmp_path}/new.db", "tickets")
    assert result.returncode == 2
    assert "run `factcheck db upgrade` first" in result.stderr
    upgraded = _factcheck(f"sqlite:///{tmp_path}/new.db", "db", "upgrade")
    assert upgraded.returncode == 0, upgraded.stderr
    assert _factcheck(f"sqlite:///{tmp_path}/new.db", "tickets").stdout.strip() == "no tickets"
