"""Snooze buttons in reminder DMs: no reminder for those tickets for an hour, or until the morning."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond

from bot.errors import UserError
from bot.listeners.errors import after_ack
from bot.reminders import ZoneBook, snooze_until
from bot.render.reminders import ACTION_SNOOZE_HOUR, ACTION_SNOOZE_MORNING, render_snoozed
from bot.services import Services
from bot.workflow import DeskPolicy, format_local_time, parse_ticket_id, snooze_ticket
from storage.db import session_scope

logger = logging.getLogger(__name__)


def parse_snooze_value(value: str) -> list[int]:
    """A button's value: one ticket id, or several joined by commas ("Snooze all shown")."""
    return [parse_ticket_id(part) for part in value.split(",") if part.strip()]


def register(app: App, services: Services) -> None:
    zones = ZoneBook(services.client, default=services.settings.zone, clock=services.clock)
    policy = DeskPolicy.from_settings(services.settings)

    def snooze(choice: str, body: dict[str, Any], respond: Respond) -> None:
        user = body["user"]["id"]
        ticket_ids = parse_snooze_value(str(body["actions"][0].get("value", "")))
        now = services.clock()
        zone = zones.zone_of(user)
        until = snooze_until(now, choice, zone=zone, settings=services.settings)
        snoozed: list[int] = []
        refusals: list[str] = []
        with session_scope(services.engine) as session:
            for ticket_id in ticket_ids:
                try:
                    snooze_ticket(
                        ticket_id, session=session, actor=user, now=now, policy=policy, until=until
                    )
                except UserError as error:
                    refusals.append(error.message)
                else:
                    snoozed.append(ticket_id)
        lines = []
        if snoozed:
            lines.append(
                render_snoozed(snoozed, until_text=format_local_time(until, now=now, zone=zone))
            )
        lines.extend(refusals)
        respond(text="\n".join(lines), response_type="ephemeral", replace_original=False)

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
