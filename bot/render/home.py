"""The App Home: my tickets, the unclaimed queue, and for editors the desk at a glance."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Final

from bot.render import ids
from bot.render.cards import BUTTON_CLAIM, button, link, slack_date, ticket_line, ticket_menu
from bot.render.limits import MAX_SECTION_TEXT, Block, trim, trim_view_blocks
from storage.digest_figures import DigestFigures
from storage.models import Ticket

HOME_MINE: Final = "Your tickets"
HOME_MINE_EMPTY: Final = "Nothing claimed. Take one from the queue below."
HOME_QUEUE: Final = "Unclaimed queue ({count})"
HOME_QUEUE_EMPTY: Final = "The queue is empty: every ticket has a checker."
HOME_MORE: Final = "…and {count} more: `/factcheck {command}`"
HOME_DESK: Final = "Desk at a glance"
HOME_OVERDUE: Final = ":warning: overdue since {when}"
HOME_DUE: Final = "due {when}"
HOME_LOAD: Final = "*Load per checker*"
HOME_LOAD_EMPTY: Final = "No ticket is claimed."
HOME_ARTICLES: Final = "*Articles in progress* ({count})"
HOME_OVERDUE_LIST: Final = "*Overdue*"

# Lists on the Home are bounded so the view stays well under Slack's 100 blocks.
HOME_LIST_LIMIT: Final = 15
BAR_WIDTH: Final = 10


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


def _header(text: str) -> Block:
    return {
        "type": "header",
        "text": {"type": "plain_text", "text": trim(text, 150), "emoji": True},
    }


def _section(text: str, accessory: dict[str, Any] | None = None) -> Block:
    block: Block = {
        "type": "section",
        "text": {"type": "mrkdwn", "text": trim(text, MAX_SECTION_TEXT)},
    }
    if accessory is not None:
        block["accessory"] = accessory
    return block


def _context(text: str) -> Block:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": trim(text, 2000)}]}


def progress_bar(done: int, total: int, width: int = BAR_WIDTH) -> str:
    """`▓▓▓▓░░░░░░ 4/10`."""
    filled = round(width * done / total) if total else 0
    return f"{'▓' * filled}{'░' * (width - filled)} {done}/{total}"


def _due(ticket: Ticket, now: datetime) -> str:
    if ticket.due_at is None:
        return ""
    if ticket.due_at <= now:
        return HOME_OVERDUE.format(when=slack_date(ticket.due_at))
    return HOME_DUE.format(when=slack_date(ticket.due_at))


def _desk(figures: DigestFigures) -> list[Block]:
    blocks: list[Block] = [
        _header(HOME_DESK),
        {
            "type": "section",
            "fields": [
                {"type": "mrkdwn", "text": f"*Open*\n{figures.open}"},
                {"type": "mrkdwn", "text": f"*Claimed*\n{figures.claimed}"},
                {"type": "mrkdwn", "text": f"*Overdue*\n{figures.overdue}"},
                {"type": "mrkdwn", "text": f"*Verified today*\n{figures.verified_since}"},
                {"type": "mrkdwn", "text": f"*Flagged today*\n{figures.flagged_since}"},
                {"type": "mrkdwn", "text": f"*Dismissed today*\n{figures.dismissed_since}"},
            ],
        },
    ]
    load = [
        f"<@{item.assignee}> {item.claimed} claimed"
        + (f", {item.overdue} overdue" if item.overdue else "")
        for item in figures.load
    ]
    blocks.append(_section(HOME_LOAD + "\n" + ("\n".join(load) if load else HOME_LOAD_EMPTY)))
    if figures.overdue_tickets:
        lines = [
            f"*#{item.ticket_id}* <@{item.assignee}> · due {slack_date(item.due_at)}"
            for item in figures.overdue_tickets
        ]
        blocks.append(_section(HOME_OVERDUE_LIST + "\n" + "\n".join(lines)))
    if figures.progress:
        lines = []
        for article in figures.progress:
            name = article.title or f"Article {article.article_id}"
            shown = link(article.permalink, name) if article.permalink else trim(name, 60)
            lines.append(f"`{progress_bar(article.done, article.total)}` {shown}")
        blocks.append(
            _section(
                HOME_ARTICLES.format(count=figures.articles_in_progress) + "\n" + "\n".join(lines)
            )
        )
    return blocks


def render_home(data: HomeData) -> dict[str, Any]:
    """The Home tab view for `data.user_id`: due and overdue first, then the queue, then the desk."""
    blocks: list[Block] = [_header(HOME_MINE)]
    if not data.mine:
        blocks.append(_context(HOME_MINE_EMPTY))
    for ticket in list(data.mine)[:HOME_LIST_LIMIT]:
        blocks.append(
            _section(f"{ticket_line(ticket)}\n{_due(ticket, data.now)}", ticket_menu(ticket))
        )
    mine_total = data.mine_total if data.mine_total is not None else len(data.mine)
    if mine_total > HOME_LIST_LIMIT:
        blocks.append(
            _context(HOME_MORE.format(count=mine_total - HOME_LIST_LIMIT, command="mine"))
        )
    blocks += [{"type": "divider"}, _header(HOME_QUEUE.format(count=data.queue_total))]
    if not data.queue:
        blocks.append(_context(HOME_QUEUE_EMPTY))
    for ticket in list(data.queue)[:HOME_LIST_LIMIT]:
        blocks.append(
            _section(ticket_line(ticket), button(BUTTON_CLAIM, ids.ACTION_CLAIM, str(ticket.id)))
        )
    shown = min(len(data.queue), HOME_LIST_LIMIT)
    if data.queue_total > shown:
        blocks.append(_context(HOME_MORE.format(count=data.queue_total - shown, command="queue")))
    if data.is_editor and data.figures is not None:
        blocks.append({"type": "divider"})
        blocks.extend(_desk(data.figures))
    return {"type": "home", "blocks": trim_view_blocks(blocks)}
