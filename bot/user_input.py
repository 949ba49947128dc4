"""What people type: ticket numbers, links, mentions and roles, read one way everywhere.

The command grammar, the desk rules, the modals, intake and the link fetcher all read these
through the functions here, and refuse with the messages here, so `#12`, `<https://x|label>`
or `<@U123>` mean the same wherever they are typed.
"""

from __future__ import annotations

import contextlib
import re
from datetime import date
from typing import Final

from storage.models import ROLES

NOT_A_TICKET_ID: Final = "`{word}` is not a ticket number; write 12 or #12."
NOT_A_URL: Final = "{word} is not a link; links start with http:// or https://"
NOT_A_USER: Final = "`{word}` is not a person; mention them with @."
NOT_A_ROLE: Final = "`{word}` is not a role; use `checker` or `editor`."

_TICKET_ID: Final = re.compile(r"#?(\d{1,9})")
_HTTP_URL: Final = re.compile(r"https?://[^\s/$.?#][^\s]*", re.IGNORECASE)
# Slack wraps links it recognised in <...>; the label after | is what people see.
_SLACK_LINK: Final = re.compile(r"<(https?://[^|>\s]+)(?:\|[^>]*)?>", re.IGNORECASE)
# A link Slack left bare; quotes around it are not part of it.
_BARE_LINK: Final = re.compile(r"(?<![<|\w])https?://[^\s<>|\"“”]+", re.IGNORECASE)
_LINK_TRAILING: Final = ".,;:!?)]}'’\"”"
_MENTION: Final = re.compile(r"<@([UW][A-Z0-9]+)(?:\|[^>]*)?>")
_BARE_USER: Final = re.compile(r"@?([UW][A-Z0-9]{2,})")


def ticket_number(word: str) -> int | None:
    """`12` or `#12` (a trailing comma allowed, as in `claim 12, 13`) -> 12; None otherwise."""
    match = _TICKET_ID.fullmatch(word.strip().rstrip(","))
    number = int(match.group(1)) if match else 0
    return number or None


def is_http_url(word: str) -> bool:
    """An http(s) URL with a host, nothing around it."""
    return bool(_HTTP_URL.fullmatch(word))


def is_slack_link(url: str) -> bool:
    """A workspace link (`https://team.slack.com/archives/...`): private, never published."""
    host = url.split("://", 1)[-1].split("/", 1)[0].lower()
    return host == "slack.com" or host.endswith(".slack.com")


def unwrap_link(word: str) -> str:
    """`<https://x|label>` or `<https://x>` (Slack's escaping) to the bare URL; others unchanged."""
    match = _SLACK_LINK.fullmatch(word)
    return match.group(1) if match else word


def user_id(word: str) -> str | None:
    """The user a word names: a mention `<@U123|name>` or a bare `U123` / `@U123`."""
    match = _MENTION.fullmatch(word) or _BARE_USER.fullmatch(word)
    return match.group(1) if match else None


def role(word: str) -> str | None:
    """`checker` or `editor`, whatever the case; None for anything else."""
    clean = word.strip().lower()
    return clean if clean in ROLES else None


def find_links(text: str) -> list[str]:
    """http(s) links in Slack text (`<url|label>`, `<url>`, bare), in order, once each, with
    `&amp;` decoded and a bare link's trailing punctuation left off."""
    if "http" not in text.lower():
        return []
    found = [(m.start(), m.group(1)) for m in _SLACK_LINK.finditer(text)]
    found += [(m.start(), m.group(0).rstrip(_LINK_TRAILING)) for m in _BARE_LINK.finditer(text)]
    return list(dict.fromkeys(url.replace("&amp;", "&") for _, url in sorted(found) if url))


def without_links(text: str) -> str:
    """The text with its links (wrapped or bare) and mentions taken out."""
    return _BARE_LINK.sub(" ", _SLACK_LINK.sub(" ", strip_mentions(text))).strip()


def strip_mentions(text: str) -> str:
    """The text without `<@U123>` mentions (the bot's own, in an app_mention)."""
    return _MENTION.sub("", text).strip()


WEEK_FORMAT: Final = "YYYY-Www"
_ISO_WEEK: Final = re.compile(r"(\d{4})-W(\d{1,2})")


def parse_week(text: str) -> date:
    """The Monday of ISO week `2026-W49`; ValueError naming the format otherwise."""
    match = _ISO_WEEK.fullmatch(text.strip())
    if match:
        with contextlib.suppress(ValueError):
            return date.fromisocalendar(int(match.group(1)), int(match.group(2)), 1)
    raise ValueError(f"{text!r} is not an ISO week; write {WEEK_FORMAT}, e.g. 2026-W49")
