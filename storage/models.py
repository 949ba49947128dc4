"""The desk's tables: articles, tickets, audit trail, roster, exactly-once bookkeeping."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any, Final

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Column,
    Dialect,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    UniqueConstraint,
    text,
)
from sqlalchemy.types import DateTime, TypeDecorator
from sqlmodel import Field, SQLModel

# Stable constraint names on both engines, so migrations can name what they alter or drop.
NAMING_CONVENTION: Final[dict[str, str]] = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
SQLModel.metadata = MetaData(naming_convention=NAMING_CONVENTION)

STATUSES: Final = ("open", "claimed", "verified", "flagged", "dismissed")
ACTIVE_STATUSES: Final = ("open", "claimed")
FINISHED_STATUSES: Final = ("verified", "flagged", "dismissed")
KINDS: Final = ("claim", "quote")
ROLES: Final = ("checker", "editor")
INTAKE_STATUSES: Final = ("processing", "ready", "failed")
ACTIONS: Final = (
    "create",
    "claim",
    "release",
    "verify",
    "flag",
    "dismiss",
    "assign",
    "reopen",
    "snooze",
    "fix_speaker",
    # The article was edited: the ticket's words left it, or came back; or it was deleted.
    "gone_from_text",
    "back_in_text",
    "article_deleted",
)
DIGEST_RUN_STATUSES: Final = ("claimed", "posted")
# What an outbox row asks of Slack: show a thread part, update cards, post a message, show
# the offered claims, take the :eyes: reaction away, post the weekly report with its chart.
OUTBOX_KINDS: Final = ("thread", "card", "post", "offers", "unreact", "weekly_report")
OUTBOX_STATUSES: Final = ("pending", "sent", "failed")


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class UTCDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes in and out, on SQLite (which stores naive text) and PostgreSQL alike."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value!r}: pass an aware UTC datetime")
        value = value.astimezone(UTC)
        # SQLite compares datetimes as text: store one fixed form, without an offset.
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _ticket_reference() -> Any:
    """A `ticket_id` field: NOT NULL, and its rows go when their ticket is deleted."""
    return Field(
        sa_column=Column(Integer, ForeignKey("ticket.id", ondelete="CASCADE"), nullable=False)
    )


def utcnow() -> datetime:
    return datetime.now(UTC)


def _article_channel(context: Any) -> str | None:
    """Default for ticket.channel: the channel of the ticket's article (looked up at insert).

    A missing article gives NULL, so the insert fails on the constraints like any bad row.
    """
    article_id = context.get_current_parameters()["article_id"]
    channel = context.connection.scalar(
        text("SELECT channel FROM article WHERE id = :id"), {"id": article_id}
    )
    return None if channel is None else str(channel)


class Article(SQLModel, table=True):
    """A pasted article; (team, channel, ts) is the Slack message it came from, unique."""

    __tablename__ = "article"
    __table_args__ = (
        UniqueConstraint("team", "channel", "ts"),
        CheckConstraint(_in("intake_status", INTAKE_STATUSES), name="intake_status"),
        Index("ix_article_channel_created_at", "channel", "created_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    team: str = Field(max_length=32)
    channel: str = Field(max_length=32)
    ts: str = Field(max_length=32)
    reply_ts: str | None = Field(default=None, max_length=32)
    permalink: str | None = None
    source_url: str | None = None
    title: str | None = None
    byline: str | None = None
    text: str = ""
    posted_by: str | None = Field(default=None, max_length=32)
    created_at: datetime = Field(sa_type=UTCDateTime, index=True)
    intake_status: str = Field(default="processing", max_length=16)
    intake_started_at: datetime = Field(sa_type=UTCDateTime)
    failure_reason: str | None = None
    # sha256 of the article's words (case, spacing and punctuation aside): a re-paste is found.
    content_key: str | None = Field(default=None, max_length=64, index=True)
    last_nudged_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # Where the bot answers (a mention inside a thread answers there), so a resumed intake can.
    thread_ts: str | None = Field(default=None, max_length=32)
    # The Slack event ts of the newest edit applied: an older or repeated edit is not applied.
    edit_ts: str | None = Field(default=None, max_length=32)
    edited_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # The reporter deleted the Slack message; its tickets stay.
    deleted_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class ArticleEditJob(SQLModel, table=True):
    """The newest edit of an article not yet applied: written before the edit is extracted and
    deleted in the transaction that applies it, so an edit whose process died is finished by
    the next replica's clock (`taken_at` is its lease), not lost until the next edit."""

    __tablename__ = "article_edit_job"

    article_id: int = Field(
        sa_column=Column(Integer, ForeignKey("article.id", ondelete="CASCADE"), primary_key=True)
    )
    edit_ts: str = Field(max_length=32)
    text: str
    previous_text: str
    edited_by: str | None = Field(default=None, max_length=32)
    taken_at: datetime = Field(sa_type=UTCDateTime)


class Ticket(SQLModel, table=True):
    """One claim or quote to check; `id` is the `#12` people type."""

    __tablename__ = "ticket"
    __table_args__ = (
        CheckConstraint(_in("status", STATUSES), name="status"),
        CheckConstraint(_in("kind", KINDS), name="kind"),
        CheckConstraint("start_offset >= 0 AND end_offset >= start_offset", name="offsets"),
        CheckConstraint("status <> 'claimed' OR assignee IS NOT NULL", name="claimed_has_assignee"),
        CheckConstraint("status <> 'open' OR assignee IS NULL", name="open_has_no_assignee"),
        CheckConstraint("reminders_sent >= 0", name="reminders_sent"),
        # The sweep: only claimed tickets carry next_reminder_at, so this index is the due work.
        Index(
            "ix_ticket_due",
            "next_reminder_at",
            sqlite_where=text("status = 'claimed'"),
            postgresql_where=text("status = 'claimed'"),
        ),
        Index(
            "ix_ticket_claimed_assignee",
            "assignee",
            "due_at",
            sqlite_where=text("status = 'claimed'"),
            postgresql_where=text("status = 'claimed'"),
        ),
        # The active desk per channel: digest counts and progress scan only these.
        Index(
            "ix_ticket_open_channel",
            "channel",
            "article_id",
            sqlite_where=text("status = 'open'"),
            postgresql_where=text("status = 'open'"),
        ),
        Index(
            "ix_ticket_claimed_channel",
            "channel",
            "article_id",
            sqlite_where=text("status = 'claimed'"),
            postgresql_where=text("status = 'claimed'"),
        ),
        # What was finished since a time, for one channel's digest or the whole desk's.
        Index("ix_ticket_status_closed_at_channel", "status", "closed_at", "channel"),
    )

    id: int | None = Field(default=None, primary_key=True)
    article_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("article.id", ondelete="CASCADE"), nullable=False, index=True
        )
    )
    # Copied from the article (which never moves) so per-channel figures need no join.
    channel: str = Field(sa_column=Column(String(32), nullable=False, default=_article_channel))
    kind: str = Field(max_length=8)
    text: str
    start_offset: int = 0
    end_offset: int = 0
    speaker: str | None = None
    speaker_title: str | None = None
    # person, organisation or unnamed (bot.extract.types.SPEAKER_KINDS); None: not known
    speaker_kind: str | None = Field(default=None, max_length=16)
    score: float | None = None
    status: str = Field(default="open", max_length=16)
    assignee: str | None = Field(default=None, max_length=32)
    claim_number: int = 0
    claimed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    due_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    closed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    verdict: str | None = Field(default=None, max_length=64)
    sources: list[str] = Field(default_factory=list, sa_type=JSON, nullable=False)
    note: str | None = None
    reason: str | None = None
    # The public URL of the published fact-check, for ClaimReview's `url` (never a Slack link).
    review_url: str | None = None
    reminders_sent: int = 0
    next_reminder_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    lease_owner: str | None = Field(default=None, max_length=64)
    snoozed_until: datetime | None = Field(default=None, sa_type=UTCDateTime)
    escalated: bool = False
    card_channel: str | None = Field(default=None, max_length=32)
    card_ts: str | None = Field(default=None, max_length=32)
    created_at: datetime = Field(sa_type=UTCDateTime, index=True)
    updated_at: datetime = Field(sa_type=UTCDateTime)
    # When an edit of the article took the ticket's words out of it (None: still there).
    gone_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class OfferedClaim(SQLModel, table=True):
    """A claim the article's budget left out: listed under "Also worth a look", not a ticket.

    No reminder, nudge, digest or ticket list reads this table. Its button files it as a
    ticket once: the first `UPDATE ... WHERE filed_at IS NULL` wins and records `ticket_id`.
    """

    __tablename__ = "offered_claim"
    __table_args__ = (UniqueConstraint("article_id", "rank"),)

    id: int | None = Field(default=None, primary_key=True)
    article_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("article.id", ondelete="CASCADE"), nullable=False, index=True
        )
    )
    rank: int  # 1 = the strongest claim the budget left out
    text: str
    start_offset: int = 0
    end_offset: int = 0
    score: float
    ticket_id: int | None = Field(
        default=None,
        sa_column=Column(Integer, ForeignKey("ticket.id", ondelete="SET NULL"), nullable=True),
    )
    filed_by: str | None = Field(default=None, max_length=32)
    filed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    message_channel: str | None = Field(default=None, max_length=32)
    message_ts: str | None = Field(default=None, max_length=32)
    created_at: datetime = Field(sa_type=UTCDateTime)


class AuditEvent(SQLModel, table=True):
    """One row per change to a ticket, written in the transaction that made the change."""

    __tablename__ = "audit_event"
    __table_args__ = (
        CheckConstraint(_in("action", ACTIONS), name="action"),
        Index("ix_audit_event_ticket_at", "ticket_id", "at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    ticket_id: int = _ticket_reference()
    actor: str = Field(max_length=32)
    action: str = Field(max_length=16)
    from_status: str | None = Field(default=None, max_length=16)
    to_status: str = Field(max_length=16)
    detail: dict[str, Any] = Field(default_factory=dict, sa_type=JSON, nullable=False)
    at: datetime = Field(sa_type=UTCDateTime)


class RosterMember(SQLModel, table=True):
    """A Slack user on the desk and their role."""

    __tablename__ = "roster_member"
    __table_args__ = (CheckConstraint(_in("role", ROLES), name="role"),)

    user_id: str = Field(primary_key=True, max_length=32)
    role: str = Field(max_length=16)
    active: bool = True
    added_by: str | None = Field(default=None, max_length=32)
    added_at: datetime = Field(sa_type=UTCDateTime)


class ReminderDelivery(SQLModel, table=True):
    """A reminder Slack accepted; the unique key makes recording it idempotent."""

    __tablename__ = "reminder_delivery"
    __table_args__ = (UniqueConstraint("ticket_id", "claim_number", "reminder_number"),)

    id: int | None = Field(default=None, primary_key=True)
    ticket_id: int = _ticket_reference()
    claim_number: int
    reminder_number: int
    assignee: str = Field(max_length=32)
    owner: str = Field(max_length=64)
    message_ts: str | None = Field(default=None, max_length=32)
    sent_at: datetime = Field(sa_type=UTCDateTime)


class EscalationDelivery(SQLModel, table=True):
    """An escalation Slack accepted for one recipient (an editor, or a channel when none is set).

    Unique per ticket, claim and recipient, so each is told once per claim and a recipient
    Slack refused is retried on its own without telling the others again.
    """

    __tablename__ = "escalation_delivery"
    __table_args__ = (UniqueConstraint("ticket_id", "claim_number", "recipient"),)

    id: int | None = Field(default=None, primary_key=True)
    ticket_id: int = _ticket_reference()
    claim_number: int
    recipient: str = Field(max_length=32)
    owner: str = Field(max_length=64)
    sent_at: datetime = Field(sa_type=UTCDateTime)


class DigestRun(SQLModel, table=True):
    """One daily digest per channel and local date; whoever inserts the row posts it."""

    __tablename__ = "digest_run"
    __table_args__ = (
        UniqueConstraint("channel", "local_date"),
        CheckConstraint(_in("status", DIGEST_RUN_STATUSES), name="status"),
    )

    id: int | None = Field(default=None, primary_key=True)
    channel: str = Field(max_length=32)
    local_date: date
    status: str = Field(default="claimed", max_length=16)
    owner: str = Field(max_length=64)
    claimed_at: datetime = Field(sa_type=UTCDateTime)
    posted_at: datetime | None = Field(default=None, sa_type=UTCDateTime, index=True)
    message_ts: str | None = Field(default=None, max_length=32)


class WeeklyReportRun(SQLModel, table=True):
    """One weekly report per channel and week (its first local day); whoever inserts the row
    owes it, and writes it to the outbox in the same transaction.

    `chart` holds the figures the chart is drawn from (drawn when the report is delivered,
    outside any transaction); `outbox_id` is the row that delivers it.
    """

    __tablename__ = "weekly_report_run"
    __table_args__ = (UniqueConstraint("channel", "week_start"),)

    id: int | None = Field(default=None, primary_key=True)
    channel: str = Field(max_length=32)
    week_start: date
    owner: str = Field(max_length=64)
    claimed_at: datetime = Field(sa_type=UTCDateTime)
    outbox_id: int | None = Field(default=None, index=True)
    chart: dict[str, Any] | None = Field(default=None, sa_type=JSON)


class SlackOutbox(SQLModel, table=True):
    """A message the desk owes Slack, written in the transaction that made it owed.

    The dispatcher (bot/outbox.py) leases the oldest pending row of each conversation, so a
    conversation's rows go out in order, one at a time, on any replica. `pending_key` is
    unique while a row waits to be leased, so a second card update of the same article
    coalesces into the first (it renders the state current when it is delivered).
    """

    __tablename__ = "slack_outbox"
    __table_args__ = (
        CheckConstraint(_in("kind", OUTBOX_KINDS), name="kind"),
        CheckConstraint(_in("status", OUTBOX_STATUSES), name="status"),
        UniqueConstraint("pending_key"),
        Index(
            "ix_slack_outbox_pending",
            "channel",
            "id",
            sqlite_where=text("status = 'pending'"),
            postgresql_where=text("status = 'pending'"),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=16)
    channel: str = Field(max_length=32)
    thread_ts: str | None = Field(default=None, max_length=32)
    article_id: int | None = Field(
        default=None,
        sa_column=Column(Integer, ForeignKey("article.id", ondelete="CASCADE"), nullable=True),
    )
    part: int | None = None
    ticket_id: int | None = None  # a card update: the ticket whose change asked for it
    text: str | None = None
    blocks: list[Any] | None = Field(default=None, sa_type=JSON)
    pending_key: str | None = Field(default=None, max_length=96)
    status: str = Field(default="pending", max_length=16)
    attempts: int = 0
    next_attempt_at: datetime = Field(sa_type=UTCDateTime)
    lease_owner: str | None = Field(default=None, max_length=64)
    lease_until: datetime | None = Field(default=None, sa_type=UTCDateTime)
    last_error: str | None = Field(default=None, max_length=200)
    created_at: datetime = Field(sa_type=UTCDateTime)
    sent_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    message_ts: str | None = Field(default=None, max_length=32)


__all__ = [
    "ACTIONS",
    "ACTIVE_STATUSES",
    "FINISHED_STATUSES",
    "KINDS",
    "OUTBOX_KINDS",
    "ROLES",
    "STATUSES",
    "Article",
    "AuditEvent",
    "DigestRun",
    "EscalationDelivery",
    "OfferedClaim",
    "ReminderDelivery",
    "RosterMember",
    "SQLModel",
    "SlackOutbox",
    "Ticket",
    "UTCDateTime",
    "WeeklyReportRun",
    "utcnow",
]


MATCH_KINDS: Final = ("claim", "quote", "published")


class MatchEntry(SQLModel, table=True):
    """One earlier check a new claim can be matched against: a desk ticket or a published review.

    A ticket's entry is written in the transaction that files the ticket and reads its verdict
    from the ticket itself; a published ClaimReview carries its own verdict, publisher and URL.
    The full-text index over `text` lives beside the table (SQLite FTS5 kept in step by
    triggers, a GIN index on PostgreSQL), created by the migration.
    """

    __tablename__ = "match_entry"
    __table_args__ = (
        CheckConstraint(_in("kind", MATCH_KINDS), name="kind"),
        UniqueConstraint("team", "source_key"),
    )

    id: int | None = Field(default=None, primary_key=True)
    # Not indexed: the full-text index drives every lookup, and a desk has one or two teams.
    team: str = Field(max_length=32)
    kind: str = Field(max_length=16)
    ticket_id: int | None = Field(
        default=None,
        sa_column=Column(
            Integer, ForeignKey("ticket.id", ondelete="CASCADE"), nullable=True, unique=True
        ),
    )
    # What makes an imported review the same on a second import (its URL and claim).
    source_key: str | None = Field(default=None, max_length=64)
    text: str
    # A published review's headline: searched with the text, shown as the link's words.
    title: str | None = None
    speaker: str | None = None
    verdict: str | None = Field(default=None, max_length=64)
    publisher: str | None = None
    url: str | None = None
    reviewed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # float16 sentence embedding from the semantic layer; NULL in rules mode.
    embedding: bytes | None = Field(default=None, sa_type=LargeBinary)
    created_at: datetime = Field(sa_type=UTCDateTime)


class MatchTerm(SQLModel, table=True):
    """How many entries hold a word: matching looks up a claim's rarer words first."""

    __tablename__ = "match_term"

    term: str = Field(primary_key=True, max_length=64)
    docs: int = 0


class TicketMatch(SQLModel, table=True):
    """A ticket's best earlier check, found at intake: what its card says it was "seen before" as."""

    __tablename__ = "ticket_match"

    id: int | None = Field(default=None, primary_key=True)
    ticket_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("ticket.id", ondelete="CASCADE"), nullable=False, unique=True
        )
    )
    entry_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("match_entry.id", ondelete="CASCADE"), nullable=False, index=True
        )
    )
    score: float
    created_at: datetime = Field(sa_type=UTCDateTime)
