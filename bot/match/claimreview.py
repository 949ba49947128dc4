"""Published fact-checks in: schema.org ClaimReview JSON-LD as fact-checkers publish it.

Accepts one ClaimReview, a list of them, an `@graph`, or a DataFeed whose `dataFeedElement`
items hold them (as `factcheck export --format claimreview` writes and as publishers' feeds
do). Every review is checked before anything is stored: a file that is too large, not JSON, or
holds a malformed review is refused whole with the reason, so a half-imported feed never
happens. Text is stored as written and escaped wherever it is shown.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from bot.errors import BadInput

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_REVIEWS = 100_000
MAX_CLAIM_CHARS = 2_000
MAX_FIELD_CHARS = 300

TOO_LARGE = "{name} is {size:.0f} MB; ClaimReview files up to 20 MB can be imported (split it)"
NOT_JSON = "{name} is not JSON: {reason}"
NO_REVIEWS = "{name} holds no ClaimReview (a ClaimReview object, a list, @graph or a DataFeed)"
BAD_REVIEW = "{name}: review {number} {problem}; nothing was imported"


@dataclass(frozen=True)
class PublishedReview:
    """One published check: the claim, its rating, who published it and where."""

    claim: str
    verdict: str | None
    publisher: str | None
    url: str
    reviewed_at: datetime | None
    speaker: str | None

    @property
    def key(self) -> str:
        """Same URL and claim, same review: what makes a second import change nothing."""
        return hashlib.sha256(f"{self.url}\n{self.claim}".encode()).hexdigest()


def _reviews_in(node: Any) -> Iterator[Any]:
    if isinstance(node, list):
        for item in node:
            yield from _reviews_in(item)
    elif isinstance(node, dict):
        kind = node.get("@type")
        kinds = kind if isinstance(kind, list) else [kind]
        if "ClaimReview" in kinds:
            yield node
        elif "@graph" in node:
            yield from _reviews_in(node["@graph"])
        elif "dataFeedElement" in node:
            yield from _reviews_in(node["dataFeedElement"])
        elif "item" in node:
            yield from _reviews_in(node["item"])


def _text(value: Any, limit: int) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValueError("has a non-text field")
    cleaned = " ".join(value.split())
    return cleaned[:limit] if cleaned else None


def _name(value: Any) -> str | None:
    """A person or organisation given as a name or as {"name": ...}."""
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        value = value.get("name")
    return _text(value, MAX_FIELD_CHARS)


def _date(value: Any) -> datetime | None:
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _review(node: dict[str, Any]) -> PublishedReview:
    claim = _text(node.get("claimReviewed"), MAX_CLAIM_CHARS)
    if not claim:
        raise ValueError("has no claimReviewed text")
    url = _text(node.get("url"), 2_000)
    if not url or urlsplit(url).scheme not in ("http", "https") or not urlsplit(url).netloc:
        raise ValueError("has no http(s) url")
    rating = node.get("reviewRating")
    verdict = _name(rating) if not isinstance(rating, dict) else None
    if isinstance(rating, dict):
        verdict = _text(rating.get("alternateName"), 64)
    item = node.get("itemReviewed")
    speaker = _name(item.get("author")) if isinstance(item, dict) else None
    return PublishedReview(
        claim=claim,
        verdict=verdict,
        publisher=_name(node.get("author")),
        url=url,
        reviewed_at=_date(node.get("datePublished")),
        speaker=speaker,
    )


def parse_claimreviews(data: bytes, *, name: str) -> list[PublishedReview]:
    """Every review in a ClaimReview file, or BadInput naming the first problem."""
    if len(data) > MAX_FILE_BYTES:
        raise BadInput(TOO_LARGE.format(name=name, size=len(data) / 1024 / 1024))
    try:
        document = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise BadInput(NOT_JSON.format(name=name, reason=error)) from None
    nodes = list(_reviews_in(document))
    if not nodes:
        raise BadInput(NO_REVIEWS.format(name=name))
    if len(nodes) > MAX_REVIEWS:
        raise BadInput(BAD_REVIEW.format(name=name, number=MAX_REVIEWS + 1, problem="is too many"))
    reviews = []
    for number, node in enumerate(nodes, 1):
        try:
            reviews.append(_review(node))
        except ValueError as error:
            raise BadInput(BAD_REVIEW.format(name=name, number=number, problem=error)) from None
    return reviews
