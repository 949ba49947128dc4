"""`factcheck export`: finished tickets as schema.org ClaimReview, CSV or JSON."""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
from typing import Any

from bot.cli.db import open_desk_database
from bot.config import load_settings
from bot.extract.types import SPEAKER_ORGANISATION
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
NO_ORG_NAME = "FACTCHECK_ORG_NAME is not set; ClaimReview's author will be left out"


def register(parser: argparse.ArgumentParser) -> None:
    parser.description = (
        "Write verified, flagged and dismissed tickets to stdout. claimreview: a JSON "
        "list of schema.org ClaimReview objects (tickets with a verdict only); csv and json: "
        "every finished ticket."
    )
    parser.add_argument("--format", choices=FORMATS, default="json", help="output format")
    parser.set_defaults(handler=export)


def article_url(article: Article) -> str | None:
    """Where the claim appeared: the article's own URL, else its Slack permalink."""
    return article.source_url or article.permalink


def claim_review(
    ticket: Ticket,
    article: Article,
    *,
    org_name: str | None,
    org_url: str | None,
    scale: VerdictScale = DEFAULT_SCALE,
) -> dict[str, Any] | None:
    """One schema.org ClaimReview for a ticket with a verdict; None for one without.

    `reviewRating.ratingValue` sits on the declared scale (`bestRating`..`worstRating`); a
    verdict that is not a truth rating (Unverifiable) carries only its `alternateName`.
    `url` is the organisation's page for the review when we have none of our own: the article
    thread's permalink, else the organisation URL.
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
    appearance = article_url(article)
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
    url = article.permalink or org_url
    if url:
        review["url"] = url
    if org_name:
        author: dict[str, Any] = {"@type": "Organization", "name": org_name}
        if org_url:
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
    engine = open_desk_database(settings)
    try:
        with session_scope(engine) as session:
            rows = finished_tickets(session)
    finally:
        engine.dispose()
    if args.format == "claimreview":
        if not settings.org_name:
            print(f"factcheck: {NO_ORG_NAME}", file=sys.stderr)
        reviews = [
            review
            for ticket, article in rows
            if (
                review := claim_review(
                    ticket, article, org_name=settings.org_name, org_url=settings.org_url
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
