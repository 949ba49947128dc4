"""Builds the Bolt app: listeners registered by Slack surface, one error handler, no globals."""

from __future__ import annotations

import logging
from collections.abc import Callable

from slack_bolt import App

from bot.listeners import actions, commands, errors, gate, home, messages, reminders, views
from bot.services import Services

logger = logging.getLogger(__name__)

# One register(app, services) per Slack surface; the global gate and error handler first.
LISTENERS: tuple[Callable[[App, Services], None], ...] = (
    gate.register,
    errors.register,
    messages.register,
    commands.register,
    actions.register,
    views.register,
    home.register,
    reminders.register,
)


def create_app(services: Services) -> App:
    settings = services.settings
    secret = settings.slack_signing_secret
    app = App(
        client=services.client,  # carries the bot token; Bolt reads it from there
        signing_secret=secret.get_secret_value() if secret else "",
        # Listeners ack in the request thread and queue the rest on services.work, which
        # also runs any lazy listener: one bounded pool for all work after an ack.
        process_before_response=True,
        listener_executor=services.work,
        raise_error_for_unhandled_request=False,
        logger=logging.getLogger("bot.bolt"),
    )
    for register in LISTENERS:
        register(app, services)
    return app
