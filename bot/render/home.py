"""The App Home: my tickets, the unclaimed queue, and for editors the desk at a glance."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Final

from bot.render.blocks import (
    context,
    divider,
    fields_section,
    header,
    section,
    slack_date,
)
from bot.render.desk_lines import load_line, overdue_line, progress_line, ticket_rows
from bot.render.limits import Block, trim_view_blocks
from storage.digest_figures import DigestFigures
from storage.models import Article, Ticket

HOME_MINE: Final = "Your tickets"
HOME_MINE_EMPTY: Final = "Nothing claimed. Take one from the queue below."
HOME_QUEUE: Final = "Unclaimed queue ({count})"
HOME_QUEUE_EMPTY: Final = "The queue is empty: every ticket has a checker."
HOME_MORE: Final = "…and {count} more: `/factcheck {command}`"
HOME_DESK: Final = "Desk at a glance"
HOME_LOAD: Final = "*Load per checker*"
HOME_LOAD_EMPTY: Final = "No ticket is claimed."
HOME_ARTICLES: Final = "*Articles in progress* ({count})"
HOME_OVERDUE_LIST: Final = "*Overdue*"

# Lists on the Home are bounded so the view stays well under Slack's 100 blocks.
HOME_LIST_LIMIT: Final = 15


@dataclass(frozen=True)
class HomeData:
    """Everything the App Home shows one person; `figures` only for editors."""

    user_id: str
    now: datetime
    mine: Sequence[Ticket]
    queue: Sequence[Ticket]
    queue_total: int
    figures: DigestFigures | None = None
    is_editor: bool = False
    mine_total: int | None = field(default=None)
    # The tickets' articles, for the story each row names and links.
    articles: Mapping[int, Article] = field(default_factory=dict)


def _desk(figures: DigestFigures) -> list[Block]:
    blocks: list[Block] = [
        header(HOME_DESK),
        fields_section(
            [
                ("Open", figures.open),
                ("Claimed", figures.claimed),
                ("Overdue", figures.overdue),
                ("Verified today", figures.verified_since),
                ("Flagged today", figures.flagged_since),
                ("Dismissed today", figures.dismissed_since),
            ]
        ),
    ]
    load = [load_line(item) for item in figures.load]
    blocks.append(section(HOME_LOAD + "\n" + ("\n".join(load) if load else HOME_LOAD_EMPTY)))
    if figures.overdue_tickets:
        lines = [
            overdue_line(item, when=slack_date(item.due_at)) for item in figures.overdue_tickets
        ]
        blocks.append(section(HOME_OVERDUE_LIST + "\n" + "\n".join(lines)))
    if figures.progress:
        lines = [progress_line(article) for article in figures.progress]
        blocks.append(
            section(
                HOME_ARTICLES.format(count=figures.articles_in_progress) + "\n" + "\n".join(lines)
            )
        )
    return blocks


def render_home(data: HomeData) -> dict[str, Any]:
    """The Home tab view for `data.user_id`: due and overdue first, then the queue, then the desk."""
    blocks: list[Block] = [header(HOME_MINE)]
    if not data.mine:
        blocks.append(context(HOME_MINE_EMPTY))
    blocks += ticket_rows(list(data.mine)[:HOME_LIST_LIMIT], now=data.now, articles=data.articles)
    mine_total = data.mine_total if data.mine_total is not None else len(data.mine)
    if mine_total > HOME_LIST_LIMIT:
        blocks.append(context(HOME_MORE.format(count=mine_total - HOME_LIST_LIMIT, command="mine")))
    blocks += [divider(), header(HOME_QUEUE.format(count=data.queue_total))]
    if not data.queue:
        blocks.append(context(HOME_QUEUE_EMPTY))
    blocks += ticket_rows(list(data.queue)[:HOME_LIST_LIMIT], now=data.now, articles=data.articles)
    shown = min(len(data.queue), HOME_LIST_LIMIT)
    if data.queue_total > shown:
        blocks.append(context(HOME_MORE.format(count=data.queue_total - shown, command="queue")))
    if data.is_editor and data.figures is not None:
        blocks.append(divider())
        blocks.extend(_desk(data.figures))
    return {"type": "home", "blocks": trim_view_blocks(blocks)}
