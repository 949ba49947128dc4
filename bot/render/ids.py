"""Routing ids shared by the manifest, the renderers and the listeners, defined once."""

from __future__ import annotations

import re
from typing import Final

SLASH_COMMAND: Final = "/factcheck"
MESSAGE_SHORTCUT_CALLBACK: Final = "factcheck_message"
MESSAGE_SHORTCUT_NAME: Final = "Fact-check this message"

# Buttons and menus on ticket cards, in reminder DMs and on the App Home. The value of each
# button (and of each overflow option, as "<verb>:<ticket id>") is the ticket id.
ACTION_CLAIM: Final = "ticket_claim"
ACTION_RELEASE: Final = "ticket_release"
ACTION_VERIFY: Final = "ticket_verify"
ACTION_FLAG: Final = "ticket_flag"
ACTION_TICKET_MENU: Final = "ticket_menu"
# On a card whose claim the desk checked before: take the earlier ticket's verdict.
ACTION_REUSE_VERDICT: Final = "ticket_reuse_verdict"
# The button beside an offered claim ("Also worth a look"); its value is the offer's id.
ACTION_FILE_OFFER: Final = "offer_file"
# For editors (escalation DMs, the digest): a user picker that assigns the ticket named by its
# block id (see `assign_block_id`), and a link button to the article's thread (Slack still
# sends it; it is acked).
ACTION_ASSIGN_PICK: Final = "ticket_assign_pick"
ACTION_OPEN_THREAD: Final = "ticket_open_thread"

# Overflow options carry "<verb>:<ticket id>"; the verbs below.
MENU_VERIFY: Final = "verify"
MENU_FLAG: Final = "flag"
MENU_DISMISS: Final = "dismiss"
MENU_RELEASE: Final = "release"
MENU_FIX_SPEAKER: Final = "speaker"

# Modals: the callback id; private_metadata holds the ticket id (and where the button was).
VIEW_VERIFY: Final = "ticket_verify_modal"
VIEW_FLAG: Final = "ticket_flag_modal"
VIEW_FIX_SPEAKER: Final = "ticket_speaker_modal"

# Input blocks and elements inside the modals (errors are keyed by block id).
BLOCK_VERDICT: Final = "verdict"
ELEMENT_VERDICT: Final = "verdict_select"
BLOCK_SOURCES: Final = "sources"
ELEMENT_SOURCES: Final = "sources_input"
BLOCK_REVIEW_URL: Final = "review_url"
ELEMENT_REVIEW_URL: Final = "review_url_input"
BLOCK_NOTE: Final = "note"
ELEMENT_NOTE: Final = "note_input"
BLOCK_REASON_LABEL: Final = "reason_label"
ELEMENT_REASON_LABEL: Final = "reason_label_select"
BLOCK_REASON: Final = "reason"
ELEMENT_REASON: Final = "reason_input"
BLOCK_SPEAKER_PICK: Final = "speaker_pick"
ELEMENT_SPEAKER_PICK: Final = "speaker_pick_select"
BLOCK_SPEAKER_TEXT: Final = "speaker_text"
ELEMENT_SPEAKER_TEXT: Final = "speaker_text_input"
BLOCK_SPEAKER_TITLE: Final = "speaker_title"
ELEMENT_SPEAKER_TITLE: Final = "speaker_title_input"

# Card blocks carry the ticket id so a card's block can be found in a thread message.
TICKET_BLOCK_PREFIX: Final = "ticket-"
_TICKET_BLOCK = re.compile(r"^ticket-(\d+)(?:-[\w-]+)?$")
# The Assign… row's block id also says who held the ticket when the message was written.
HELD_BY: Final = "heldby"
UNCLAIMED: Final = "unclaimed"
_ASSIGN_BLOCK = re.compile(rf"^ticket-\d+-\w+-(?:{HELD_BY}-(\w+)|({UNCLAIMED}))$")


def ticket_block_id(ticket_id: int, part: str = "card") -> str:
    return f"{TICKET_BLOCK_PREFIX}{ticket_id}-{part}"


def ticket_id_of_block(block_id: str) -> int | None:
    match = _TICKET_BLOCK.match(block_id)
    return int(match.group(1)) if match else None


def assign_block_id(ticket_id: int, part: str, holder: str | None) -> str:
    """The block id of an Assign… row: the ticket, and who held it then (None: nobody).

    A users_select carries no value of its own, so the block id names the ticket; naming the
    holder as well lets a pick made after the ticket changed hands be refused, not applied.
    """
    seen = f"{HELD_BY}-{holder}" if holder else UNCLAIMED
    return ticket_block_id(ticket_id, f"{part}-{seen}")


def holder_seen_in_block(block_id: str) -> tuple[bool, str | None]:
    """(whether the block id says who held the ticket, that holder or None for nobody).

    Rows written before holders were recorded say nothing: (False, None).
    """
    match = _ASSIGN_BLOCK.match(block_id)
    if match is None:
        return False, None
    return True, match.group(1)


def menu_value(verb: str, ticket_id: int) -> str:
    return f"{verb}:{ticket_id}"


def parse_menu_value(value: str) -> tuple[str, int] | None:
    verb, _, raw = value.partition(":")
    return (verb, int(raw)) if raw.isdigit() else None


OFFERS_HEADER_BLOCK: Final = "offers-header"


def offer_block_id(offer_id: int) -> str:
    return f"offer-{offer_id}"
