"""`factcheck tickets`: list the desk's tickets from the database, as a table or JSON."""

from __future__ import annotations

import argparse
import json
import textwrap
from typing import Any

from bot.cli.db import open_desk_database
from bot.config import load_settings
from storage.db import session_scope
from storage.models import STATUSES, Ticket
from storage.tickets import list_tickets

NO_TICKETS = "no tickets"
TEXT_WIDTH = 60


def register(parser: argparse.ArgumentParser) -> None:
    parser.description = "List the desk's tickets (all, or of one status or article), by id."
    parser.add_argument("--json", action="store_true", help="print a JSON list instead of a table")
    parser.add_argument("--status", choices=STATUSES, help="only tickets in this status")
    parser.add_argument("--article", type=int, metavar="ID", help="only tickets of this article")
    parser.set_defaults(handler=show_tickets)


def ticket_json(ticket: Ticket) -> dict[str, Any]:
    """The contract's JSON shape of one ticket."""
    return {
        "id": ticket.id,
        "kind": ticket.kind,
        "text": ticket.text,
        "speaker": ticket.speaker,
        "status": ticket.status,
        "assignee": ticket.assignee,
        "article_id": ticket.article_id,
        "verdict": ticket.verdict,
        "sources": list(ticket.sources),
        "reminders_sent": ticket.reminders_sent,
    }


def format_table(tickets: list[Ticket]) -> str:
    """A fixed-width table a person can scan in a terminal."""
    if not tickets:
        return NO_TICKETS
    header = ("ID", "KIND", "STATUS", "ASSIGNEE", "VERDICT", "ART", "TEXT")
    rows = [
        (
            f"#{t.id}",
            t.kind,
            t.status,
            t.assignee or "-",
            t.verdict or "-",
            str(t.article_id),
            textwrap.shorten(
                f"{t.text} ({t.speaker})" if t.speaker else t.text, TEXT_WIDTH, placeholder="..."
            ),
        )
        for t in tickets
    ]
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header) - 1)]
    lines = []
    for row in [header, *rows]:
        cells = [cell.ljust(width) for cell, width in zip(row, widths, strict=False)]
        lines.append("  ".join([*cells, row[-1]]).rstrip())
    return "\n".join(lines)


def show_tickets(args: argparse.Namespace) -> int:
    engine = open_desk_database(load_settings())
    try:
        with session_scope(engine) as session:
            tickets = list_tickets(session, status=args.status, article_id=args.article)
    finally:
        engine.dispose()
    if args.json:
        print(json.dumps([ticket_json(t) for t in tickets], indent=2, ensure_ascii=False))
    else:
        print(format_table(tickets))
    return 0
