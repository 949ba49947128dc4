"""The `/factcheck` grammar: one table of subcommands, a parser into typed commands, the help."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Final

from bot.errors import BadInput
from bot.render.ids import SLASH_COMMAND
from bot.user_input import (
    NOT_A_ROLE,
    NOT_A_TICKET_ID,
    NOT_A_URL,
    NOT_A_USER,
    is_http_url,
    parse_week,
    role,
    ticket_number,
    unwrap_link,
    user_id,
)


@dataclass(frozen=True)
class Subcommand:
    """One line of the help: the form people type, an example, and what it does."""

    name: str
    usage: str
    example: str
    summary: str
    editors_only: bool = False


SUBCOMMANDS: Final[tuple[Subcommand, ...]] = (
    Subcommand("help", "help", "help", "this list"),
    Subcommand("claim", "claim ID...", "claim 12 #13", "take one or more tickets"),
    Subcommand("release", "release ID", "release 12", "give a ticket back to the queue"),
    Subcommand(
        "verify",
        "verify ID URL [published=URL] [note]",
        "verify 12 https://stats.example.org/2024 matches the official table",
        "record the verdict Accurate with its source (the Verify button offers the whole scale)",
    ),
    Subcommand(
        "flag",
        "flag ID REASON",
        "flag 12 Misleading: the figure is from 2019",
        "flag a problem; a reason starting with a verdict label records that verdict",
    ),
    Subcommand(
        "dismiss", "dismiss ID [reason]", "dismiss 12 opinion, not a claim", "not check-worthy"
    ),
    Subcommand("mine", "mine", "mine", "your claimed tickets, the overdue first"),
    Subcommand("queue", "queue", "queue", "unclaimed tickets"),
    Subcommand("show", "show ID", "show 12", "one ticket with its history"),
    Subcommand("assign", "assign ID @user", "assign 12 @maria", "give a ticket to a checker", True),
    Subcommand("reopen", "reopen ID", "reopen 12", "open a finished ticket again", True),
    Subcommand("digest", "digest", "digest", "the desk's digest, now", True),
    Subcommand(
        "report",
        "report [YYYY-Www]",
        "report 2026-W49",
        "the weekly report (the last one, or that ISO week), to you only",
        True,
    ),
    Subcommand(
        "roster",
        "roster add|remove|list [@user] [checker|editor]",
        "roster add @maria editor",
        "who is on the desk (changes: editors)",
    ),
    Subcommand(
        "search",
        "search TEXT",
        "search unemployment fell to 3% last year",
        "earlier checks of a claim or quote (the desk's and imported fact-checks)",
    ),
    Subcommand(
        "ingest",
        "ingest URL-or-text",
        "ingest https://news.example.com/story",
        "split an article into tickets",
    ),
)
SUBCOMMAND_NAMES: Final = tuple(sub.name for sub in SUBCOMMANDS)
_BY_NAME: Final = {sub.name: sub for sub in SUBCOMMANDS}

HELP_TITLE: Final = "*Fact-check desk* — `/factcheck` and one of:"
HELP_FOOTER: Final = (
    "Ticket numbers may be written `12` or `#12`. _(editors)_ marks editor-only commands."
)
UNKNOWN_SUBCOMMAND: Final = "I don't know `{word}`."
BAD_FORM: Final = "{problem} Use `{command} {usage}`, e.g. `{command} {example}`."
MISSING_TICKET_ID: Final = "Which ticket?"
TOO_MANY_ARGUMENTS: Final = "`{name}` takes one ticket."
MISSING_URL: Final = "A source link is needed."
MISSING_REASON: Final = "Say why you flag it."
MISSING_USER: Final = "Whom to assign it to? Mention them with @."
BAD_ROSTER_ACTION: Final = "Roster takes `add`, `remove` or `list`."
MISSING_ROSTER_USER: Final = "Whom to {action}? Mention them with @."
ROSTER_ONE_PERSON: Final = "`roster {action}` takes one person."
MISSING_INGEST: Final = "Give me a link or the article's text."
MISSING_SEARCH: Final = "What should I look for? Give the claim's words."
MAX_SEARCH_CHARS: Final = 1000
SEARCH_TOO_LONG: Final = "Search with one claim, at most 1,000 characters."
EXTRA_WORDS: Final = "`{name}` takes no arguments."
ONE_WEEK: Final = "`report` takes at most one ISO week."

# Slack escapes a mention as <@U123|name> (or <@U123>); with escaping off a bare U-id may appear.


@dataclass(frozen=True)
class Help:
    unknown: str | None = None  # the word that was not a subcommand, if any


@dataclass(frozen=True)
class ClaimCmd:
    ticket_ids: tuple[int, ...]


@dataclass(frozen=True)
class ReleaseCmd:
    ticket_id: int


# In `verify ID URL published=URL note`: the published fact-check's public page.
PUBLISHED_PREFIX: Final = "published="


@dataclass(frozen=True)
class VerifyCmd:
    ticket_id: int
    url: str
    note: str | None
    review_url: str | None = None


@dataclass(frozen=True)
class FlagCmd:
    ticket_id: int
    reason: str


@dataclass(frozen=True)
class DismissCmd:
    ticket_id: int
    reason: str | None


@dataclass(frozen=True)
class MineCmd:
    pass


@dataclass(frozen=True)
class QueueCmd:
    pass


@dataclass(frozen=True)
class ShowCmd:
    ticket_id: int


@dataclass(frozen=True)
class AssignCmd:
    ticket_id: int
    user_id: str


@dataclass(frozen=True)
class ReopenCmd:
    ticket_id: int


@dataclass(frozen=True)
class DigestCmd:
    pass


@dataclass(frozen=True)
class ReportCmd:
    week_start: date | None  # None: the week the latest report covers


@dataclass(frozen=True)
class RosterCmd:
    action: str  # add | remove | list
    user_id: str | None = None
    role: str = "checker"


@dataclass(frozen=True)
class SearchCmd:
    text: str


@dataclass(frozen=True)
class IngestCmd:
    text: str
    url: str | None


Command = (
    Help
    | ClaimCmd
    | ReleaseCmd
    | VerifyCmd
    | FlagCmd
    | DismissCmd
    | MineCmd
    | QueueCmd
    | ShowCmd
    | AssignCmd
    | ReopenCmd
    | DigestCmd
    | ReportCmd
    | RosterCmd
    | SearchCmd
    | IngestCmd
)


def help_lines() -> list[str]:
    """One line per subcommand: the form, what it does, an example."""
    lines = []
    for sub in SUBCOMMANDS:
        editors = " _(editors)_" if sub.editors_only else ""
        lines.append(
            f"• `{sub.usage}` — {sub.summary}{editors}. e.g. `{SLASH_COMMAND} {sub.example}`"
        )
    return lines


def _bad(name: str, problem: str) -> BadInput:
    sub = _BY_NAME[name]
    return BadInput(
        BAD_FORM.format(
            problem=problem, command=SLASH_COMMAND, usage=sub.usage, example=sub.example
        )
    )


def _ticket_id(name: str, word: str) -> int:
    number = ticket_number(word)
    if number is None:
        raise _bad(name, NOT_A_TICKET_ID.format(word=word))
    return number


def _one_id(name: str, words: list[str]) -> int:
    if not words:
        raise _bad(name, MISSING_TICKET_ID)
    if len(words) > 1:
        raise _bad(name, TOO_MANY_ARGUMENTS.format(name=name))
    return _ticket_id(name, words[0])


def _no_args(name: str, words: list[str]) -> None:
    if words:
        raise _bad(name, EXTRA_WORDS.format(name=name))


def _split_head(text: str, count: int) -> tuple[list[str], str]:
    """The first `count` words, and the rest of the text with its spacing kept."""
    parts = text.split(None, count)
    head, rest = parts[:count], parts[count] if len(parts) > count else ""
    return head, rest.strip()


def parse_command(text: str) -> Command:
    """Read what followed `/factcheck`. Raises BadInput (the right form in the message)."""
    text = text.strip()
    if not text:
        return Help()
    (word,), rest = _split_head(text, 1)
    name = word.lower()
    if name not in _BY_NAME:
        return Help(unknown=word)
    words = rest.split()
    if name == "help":
        return Help()
    if name == "claim":
        if not words:
            raise _bad(name, MISSING_TICKET_ID)
        ids = [_ticket_id(name, w) for part in words for w in part.split(",") if w]
        return ClaimCmd(tuple(dict.fromkeys(ids)))
    if name == "release":
        return ReleaseCmd(_one_id(name, words))
    if name == "reopen":
        return ReopenCmd(_one_id(name, words))
    if name == "show":
        return ShowCmd(_one_id(name, words))
    if name == "report":
        if len(words) > 1:
            raise _bad(name, ONE_WEEK)
        if not words:
            return ReportCmd(None)
        try:
            return ReportCmd(parse_week(words[0]))
        except ValueError as error:
            raise _bad(name, str(error)) from None
    if name in ("mine", "queue", "digest"):
        _no_args(name, words)
        return MineCmd() if name == "mine" else QueueCmd() if name == "queue" else DigestCmd()
    if name == "verify":
        if not words:
            raise _bad(name, MISSING_TICKET_ID)
        (raw_id, *url_word), note = _split_head(rest, 2)
        ticket_id = _ticket_id(name, raw_id)
        if not url_word:
            raise _bad(name, MISSING_URL)
        url = unwrap_link(url_word[0])
        if not is_http_url(url):
            raise _bad(name, NOT_A_URL.format(word=url_word[0]))
        # `published=URL` right after the source: the public page of the published fact-check.
        review_url = None
        first, _, after = (note or "").partition(" ")
        if first.lower().startswith(PUBLISHED_PREFIX):
            review_url = unwrap_link(first[len(PUBLISHED_PREFIX) :])
            if not is_http_url(review_url):
                raise _bad(name, NOT_A_URL.format(word=first[len(PUBLISHED_PREFIX) :]))
            note = after.strip()
        return VerifyCmd(ticket_id, url, note or None, review_url)
    if name == "flag":
        if not words:
            raise _bad(name, MISSING_TICKET_ID)
        (raw_id,), reason = _split_head(rest, 1)
        ticket_id = _ticket_id(name, raw_id)
        if not reason:
            raise _bad(name, MISSING_REASON)
        return FlagCmd(ticket_id, reason)
    if name == "dismiss":
        if not words:
            raise _bad(name, MISSING_TICKET_ID)
        (raw_id,), reason = _split_head(rest, 1)
        return DismissCmd(_ticket_id(name, raw_id), reason or None)
    if name == "assign":
        if not words:
            raise _bad(name, MISSING_TICKET_ID)
        ticket_id = _ticket_id(name, words[0])
        if len(words) < 2:
            raise _bad(name, MISSING_USER)
        if len(words) > 2:
            raise _bad(name, TOO_MANY_ARGUMENTS.format(name=name))
        assignee = user_id(words[1])
        if assignee is None:
            raise _bad(name, NOT_A_USER.format(word=words[1]))
        return AssignCmd(ticket_id, assignee)
    if name == "roster":
        return _roster(words)
    if name == "search":
        if not rest:
            raise _bad(name, MISSING_SEARCH)
        if len(rest) > MAX_SEARCH_CHARS:
            raise _bad(name, SEARCH_TOO_LONG)
        return SearchCmd(rest)
    # ingest
    if not rest:
        raise _bad(name, MISSING_INGEST)
    first = unwrap_link(words[0])
    link = first if len(words) == 1 and is_http_url(first) else None
    return IngestCmd(text=rest, url=link)


def _roster(words: list[str]) -> RosterCmd:
    name = "roster"
    if not words or words[0].lower() not in ("add", "remove", "list"):
        raise _bad(name, BAD_ROSTER_ACTION)
    action, args = words[0].lower(), words[1:]
    if action == "list":
        _no_args(name, args)
        return RosterCmd("list")
    if not args:
        raise _bad(name, MISSING_ROSTER_USER.format(action=action))
    user = user_id(args[0])
    if user is None:
        raise _bad(name, NOT_A_USER.format(word=args[0]))
    chosen = "checker"
    if action == "add" and len(args) > 1:
        named = role(args[1])
        if named is None or len(args) > 2:
            raise _bad(name, NOT_A_ROLE.format(word=args[1]))
        chosen = named
    elif len(args) > 1:
        raise _bad(name, ROSTER_ONE_PERSON.format(action=action))
    return RosterCmd(action, user, chosen)
