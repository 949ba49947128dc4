"""The editors' daily digest: composed from aggregate figures, posted once per channel and local day.

Exactly once, however many replicas run: every scheduler tick calls `post_due_digests`, which
does nothing before FACTCHECK_DIGEST_TIME and afterwards tries to *claim* today's run for each
digest channel (`storage.reminders.claim_digest_run`, unique on channel and local date). Only the
winner composes and posts, then marks the run posted. Because every tick tries, a digest missed
while the bot was down goes out once when it comes back the same (local) day.

The one repeat window: the process dies after Slack accepted the digest and before
`mark_digest_posted` commits (one round-trip plus one commit). The run then looks abandoned and
is taken over after `DIGEST_TAKEOVER_AFTER`, so that channel sees the digest twice. A refused post
(429 after retries, 5xx, not_in_channel) is retried the same way, after `DIGEST_TAKEOVER_AFTER`.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Final

from slack_sdk.errors import SlackApiError
from sqlmodel import Session

from bot.config import Settings
from bot.render.blocks import SlackMessage
from bot.render.digest import render_digest
from bot.services import Services
from bot.verdicts import DEFAULT_SCALE
from storage.articles import article_channels, recent_articles
from storage.db import session_scope
from storage.digest_figures import digest_figures
from storage.reminders import (
    DIGEST_TAKEOVER_AFTER,
    claim_digest_run,
    last_digest_at,
    mark_digest_posted,
)

logger = logging.getLogger(__name__)

DIGEST_LIST_LIMIT: Final = 15
FIRST_DIGEST_LOOKBACK: Final = timedelta(days=1)
# With no channel configured, a channel gets a digest if articles came from it this recently.
ACTIVE_CHANNEL_WINDOW: Final = timedelta(days=30)

__all__ = [
    "compose_digest",
    "digest_channels",
    "digest_date_due",
    "post_digest",
    "post_due_digests",
]


def digest_scope(session: Session, *, settings: Settings, channel: str) -> str | None:
    """Whose figures a digest in `channel` shows: None (the whole desk) or that channel's.

    A dedicated FACTCHECK_DIGEST_CHANNEL gets the whole desk. Otherwise digests go to the
    intake channels, and each shows its own articles; a channel with no articles (an editor
    asking in a side channel) gets the whole desk rather than an empty digest.
    """
    if settings.digest_channel is not None:
        return None
    return channel if recent_articles(session, channel=channel, limit=1) else None


def compose_digest(
    session: Session, *, settings: Settings, channel: str, now: datetime
) -> SlackMessage:
    """The digest for `channel` as of `now`: "since" is the last digest posted there (or a day).

    Pure reads; posts nothing and claims nothing, so `/factcheck digest` and
    `factcheck digest` can show it on demand.
    """
    since = last_digest_at(session, channel=channel) or now - FIRST_DIGEST_LOOKBACK
    figures = digest_figures(
        session,
        channel=digest_scope(session, settings=settings, channel=channel),
        since=since,
        now=now,
        list_limit=DIGEST_LIST_LIMIT,
        wrong_verdicts=DEFAULT_SCALE.wrong_labels(),
    )
    return render_digest(figures, zone=settings.zone)


def digest_channels(session: Session, *, settings: Settings, now: datetime) -> list[str]:
    """FACTCHECK_DIGEST_CHANNEL, else FACTCHECK_CHANNELS, else the channels articles came from."""
    if settings.digest_channel is not None:
        return [settings.digest_channel]
    if settings.channels:
        return list(settings.channels)
    return article_channels(session, since=now - ACTIVE_CHANNEL_WINDOW)


def digest_date_due(settings: Settings, now: datetime) -> date | None:
    """Today's local date once FACTCHECK_DIGEST_TIME has passed in FACTCHECK_TIMEZONE, else None."""
    local = now.astimezone(settings.zone)
    return local.date() if local.time() >= settings.digest_time else None


@dataclass(frozen=True)
class PostedDigest:
    channel: str
    message_ts: str | None


def post_digest(services: Services, *, channel: str, now: datetime | None = None) -> PostedDigest:
    """Compose and post a digest to `channel` now, without claiming the day's run (on demand).

    Raises SlackApiError when Slack refuses it.
    """
    moment = now or services.clock()
    with session_scope(services.engine) as session:
        message = compose_digest(session, settings=services.settings, channel=channel, now=moment)
    response = services.client.chat_postMessage(
        channel=channel, text=message.text, blocks=message.blocks, unfurl_links=False
    )
    return PostedDigest(channel=channel, message_ts=response.get("ts"))


def post_due_digests(
    services: Services, *, owner: str, now: datetime | None = None
) -> list[PostedDigest]:
    """Post today's digest to every digest channel that has not had it; safe on every replica.

    Returns the digests this call posted (usually none: most ticks find nothing due or the
    run already claimed). Never raises for a Slack refusal; the run is retried after
    `DIGEST_TAKEOVER_AFTER`.
    """
    moment = now or services.clock()
    local_date = digest_date_due(services.settings, moment)
    if local_date is None:
        return []
    with session_scope(services.engine) as session:
        channels = digest_channels(session, settings=services.settings, now=moment)
    posted: list[PostedDigest] = []
    for channel in channels:
        with session_scope(services.engine) as session:
            run = claim_digest_run(
                session,
                channel=channel,
                local_date=local_date,
                owner=owner,
                now=moment,
                stale_after=DIGEST_TAKEOVER_AFTER,
            )
            run_id = run.id if run is not None else None
        if run_id is None:
            continue
        try:
            result = post_digest(services, channel=channel, now=moment)
        except SlackApiError as error:
            logger.warning(
                "digest for %s on %s not accepted by Slack (%s); retrying after %s",
                channel,
                local_date,
                error.response.get("error"),
                DIGEST_TAKEOVER_AFTER,
            )
            continue
        with session_scope(services.engine) as session:
            marked = mark_digest_posted(
                session,
                run_id=run_id,
                owner=owner,
                now=services.clock(),
                message_ts=result.message_ts,
            )
        if not marked:
            logger.warning("digest run %s for %s was taken over while posting", run_id, channel)
        posted.append(result)
    return posted
