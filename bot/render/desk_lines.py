"""The desk's lines that the App Home and the digest both show: load, overdue, article progress."""

from __future__ import annotations

from typing import Final

from bot.render.blocks import link, progress_bar
from storage.digest_figures import ArticleProgress, CheckerLoad, OverdueItem

LOAD_LINE: Final = "<@{assignee}>: {claimed} claimed"
LOAD_OVERDUE: Final = ", {overdue} overdue"
OVERDUE_LINE: Final = "*#{id}* <@{assignee}> · due {when}"
UNTITLED_ARTICLE: Final = "Article {id}"


def load_line(load: CheckerLoad) -> str:
    """`<@U1>: 3 claimed, 1 overdue`."""
    line = LOAD_LINE.format(assignee=load.assignee, claimed=load.claimed)
    return line + (LOAD_OVERDUE.format(overdue=load.overdue) if load.overdue else "")


def overdue_line(item: OverdueItem, *, when: str) -> str:
    """`*#12* <@U1> · due Mon 3 Dec 10:00`; `when` as the surface shows times."""
    return OVERDUE_LINE.format(id=item.ticket_id, assignee=item.assignee, when=when)


def article_name(title: str | None, article_id: int) -> str:
    """What an article is called: its headline, or "Article 12" when it has none."""
    return title or UNTITLED_ARTICLE.format(id=article_id)


def progress_line(article: ArticleProgress) -> str:
    """`` `▓▓▓▓░░░░░░ 4/10` <permalink|Headline> ``."""
    name = link(article.permalink, article_name(article.title, article.article_id))
    return f"`{progress_bar(article.done, article.total)}` {name}"
