"""The "Also worth a look" message: claims the budget left out, each with a button to file it."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

from bot.extract.claims import check_reason
from bot.render import ids
from bot.render.blocks import SlackMessage, button, escape, plain_message, plural, section
from bot.render.limits import MAX_FALLBACK_TEXT, Block, trim
from storage.models import OfferedClaim

OFFERS_HEADER: Final = (
    "*Also worth a look* · {count}, not filed: no reminders or digest. "
    "File one as a ticket with its button."
)
OFFER_DETAIL: Final = "_score {score:.2f}{why}_"
OFFER_FILED: Final = ":white_check_mark: Filed as *#{ticket}* by <@{user}>"
BUTTON_FILE_OFFER: Final = "File as ticket"
NOTHING_FILED: Final = (
    "No claim here is strong enough to file on its own; {count} worth a look below."
)
ALREADY_FILED: Final = "Already filed as #{ticket} by <@{user}>."
OFFER_GONE: Final = "That offer is gone; run `/factcheck show ID` to see the article's tickets."
# One line of claim per offer keeps the list compact.
OFFER_TEXT_CHARS: Final = 300


def offer_line(offer: OfferedClaim) -> str:
    """The claim cut to one short paragraph, its score and why it may be worth checking."""
    reason = check_reason(offer.text)
    detail = OFFER_DETAIL.format(score=offer.score, why=f" · {reason}" if reason else "")
    text = escape(trim(" ".join(offer.text.split()), OFFER_TEXT_CHARS))
    line = f"{text}\n{detail}"
    if offer.ticket_id is not None:
        line += "\n" + OFFER_FILED.format(ticket=offer.ticket_id, user=offer.filed_by)
    return line


def render_offers(offers: Sequence[OfferedClaim]) -> SlackMessage:
    """One section per offer, strongest first; an unfiled one carries the File button."""
    header = OFFERS_HEADER.format(count=plural(len(offers), "claim"))
    blocks: list[Block] = [section(header, block_id=ids.OFFERS_HEADER_BLOCK)]
    for offer in offers:
        assert offer.id is not None
        file_button = (
            button(BUTTON_FILE_OFFER, ids.ACTION_FILE_OFFER, str(offer.id))
            if offer.ticket_id is None
            else None
        )
        blocks.append(
            section(offer_line(offer), accessory=file_button, block_id=ids.offer_block_id(offer.id))
        )
    return SlackMessage(text=trim(header.replace("*", ""), MAX_FALLBACK_TEXT), blocks=blocks)


def render_nothing_filed(offered: int) -> SlackMessage:
    return plain_message(NOTHING_FILED.format(count=plural(offered, "claim")))
