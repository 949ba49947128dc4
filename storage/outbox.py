"""The outbox: messages owed to Slack, recorded with the change that owes them, leased to deliver.

Written in the same transaction as the change (tickets stored, a ticket claimed, a nudge won),
so a message is owed exactly when the change committed: a crash or a Slack outage afterwards
only delays it. `lease_heads` hands each dispatcher the oldest pending row of conversations
nobody else is delivering to (`FOR UPDATE SKIP LOCKED` on PostgreSQL, the single write lock on
SQLite), so rows of one conversation go out in the order they were written, on any replica.
`prune_sent` forgets what Slack took long ago; nothing pending or failed is ever deleted.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Final

from sqlalchemy import case, delete, func, or_, select, update
from sqlmodel import Session, col

from storage.db import insert_ignore
from storage.models import SlackOutbox

# last_error of an attempt whose outcome is unknown (the connection dropped, the process died):
# Slack may have posted it, so the next attempt looks for it first. Sticky: a later refusal of
# such a row is kept as "uncertain: <error>", since its first message may still be out there.
UNCERTAIN: Final = "uncertain"
_ERROR_CHARS: Final = 200


@dataclass(frozen=True)
class OutboxRow:
    """A leased row, as the dispatcher needs it."""

    id: int
    kind: str
    channel: str
    thread_ts: str | None
    article_id: int | None
    part: int | None
    ticket_id: int | None
    text: str | None
    blocks: list[Any] | None
    attempts: int
    last_error: str | None
    created_at: datetime | None = None

    @property
    def maybe_posted(self) -> bool:
        """An earlier attempt may have reached Slack: it died, or its answer never came.

        Stays true through later refusals (`retry_error`) until the row is done."""
        if self.attempts <= 1:
            return False
        error = self.last_error
        return error is None or error == UNCERTAIN or error.startswith(f"{UNCERTAIN}: ")


def retry_error(row: OutboxRow, error: str) -> str:
    """The last_error to keep for a retry of `row`: a row that may already have been posted
    stays uncertain, whatever refused this attempt (a 429 on the look for it, say)."""
    if error == UNCERTAIN or not row.maybe_posted:
        return error
    return f"{UNCERTAIN}: {error}"


def enqueue(
    session: Session,
    *,
    kind: str,
    channel: str,
    now: datetime,
    thread_ts: str | None = None,
    article_id: int | None = None,
    part: int | None = None,
    ticket_id: int | None = None,
    text: str | None = None,
    blocks: Sequence[Any] | None = None,
    pending_key: str | None = None,
) -> int | None:
    """Owe Slack one message; the row id, or None when a row with `pending_key` still waits."""
    values: dict[str, Any] = {
        "kind": kind,
        "channel": channel,
        "thread_ts": thread_ts,
        "article_id": article_id,
        "part": part,
        "ticket_id": ticket_id,
        "text": text,
        "blocks": list(blocks) if blocks is not None else None,
        "pending_key": pending_key,
        "status": "pending",
        "attempts": 0,
        "next_attempt_at": now,
        "created_at": now,
    }
    new_id = session.scalar(
        insert_ignore(session, SlackOutbox, conflict=["pending_key"])
        .values(values)
        .returning(col(SlackOutbox.id))
    )
    return None if new_id is None else int(new_id)


def enqueue_thread(
    session: Session,
    *,
    article_id: int,
    channel: str,
    thread_ts: str,
    parts: Sequence[int],
    now: datetime,
) -> None:
    """These parts of the article's thread: card messages, rendered when they are delivered."""
    for part in parts:
        enqueue(
            session,
            kind="thread",
            channel=channel,
            thread_ts=thread_ts,
            article_id=article_id,
            part=part,
            now=now,
        )


def enqueue_offers(
    session: Session, *, article_id: int, channel: str, thread_ts: str, now: datetime
) -> None:
    """The article's "Also worth a look" list, posted or brought up to date; coalesces."""
    enqueue(
        session,
        kind="offers",
        channel=channel,
        thread_ts=thread_ts,
        article_id=article_id,
        pending_key=f"offers:{article_id}",
        now=now,
    )


def enqueue_unreact(
    session: Session, *, channel: str, ts: str, article_id: int | None, now: datetime
) -> None:
    enqueue(session, kind="unreact", channel=channel, thread_ts=ts, article_id=article_id, now=now)


def enqueue_card_update(
    session: Session, *, article_id: int, channel: str, ticket_id: int, now: datetime
) -> None:
    """The ticket's card (and its article's header) must show the state just committed.

    Coalesces: while an update for the same ticket waits, nothing is added, since the
    dispatcher renders the state current when it delivers.
    """
    enqueue(
        session,
        kind="card",
        channel=channel,
        article_id=article_id,
        ticket_id=ticket_id,
        pending_key=f"card:{ticket_id}",
        now=now,
    )


_ROW_COLUMNS: Final = (
    col(SlackOutbox.id),
    col(SlackOutbox.kind),
    col(SlackOutbox.channel),
    col(SlackOutbox.thread_ts),
    col(SlackOutbox.article_id),
    col(SlackOutbox.part),
    col(SlackOutbox.ticket_id),
    col(SlackOutbox.text),
    col(SlackOutbox.blocks),
    col(SlackOutbox.attempts),
    col(SlackOutbox.last_error),
    col(SlackOutbox.created_at),
)


def _leased_by(owner: str, *, now: datetime, lease: timedelta) -> dict[str, Any]:
    """A lease counts an attempt and frees `pending_key`: a change committed from now on owes
    a new row (this delivery may render the state from before it).

    A row still naming a lease owner was abandoned mid-delivery (every outcome clears the
    owner): its process died, perhaps after Slack took the message, so it becomes UNCERTAIN
    whatever an attempt before that one said (SET reads the row's values from before the
    UPDATE, on SQLite and PostgreSQL alike).
    """
    return {
        "lease_owner": owner,
        "lease_until": now + lease,
        "attempts": col(SlackOutbox.attempts) + 1,
        "pending_key": None,
        "last_error": case(
            (col(SlackOutbox.lease_owner).is_not(None), UNCERTAIN),
            else_=col(SlackOutbox.last_error),
        ),
    }


def _free(now: datetime) -> Any:
    return or_(col(SlackOutbox.lease_until).is_(None), col(SlackOutbox.lease_until) <= now)


def lease_heads(
    session: Session, *, owner: str, now: datetime, lease: timedelta, limit: int
) -> list[OutboxRow]:
    """Lease the oldest pending row of up to `limit` conversations; commit before sending.

    A conversation whose oldest row is leased, or waiting for its retry time, gives nothing:
    its later rows wait behind it, which is what keeps a thread in order. Leasing counts an
    attempt and frees the row's `pending_key`, so a change committed from now on owes a new
    update (this one may already have rendered the older state).
    """
    heads = (
        select(func.min(col(SlackOutbox.id)))
        .where(col(SlackOutbox.status) == "pending")
        .group_by(col(SlackOutbox.channel))
    )
    candidates = (
        select(col(SlackOutbox.id))
        .where(
            col(SlackOutbox.id).in_(heads.scalar_subquery()),
            col(SlackOutbox.next_attempt_at) <= now,
            _free(now),
        )
        .order_by(col(SlackOutbox.id))
        .limit(limit)
    )
    if session.get_bind().dialect.name == "postgresql":
        candidates = candidates.with_for_update(skip_locked=True)
    rows = session.execute(
        update(SlackOutbox)
        .where(col(SlackOutbox.id).in_(candidates.scalar_subquery()))
        .values(_leased_by(owner, now=now, lease=lease))
        .returning(*_ROW_COLUMNS)
        .execution_options(synchronize_session=False)
    )
    return sorted((OutboxRow(*row) for row in rows), key=lambda r: r.id)


def lease_card_updates(
    session: Session, *, article_id: int, channel: str, owner: str, now: datetime, lease: timedelta
) -> list[OutboxRow]:
    """Every waiting card update of one article, leased together: one render serves them all."""
    rows = session.execute(
        update(SlackOutbox)
        .where(
            col(SlackOutbox.kind) == "card",
            col(SlackOutbox.status) == "pending",
            col(SlackOutbox.article_id) == article_id,
            col(SlackOutbox.channel) == channel,
            _free(now),
        )
        .values(_leased_by(owner, now=now, lease=lease))
        .returning(*_ROW_COLUMNS)
        .execution_options(synchronize_session=False)
    )
    return [OutboxRow(*row) for row in rows]


def _finish(session: Session, ids: Sequence[int], owner: str, values: dict[str, Any]) -> int:
    if not ids:
        return 0
    done = session.scalars(
        update(SlackOutbox)
        .where(
            col(SlackOutbox.id).in_(list(ids)),
            col(SlackOutbox.status) == "pending",
            col(SlackOutbox.lease_owner) == owner,
        )
        .values(values)
        .returning(col(SlackOutbox.id))
        .execution_options(synchronize_session=False)
    )
    return len(list(done))


def mark_sent(
    session: Session,
    *,
    ids: Sequence[int],
    owner: str,
    now: datetime,
    message_ts: str | None = None,
) -> int:
    """Slack accepted (or nothing was left to say): these rows are done. Never commits."""
    values: dict[str, Any] = {
        "status": "sent",
        "sent_at": now,
        "lease_owner": None,
        "lease_until": None,
        "last_error": None,
    }
    if message_ts is not None:
        values["message_ts"] = message_ts
    return _finish(session, ids, owner, values)


def mark_retry(
    session: Session, *, ids: Sequence[int], owner: str, at: datetime, error: str
) -> int:
    """Slack refused or did not answer: try again at `at` (the conversation waits till then)."""
    values = {
        "next_attempt_at": at,
        "lease_owner": None,
        "lease_until": None,
        "last_error": error[:_ERROR_CHARS],
    }
    return _finish(session, ids, owner, values)


def mark_failed(session: Session, *, ids: Sequence[int], owner: str, error: str) -> int:
    """Slack can never take this message (channel gone, message deleted): stop, keep the reason."""
    values = {
        "status": "failed",
        "lease_owner": None,
        "lease_until": None,
        "last_error": error[:_ERROR_CHARS],
    }
    return _finish(session, ids, owner, values)


def pending_rows(session: Session, *, channel: str | None = None) -> list[SlackOutbox]:
    """Rows still owed, oldest first (for the CLI, tests and health figures)."""
    statement = select(SlackOutbox).where(col(SlackOutbox.status) == "pending")
    if channel is not None:
        statement = statement.where(col(SlackOutbox.channel) == channel)
    return list(session.scalars(statement.order_by(col(SlackOutbox.id))))


def prune_sent(session: Session, *, sent_before: datetime, limit: int) -> int:
    """Delete up to `limit` rows Slack took before `sent_before`, oldest first; how many went.

    Only `sent` rows: a pending row (leased or waiting) is still owed, and a failed one is the
    record of what Slack refused. Nothing changes a sent row again, so deleting one races with
    no dispatcher; replicas pruning at once take different rows on PostgreSQL (`SKIP LOCKED`)
    and queue on the write lock on SQLite, and a row already gone is simply not counted.
    The newest row of the table is always kept: SQLite numbers a new row max(id) + 1, and an
    id given out again could make the dispatcher's look in a thread (bot/outbox.py) take an
    old message, posted under the same id, for the new row's. Never commits.
    """
    newest = select(func.max(col(SlackOutbox.id))).scalar_subquery()
    doomed = (
        select(col(SlackOutbox.id))
        .where(
            col(SlackOutbox.status) == "sent",
            col(SlackOutbox.sent_at) < sent_before,
            col(SlackOutbox.id) < newest,
        )
        .order_by(col(SlackOutbox.id))
        .limit(limit)
    )
    if session.get_bind().dialect.name == "postgresql":
        doomed = doomed.with_for_update(skip_locked=True)
    ids = list(session.scalars(doomed))
    if not ids:
        return 0
    gone = session.scalars(
        delete(SlackOutbox)
        .where(col(SlackOutbox.id).in_(ids), col(SlackOutbox.status) == "sent")
        .returning(col(SlackOutbox.id))
        .execution_options(synchronize_session=False)
    )
    return len(list(gone))
