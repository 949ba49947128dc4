"""The dispatcher: deliver what the outbox says the desk owes Slack, until Slack has taken it.

Runs right after each request that wrote to the outbox (so a paste's thread appears as fast as
before) and on a clock (bot/scheduler.py), on every replica. Each pass leases the oldest
pending row of each conversation (storage/outbox.py), delivers it, and records the result:

- accepted: the row is done, and what the delivery learnt (a card's ts) is stored with it;
- refused for now (429, 5xx, a dropped connection, a timeout, any other error): the row is
  handed back with a backoff (Retry-After on 429) and its conversation waits behind it;
- refused for good (the channel or message is gone, the bot was removed): the row is failed
  with the reason and logged, so one dead conversation never blocks the others.

Thread cards and card updates are rendered from the database when they are delivered, so
they always show the ticket's current state, and several updates coalesce into one.

The one window where a message could repeat: Slack accepted a post, and the process died (or
lost its database, or the answer never came) before the commit recording it. No post repeats
even then: each carries its outbox id in Slack message metadata, and a row whose earlier
attempt may have reached Slack (`OutboxRow.maybe_posted`) is first looked for where it would
be: a thread message (cards, nudges, intake answers, the offers list) in its thread
(`conversations.replies`), a top-level post (the digest, an escalation sent to a channel) in
the channel's history since the row was written (`conversations.history`), a DM (an
escalation, the assignment notice) in the bot's DM with that person (`conversations.open`,
then its history). Found, the row is recorded with that message's ts and nothing is posted.
The weekly report is looked for in its channel's history too, by outbox id or by its chart's
file name (which carries the id). An app installed before it was asked for `im:history` and
`im:write` cannot read its DMs: such a DM is posted again, with a warning in the log. Card
updates (`chat.update`) and removing :eyes: may be applied twice, which nobody can see.

The weekly report's upload (files_upload_v2: files.getUploadURLExternal, the bytes to the
upload URL, files.completeUploadExternal) is three requests: a failure before the last leaves
an unshared file in the bot's own files, invisible to the channel, and the retry uploads anew.

Rows Slack took are kept FACTCHECK_OUTBOX_RETENTION_DAYS, then `prune_delivered` (on the
clock) deletes them in small batches; rows still owed or given up on are never deleted.
"""

from __future__ import annotations

import itertools
import json
import logging
import threading
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import partial
from typing import Any, Final

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session

from bot.desk.cards import card_updates, thread_part
from bot.render.blocks import SlackMessage
from bot.render.offers import render_offers
from bot.render.weekly import chart_alt_text, chart_filename, chart_title
from bot.render.weekly_chart import WeeklyChart, weekly_chart_png
from bot.services import Services
from storage.articles import get_article, set_article_reply
from storage.db import outage_line, session_scope
from storage.offers import offers_for_article, set_offers_message
from storage.outbox import (
    UNCERTAIN,
    OutboxRow,
    lease_card_updates,
    lease_heads,
    mark_failed,
    mark_retry,
    mark_sent,
    prune_sent,
    retry_error,
)
from storage.tickets import set_card
from storage.weekly_reports import report_for_outbox

logger = logging.getLogger(__name__)

#: Slack answers meaning this message can never be delivered: give up on the row.
PERMANENT_ERRORS: Final = frozenset(
    {
        "channel_not_found",
        "not_in_channel",
        "is_archived",
        "message_not_found",
        "cant_update_message",
        "thread_not_found",
        "invalid_blocks",
        "invalid_blocks_format",
        "msg_too_long",
        "no_text",
        "invalid_arguments",
        "user_not_found",
        "cannot_dm_bot",
        "user_disabled",
        "no_reaction",
        "restricted_action",
    }
)
#: Slack answers meaning this workspace takes no file from the bot (uploads off, the app not
#: reinstalled with files:write...): the weekly report goes as text alone instead.
FILES_REFUSED: Final = frozenset(
    {
        "missing_scope",
        "not_allowed_token_type",
        "file_uploads_disabled",
        "file_uploads_except_images_disabled",
        "file_type_not_allowed",
        "file_upload_size_restricted",
        "storage_limit_reached",
        "access_denied",
    }
)
#: Slack answers meaning the bot may not read the conversation where an earlier attempt would
#: be (an app installed before im:history and im:write were asked for): the row is posted
#: again, as before the look existed, rather than never.
LOOKUP_REFUSED: Final = frozenset(
    {
        "missing_scope",
        "not_allowed_token_type",
        "no_permission",
        "access_denied",
        "method_not_supported_for_channel_type",
    }
)
LOOKUP_REFUSED_LOG: Final = (
    "outbox row %s (%s to %s): Slack does not let the bot read that conversation (%s), so it "
    "cannot tell whether its earlier attempt was posted; posting it again. Reinstall the app "
    "from `factcheck manifest` to grant im:history and im:write"
)
#: How a user's id starts (a DM owed to a person); channels start with C, G or D.
USER_ID_PREFIXES: Final = ("U", "W")
MAX_BACKOFF: Final = timedelta(minutes=5)
BATCH: Final = 50
#: A pass stops leasing new rows after this long; the clock picks up what is left.
PASS_BUDGET: Final = timedelta(seconds=20)
#: Sent rows deleted per transaction, and at most this many transactions per pruning run:
#: each holds its locks briefly, and a backlog is finished by the next runs.
PRUNE_BATCH: Final = 500
PRUNE_BATCHES: Final = 20
#: How far before a row was written its earlier attempt's message is looked for (clock skew).
HISTORY_MARGIN: Final = timedelta(minutes=10)
DELIVERY_STOPPED: Final = "outbox pass by %s stopped, database unavailable (%s); the clock retries"
METADATA_EVENT: Final = "factcheck_outbox"
WORKING_REACTION: Final = "eyes"
_owner_numbers = itertools.count(1)
_owner_lock = threading.Lock()


def _owner(services: Services) -> str:
    with _owner_lock:
        number = next(_owner_numbers)
    return f"{services.replica}-d{number}"


class Refused(Exception):
    """Slack said no to one delivery; `until` is when to try again (None: never)."""

    def __init__(self, error: str, *, until: datetime | None) -> None:
        super().__init__(error)
        self.error = error
        self.until = until


@dataclass
class DeliveryReport:
    """What one pass did, for logs and tests."""

    sent: int = 0
    retried: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class _Done:
    """A delivery Slack accepted: the ts it gave, and what to record with the row."""

    ts: str | None = None
    record: Callable[[Session], None] | None = None


def deliver_owed(services: Services, *, budget: timedelta = PASS_BUDGET) -> DeliveryReport:
    """Deliver every row that is due, conversation by conversation, until none is left.

    Safe to call from any thread and replica at once. Never raises for Slack or the
    database being unreachable: what is not delivered now stays owed.
    """
    report = DeliveryReport()
    owner = _owner(services)
    started = services.clock()
    settings = services.settings
    lease = timedelta(seconds=settings.outbox_lease_seconds)
    try:
        while services.clock() - started < budget:
            with session_scope(services.engine) as session:
                rows = lease_heads(
                    session, owner=owner, now=services.clock(), lease=lease, limit=BATCH
                )
            if not rows:
                break
            for row in rows:
                _deliver_one(services, row, owner=owner, lease=lease, report=report)
    except DBAPIError as error:  # an outage, not a bug: one line; what is owed stays owed
        logger.warning(DELIVERY_STOPPED, owner, outage_line(error))
    except Exception:
        logger.exception("outbox pass by %s stopped; the clock retries", owner)
    return report


def prune_delivered(
    services: Services, *, batch: int = PRUNE_BATCH, batches: int = PRUNE_BATCHES
) -> int:
    """Delete rows Slack took more than FACTCHECK_OUTBOX_RETENTION_DAYS ago; how many went.

    Each batch is its own short transaction (storage.outbox.prune_sent says why it is safe on
    any number of replicas at once); a run stops after `batches`, the next run goes on.
    """
    retention = timedelta(days=services.settings.outbox_retention_days)
    pruned = 0
    for _ in range(batches):
        with session_scope(services.engine) as session:
            gone = prune_sent(session, sent_before=services.clock() - retention, limit=batch)
        pruned += gone
        if gone < batch:
            break
    if pruned:
        days = services.settings.outbox_retention_days
        logger.info("outbox: deleted %d messages Slack took over %g days ago", pruned, days)
    return pruned


def _deliver_one(
    services: Services, row: OutboxRow, *, owner: str, lease: timedelta, report: DeliveryReport
) -> None:
    ids = [row.id]
    try:
        if row.kind == "card":
            assert row.article_id is not None
            with session_scope(services.engine) as session:
                more = lease_card_updates(
                    session,
                    article_id=row.article_id,
                    channel=row.channel,
                    owner=owner,
                    now=services.clock(),
                    lease=lease,
                )
            ids += [r.id for r in more]
            ticket_ids = {r.ticket_id for r in (row, *more) if r.ticket_id is not None}
            done = _update_cards(services, row.article_id, ticket_ids, row.attempts)
        else:
            done = _DELIVERERS[row.kind](services, row)
    except Refused as refusal:
        _hand_back(services, row, ids, owner=owner, refusal=refusal, report=report)
        return
    except Exception as error:  # a dropped connection, a timeout: Slack may have taken it
        logger.warning(
            "outbox row %s (%s to %s) not delivered: %s; retrying",
            row.id,
            row.kind,
            row.channel,
            type(error).__name__,
            exc_info=not isinstance(error, OSError | DBAPIError),
        )
        until = services.clock() + _backoff(services, row.attempts)
        _hand_back(
            services, row, ids, owner=owner, refusal=Refused(UNCERTAIN, until=until), report=report
        )
        return
    with session_scope(services.engine) as session:
        if done.record is not None:
            done.record(session)
        mark_sent(session, ids=ids, owner=owner, now=services.clock(), message_ts=done.ts)
    report.sent += len(ids)


def _hand_back(
    services: Services,
    row: OutboxRow,
    ids: list[int],
    *,
    owner: str,
    refusal: Refused,
    report: DeliveryReport,
) -> None:
    report.errors.append(refusal.error)
    with session_scope(services.engine) as session:
        if refusal.until is None:
            logger.error(
                "outbox row %s (%s to %s) given up: Slack said %s",
                row.id,
                row.kind,
                row.channel,
                refusal.error,
            )
            mark_failed(session, ids=ids, owner=owner, error=refusal.error)
            report.failed += len(ids)
        else:
            error = retry_error(row, refusal.error)
            mark_retry(session, ids=ids, owner=owner, at=refusal.until, error=error)
            report.retried += len(ids)


def _backoff(services: Services, attempts: int) -> timedelta:
    first = timedelta(seconds=services.settings.outbox_retry_seconds)
    wait: timedelta = first * (2 ** min(max(0, attempts - 1), 16))
    return min(wait, MAX_BACKOFF)


def _call(services: Services, attempts: int, method: str, **args: Any) -> dict[str, Any]:
    """One Web API call; a refusal becomes `Refused` (retry time, or None when permanent)."""
    client: WebClient = services.delivery_client
    try:
        response = getattr(client, method)(**args)
    except SlackApiError as error:
        code = str(error.response.get("error") or error.response.status_code)
        now = services.clock()
        if error.response.status_code == 429:
            wait = error.response.headers.get("Retry-After") or error.response.headers.get(
                "retry-after"
            )
            seconds = float(wait) if wait else services.settings.outbox_retry_seconds
            raise Refused(code, until=now + timedelta(seconds=seconds)) from None
        if code in PERMANENT_ERRORS:
            raise Refused(code, until=None) from None
        raise Refused(code, until=now + _backoff(services, attempts)) from None
    return dict(response.data) if isinstance(response.data, dict) else {}


def _update(
    services: Services, attempts: int, channel: str, ts: str, message: SlackMessage
) -> None:
    _call(
        services,
        attempts,
        "chat_update",
        channel=channel,
        ts=ts,
        text=message.text,
        blocks=message.blocks,
    )


def _metadata(row: OutboxRow) -> dict[str, Any]:
    return {"event_type": METADATA_EVENT, "event_payload": {"outbox_id": row.id}}


def _already_in_thread(services: Services, row: OutboxRow) -> str | None:
    """The ts of this row's message in its thread, if an earlier attempt did post it."""
    if not row.maybe_posted or row.thread_ts is None:
        return None
    cursor: str | None = None
    while True:
        page = _call(
            services,
            row.attempts,
            "conversations_replies",
            channel=row.channel,
            ts=row.thread_ts,
            include_all_metadata=True,
            limit=200,
            cursor=cursor,
        )
        for message in page.get("messages") or []:
            payload = (message.get("metadata") or {}).get("event_payload") or {}
            if payload.get("outbox_id") == row.id:
                return str(message["ts"])
        cursor = (page.get("response_metadata") or {}).get("next_cursor") or None
        if not cursor:
            return None


def _post(services: Services, row: OutboxRow, message: SlackMessage) -> str:
    """Post the row's message, unless an earlier attempt did: then that message's ts."""
    if row.thread_ts is not None:
        found = _already_in_thread(services, row)
    else:
        found = _already_in_channel(services, row)
    if found is not None:
        logger.info("outbox row %s was already posted as %s; not posting again", row.id, found)
        return found
    return _post_new(services, row, message)


def _post_new(services: Services, row: OutboxRow, message: SlackMessage) -> str:
    """Post the row's message, its outbox id in the metadata; no look for an earlier one."""
    extra: dict[str, Any] = {"thread_ts": row.thread_ts} if row.thread_ts else {}
    if message.blocks:
        extra["blocks"] = message.blocks
    response = _call(
        services,
        row.attempts,
        "chat_postMessage",
        channel=row.channel,
        text=message.text,
        metadata=_metadata(row),
        unfurl_links=False,
        unfurl_media=False,
        **extra,
    )
    return str(response.get("ts") or "")


def _deliver_thread(services: Services, row: OutboxRow) -> _Done:
    """One part of an article's thread, rendered now; its ts recorded on its tickets.

    A part already in the thread (a ticket filed later joins it) is updated in place.
    """
    assert row.article_id is not None
    assert row.part is not None
    with session_scope(services.engine) as session:
        part = thread_part(session, row.article_id, row.part)
        article = get_article(session, row.article_id)
    if part is None or article is None:
        return _Done()  # already posted, or nothing to show
    if part.home is not None:
        channel, ts = part.home
        _update(services, row.attempts, channel, ts, part.message)
    else:
        channel, ts = row.channel, _post(services, row, part.message)
    article_id, ticket_ids = row.article_id, part.ticket_ids
    first = row.part == 1 and part.home is None
    permalink = fetch_permalink(services, channel, article.ts) if first else None

    def record(session: Session) -> None:
        set_card(session, ticket_ids, channel=channel, ts=ts)
        if first:
            set_article_reply(session, article_id=article_id, reply_ts=ts, permalink=permalink)

    return _Done(ts=ts, record=record)


def _deliver_offers(services: Services, row: OutboxRow) -> _Done:
    """The "Also worth a look" list as it stands now: posted once, then updated in place."""
    assert row.article_id is not None
    with session_scope(services.engine) as session:
        offers = offers_for_article(session, row.article_id)
    if not offers:
        return _Done()
    message = render_offers(offers)
    channel, ts = offers[0].message_channel, offers[0].message_ts
    if channel is not None and ts is not None:
        _update(services, row.attempts, channel, ts, message)
        return _Done()
    posted = _post(services, row, message)
    article_id, where = row.article_id, row.channel

    def record(session: Session) -> None:
        set_offers_message(session, article_id=article_id, channel=where, ts=posted)

    return _Done(ts=posted, record=record)


def fetch_permalink(services: Services, channel: str, ts: str) -> str | None:
    """The article's permalink, for the digest, the Home and a re-paste's answer; cosmetic, so
    failures are logged."""
    try:
        link = services.delivery_client.chat_getPermalink(channel=channel, message_ts=ts)
    except Exception as error:
        logger.info("no permalink for %s/%s: %s", channel, ts, error)
        return None
    value = link.get("permalink")
    return str(value) if value else None


def _update_cards(
    services: Services, article_id: int, ticket_ids: set[int], attempts: int
) -> _Done:
    with session_scope(services.engine) as session:
        updates = card_updates(session, article_id, ticket_ids)
    for channel, ts, message in updates:
        try:
            _update(services, attempts, channel, ts, message)
        except Refused as refusal:
            if refusal.until is not None:
                raise
            logger.warning("card %s/%s cannot be updated: %s", channel, ts, refusal.error)
    return _Done()


def _deliver_post(services: Services, row: OutboxRow) -> _Done:
    message = SlackMessage(text=row.text or "", blocks=list(row.blocks or []))
    return _Done(ts=_post(services, row, message))


def _deliver_unreact(services: Services, row: OutboxRow) -> _Done:
    assert row.thread_ts is not None
    try:
        _call(
            services,
            row.attempts,
            "reactions_remove",
            channel=row.channel,
            timestamp=row.thread_ts,
            name=WORKING_REACTION,
        )
    except Refused as refusal:
        if refusal.until is not None:
            raise
    return _Done()


def _already_in_channel(
    services: Services, row: OutboxRow, filename: str | None = None
) -> str | None:
    """The ts of this row's top-level message or DM, if an earlier attempt did post it.

    Looks through the conversation's history since the row was written (a DM: the bot's DM
    with that person) for a message carrying the row's outbox id in its metadata, or sharing a
    file named `filename`. Only when the earlier attempt may have reached Slack: a row posted
    at the first try costs no extra call. Raises `Refused` as `_call` does, except when Slack
    does not let the bot read the conversation: then it is logged and None returned (post).
    """
    if not row.maybe_posted:
        return None
    try:
        return _find_in_history(services, row, filename)
    except Refused as refusal:
        if refusal.error not in LOOKUP_REFUSED:
            raise
        logger.warning(LOOKUP_REFUSED_LOG, row.id, row.kind, row.channel, refusal.error)
        return None


def _conversation_of(services: Services, row: OutboxRow) -> str:
    """The id whose history holds the row's messages: a person's id stands for the bot's DM
    with them, whose `D` id only Slack knows (conversations.open hands it out)."""
    if not row.channel.startswith(USER_ID_PREFIXES):
        return row.channel
    opened = _call(services, row.attempts, "conversations_open", users=row.channel)
    return str((opened.get("channel") or {}).get("id") or row.channel)


def history_since(
    call: Callable[..., Mapping[str, Any]], channel: str, since: datetime | None
) -> Iterator[dict[str, Any]]:
    """The conversation's messages since `since` (all when None), with their metadata, page by
    page as they are read: where an earlier attempt's message is looked for. `call(method,
    **args)` makes the Web API call (the caller's retry and refusal rules)."""
    cursor: str | None = None
    while True:
        page = call(
            "conversations_history",
            channel=channel,
            oldest=f"{since.timestamp():.6f}" if since is not None else None,
            include_all_metadata=True,
            limit=200,
            cursor=cursor,
        )
        yield from page.get("messages") or []
        cursor = (page.get("response_metadata") or {}).get("next_cursor") or None
        if not cursor:
            return


def _find_in_history(services: Services, row: OutboxRow, filename: str | None) -> str | None:
    channel = _conversation_of(services, row)
    since = row.created_at - HISTORY_MARGIN if row.created_at is not None else None
    for message in history_since(partial(_call, services, row.attempts), channel, since):
        payload = (message.get("metadata") or {}).get("event_payload") or {}
        names = [str(shared.get("name")) for shared in message.get("files") or []]
        if payload.get("outbox_id") == row.id or (filename is not None and filename in names):
            return str(message["ts"])
    return None


def _deliver_weekly_report(services: Services, row: OutboxRow) -> _Done:
    """The weekly report, its chart drawn now and shared with it in one message.

    Without a chart (no matplotlib, or drawing failed: logged once) the report goes as text.
    """
    with session_scope(services.engine) as session:
        run = report_for_outbox(session, row.id)
        week_start, figures = (run.week_start, run.chart) if run is not None else (None, None)
    message = SlackMessage(text=row.text or "", blocks=list(row.blocks or []))
    if week_start is None:
        return _Done(ts=_post(services, row, message))
    filename = chart_filename(week_start, delivery=row.id)
    found = _already_in_channel(services, row, filename)
    if found is not None:
        logger.info("weekly report %s was already posted as %s; not again", row.id, found)
        return _Done(ts=found)
    png = weekly_chart_png(WeeklyChart.from_json(figures)) if figures else None
    if png is None:
        return _Done(ts=_post_new(services, row, message))
    try:
        # files_upload_v2 takes no text: the blocks show the report, the file title the chart.
        _call(
            services,
            row.attempts,
            "files_upload_v2",
            channel=row.channel,
            file=png,
            filename=filename,
            title=chart_title(week_start),
            alt_txt=chart_alt_text(week_start),
            blocks=json.dumps(message.blocks),
        )
    except Refused as refusal:
        if refusal.error not in FILES_REFUSED:
            raise
        logger.warning(
            "Slack took no chart for the weekly report in %s (%s); sending it as text alone",
            row.channel,
            refusal.error,
        )
        return _Done(ts=_post_new(services, row, message))
    return _Done()


_DELIVERERS: Final[dict[str, Callable[[Services, OutboxRow], _Done]]] = {
    "thread": _deliver_thread,
    "post": _deliver_post,
    "offers": _deliver_offers,
    "unreact": _deliver_unreact,
    "weekly_report": _deliver_weekly_report,
}
