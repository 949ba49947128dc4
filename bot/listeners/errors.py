"""The one error handler: a UserError is told to the person; anything else is logged, with an apology."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from slack_bolt import App, BoltContext
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.errors import UserError
from bot.render.messages import APOLOGY
from bot.services import Services

logger = logging.getLogger(__name__)


def _where(body: dict[str, Any]) -> dict[str, Any]:
    """Ids that locate the request in the log (never tokens or message text)."""
    event = body.get("event") or {}
    actions = body.get("actions") or [{}]
    return {
        "type": body.get("type")
        or event.get("type")
        or ("slash_command" if body.get("command") else None),
        "team": body.get("team_id") or (body.get("team") or {}).get("id"),
        "user": body.get("user_id") or (body.get("user") or {}).get("id") or event.get("user"),
        "channel": body.get("channel_id")
        or (body.get("channel") or {}).get("id")
        or event.get("channel"),
        "action": actions[0].get("action_id"),
        "callback": (body.get("view") or {}).get("callback_id") or body.get("callback_id"),
        "event_id": body.get("event_id"),
        "ts": event.get("ts") or (body.get("message") or {}).get("ts"),
    }


def tell(client: WebClient, context: BoltContext, where: dict[str, Any], text: str) -> None:
    """Ephemeral where Slack allows it: response_url, else chat.postEphemeral, else a DM."""
    try:
        if context.respond is not None and context.response_url:
            context.respond(response_type="ephemeral", replace_original=False, text=text)
        elif where["channel"] and where["user"]:
            client.chat_postEphemeral(channel=where["channel"], user=where["user"], text=text)
        elif where["user"]:
            client.chat_postMessage(channel=where["user"], text=text)
    except SlackApiError:
        logger.warning("could not tell user %s: %s", where["user"], text)


def handle_error(
    services: Services, error: Exception, body: dict[str, Any], context: BoltContext
) -> None:
    """The one place errors are handled: a refusal is told, anything else logged and apologised."""
    where = _where(body)
    if isinstance(error, UserError):
        logger.info("refused %s: %s", where, error.message)
        tell(services.client, context, where, error.message)
        return
    logger.error("unhandled error in %s", where, exc_info=error)
    tell(services.client, context, where, APOLOGY)


def after_ack(
    services: Services, body: dict[str, Any], context: BoltContext, work: Callable[[], None]
) -> None:
    """Queue a listener's work on the work pool, so the request thread answers Slack at once.

    Listeners run in the request thread (`process_before_response=True`), and Slack gets its
    answer when they return: they ack, call this, and return. Any error in `work` goes to
    `handle_error` here, on the pool's thread, as the request has been answered already.
    """

    def run() -> None:
        try:
            work()
        except Exception as error:
            handle_error(services, error, body, context)

    where = _where(body)
    run.__qualname__ = ":".join(
        str(part) for part in (where["type"], where["action"] or where["callback"]) if part
    )
    services.work.submit(run)


def register(app: App, services: Services) -> None:
    @app.error
    def on_error(error: Exception, body: dict[str, Any], context: BoltContext) -> None:
        handle_error(services, error, body, context)
