"""Daily digest runs: one `digest_run` row per channel and local date; whoever inserts it posts."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Final

from sqlalchemy import func, select, update
from sqlmodel import Session, col

from storage.db import insert_ignore
from storage.models import DigestRun

# A digest run claimed but not marked posted within this is taken to be abandoned (its
# replica died) and one later caller takes it over.
DIGEST_TAKEOVER_AFTER: Final = timedelta(minutes=10)


def claim_digest_run(
    session: Session,
    *,
    channel: str,
    local_date: date,
    owner: str,
    now: datetime,
    stale_after: timedelta = DIGEST_TAKEOVER_AFTER,
) -> DigestRun | None:
    """Win the right to post `channel`'s digest for `local_date`; None if another replica has.

    `INSERT ... ON CONFLICT (channel, local_date) DO NOTHING`: exactly one caller inserts.
    A run claimed but not marked posted within `stale_after` (its replica died) is taken over
    by one caller through a conditional UPDATE. Commit the claim, post, then call
    `mark_digest_posted`; a crash between Slack accepting and that call repeats the digest
    after `stale_after` (the documented window).
    """
    inserted = session.scalar(
        insert_ignore(session, DigestRun, conflict=["channel", "local_date"])
        .values(
            channel=channel, local_date=local_date, status="claimed", owner=owner, claimed_at=now
        )
        .returning(col(DigestRun.id))
    )
    run_id = inserted
    if run_id is None:
        run_id = session.scalar(
            update(DigestRun)
            .where(
                col(DigestRun.channel) == channel,
                col(DigestRun.local_date) == local_date,
                col(DigestRun.status) == "claimed",
                col(DigestRun.claimed_at) <= now - stale_after,
            )
            .values(owner=owner, claimed_at=now)
            .returning(col(DigestRun.id))
            .execution_options(synchronize_session=False)
        )
    if run_id is None:
        return None
    return session.get(DigestRun, run_id, populate_existing=True)


def mark_digest_posted(
    session: Session, *, run_id: int, owner: str, now: datetime, message_ts: str | None = None
) -> bool:
    """Record that Slack accepted the digest; False if the run is not ours (taken over)."""
    won = session.scalar(
        update(DigestRun)
        .where(
            col(DigestRun.id) == run_id,
            col(DigestRun.owner) == owner,
            col(DigestRun.status) == "claimed",
        )
        .values(status="posted", posted_at=now, message_ts=message_ts)
        .returning(col(DigestRun.id))
        .execution_options(synchronize_session=False)
    )
    return won is not None


def last_digest_at(session: Session, *, channel: str) -> datetime | None:
    """When the last digest posted to `channel` went out (the digest's "since")."""
    return session.scalar(
        select(func.max(col(DigestRun.posted_at))).where(
            col(DigestRun.channel) == channel, col(DigestRun.status) == "posted"
        )
    )
