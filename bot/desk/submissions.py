"""What a Verify, Flag or Fix speaker modal submitted: read from the view's state, checked field
by field, with the messages Slack shows beside a field (`response_action: errors`)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Final

from bot.render import ids
from bot.render.blocks import escape
from bot.render.limits import trim
from bot.render.modals import MAX_NOTE_CHARS, MAX_REASON_CHARS, MAX_SOURCES_CHARS, MAX_SPEAKER_CHARS
from bot.user_input import NOT_A_URL, is_http_url, is_slack_link
from bot.workflow import REVIEW_URL_PRIVATE

# Validation messages shown next to a field (response_action: errors).
ERROR_NO_SOURCE: Final = "Add at least one source link."
ERROR_NO_VERDICT: Final = "Choose a verdict."
ERROR_NO_REASON: Final = "Say what is wrong, or choose a verdict."
ERROR_TOO_LONG: Final = "Keep this under {limit:,} characters (it has {length:,})."
ERROR_NO_SPEAKER: Final = "Pick a name above or type who spoke."


def ticket_id_of_view(view: dict[str, Any]) -> int:
    """The ticket a submitted modal is about (from private_metadata)."""
    return int(json.loads(view.get("private_metadata") or "{}")["ticket_id"])


@dataclass(frozen=True)
class VerifySubmission:
    ticket_id: int
    verdict: str | None
    sources: list[str]
    note: str | None
    sources_text: str = ""
    review_url: str | None = None


@dataclass(frozen=True)
class FlagSubmission:
    ticket_id: int
    verdict: str | None
    reason: str | None
    note: str | None


def _value(values: dict[str, Any], block: str, element: str) -> str | None:
    state = values.get(block, {}).get(element, {})
    if state.get("type") == "static_select":
        selected = state.get("selected_option") or {}
        return selected.get("value") or None
    text = state.get("value")
    return text.strip() or None if isinstance(text, str) else None


def read_verify(view: dict[str, Any]) -> VerifySubmission:
    values = view.get("state", {}).get("values", {})
    raw = _value(values, ids.BLOCK_SOURCES, ids.ELEMENT_SOURCES) or ""
    sources = [word.strip("<>") for word in raw.replace(",", " ").split() if word.strip("<>")]
    return VerifySubmission(
        ticket_id=ticket_id_of_view(view),
        verdict=_value(values, ids.BLOCK_VERDICT, ids.ELEMENT_VERDICT),
        sources=sources,
        note=_value(values, ids.BLOCK_NOTE, ids.ELEMENT_NOTE),
        sources_text=raw,
        review_url=_value(values, ids.BLOCK_REVIEW_URL, ids.ELEMENT_REVIEW_URL),
    )


def read_flag(view: dict[str, Any]) -> FlagSubmission:
    values = view.get("state", {}).get("values", {})
    return FlagSubmission(
        ticket_id=ticket_id_of_view(view),
        verdict=_value(values, ids.BLOCK_REASON_LABEL, ids.ELEMENT_REASON_LABEL),
        reason=_value(values, ids.BLOCK_REASON, ids.ELEMENT_REASON),
        note=_value(values, ids.BLOCK_NOTE, ids.ELEMENT_NOTE),
    )


def _too_long(fields: dict[str, tuple[str | None, int]]) -> dict[str, str]:
    """An error beside each text field (block id -> (text, limit)) longer than its limit."""
    return {
        block: ERROR_TOO_LONG.format(limit=limit, length=len(text))
        for block, (text, limit) in fields.items()
        if text is not None and len(text) > limit
    }


def verify_errors(submission: VerifySubmission) -> dict[str, str]:
    """Field errors for `response_action: errors`, keyed by block id; empty when valid."""
    errors = _too_long(
        {
            ids.BLOCK_SOURCES: (submission.sources_text, MAX_SOURCES_CHARS),
            ids.BLOCK_NOTE: (submission.note, MAX_NOTE_CHARS),
        }
    )
    if not submission.verdict:
        errors[ids.BLOCK_VERDICT] = ERROR_NO_VERDICT
    if not submission.sources:
        errors[ids.BLOCK_SOURCES] = ERROR_NO_SOURCE
    elif ids.BLOCK_SOURCES not in errors:
        bad = next((s for s in submission.sources if not is_http_url(s)), None)
        if bad is not None:
            errors[ids.BLOCK_SOURCES] = NOT_A_URL.format(word=escape(trim(bad, 100)))
    review = submission.review_url
    if review and not is_http_url(review):
        errors[ids.BLOCK_REVIEW_URL] = NOT_A_URL.format(word=escape(trim(review, 100)))
    elif review and is_slack_link(review):
        errors[ids.BLOCK_REVIEW_URL] = REVIEW_URL_PRIVATE.format(url=escape(trim(review, 100)))
    return errors


def flag_errors(submission: FlagSubmission) -> dict[str, str]:
    errors = _too_long(
        {
            ids.BLOCK_REASON: (submission.reason, MAX_REASON_CHARS),
            ids.BLOCK_NOTE: (submission.note, MAX_NOTE_CHARS),
        }
    )
    if not submission.reason and not submission.verdict:
        errors[ids.BLOCK_REASON] = ERROR_NO_REASON
    return errors


@dataclass(frozen=True)
class SpeakerSubmission:
    ticket_id: int
    picked: str | None
    typed: str | None
    title: str | None

    @property
    def speaker(self) -> str | None:
        """What the checker typed, else the name they picked."""
        return self.typed or self.picked


def read_fix_speaker(view: dict[str, Any]) -> SpeakerSubmission:
    values = view.get("state", {}).get("values", {})
    return SpeakerSubmission(
        ticket_id=ticket_id_of_view(view),
        picked=_value(values, ids.BLOCK_SPEAKER_PICK, ids.ELEMENT_SPEAKER_PICK),
        typed=_value(values, ids.BLOCK_SPEAKER_TEXT, ids.ELEMENT_SPEAKER_TEXT),
        title=_value(values, ids.BLOCK_SPEAKER_TITLE, ids.ELEMENT_SPEAKER_TITLE),
    )


def fix_speaker_errors(submission: SpeakerSubmission) -> dict[str, str]:
    errors = _too_long(
        {
            ids.BLOCK_SPEAKER_TEXT: (submission.typed, MAX_SPEAKER_CHARS),
            ids.BLOCK_SPEAKER_TITLE: (submission.title, MAX_SPEAKER_CHARS),
        }
    )
    if not submission.speaker:
        errors[ids.BLOCK_SPEAKER_TEXT] = ERROR_NO_SPEAKER
    return errors
