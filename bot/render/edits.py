"""What the thread says when the reporter edits or deletes the article."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

from bot.render.blocks import SlackMessage, plain_message, plural

EDITED: Final = ":pencil2: Article edited: {changes}"
EDIT_FILED: Final = "{count} ({ids})"
EDIT_GONE: Final = "{count} no longer in the text ({ids})"
EDIT_BACK: Final = "{count} back in the text ({ids})"
DELETED: Final = ":wastebasket: The original article was deleted; its {tickets} here."
DELETED_ALL_DONE: Final = (
    ":wastebasket: The original article was deleted; its tickets and verdicts stay here."
)
# An edit that filed many tickets names the first few; the cards below name them all.
SHOWN_IDS: Final = 8


def _ids(ticket_ids: Sequence[int]) -> str:
    shown = ", ".join(f"#{i}" for i in sorted(ticket_ids)[:SHOWN_IDS])
    return shown + (", …" if len(ticket_ids) > SHOWN_IDS else "")


def render_edit_summary(
    filed: Sequence[int], gone: Sequence[int], back: Sequence[int]
) -> SlackMessage:
    """`Article edited: 2 new tickets (#7, #8); 1 no longer in the text (#3)`."""
    changes = []
    if filed:
        changes.append(EDIT_FILED.format(count=plural(len(filed), "new ticket"), ids=_ids(filed)))
    if gone:
        changes.append(EDIT_GONE.format(count=len(gone), ids=_ids(gone)))
    if back:
        changes.append(EDIT_BACK.format(count=len(back), ids=_ids(back)))
    return plain_message(EDITED.format(changes="; ".join(changes)))


def render_article_deleted(still_active: int) -> SlackMessage:
    """`The original article was deleted; its 3 tickets stay open here.`"""
    if not still_active:
        return plain_message(DELETED_ALL_DONE)
    verb = "stays" if still_active == 1 else "stay"
    return plain_message(DELETED.format(tickets=f"{plural(still_active, 'ticket')} {verb} open"))
