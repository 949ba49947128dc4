"""Builds the Bolt app: listeners registered by Slack surface, one error handler, no globals."""

from __future__ import annotations

import importlib
import logging

from slack_bolt import App

from bot.services import Services

logger = logging.getLogger(__name__)

# Each module exposes register(app, services).
LISTENER_MODULES: tuple[str, ...] = (
    "bot.listeners.errors",
    "bot.listeners.messages",
    "bot.listeners.commands",
    "bot.listeners.actions",
    "bot.listeners.views",
    "bot.listeners.home",
    "bot.listeners.reminders",
)


def create_app(services: Services) -> App:
    settings = services.settings
    secret = settings.slack_signing_secret
    app = App(
        client=services.client,  # carries the bot token; Bolt reads it from there
        signing_secret=secret.get_secret_value() if secret else "",
        process_before_response=False,
        raise_error_for_unhandled_request=False,
        logger=logging.getLogger("bot.bolt"),
    )
    for name in LISTENER_MODULES:
        importlib.import_module(name).register(app, services)
    return app
