"""`/factcheck`: ack at once, parse into a typed command, run it, answer the person ephemerally."""

from __future__ import annotations

from typing import Any, Final

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk.errors import SlackApiError

from bot.command_grammar import IngestCmd, SearchCmd, parse_command
from bot.desk import actions
from bot.desk.intake import ArticleMessage, ingest
from bot.desk.search import search_earlier
from bot.errors import UserError
from bot.listeners.errors import after_ack
from bot.render.blocks import escape, link
from bot.render.ids import SLASH_COMMAND
from bot.render.limits import trim
from bot.render.messages import INGEST_STARTED
from bot.services import Services

INGEST_ANCHOR: Final = "<@{user}> sent an article for checking: {what}"
CANNOT_POST_HERE: Final = (
    "I can't post in this conversation. Invite me with `/invite @factcheck`, "
    "or run the command in the desk's channel."
)


def _anchor(services: Services, command: dict[str, Any], parsed: IngestCmd) -> str:
    """A message in the channel to hang the thread on: the article's stand-in for a paste."""
    what = link(parsed.url) if parsed.url else f"“{escape(trim(parsed.text, 200))}”"
    try:
        response = services.client.chat_postMessage(
            channel=command["channel_id"],
            text=INGEST_ANCHOR.format(user=command["user_id"], what=what),
            unfurl_links=False,
        )
    except SlackApiError as error:
        if error.response.get("error") in ("not_in_channel", "channel_not_found", "is_archived"):
            raise UserError(CANNOT_POST_HERE) from None
        raise
    return str(response["ts"])


def register(app: App, services: Services) -> None:
    @app.command(SLASH_COMMAND)
    def on_command(
        ack: Ack,
        body: dict[str, Any],
        command: dict[str, Any],
        respond: Respond,
        context: BoltContext,
    ) -> None:
        ack()
        after_ack(services, body, context, lambda: run(command, respond))

    def run(command: dict[str, Any], respond: Respond) -> None:
        parsed = parse_command(command.get("text") or "")
        user, channel = command["user_id"], command["channel_id"]
        if isinstance(parsed, IngestCmd):
            ts = _anchor(services, command, parsed)
            respond(response_type="ephemeral", text=INGEST_STARTED)
            ingest(
                services,
                ArticleMessage(
                    team=command.get("team_id") or "",
                    channel=channel,
                    ts=ts,
                    thread_ts=ts,
                    user=user,
                    text=parsed.text,
                    via="command",
                ),
            )
            return
        if isinstance(parsed, SearchCmd):
            found = search_earlier(services, team=command.get("team_id") or "", text=parsed.text)
            respond(response_type="ephemeral", text=found.text, blocks=found.blocks)
            return
        answer = actions.run_command(services, user, channel, parsed)
        respond(response_type="ephemeral", text=answer.message.text, blocks=answer.message.blocks)
        if answer.changed:
            actions.after_change(services, user, answer.changed)
