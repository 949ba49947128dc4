"""`factcheck export`: finished tickets as schema.org ClaimReview, CSV or JSON."""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from slack_sdk.errors import SlackApiError

from bot.cli.db import open_desk_database
from bot.config import Settings, load_settings
from bot.extract.types import SPEAKER_ORGANISATION
from bot.slack_client import build_web_client
from bot.user_input import is_slack_link
from bot.verdicts import DEFAULT_SCALE, VerdictScale
from storage.db import session_scope
from storage.models import Article, Ticket
from storage.tickets import finished_tickets

FORMATS = ("claimreview", "csv", "json")
CSV_FIELDS = (
    "id",
    "kind",
    "text",
    "speaker",
    "speaker_title",
    "status",
    "verdict",
    "sources",
    "note",
    "reason",
    "assignee",
    "closed_at",
    "article_id",
    "article_url",
)
NO_AUTHOR = (
    "ClaimReview needs an author: set FACTCHECK_ORG_NAME (Slack could not be asked for the "
    "workspace's name: {reason})"
)
NO_URL = (
    "FACTCHECK_ORG_URL is not set: reviews without a published fact-check URL are exported "
    "without `url` (a Slack link is never published)"
)
BAD_DATE = "{flag}: {value!r} is not a date (YYYY-MM-DD) or ISO time"


def register(parser: argparse.ArgumentParser) -> None:
    parser.description = (
        "Write verified, flagged and dismissed tickets to stdout. claimreview: a JSON "
        "list of schema.org ClaimReview objects (tickets with a verdict only); csv and json: "
        "every finished ticket."
    )
    parser.add_argument("--format", choices=FORMATS, default="json", help="output format")
    parser.add_argument(
        "--since",
        metavar="WHEN",
        help="only tickets finished at or after WHEN (YYYY-MM-DD, UTC midnight, or ISO time)",
    )
    parser.add_argument(
        "--until",
        metavar="WHEN",
        help="only tickets finished before WHEN; a bare date includes that whole day",
    )
    parser.set_defaults(handler=export)


def parse_when(value: str, *, flag: str, end_of_day: bool = False) -> datetime:
    """`2025-03-01` (UTC midnight; with `end_of_day`, the next midnight) or an ISO time."""
    try:
        day = date.fromisoformat(value)
    except ValueError:
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            raise SystemExit(f"factcheck: {BAD_DATE.format(flag=flag, value=value)}") from None
        return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    start = datetime.combine(day, time(0), tzinfo=UTC)
    return start + timedelta(days=1) if end_of_day else start


def article_url(article: Article) -> str | None:
    """Where the claim appeared: the article's own URL, else its Slack permalink."""
    return article.source_url or article.permalink


def public_url(*candidates: str | None) -> str | None:
    """The first candidate that is not a Slack link."""
    return next((url for url in candidates if url and not is_slack_link(url)), None)


def workspace_name(settings: Settings) -> str:
    """The Slack workspace's name (auth.test), the author when no organisation is configured."""
    if settings.slack_bot_token is None:
        raise SystemExit(f"factcheck: {NO_AUTHOR.format(reason='SLACK_BOT_TOKEN is not set')}")
    try:
        response = build_web_client(settings).auth_test()
    except (SlackApiError, OSError) as error:
        reason = type(error).__name__
        if isinstance(error, SlackApiError):
            reason = str(error.response.get("error"))
        raise SystemExit(f"factcheck: {NO_AUTHOR.format(reason=reason)}") from None
    return str(response.get("team") or response.get("team_id"))


def claim_review(
    ticket: Ticket,
    article: Article,
    *,
    author_name: str,
    org_url: str | None,
    scale: VerdictScale = DEFAULT_SCALE,
) -> dict[str, Any] | None:
    """One schema.org ClaimReview for a ticket with a verdict; None for one without.

    `reviewRating.ratingValue` sits on the declared scale (`bestRating`..`worstRating`); a
    verdict that is not a truth rating (Unverifiable) carries only its `alternateName`.
    `url` is the published fact-check (the verdict's review URL), else the organisation's
    URL; a Slack link never leaves the desk, neither as `url` nor as where the claim appeared.
    `author` is always there: the organisation, else the workspace.
    """
    if not ticket.verdict:
        return None
    rating: dict[str, Any] = {
        "@type": "Rating",
        "alternateName": ticket.verdict,
        "bestRating": scale.best,
        "worstRating": scale.worst,
    }
    verdict = scale.get(ticket.verdict)
    if verdict is not None and verdict.rating is not None:
        rating["ratingValue"] = verdict.rating
    item: dict[str, Any] = {"@type": "Claim"}
    if ticket.speaker:
        # schema.org: an organisation speaks as an Organization; a person, named or not, as one.
        kind = "Organization" if ticket.speaker_kind == SPEAKER_ORGANISATION else "Person"
        speaker: dict[str, Any] = {"@type": kind, "name": ticket.speaker}
        if ticket.speaker_title and kind == "Person":
            speaker["jobTitle"] = ticket.speaker_title
        item["author"] = speaker
    appearance = public_url(article.source_url)
    if appearance:
        item["appearance"] = {"@type": "CreativeWork", "url": appearance}
    item["datePublished"] = article.created_at.date().isoformat()
    review: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "claimReviewed": ticket.text,
        "reviewRating": rating,
        "itemReviewed": item,
    }
    if ticket.closed_at is not None:
        review["datePublished"] = ticket.closed_at.date().isoformat()
    url = public_url(ticket.review_url, org_url)
    if url:
        review["url"] = url
    author: dict[str, Any] = {"@type": "Organization", "name": author_name}
    if public_url(org_url):
        author["url"] = org_url
    review["author"] = author
    return review


def ticket_record(ticket: Ticket, article: Article) -> dict[str, Any]:
    return {
        "id": ticket.id,
        "kind": ticket.kind,
        "text": ticket.text,
        "speaker": ticket.speaker,
        "speaker_title": ticket.speaker_title,
        "status": ticket.status,
        "verdict": ticket.verdict,
        "sources": list(ticket.sources),
        "note": ticket.note,
        "reason": ticket.reason,
        "assignee": ticket.assignee,
        "closed_at": ticket.closed_at.isoformat() if ticket.closed_at else None,
        "article_id": ticket.article_id,
        "article_url": article_url(article),
    }


def to_csv(records: list[dict[str, Any]]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_FIELDS, lineterminator="\n")
    writer.writeheader()
    for record in records:
        writer.writerow({**record, "sources": " ".join(record["sources"])})
    return buffer.getvalue()


def export(args: argparse.Namespace) -> int:
    settings = load_settings()
    since = parse_when(args.since, flag="--since") if args.since else None
    until = parse_when(args.until, flag="--until", end_of_day=True) if args.until else None
    engine = open_desk_database(settings)
    try:
        with session_scope(engine) as session:
            rows = finished_tickets(session, since=since, until=until)
    finally:
        engine.dispose()
    if args.format == "claimreview":
        author = settings.org_name or workspace_name(settings)
        if not public_url(settings.org_url):
            print(f"factcheck: {NO_URL}", file=sys.stderr)
        reviews = [
            review
            for ticket, article in rows
            if (
                review := claim_review(
                    ticket, article, author_name=author, org_url=settings.org_url
                )
            )
            is not None
        ]
        print(json.dumps(reviews, indent=2, ensure_ascii=False))
    elif args.format == "csv":
        print(to_csv([ticket_record(t, a) for t, a in rows]), end="")
    else:
        records = [ticket_record(t, a) for t, a in rows]
        print(json.dumps(records, indent=2, ensure_ascii=False))
    return 0
