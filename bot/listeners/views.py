"""Verify and Flag modal submissions: validate next to the field, then record and refresh."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, BoltContext

from bot.desk import actions
from bot.errors import BadInput, UserError
from bot.listeners.errors import after_ack
from bot.render import ids
from bot.render.modals import flag_errors, read_flag, read_verify, verify_errors
from bot.services import Services


def _field_of(error: UserError, *, default: str) -> str:
    """Which input a refusal belongs next to: source problems by the sources, others by default."""
    if isinstance(error, BadInput) and "source" in error.message:
        return ids.BLOCK_SOURCES
    return default


def register(app: App, services: Services) -> None:
    @app.view(ids.VIEW_VERIFY)
    def on_verify(
        ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext
    ) -> None:
        submission = read_verify(view)
        errors = verify_errors(submission)
        if errors:
            ack(response_action="errors", errors=errors)
            return
        user = body["user"]["id"]
        try:
            # The rule runs before the ack so a refusal shows in the modal, beside the field.
            answer = actions.verify(
                services,
                user,
                submission.ticket_id,
                sources=submission.sources,
                verdict=submission.verdict or "",
                note=submission.note,
            )
        except UserError as error:
            ack(
                response_action="errors",
                errors={_field_of(error, default=ids.BLOCK_VERDICT): error.message},
            )
            return
        ack()
        after_ack(
            services, body, context, lambda: actions.after_change(services, user, answer.changed)
        )

    @app.view(ids.VIEW_FLAG)
    def on_flag(ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext) -> None:
        submission = read_flag(view)
        errors = flag_errors(submission)
        if errors:
            ack(response_action="errors", errors=errors)
            return
        user = body["user"]["id"]
        try:
            answer = actions.flag(
                services,
                user,
                submission.ticket_id,
                reason=submission.reason or submission.verdict or "",
                verdict=submission.verdict,
                note=submission.note,
            )
        except UserError as error:
            ack(
                response_action="errors",
                errors={_field_of(error, default=ids.BLOCK_REASON): error.message},
            )
            return
        ack()
        after_ack(
            services, body, context, lambda: actions.after_change(services, user, answer.changed)
        )
