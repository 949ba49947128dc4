"""The Verify, Flag and Fix speaker modals (bot/desk/submissions.py reads what comes back)."""

from __future__ import annotations

import json
from typing import Any, Final

from bot.render import ids
from bot.render.cards import ticket_quote, ticket_title
from bot.render.limits import MAX_MODAL_TITLE, MAX_OPTION_TEXT, Block, trim
from bot.verdicts import DEFAULT_SCALE, VerdictScale
from storage.models import Ticket

VERIFY_TITLE: Final = "Verify #{id}"
FLAG_TITLE: Final = "Flag #{id}"
SUBMIT_VERIFY: Final = "Save verdict"
SUBMIT_FLAG: Final = "Flag it"
CANCEL: Final = "Cancel"
LABEL_VERDICT: Final = "Verdict"
LABEL_SOURCES: Final = "Sources"
HINT_SOURCES: Final = "One or more links (http or https), one per line."
PLACEHOLDER_SOURCES: Final = "https://…"
LABEL_REVIEW_URL: Final = "Published fact-check"
HINT_REVIEW_URL: Final = "Its public page, if it is published; exports use it (never a Slack link)."
PLACEHOLDER_REVIEW_URL: Final = "https://yournewsroom.example/fact-check/…"
LABEL_NOTE: Final = "Note"
HINT_NOTE: Final = "For the desk: how you checked, caveats."
LABEL_REASON_LABEL: Final = "Verdict (if one fits)"
LABEL_REASON: Final = "What is wrong"
HINT_REASON: Final = "What an editor needs to know; required unless a verdict is chosen."

#: The `max_length` of each text input, sent to Slack and enforced again on submission, since
#: a submission is only a signed request and need not come from our modal.
MAX_NOTE_CHARS: Final = 2000
MAX_REASON_CHARS: Final = 2000
MAX_SOURCES_CHARS: Final = 3000

FIX_SPEAKER_TITLE: Final = "Fix speaker of #{id}"
SUBMIT_FIX_SPEAKER: Final = "Save speaker"
LABEL_SPEAKER_PICK: Final = "Names in the article"
LABEL_SPEAKER_TEXT: Final = "Or type who spoke"
HINT_SPEAKER_TEXT: Final = (
    "A name, an organisation (the White House) or an unnamed source as the article writes it "
    "(a senior official). What you type wins over the name picked above."
)
LABEL_SPEAKER_TITLE: Final = "Their title"
#: Slack's cap on a static_select's options.
MAX_SPEAKER_OPTIONS: Final = 100
MAX_SPEAKER_CHARS: Final = 120


def _plain(text: str) -> dict[str, Any]:
    return {"type": "plain_text", "text": text, "emoji": True}


def _option(label: str) -> dict[str, Any]:
    return {"text": _plain(trim(label, MAX_OPTION_TEXT)), "value": label}


def _ticket_context(ticket: Ticket) -> Block:
    return {
        "type": "section",
        "block_id": "ticket",
        "text": {"type": "mrkdwn", "text": f"{ticket_title(ticket)}\n{ticket_quote(ticket, 1500)}"},
    }


def _metadata(ticket: Ticket) -> str:
    return json.dumps({"ticket_id": ticket.id})


def _note_block(initial: str | None) -> Block:
    element: dict[str, Any] = {
        "type": "plain_text_input",
        "action_id": ids.ELEMENT_NOTE,
        "multiline": True,
        "max_length": MAX_NOTE_CHARS,
    }
    if initial:
        element["initial_value"] = initial[:MAX_NOTE_CHARS]
    return {
        "type": "input",
        "block_id": ids.BLOCK_NOTE,
        "optional": True,
        "label": _plain(LABEL_NOTE),
        "hint": _plain(HINT_NOTE),
        "element": element,
    }


def _review_url_block(initial: str | None) -> dict[str, Any]:
    """Optional: the public page of the published fact-check (exports publish it)."""
    element: dict[str, Any] = {
        "type": "url_text_input",
        "action_id": ids.ELEMENT_REVIEW_URL,
        "placeholder": _plain(PLACEHOLDER_REVIEW_URL),
    }
    if initial:
        element["initial_value"] = initial
    return {
        "type": "input",
        "block_id": ids.BLOCK_REVIEW_URL,
        "optional": True,
        "label": _plain(LABEL_REVIEW_URL),
        "hint": _plain(HINT_REVIEW_URL),
        "element": element,
    }


def render_verify_modal(ticket: Ticket, *, scale: VerdictScale = DEFAULT_SCALE) -> dict[str, Any]:
    """Verdict (the whole scale for this kind, Accurate first), sources (required), note."""
    labels = scale.labels(ticket.kind)
    initial = ticket.verdict if ticket.verdict in labels else labels[0]
    sources: dict[str, Any] = {
        "type": "plain_text_input",
        "action_id": ids.ELEMENT_SOURCES,
        "multiline": True,
        "max_length": MAX_SOURCES_CHARS,
        "placeholder": _plain(PLACEHOLDER_SOURCES),
    }
    if ticket.sources:
        sources["initial_value"] = "\n".join(ticket.sources)[:MAX_SOURCES_CHARS]
    return {
        "type": "modal",
        "callback_id": ids.VIEW_VERIFY,
        "private_metadata": _metadata(ticket),
        "title": _plain(trim(VERIFY_TITLE.format(id=ticket.id), MAX_MODAL_TITLE)),
        "submit": _plain(SUBMIT_VERIFY),
        "close": _plain(CANCEL),
        "blocks": [
            _ticket_context(ticket),
            {
                "type": "input",
                "block_id": ids.BLOCK_VERDICT,
                "label": _plain(LABEL_VERDICT),
                "element": {
                    "type": "static_select",
                    "action_id": ids.ELEMENT_VERDICT,
                    "options": [_option(label) for label in labels],
                    "initial_option": _option(initial),
                },
            },
            {
                "type": "input",
                "block_id": ids.BLOCK_SOURCES,
                "label": _plain(LABEL_SOURCES),
                "hint": _plain(HINT_SOURCES),
                "element": sources,
            },
            _review_url_block(ticket.review_url),
            _note_block(ticket.note),
        ],
    }


def render_flag_modal(ticket: Ticket, *, scale: VerdictScale = DEFAULT_SCALE) -> dict[str, Any]:
    """Reason: a verdict from the scale (optional) plus text; note."""
    labels = [label for label in scale.labels(ticket.kind) if label != "Accurate"]
    return {
        "type": "modal",
        "callback_id": ids.VIEW_FLAG,
        "private_metadata": _metadata(ticket),
        "title": _plain(trim(FLAG_TITLE.format(id=ticket.id), MAX_MODAL_TITLE)),
        "submit": _plain(SUBMIT_FLAG),
        "close": _plain(CANCEL),
        "blocks": [
            _ticket_context(ticket),
            {
                "type": "input",
                "block_id": ids.BLOCK_REASON_LABEL,
                "optional": True,
                "label": _plain(LABEL_REASON_LABEL),
                "element": {
                    "type": "static_select",
                    "action_id": ids.ELEMENT_REASON_LABEL,
                    "options": [_option(label) for label in labels],
                },
            },
            {
                "type": "input",
                "block_id": ids.BLOCK_REASON,
                "optional": True,
                "label": _plain(LABEL_REASON),
                "hint": _plain(HINT_REASON),
                "element": {
                    "type": "plain_text_input",
                    "action_id": ids.ELEMENT_REASON,
                    "multiline": True,
                    "max_length": MAX_REASON_CHARS,
                },
            },
            _note_block(ticket.note),
        ],
    }


def render_fix_speaker_modal(ticket: Ticket, names: list[str]) -> dict[str, Any]:
    """Who said it: a name found in the article, or free text; and their title."""
    title_input: dict[str, Any] = {
        "type": "plain_text_input",
        "action_id": ids.ELEMENT_SPEAKER_TITLE,
        "max_length": MAX_SPEAKER_CHARS,
    }
    if ticket.speaker_title:
        title_input["initial_value"] = ticket.speaker_title[:MAX_SPEAKER_CHARS]
    blocks: list[Block] = [_ticket_context(ticket)]
    choices = list(dict.fromkeys(n for n in names if n and len(n) <= MAX_SPEAKER_CHARS))
    if choices:
        blocks.append(
            {
                "type": "input",
                "block_id": ids.BLOCK_SPEAKER_PICK,
                "optional": True,
                "label": _plain(LABEL_SPEAKER_PICK),
                "element": {
                    "type": "static_select",
                    "action_id": ids.ELEMENT_SPEAKER_PICK,
                    "options": [_option(name) for name in choices[:MAX_SPEAKER_OPTIONS]],
                },
            }
        )
    blocks += [
        {
            "type": "input",
            "block_id": ids.BLOCK_SPEAKER_TEXT,
            "optional": True,
            "label": _plain(LABEL_SPEAKER_TEXT),
            "hint": _plain(HINT_SPEAKER_TEXT),
            "element": {
                "type": "plain_text_input",
                "action_id": ids.ELEMENT_SPEAKER_TEXT,
                "max_length": MAX_SPEAKER_CHARS,
            },
        },
        {
            "type": "input",
            "block_id": ids.BLOCK_SPEAKER_TITLE,
            "optional": True,
            "label": _plain(LABEL_SPEAKER_TITLE),
            "element": title_input,
        },
    ]
    return {
        "type": "modal",
        "callback_id": ids.VIEW_FIX_SPEAKER,
        "private_metadata": _metadata(ticket),
        "title": _plain(trim(FIX_SPEAKER_TITLE.format(id=ticket.id), MAX_MODAL_TITLE)),
        "submit": _plain(SUBMIT_FIX_SPEAKER),
        "close": _plain(CANCEL),
        "blocks": blocks,
    }
