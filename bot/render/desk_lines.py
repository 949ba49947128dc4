"""The desk's lines that several surfaces show: load, overdue, article progress, ticket rows.

The App Home, the digest and `/factcheck mine`/`queue` build from these, so a ticket or an
article reads the same wherever it appears.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Final

from bot.render import ids
from bot.render.blocks import button, link, progress_bar, readable, section, slack_date
from bot.render.cards import BUTTON_CLAIM, ticket_line, ticket_menu
from bot.render.limits import Block, trim
from storage.digest_figures import ArticleProgress, CheckerLoad, OverdueItem
from storage.models import Article, Ticket

LOAD_LINE: Final = "<@{assignee}>: {claimed} claimed"
LOAD_OVERDUE: Final = ", {overdue} overdue"
OVERDUE_LINE: Final = "*#{id}* <@{assignee}> · due {when}"
UNTITLED_ARTICLE: Final = "Article {id}"
TICKET_OVERDUE: Final = ":warning: overdue since {when}"
TICKET_DUE: Final = "due {when}"
TICKET_STORY: Final = "in {story}"
# A first line longer than this is the article's body, not its headline.
HEADLINE_CHARS: Final = 150
NAME_CHARS: Final = 80


def load_line(load: CheckerLoad) -> str:
    """`<@U1>: 3 claimed, 1 overdue`."""
    line = LOAD_LINE.format(assignee=load.assignee, claimed=load.claimed)
    return line + (LOAD_OVERDUE.format(overdue=load.overdue) if load.overdue else "")


def overdue_line(item: OverdueItem, *, when: str) -> str:
    """`*#12* <@U1> · due Mon 3 Dec 10:00`; `when` as the surface shows times."""
    return OVERDUE_LINE.format(id=item.ticket_id, assignee=item.assignee, when=when)


def headline(text: str | None) -> str | None:
    """A pasted article's first line when it reads as a headline (short, not a sentence run)."""
    for line in (text or "").splitlines():
        line = " ".join(readable(line).split())
        if line:
            return line if len(line) <= HEADLINE_CHARS else None
    return None


def article_name(title: str | None, article_id: int, text: str | None = None) -> str:
    """What an article is called: its fetched title, else its first line, else "Article 12"."""
    return trim(title or headline(text) or UNTITLED_ARTICLE.format(id=article_id), NAME_CHARS)


def progress_line(article: ArticleProgress) -> str:
    """`` `▓▓▓▓░░░░░░ 4/10` <permalink|Headline> ``."""
    name = link(article.permalink, article_name(article.title, article.article_id, article.lead))
    return f"`{progress_bar(article.done, article.total)}` {name}"


def due_text(ticket: Ticket, now: datetime) -> str:
    if ticket.due_at is None:
        return ""
    template = TICKET_OVERDUE if ticket.due_at <= now else TICKET_DUE
    return template.format(when=slack_date(ticket.due_at))


def ticket_row(ticket: Ticket, *, now: datetime, article: Article | None) -> Block:
    """A ticket as lists show it: the line, due time, story and thread; Claim or the ⋯ menu."""
    assert ticket.id is not None
    details = [due_text(ticket, now)]
    if article is not None:
        name = article_name(article.title, ticket.article_id, article.text)
        details.append(TICKET_STORY.format(story=link(article.permalink, name)))
    accessory = (
        button(BUTTON_CLAIM, ids.ACTION_CLAIM, str(ticket.id), "primary")
        if ticket.status == "open"
        else ticket_menu(ticket)
    )
    shown = " · ".join(d for d in details if d)
    return section(f"{ticket_line(ticket)}\n{shown}".rstrip(), accessory=accessory)


def ticket_rows(
    tickets: list[Ticket], *, now: datetime, articles: Mapping[int, Article]
) -> list[Block]:
    return [ticket_row(t, now=now, article=articles.get(t.article_id)) for t in tickets]
