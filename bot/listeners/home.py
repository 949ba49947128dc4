"""The App Home tab: published when the person opens it."""

from __future__ import annotations

from typing import Any

from slack_bolt import App, BoltContext

from bot.desk.home import publish_home
from bot.listeners.errors import after_ack
from bot.services import Services


def register(app: App, services: Services) -> None:
    @app.event("app_home_opened")
    def on_home_opened(event: dict[str, Any], body: dict[str, Any], context: BoltContext) -> None:
        if event.get("tab", "home") == "home":
            after_ack(services, body, context, lambda: publish_home(services, event["user"]))
