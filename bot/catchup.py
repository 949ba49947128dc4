"""Catch-up: ingest the articles pasted while the bot was not listening (down, reconnecting,
or without its database).

Run on start, after every Socket Mode reconnect, and on the clock for channels where a paste
met a database outage. For each watched channel it reads conversations.history after the
newest article already taken from it (never further back than FACTCHECK_CATCHUP_HOURS),
page by page (the client waits out 429s with Retry-After), and hands every article-like
message to `ingest`, which claims each Slack message once: several replicas catching up at
the same time ingest each missed article once.

The watched channels are FACTCHECK_CHANNELS or, when it is empty, every public and private
channel the bot is in (users.conversations, which needs channels:read and groups:read), so a
channel whose first article came while the bot was down is read too. An install without
those scopes (made from an older manifest) falls back to the channels articles came from,
with one warning line.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import timedelta
from typing import Any, Final

from slack_sdk.errors import SlackApiError

from bot.desk.intake import ArticleMessage, ingest, is_article_event
from bot.services import Services, ts_key
from storage.articles import article_channels, known_article_ts, newest_article_ts
from storage.db import session_scope

logger = logging.getLogger(__name__)

HISTORY_PAGE: Final = 200
#: What users.conversations lists: the channels an article can be pasted in (not DMs).
MEMBER_TYPES: Final = "public_channel,private_channel"
# When the bot's channels cannot be listed: channels that took articles this recently.
ACTIVE_CHANNELS: Final = timedelta(days=30)
CHANNELS_UNLISTED: Final = (
    "catch-up cannot list the channels the bot is in (%s): reading only those that took "
    "articles in the last 30 days. Grant channels:read and groups:read (install the app "
    "again from `factcheck manifest`) or set FACTCHECK_CHANNELS"
)


def _just_before(ts: str) -> str:
    """A history bound that includes `ts` itself (`oldest` is exclusive)."""
    seconds, micros = ts_key(ts)
    total = seconds * 1_000_000 + micros - 1
    return f"{total // 1_000_000}.{total % 1_000_000:06d}"


def member_channels(services: Services) -> list[str]:
    """Every public and private channel the bot is in, unarchived, page by page."""
    found: list[str] = []
    cursor: str | None = None
    while True:
        page = services.client.users_conversations(
            types=MEMBER_TYPES, exclude_archived=True, limit=HISTORY_PAGE, cursor=cursor
        )
        found += [str(c["id"]) for c in page.get("channels") or [] if c.get("id")]
        cursor = (page.get("response_metadata") or {}).get("next_cursor") or None
        if not cursor:
            return found


def watched_channels(services: Services) -> list[str]:
    """FACTCHECK_CHANNELS, else the bot's channels, else (unlisted) those articles came from."""
    if services.settings.channels:
        return list(services.settings.channels)
    try:
        return member_channels(services)
    except SlackApiError as error:
        logger.warning(CHANNELS_UNLISTED, error.response.get("error"))
    except OSError as error:
        logger.warning(CHANNELS_UNLISTED, type(error).__name__)
    with session_scope(services.engine) as session:
        return article_channels(session, since=services.clock() - ACTIVE_CHANNELS)


def catch_up(services: Services, *, since: dict[str, str] | None = None) -> int:
    """Ingest what was missed in the watched channels (or only `since`'s, from those ts on).

    Returns how many intakes this call started. Never raises: a channel Slack will not show
    is logged and skipped, and the rest are still read.
    """
    team = str(services.client.auth_test().get("team_id") or "")
    bound = services.clock() - timedelta(hours=services.settings.catchup_hours)
    bound_ts = f"{int(bound.timestamp())}.000000"
    channels = list(since) if since is not None else watched_channels(services)
    started = 0
    for channel in channels:
        with session_scope(services.engine) as session:
            newest = newest_article_ts(session, team=team, channel=channel)
        oldest = max((t for t in (newest, bound_ts) if t), key=ts_key)
        if since is not None and channel in since:
            oldest = max(_just_before(since[channel]), bound_ts, key=ts_key)
        try:
            started += _catch_up_channel(services, team=team, channel=channel, oldest=oldest)
        except Exception:
            logger.exception("catch-up of %s stopped; it is tried again later", channel)
            if since is not None:
                services.missed.add(channel, since[channel])
    if started:
        logger.info("catch-up: %d missed articles taken in", started)
    return started


def _history(services: Services, channel: str, oldest: str) -> Iterator[dict[str, Any]]:
    """Top-level messages after `oldest`, oldest first (Slack pages them newest first)."""
    pages: list[list[dict[str, Any]]] = []
    cursor: str | None = None
    while True:
        response = services.client.conversations_history(
            channel=channel,
            oldest=oldest,
            limit=HISTORY_PAGE,
            cursor=cursor,
        )
        pages.append(list(response.get("messages") or []))
        cursor = (response.get("response_metadata") or {}).get("next_cursor") or None
        if not cursor:
            break
    messages = [m for page in pages for m in page]
    yield from sorted(messages, key=lambda m: ts_key(str(m.get("ts") or "0")))


def _catch_up_channel(services: Services, *, team: str, channel: str, oldest: str) -> int:
    candidates = [
        {**message, "channel": channel, "channel_type": "channel"}
        for message in _history(services, channel, oldest)
        if message.get("type", "message") == "message"
    ]
    candidates = [
        m for m in candidates if is_article_event(services.settings, {"type": "message", **m})
    ]
    if not candidates:
        return 0
    with session_scope(services.engine) as session:
        known = known_article_ts(
            session, team=team, channel=channel, ts=[str(m["ts"]) for m in candidates]
        )
    started = 0
    for message in candidates:
        if str(message["ts"]) in known:
            continue
        result = ingest(
            services,
            ArticleMessage(
                team=team,
                channel=channel,
                ts=str(message["ts"]),
                thread_ts=str(message["ts"]),
                user=message.get("user"),
                text=str(message.get("text") or ""),
                via="catch-up",
            ),
        )
        started += result.created
    return started
