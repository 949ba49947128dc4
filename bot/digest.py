"""The editors' daily digest: composed from aggregate figures, posted once per channel and local day.

Exactly once, however many replicas run: every scheduler tick calls `post_due_digests`, which
does nothing before FACTCHECK_DIGEST_TIME and afterwards tries to *claim* today's run for each
digest channel (`storage.reminders.claim_digest_run`, unique on channel and local date). Only the
winner composes the digest and writes it to the outbox in the same transaction; the dispatcher
(bot/outbox.py) posts it, retrying while Slack refuses. Because every tick tries, a digest missed
while the bot was down goes out once when it comes back the same (local) day.

The one repeat window is the dispatcher's: the process dies (or the answer is lost) after Slack
accepted the digest and before the outbox row is marked sent. It is closed there: the digest
carries its outbox id in message metadata, and the retry finds it in the channel's history
instead of posting it again (bot/outbox.py).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Final

from sqlmodel import Session

from bot.config import Settings
from bot.outbox import deliver_owed
from bot.render.blocks import SlackMessage
from bot.render.digest import render_digest
from bot.services import Services
from bot.verdicts import DEFAULT_SCALE
from storage.articles import article_channels, recent_articles
from storage.db import session_scope
from storage.digest_figures import digest_figures
from storage.outbox import enqueue
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
    """Owe today's digest to every digest channel that has not had it; safe on every replica.

    The run is claimed, the digest composed, written to the outbox and the run marked posted
    in one transaction: the channel is owed exactly one digest for the day, and the dispatcher
    delivers it (retrying while Slack refuses). Returns the digests this call queued (usually
    none: most ticks find nothing due or the run already claimed).
    """
    moment = now or services.clock()
    local_date = digest_date_due(services.settings, moment)
    if local_date is None:
        return []
    with session_scope(services.engine) as session:
        channels = digest_channels(session, settings=services.settings, now=moment)
    owed: list[PostedDigest] = []
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
            if run is None or run.id is None:
                continue
            message = compose_digest(
                session, settings=services.settings, channel=channel, now=moment
            )
            enqueue(
                session,
                kind="post",
                channel=channel,
                text=message.text,
                blocks=message.blocks,
                now=moment,
            )
            mark_digest_posted(session, run_id=run.id, owner=owner, now=moment)
        owed.append(PostedDigest(channel=channel, message_ts=None))
    if owed:
        deliver_owed(services)
    return owed
