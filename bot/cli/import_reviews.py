"""`factcheck import claimreview FILE`: published fact-checks into the desk's match index."""

from __future__ import annotations

import argparse
from pathlib import Path

from bot.errors import BadInput

NO_FILE = "{path}: no such file"
IMPORTED = "{added} new published checks imported from {name} ({known} already known)"


def register(parser: argparse.ArgumentParser) -> None:
    parser.description = (
        "Load ClaimReview JSON-LD (one review, a list, @graph or a DataFeed) so "
        "cards can say a claim was already checked elsewhere. Importing a file twice changes "
        "nothing; a malformed file is refused whole."
    )
    parser.add_argument("format", choices=("claimreview",), help="the file's format")
    parser.add_argument("file", help="the JSON-LD file")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from bot.cli.db import open_desk_database
    from bot.config import load_settings
    from bot.match.claimreview import MAX_FILE_BYTES, parse_claimreviews
    from bot.match.index import index_published, published_entries
    from bot.match.loading import load_matcher
    from bot.services import utc_now
    from storage.db import session_scope

    path = Path(args.file)
    if not path.is_file():
        raise BadInput(NO_FILE.format(path=path))
    with path.open("rb") as stream:
        data = stream.read(MAX_FILE_BYTES + 1)
        if len(data) > MAX_FILE_BYTES:
            data += b"\0" * (path.stat().st_size - len(data))  # the size the refusal reports
    reviews = parse_claimreviews(data, name=path.name)
    engine = open_desk_database(load_settings())
    try:
        entries = published_entries(reviews, matcher=load_matcher(), now=utc_now())
        with session_scope(engine) as session:
            added = index_published(session, entries)
    finally:
        engine.dispose()
    print(IMPORTED.format(added=added, name=path.name, known=len(entries) - added))
    return 0
