"""Snooze buttons in reminder DMs: no reminder for those tickets for an hour, or until the morning."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond

from bot.desk import actions
from bot.listeners.errors import after_ack
from bot.render.reminders import ACTION_SNOOZE_HOUR, ACTION_SNOOZE_MORNING
from bot.services import Services
from bot.workflow import parse_ticket_id


def parse_snooze_value(value: str) -> list[int]:
    """A button's value: one ticket id, or several joined by commas ("Snooze all shown")."""
    return [parse_ticket_id(part) for part in value.split(",") if part.strip()]


def register(app: App, services: Services) -> None:
    def snooze(choice: str, body: dict[str, Any], respond: Respond) -> None:
        ticket_ids = parse_snooze_value(str(body["actions"][0].get("value", "")))
        answer = actions.snooze(services, body["user"]["id"], ticket_ids, choice)
        respond(text=answer.message.text, response_type="ephemeral", replace_original=False)

    @app.action(ACTION_SNOOZE_HOUR)
    def snooze_hour(ack: Ack, body: dict[str, Any], respond: Respond, context: BoltContext) -> None:
        ack()
        after_ack(services, body, context, lambda: snooze("hour", body, respond))

    @app.action(ACTION_SNOOZE_MORNING)
    def snooze_morning(
        ack: Ack, body: dict[str, Any], respond: Respond, context: BoltContext
    ) -> None:
        ack()
        after_ack(services, body, context, lambda: snooze("morning", body, respond))
