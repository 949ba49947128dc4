"""Live ticket cards: post an article's thread once, then chat.update the cards on every change."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence

from slack_sdk.errors import SlackApiError
from sqlalchemy import select
from sqlmodel import Session, col

from bot.render.blocks import SlackMessage
from bot.render.thread import chunk_tickets, render_thread, render_thread_message
from bot.services import Services
from storage.articles import articles_by_ids, get_article, set_article_reply
from storage.db import session_scope
from storage.models import Article, Ticket
from storage.tickets import set_card, tickets_for_article

logger = logging.getLogger(__name__)


def post_thread(
    services: Services, *, article: Article, tickets: Sequence[Ticket], thread_ts: str
) -> str:
    """Post the header and cards under `thread_ts`, then remember where each card lives.

    Returns the ts of the first reply. Messages go out in order (Slack shows a thread in
    posting order); each batch of tickets records its message's ts so later changes update
    that message in place.

    A change can land between a message appearing in Slack and its ts being recorded (Claim
    pressed, or `/factcheck claim`, the moment the card shows): that change's refresh finds no
    card to update. So once the ts is committed, the message is rendered again from the
    database and updated if it differs. Either the change's refresh sees the ts, or this
    re-render sees the change: both read after their own commit.
    """
    assert article.id is not None
    first_ts = ""
    with session_scope(services.engine) as session:
        stored = get_article(session, article.id)  # the text the offsets index (a link's page)
    article_text = stored.text if stored is not None else article.text
    for chunk, message in render_thread(tickets, article_text=article_text):
        ts = post_in_thread(services, channel=article.channel, thread_ts=thread_ts, message=message)
        first_ts = first_ts or ts
        with session_scope(services.engine) as session:
            set_card(
                session, [t.id for t in chunk if t.id is not None], channel=article.channel, ts=ts
            )
            if ts == first_ts:
                set_article_reply(session, article_id=article.id, reply_ts=ts)
        _catch_up(services, chunk, channel=article.channel, ts=ts, posted=message)
    return first_ts


def _catch_up(
    services: Services,
    chunk: Sequence[Ticket],
    *,
    channel: str,
    ts: str,
    posted: SlackMessage,
) -> None:
    """chat.update the message just posted if its tickets changed before its ts was recorded."""
    with session_scope(services.engine) as session:
        updates = _card_updates(session, [t.id for t in chunk if t.id is not None])
    for home_channel, home_ts, message in updates:
        if (home_channel, home_ts) == (channel, ts) and message.blocks != posted.blocks:
            _update(services, home_channel, home_ts, message)


def post_in_thread(
    services: Services, *, channel: str, thread_ts: str, message: SlackMessage
) -> str:
    response = services.client.chat_postMessage(
        channel=channel,
        thread_ts=thread_ts,
        text=message.text,
        blocks=message.blocks,
        unfurl_links=False,
        unfurl_media=False,
    )
    return str(response["ts"])


def _card_updates(
    session: Session, ticket_ids: Iterable[int]
) -> list[tuple[str, str, SlackMessage]]:
    """(channel, ts, message) for every thread message showing one of `ticket_ids`, and headers."""
    ids = sorted(set(ticket_ids))
    if not ids:
        return []
    changed = list(session.scalars(select(Ticket).where(col(Ticket.id).in_(ids))))
    articles = articles_by_ids(session, sorted({t.article_id for t in changed}))
    updates: list[tuple[str, str, SlackMessage]] = []
    for article_id, article in articles.items():
        all_tickets = tickets_for_article(session, article_id)
        chunks = chunk_tickets(all_tickets)
        wanted = {t.id for t in changed if t.article_id == article_id}
        for part, chunk in enumerate(chunks, start=1):
            # Part 1 carries the header (progress), so it changes whenever any ticket does.
            if part != 1 and not wanted & {t.id for t in chunk}:
                continue
            homes = {(t.card_channel, t.card_ts) for t in chunk if t.card_channel and t.card_ts}
            if len(homes) != 1:
                continue  # not posted yet (intake in progress) or posted inconsistently: skip
            channel, ts = homes.pop()
            assert channel is not None
            assert ts is not None
            message = render_thread_message(
                chunk,
                all_tickets=all_tickets,
                part=part,
                parts=len(chunks),
                article_text=article.text,
            )
            updates.append((channel, ts, message))
    return updates


def refresh_ticket_cards(services: Services, ticket_ids: Iterable[int]) -> None:
    """Re-render, from the database, the thread messages showing these tickets: chat.update.

    Called after every committed change (button, command, modal, scheduler). Rendering reads
    the state as committed now, so of two racing refreshes the later one shows the later
    state. A failed update is logged and does not undo the change.
    """
    with session_scope(services.engine) as session:
        updates = _card_updates(session, ticket_ids)
    for channel, ts, message in updates:
        _update(services, channel, ts, message)


def _update(services: Services, channel: str, ts: str, message: SlackMessage) -> None:
    try:
        services.client.chat_update(
            channel=channel, ts=ts, text=message.text, blocks=message.blocks
        )
    except SlackApiError as error:
        logger.warning(
            "card update failed: channel=%s ts=%s error=%s",
            channel,
            ts,
            error.response.get("error"),
        )
