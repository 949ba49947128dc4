"""Articles arrive: a pasted message, the "Fact-check this message" shortcut, or a mention."""

from __future__ import annotations

from typing import Any, Final

from slack_bolt import Ack, App, BoltContext, Respond
from sqlalchemy.exc import DBAPIError

from bot.desk.edits import apply_deletion, apply_edit, deleted_ts_of, edit_of
from bot.desk.intake import ArticleMessage, ingest, is_article_event, is_watched
from bot.listeners.errors import after_ack
from bot.render.ids import MESSAGE_SHORTCUT_CALLBACK
from bot.render.messages import INGEST_DUPLICATE
from bot.services import Services
from bot.user_input import find_links, strip_mentions

MENTION_HINT: Final = "Mention me with an article (its text or a link) and I will split it into tickets in the thread."


def _team(body: dict[str, Any]) -> str:
    team = body.get("team_id") or (body.get("team") or {}).get("id") or ""
    return str(team)


def register(app: App, services: Services) -> None:
    settings = services.settings

    @app.event("message")
    def on_message(event: dict[str, Any], body: dict[str, Any], context: BoltContext) -> None:
        # Bolt acks an event when its listener returns: the article is read on the pool.
        if is_article_event(settings, event):
            after_ack(services, body, context, lambda: message(event, body))
        elif event.get("channel_type") != "im" and is_watched(settings, event.get("channel", "")):
            changed(event, body, context)

    def changed(event: dict[str, Any], body: dict[str, Any], context: BoltContext) -> None:
        """An edit or a deletion; only articles the desk took change (see bot.desk.edits)."""
        team, channel = _team(body), str(event.get("channel") or "")
        deleted = deleted_ts_of(event)
        edit = edit_of(team, event) if deleted is None else None

        def apply() -> None:
            if deleted is not None:
                apply_deletion(services, team=team, channel=channel, ts=deleted)
            elif edit is not None:
                apply_edit(services, edit)

        if deleted is not None or edit is not None:
            after_ack(services, body, context, apply)

    def message(event: dict[str, Any], body: dict[str, Any]) -> None:
        try:
            ingest(
                services,
                ArticleMessage(
                    team=_team(body),
                    channel=event["channel"],
                    ts=event["ts"],
                    thread_ts=event["ts"],
                    user=event.get("user"),
                    text=event.get("text") or "",
                    via="message",
                ),
            )
        except DBAPIError:
            # The database is unreachable: the clock catches this channel up from this
            # message once it is back (bot.catchup), so the article is not lost.
            services.missed.add(event["channel"], event["ts"])
            raise

    @app.event("app_mention")
    def on_mention(event: dict[str, Any], body: dict[str, Any], context: BoltContext) -> None:
        if not (event.get("bot_id") or event.get("subtype")):
            after_ack(services, body, context, lambda: mention(event, body))

    def mention(event: dict[str, Any], body: dict[str, Any]) -> None:
        text = strip_mentions(event.get("text") or "")
        channel, user = event["channel"], event.get("user")
        if len(text) < settings.min_article_chars and not find_links(text):
            if user:
                services.client.chat_postEphemeral(channel=channel, user=user, text=MENTION_HINT)
            return
        # A top-level mention in a watched channel also arrives as a `message` event: the
        # intake row is claimed once, so whichever delivery comes second does nothing.
        ingest(
            services,
            ArticleMessage(
                team=_team(body),
                channel=channel,
                ts=event["ts"],
                thread_ts=event.get("thread_ts") or event["ts"],
                user=user,
                text=text,
                via="mention",
            ),
        )

    @app.shortcut(MESSAGE_SHORTCUT_CALLBACK)
    def on_shortcut(ack: Ack, body: dict[str, Any], respond: Respond, context: BoltContext) -> None:
        ack()
        after_ack(services, body, context, lambda: shortcut(body, respond))

    def shortcut(body: dict[str, Any], respond: Respond) -> None:
        message = body.get("message") or {}
        result = ingest(
            services,
            ArticleMessage(
                team=_team(body),
                channel=body["channel"]["id"],
                ts=message["ts"],
                thread_ts=message.get("thread_ts") or message["ts"],
                user=body["user"]["id"],
                text=message.get("text") or "",
                via="shortcut",
            ),
        )
        if not result.created:
            respond(response_type="ephemeral", replace_original=False, text=INGEST_DUPLICATE)
