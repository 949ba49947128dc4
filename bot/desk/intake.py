"""Article intake: decide what is an article, claim it once, extract after the ack, post the thread."""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, Final

from slack_sdk.errors import SlackApiError

from bot.config import Settings
from bot.desk.cards import post_in_thread, post_thread
from bot.desk.offers import offer_drafts, post_offers
from bot.errors import UserError
from bot.extract import Extraction
from bot.extract.fetch import fetch_article
from bot.render.offers import render_nothing_filed
from bot.render.thread import render_fetch_failed, render_intake_failed, render_nothing_found
from bot.services import Services
from bot.user_input import find_links, without_links
from storage.articles import (
    claim_article_intake,
    get_article,
    mark_article_failed,
    set_article_reply,
    store_tickets,
)
from storage.db import session_scope
from storage.tickets import TicketDraft

logger = logging.getLogger(__name__)

WORKING_REACTION: Final = "eyes"
# A retry of the same message inside this window is a duplicate; after it, an intake still
# "processing" is taken to be abandoned (its process died) and one caller starts it again.
INTAKE_TAKEOVER_AFTER: Final = timedelta(minutes=10)
INTERNAL_FAILURE: Final = "something went wrong on our side; it has been logged"
# Link-only messages: once the links are removed, this little text remains at most.
LINK_MESSAGE_SLACK: Final = 200


@dataclass(frozen=True)
class ArticleMessage:
    """A Slack message offered as an article, from any surface."""

    team: str
    channel: str
    ts: str  # the message that is the article (the idempotency key with team and channel)
    thread_ts: str  # where the bot answers
    user: str | None
    text: str
    via: str  # message | shortcut | command | mention


@dataclass(frozen=True)
class IntakeResult:
    article_id: int
    created: bool  # False: a retry or duplicate delivery; nothing was done
    ticket_ids: tuple[int, ...] = ()
    failure: str | None = None


def is_watched(settings: Settings, channel: str) -> bool:
    return not settings.channels or channel in settings.channels


def is_article_event(settings: Settings, event: Mapping[str, Any]) -> bool:
    """A top-level, human, unedited message in a watched channel, long enough or holding a link."""
    if event.get("type") != "message" or event.get("subtype") or event.get("bot_id"):
        return False
    if event.get("thread_ts") not in (None, event.get("ts")):
        return False
    if event.get("channel_type") == "im" or not is_watched(settings, str(event.get("channel", ""))):
        return False
    text = str(event.get("text") or "")
    return len(text) >= settings.min_article_chars or bool(find_links(text))


def link_to_fetch(settings: Settings, text: str) -> str | None:
    """The link to read instead of the text, when the message is mostly a link."""
    links = find_links(text)
    if not links:
        return None
    rest = without_links(text)
    limit = min(settings.min_article_chars, LINK_MESSAGE_SLACK)
    return links[0] if len(rest) < limit else None


def drafts_of(extraction: Extraction) -> list[TicketDraft]:
    """The tickets to file: claims strongest first (only those the budget files), then quotes.

    Ticket ids follow this order and the thread shows cards by id, so a checker reads the
    claims that matter most first; quotes follow in the order they appear in the article.
    """
    claims = sorted((c for c in extraction.claims if c.ticket), key=lambda c: (-c.score, c.start))
    drafts = [TicketDraft("claim", c.text, c.start, c.end, score=c.score) for c in claims]
    drafts += [
        TicketDraft(
            "quote",
            q.text,
            q.start,
            q.end,
            q.speaker,
            q.speaker_title,
            q.score,
            speaker_kind=q.speaker_kind,
        )
        for q in sorted(extraction.quotes, key=lambda q: q.start)
    ]
    return drafts


def _react(services: Services, method: str, message: ArticleMessage) -> None:
    try:
        getattr(services.client, method)(
            channel=message.channel, timestamp=message.ts, name=WORKING_REACTION
        )
    except SlackApiError as error:  # already_reacted, no_reaction, message gone: cosmetic only
        logger.info(
            "%s failed on %s/%s: %s",
            method,
            message.channel,
            message.ts,
            error.response.get("error"),
        )


@dataclass(frozen=True)
class _Read:
    text: str
    title: str | None = None
    byline: str | None = None
    source_url: str | None = None


def _read(services: Services, message: ArticleMessage) -> _Read:
    """The article's text: the message itself, or the page its link points to.

    Raises UserError (a FetchError) with the reason when the page cannot be read.
    """
    url = link_to_fetch(services.settings, message.text)
    if url is None:
        return _Read(text=message.text)
    fetched = fetch_article(url, client=services.http, resolve=services.resolve)
    return _Read(
        text=fetched.text,
        title=fetched.title,
        byline=getattr(fetched, "byline", None),
        source_url=getattr(fetched, "url", None) or url,
    )


def ingest(services: Services, message: ArticleMessage) -> IntakeResult:
    """Turn one Slack message into tickets and a thread reply, exactly once.

    The intake row is claimed in its own short transaction first; a retried or duplicated
    delivery (Slack's X-Slack-Retry-Num, message + app_mention of one message, a second
    replica) finds it taken and returns `created=False` without reacting, extracting or
    posting. The winner reacts with :eyes:, extracts, stores the tickets in one transaction,
    posts the thread, and removes the reaction. A failure is recorded on the article and told
    in the thread with its reason.
    """
    now = services.clock()
    with session_scope(services.engine) as session:
        article, created = claim_article_intake(
            session,
            team=message.team,
            channel=message.channel,
            ts=message.ts,
            now=now,
            text=message.text,
            posted_by=message.user,
            stale_after=INTAKE_TAKEOVER_AFTER,
        )
    assert article.id is not None
    if not created:
        logger.info(
            "intake of %s/%s already taken (article %s)", message.channel, message.ts, article.id
        )
        return IntakeResult(article.id, created=False)
    started = time.perf_counter()
    _react(services, "reactions_add", message)
    try:
        read = _read(services, message)
        extraction = services.extractor.extract(read.text)
        with session_scope(services.engine) as session:
            tickets = store_tickets(
                session,
                article_id=article.id,
                drafts=drafts_of(extraction),
                now=services.clock(),
                offers=offer_drafts(extraction),
                text=read.text if read.text != message.text else None,
                title=read.title,
                byline=read.byline,
                source_url=read.source_url,
            )
        offered = len(offer_drafts(extraction))
        if tickets:
            post_thread(services, article=article, tickets=tickets, thread_ts=message.thread_ts)
        else:
            post_in_thread(
                services,
                channel=message.channel,
                thread_ts=message.thread_ts,
                message=render_nothing_filed(offered) if offered else render_nothing_found(),
            )
        post_offers(
            services, article_id=article.id, channel=message.channel, thread_ts=message.thread_ts
        )
        _remember_permalink(services, article.id, message)
        return IntakeResult(
            article.id, created=True, ticket_ids=tuple(t.id for t in tickets if t.id is not None)
        )
    except UserError as error:
        _fail(
            services,
            article.id,
            message,
            error.message,
            url=link_to_fetch(services.settings, message.text),
        )
        return IntakeResult(article.id, created=True, failure=error.message)
    except Exception:
        logger.exception(
            "intake failed: article=%s channel=%s ts=%s via=%s",
            article.id,
            message.channel,
            message.ts,
            message.via,
        )
        _fail(services, article.id, message, INTERNAL_FAILURE, url=None)
        return IntakeResult(article.id, created=True, failure=INTERNAL_FAILURE)
    finally:
        _react(services, "reactions_remove", message)
        logger.info(
            "intake of article %s took %.0f ms", article.id, (time.perf_counter() - started) * 1000
        )


def _fail(
    services: Services, article_id: int, message: ArticleMessage, reason: str, *, url: str | None
) -> None:
    with session_scope(services.engine) as session:
        mark_article_failed(session, article_id=article_id, reason=reason)
    answer = render_fetch_failed(url, reason) if url else render_intake_failed(reason)
    try:
        post_in_thread(
            services, channel=message.channel, thread_ts=message.thread_ts, message=answer
        )
    except SlackApiError:
        logger.exception("could not report the failure of article %s in its thread", article_id)


def _remember_permalink(services: Services, article_id: int, message: ArticleMessage) -> None:
    """The article's permalink, for the digest and the Home; cosmetic, so failures are logged."""
    try:
        link = services.client.chat_getPermalink(
            channel=message.channel, message_ts=message.ts
        ).get("permalink")
    except SlackApiError as error:
        logger.info("no permalink for article %s: %s", article_id, error.response.get("error"))
        return
    if link:
        with session_scope(services.engine) as session:
            article = get_article(session, article_id)
            if article is not None and article.reply_ts:
                set_article_reply(
                    session, article_id=article_id, reply_ts=article.reply_ts, permalink=str(link)
                )
