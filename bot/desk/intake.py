"""Article intake: decide what is an article, claim it once, extract after the ack, post the thread."""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Final

from sqlalchemy.exc import DBAPIError
from sqlmodel import Session

from bot.config import Settings
from bot.desk.cards import thread_parts
from bot.desk.meaning import add_meaning
from bot.desk.offers import offer_drafts
from bot.errors import UserError
from bot.extract import Extraction
from bot.extract.fetch import fetch_article
from bot.match.desk import content_key, match_drafts, remember_tickets
from bot.outbox import WORKING_REACTION, deliver_owed, fetch_permalink
from bot.render.blocks import SlackMessage
from bot.render.earlier import render_repaste, render_revision
from bot.render.offers import render_nothing_filed
from bot.render.thread import (
    render_fetch_failed,
    render_intake_failed,
    render_nothing_found,
)
from bot.services import Services
from bot.user_input import find_links, without_links
from storage.articles import (
    claim_article_intake,
    get_article,
    mark_article_failed,
    stalled_intakes,
    store_tickets_once,
)
from storage.db import session_scope
from storage.matching import find_repaste
from storage.outbox import enqueue, enqueue_offers, enqueue_thread, enqueue_unreact
from storage.tickets import TicketDraft, tickets_for_article

logger = logging.getLogger(__name__)

# Asked for by a person: these start a failed intake again (a link that could not be read).
RERUN_VIA: Final = frozenset({"shortcut", "command"})
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
    status: str = "processing"  # when not created: the intake state found


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
    except Exception as error:  # already_reacted, message gone, Slack unreachable: cosmetic
        logger.info("%s failed on %s/%s: %s", method, message.channel, message.ts, error)


@dataclass(frozen=True)
class _Read:
    text: str
    title: str | None = None
    byline: str | None = None
    source_url: str | None = None


def read_article(services: Services, message: ArticleMessage) -> _Read:
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
    """Turn one Slack message into tickets and a thread reply, exactly once; a resumable job.

    The intake row is claimed in its own short transaction first, with a lease of
    FACTCHECK_INTAKE_LEASE_SECONDS. A retried or duplicated delivery (Slack's
    X-Slack-Retry-Num, message + app_mention of one message, a second replica) finds it taken
    and returns `created=False` without reacting, extracting or posting; once the lease has
    run out (the process died), the next caller (a Slack retry, the shortcut, another
    replica's `resume_stalled_intakes`) takes it over and finishes it. The shortcut and
    `/factcheck ingest` also start a failed intake again.

    The winner reacts with :eyes:, extracts, and stores the tickets together with the thread
    it owes Slack (outbox rows: the card messages, then removing :eyes:) in one
    transaction, then delivers them at once. A failure is recorded the same way, with its
    reason owed to the thread.
    """
    lease = timedelta(seconds=services.settings.intake_lease_seconds)
    with session_scope(services.engine) as session:
        article, created = claim_article_intake(
            session,
            team=message.team,
            channel=message.channel,
            ts=message.ts,
            now=services.clock(),
            text=message.text,
            posted_by=message.user,
            thread_ts=message.thread_ts,
            stale_after=lease,
            retry_failed=message.via in RERUN_VIA,
        )
    assert article.id is not None
    if not created:
        logger.info(
            "intake of %s/%s already taken (article %s, %s)",
            message.channel,
            message.ts,
            article.id,
            article.intake_status,
        )
        return IntakeResult(article.id, created=False, status=article.intake_status)
    started = time.perf_counter()
    _react(services, "reactions_add", message)
    try:
        result = _extract_and_store(services, article.id, message)
    except UserError as error:
        result = _fail(
            services,
            article.id,
            message,
            error.message,
            url=link_to_fetch(services.settings, message.text),
        )
    except Exception as error:
        if isinstance(error, DBAPIError):
            raise  # the database is gone: the lease runs out and the intake is resumed
        logger.exception(
            "intake failed: article=%s channel=%s ts=%s via=%s",
            article.id,
            message.channel,
            message.ts,
            message.via,
        )
        result = _fail(services, article.id, message, INTERNAL_FAILURE, url=None)
    deliver_owed(services)
    if result.ticket_ids:
        add_meaning(services, article.id)
    logger.info(
        "intake of article %s took %.0f ms", article.id, (time.perf_counter() - started) * 1000
    )
    return result


def _extract_and_store(
    services: Services, article_id: int, message: ArticleMessage
) -> IntakeResult:
    """Read, extract, then store the tickets and the thread they owe Slack in one transaction."""
    read = read_article(services, message)
    key = content_key(read.text)
    if _answer_repaste(services, article_id, message, read, key):
        return IntakeResult(article_id, created=True)
    extraction = services.extractor.extract(read.text)
    now = services.clock()
    offers = offer_drafts(extraction)
    with session_scope(services.engine) as session:
        plan = match_drafts(
            session, services.matcher, team=message.team, drafts=drafts_of(extraction)
        )
        tickets = store_tickets_once(
            session,
            article_id=article_id,
            drafts=plan.drafts,
            now=now,
            offers=offers,
            text=read.text if read.text != message.text else None,
            title=read.title,
            byline=read.byline,
            source_url=read.source_url,
            content_key=key,
        )
        if tickets is None:  # another process finished it while this one was reading
            return IntakeResult(article_id, created=False, status="ready")
        remember_tickets(session, plan, team=message.team, tickets=tickets, now=now)
        channel, thread_ts = message.channel, message.thread_ts
        if plan.revised_from is not None:
            revised = render_revision(plan.matched, get_article(session, plan.revised_from))
            _owe_reply(session, article_id, message, revised, now=now)
        if tickets:
            parts = range(1, thread_parts(tickets) + 1)
            enqueue_thread(
                session,
                article_id=article_id,
                channel=channel,
                thread_ts=thread_ts,
                parts=parts,
                now=now,
            )
        else:
            reply = render_nothing_filed(len(offers)) if offers else render_nothing_found()
            _owe_reply(session, article_id, message, reply, now=now)
        if offers:
            enqueue_offers(
                session, article_id=article_id, channel=channel, thread_ts=thread_ts, now=now
            )
        enqueue_unreact(
            session, channel=message.channel, ts=message.ts, article_id=article_id, now=now
        )
    return IntakeResult(
        article_id, created=True, ticket_ids=tuple(t.id for t in tickets if t.id is not None)
    )


def _answer_repaste(
    services: Services, article_id: int, message: ArticleMessage, read: _Read, key: str | None
) -> bool:
    """The same article again (same words or link): file nothing, point to the first thread."""
    with session_scope(services.engine) as session:
        earlier = find_repaste(
            session,
            team=message.team,
            content_key=key,
            source_url=read.source_url,
            article_id=article_id,
        )
        if earlier is None or earlier.id is None:
            return False
        now = services.clock()
        done = store_tickets_once(
            session,
            article_id=article_id,
            drafts=[],
            now=now,
            text=read.text if read.text != message.text else None,
            title=read.title,
            source_url=read.source_url,
            content_key=key,
        )
        if done is None:  # another process finished it meanwhile
            return True
        filed = tickets_for_article(session, earlier.id)
        # The first thread's permalink is recorded once its cards are out; a paste right after
        # may come first, so ask Slack for it rather than leave the answer without a link.
        first = earlier.permalink or fetch_permalink(services, earlier.channel, earlier.ts)
        answer = render_repaste(earlier, filed, permalink=first)
        _owe_reply(session, article_id, message, answer, now=now)
        enqueue_unreact(
            session, channel=message.channel, ts=message.ts, article_id=article_id, now=now
        )
    logger.info("article %s repeats article %s: nothing filed", article_id, earlier.id)
    return True


def _owe_reply(
    session: Session,
    article_id: int,
    message: ArticleMessage,
    reply: SlackMessage,
    *,
    now: datetime,
) -> None:
    """One answer in the article's thread, owed in this transaction."""
    enqueue(
        session,
        kind="post",
        channel=message.channel,
        thread_ts=message.thread_ts,
        article_id=article_id,
        text=reply.text,
        blocks=reply.blocks,
        now=now,
    )


def _fail(
    services: Services, article_id: int, message: ArticleMessage, reason: str, *, url: str | None
) -> IntakeResult:
    answer = render_fetch_failed(url, reason) if url else render_intake_failed(reason)
    with session_scope(services.engine) as session:
        if mark_article_failed(session, article_id=article_id, reason=reason):
            now = services.clock()
            _owe_reply(session, article_id, message, answer, now=now)
            enqueue_unreact(
                session, channel=message.channel, ts=message.ts, article_id=article_id, now=now
            )
    return IntakeResult(article_id, created=True, failure=reason)


def resume_stalled_intakes(services: Services) -> int:
    """Finish intakes whose process died (their lease ran out); how many this call took over."""
    lease = timedelta(seconds=services.settings.intake_lease_seconds)
    with session_scope(services.engine) as session:
        stalled = stalled_intakes(session, now=services.clock(), stale_after=lease)
    taken = 0
    for article in stalled:
        logger.info(
            "resuming the intake of article %s (%s/%s)", article.id, article.channel, article.ts
        )
        result = ingest(
            services,
            ArticleMessage(
                team=article.team,
                channel=article.channel,
                ts=article.ts,
                thread_ts=article.thread_ts or article.ts,
                user=article.posted_by,
                text=article.text,
                via="resume",
            ),
        )
        taken += result.created
    return taken
