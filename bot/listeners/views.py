"""Verify, Flag and Fix speaker submissions: validate next to the field, then record and refresh."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, App, BoltContext

from bot.desk import actions
from bot.desk.submissions import (
    fix_speaker_errors,
    flag_errors,
    read_fix_speaker,
    read_flag,
    read_verify,
    verify_errors,
)
from bot.errors import BadInput, UserError
from bot.listeners.errors import after_ack
from bot.render import ids
from bot.services import Services


def _field_of(error: UserError, *, default: str) -> str:
    """Which input a refusal belongs next to: source problems by the sources, others by default."""
    if isinstance(error, BadInput) and "source" in error.message:
        return ids.BLOCK_SOURCES
    return default


def _submit(
    services: Services,
    ack: Ack,
    body: dict[str, Any],
    context: BoltContext,
    errors: dict[str, str],
    record: Callable[[str], actions.Answer],
    *,
    field: str,
) -> None:
    """Field errors go back into the modal; else `record` runs for the submitter, before the
    ack so a refusal shows in the modal beside its field (`field` unless it is about sources),
    and the cards and Home are refreshed after it."""
    if errors:
        ack(response_action="errors", errors=errors)
        return
    user = body["user"]["id"]
    try:
        answer = record(user)
    except UserError as error:
        ack(response_action="errors", errors={_field_of(error, default=field): error.message})
        return
    ack()
    after_ack(services, body, context, lambda: actions.after_change(services, user, answer.changed))


def register(app: App, services: Services) -> None:
    @app.view(ids.VIEW_VERIFY)
    def on_verify(
        ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext
    ) -> None:
        submission = read_verify(view)
        _submit(
            services,
            ack,
            body,
            context,
            verify_errors(submission),
            lambda user: actions.verify(
                services,
                user,
                submission.ticket_id,
                sources=submission.sources,
                verdict=submission.verdict or "",
                note=submission.note,
                review_url=submission.review_url,
            ),
            field=ids.BLOCK_VERDICT,
        )

    @app.view(ids.VIEW_FLAG)
    def on_flag(ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext) -> None:
        submission = read_flag(view)
        _submit(
            services,
            ack,
            body,
            context,
            flag_errors(submission),
            lambda user: actions.flag(
                services,
                user,
                submission.ticket_id,
                reason=submission.reason or submission.verdict or "",
                verdict=submission.verdict,
                note=submission.note,
            ),
            field=ids.BLOCK_REASON,
        )

    @app.view(ids.VIEW_FIX_SPEAKER)
    def on_fix_speaker(
        ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext
    ) -> None:
        submission = read_fix_speaker(view)
        _submit(
            services,
            ack,
            body,
            context,
            fix_speaker_errors(submission),
            lambda user: actions.fix_speaker(
                services,
                user,
                submission.ticket_id,
                speaker=submission.speaker or "",
                title=submission.title,
            ),
            field=ids.BLOCK_SPEAKER_TEXT,
        )
