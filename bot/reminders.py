"""The reminder sweep: one DM per checker for their due tickets, escalation to editors, thread nudges.

Exactly once, however many replicas sweep the same database
---------------------------------------------------------------
Each piece of work is claimed in the database before Slack hears of it; APScheduler only
decides *when* a replica looks (see bot/scheduler.py).

- Reminders are leased (`storage.reminders.acquire_due_reminders`: `FOR UPDATE SKIP LOCKED`
  on PostgreSQL, the single write lock on SQLite). The lease is committed before any Slack
  call, so no other sweeper can take the same ticket while it is held. The sweeper groups its
  tickets by assignee, sends each checker **one** DM, and only after Slack accepted it records
  each ticket's reminder (`record_reminders_sent`, unique on ticket, claim and reminder number),
  which schedules the next one an interval after the DM was delivered. If the DM fails in any
  way (429 after the client's own Retry-After retries, 5xx, an error, a dropped connection, a
  timeout), the tickets are handed back due now and a later sweep retries them: never lost. If
  the process dies, the lease simply runs out (`REMINDER_BATCH_LEASE`)
  and another sweep takes them. A sweeper stops sending before its lease could run out, so a
  slow Slack never lets a second sweeper take tickets the first is still sending.
- Escalations are claimed per recipient (a delivery row unique per ticket, claim and editor)
  and nudges by one conditional UPDATE; the message is written to the outbox in the same
  transaction as the claim, and the dispatcher (bot/outbox.py) delivers it, retrying until
  Slack takes it. A nudge is queued behind its article's thread, so it never points at cards
  Slack has not shown yet.

A message is never repeated, even across a crash. Each reminder DM names its reminders
(ticket, claim, reminder number) in its metadata. If the process dies (or loses its database)
after Slack accepted a DM and before `record_reminders_sent` commits, the lease runs out with
its holder still named on the tickets; if the answer was lost (a dropped connection, a 5xx) the
tickets are handed back with that mark kept. Either way the next sweeper to lease them looks in
the bot's DM with the checker first and records the DM it finds instead of sending another (an
app installed before `im:history` cannot look, and sends again, logging why). Escalations and
nudges are found the same way by the dispatcher, by outbox id (see bot/outbox.py). A second
sweeper cannot lease a ticket while it is leased, and a recorded reminder is never due again
until its next interval.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial
from itertools import groupby
from typing import Any, Final

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlmodel import Session

from bot.clock import ZoneBook, local_day_start, quiet_until
from bot.outbox import HISTORY_MARGIN, LOOKUP_REFUSED, deliver_owed, history_since
from bot.render.reminders import (
    EscalationItem,
    ReminderItem,
    render_escalation,
    render_nudge,
    render_reminder,
)
from bot.services import Services, replica_name
from storage import roster
from storage.db import session_scope
from storage.outbox import enqueue
from storage.reminders import (
    DueReminder,
    EscalationCandidate,
    acquire_due_reminders,
    articles_to_nudge,
    claim_escalation_deliveries,
    claim_nudge,
    defer_reminders,
    escalation_candidates,
    last_reminder_message,
    mark_escalated,
    record_reminders_sent,
    still_held_from,
)

logger = logging.getLogger(__name__)

# Long enough for one batch of DMs to a slow Slack; a crashed sweeper's tickets wait this long.
REMINDER_BATCH_LEASE: Final = timedelta(minutes=10)
# Stop sending once this share of the lease has passed; the rest is handed back, due now.
LEASE_SAFETY: Final = 0.8
SWEEP_BATCH: Final = 20_000
#: A reminder DM's metadata: its reminders as "ticket:claim:number" keys, space-separated.
REMINDER_EVENT: Final = "factcheck_reminder"
REMINDER_KEYS: Final = "reminders"
REMINDER_LOOKUP_REFUSED: Final = (
    "Slack does not let the bot read its DM with %s (%s), so it cannot tell whether an "
    "earlier reminder was posted; sending it again. Reinstall the app from `factcheck "
    "manifest` to grant im:history and im:write"
)
ESCALATION_BATCH: Final = 200
NUDGE_BATCH: Final = 200


@dataclass
class SweepReport:
    """What one sweep did, for logs, tests and the benchmark."""

    tickets_reminded: int = 0
    reminder_messages: int = 0
    deferred_quiet: int = 0
    refused: int = 0
    escalations: int = 0
    escalation_messages: int = 0
    nudges: int = 0

    def __str__(self) -> str:
        return (
            f"{self.tickets_reminded} tickets reminded in {self.reminder_messages} DMs, "
            f"{self.deferred_quiet} held for quiet hours, {self.refused} refused by Slack, "
            f"{self.escalations} escalated, {self.nudges} nudges"
        )


class ReminderSweeper:
    """Sweeps due reminders, escalations and nudges for one replica; call `sweep()` on a clock.

    Several sweepers (threads or processes, one per replica) may run at once against the same
    database; see the module docstring for why each message still goes out once.
    """

    def __init__(
        self,
        services: Services,
        *,
        owner: str | None = None,
        zones: ZoneBook | None = None,
        batch_size: int = SWEEP_BATCH,
        lease: timedelta = REMINDER_BATCH_LEASE,
    ) -> None:
        self.services = services
        self.settings = services.settings
        self.owner = owner or replica_name()
        self.zones = zones or services.zones
        self.batch_size = batch_size
        self.lease = lease

    def sweep(self) -> SweepReport:
        report = SweepReport()
        self.send_reminders(report)
        self.send_escalations(report)
        self.send_nudges(report)
        deliver_owed(self.services)
        if report.tickets_reminded or report.escalations or report.nudges or report.refused:
            logger.info("sweep by %s: %s", self.owner, report)
        return report

    # ------------------------------------------------------------------ reminders

    def send_reminders(self, report: SweepReport) -> None:
        while True:
            leased_at = self.services.clock()
            with session_scope(self.services.engine) as session:
                due = acquire_due_reminders(
                    session,
                    now=leased_at,
                    owner=self.owner,
                    lease=self.lease,
                    limit=self.batch_size,
                )
            if not due:
                return
            refused_before = report.refused
            self._send_batch(due, leased_at=leased_at, report=report)
            # A full batch means more may be due; a refusal means wait for the next sweep.
            if len(due) < self.batch_size or report.refused > refused_before:
                return

    def _send_batch(
        self, due: list[DueReminder], *, leased_at: datetime, report: SweepReport
    ) -> None:
        deadline = leased_at + self.lease * LEASE_SAFETY
        groups = [
            (assignee, list(items)) for assignee, items in groupby(due, key=lambda r: r.assignee)
        ]
        for index, (assignee, items) in enumerate(groups):
            now = self.services.clock()
            if now >= deadline:
                rest = [r.ticket_id for _, group in groups[index:] for r in group]
                logger.warning(
                    "lease nearly over: handing back %d reminders for the next sweep", len(rest)
                )
                self._hand_back(rest, until=now)
                return
            until = self._quiet_until(assignee, now)
            if until is not None:
                self._hand_back([r.ticket_id for r in items], until=until)
                report.deferred_quiet += len(items)
                continue
            self._remind(assignee, items, now=now, report=report)

    def _quiet_until(self, assignee: str, now: datetime) -> datetime | None:
        if self.settings.quiet_hours is None:
            return None  # no users.info call at all when quiet hours are off
        return quiet_until(now, self.zones.zone_of(assignee), self.settings.quiet_hours)

    def _remind(
        self, assignee: str, items: list[DueReminder], *, now: datetime, report: SweepReport
    ) -> None:
        try:
            earlier = self._earlier_reminders(assignee, items)
        except Exception as error:  # Slack unreachable: the look and the DM wait for a sweep
            self._not_delivered(assignee, items, error, report)
            return
        for ts, found in earlier.items():
            self._record(found, ts, delivered_at=self.services.clock(), report=report)
        already = {r.key for found in earlier.values() for r in found}
        items = [r for r in items if r.key not in already]
        if not items:
            return
        message = render_reminder([_reminder_item(r) for r in items], now=now)
        with session_scope(self.services.engine) as session:
            previous = last_reminder_message(session, assignee=assignee)
        try:
            # The dispatcher's client: a dropped connection is not re-sent inside the SDK.
            response = self.services.delivery_client.chat_postMessage(
                channel=assignee,
                text=message.text,
                blocks=message.blocks,
                metadata=_reminder_metadata(items),
                unfurl_links=False,
            )
        except Exception as error:  # a refusal, a dropped connection, a timeout: all handed back
            self._not_delivered(assignee, items, error, report)
            return
        # Slack accepted it. A crash before the commit below leaves the lease to run out with
        # its holder named, and the next sweeper finds this DM by its metadata. The next
        # reminder is due one interval after this one was delivered, not after the sweep began
        # (a 429 wait inside the client can take a while).
        message_ts = response.get("ts")
        self._record(
            items,
            message_ts if isinstance(message_ts, str) else None,
            delivered_at=self.services.clock(),
            report=report,
        )
        report.reminder_messages += 1
        channel = response.get("channel")
        if previous and previous != message_ts and isinstance(channel, str):
            self._replace_old_reminder(assignee, channel, previous, {r.ticket_id for r in items})

    def _record(
        self,
        items: list[DueReminder],
        message_ts: str | None,
        *,
        delivered_at: datetime,
        report: SweepReport,
    ) -> None:
        with session_scope(self.services.engine) as session:
            record_reminders_sent(
                session,
                reminders=items,
                owner=self.owner,
                now=delivered_at,
                interval=self.settings.reminder_interval,
                message_ts=message_ts,
            )
        report.tickets_reminded += len(items)

    def _not_delivered(
        self, assignee: str, items: list[DueReminder], error: Exception, report: SweepReport
    ) -> None:
        """Hand the tickets back for the next sweep; when Slack may have taken the DM all the
        same (no answer, or a 5xx), they are marked so that sweep looks for it first."""
        refused = isinstance(error, SlackApiError) and error.response.status_code < 500
        reason = (
            error.response.get("error") or error.response.status_code
            if isinstance(error, SlackApiError)
            else type(error).__name__
        )
        logger.warning(
            "reminder DM to %s not delivered (%s); %d tickets retried next sweep",
            assignee,
            reason,
            len(items),
        )
        self._hand_back(
            [r.ticket_id for r in items], until=self.services.clock(), maybe_posted=not refused
        )
        report.refused += len(items)

    def _earlier_reminders(
        self, assignee: str, items: list[DueReminder]
    ) -> dict[str, list[DueReminder]]:
        """The DMs (by ts) an earlier attempt posted for any of `items`, and which items each
        one holds; empty unless an attempt may have reached Slack (no call at all then).

        Looks through the bot's DM with the checker since the earliest such attempt began, for
        the reminder keys in each message's metadata. A workspace that does not let the bot
        read that DM (installed before im:history) gets the reminder again, as before."""
        unsure = [r for r in items if r.maybe_posted]
        if not unsure:
            return {}
        wanted = {r.key: r for r in unsure}
        since = min((r.due_since for r in unsure if r.due_since), default=None)
        oldest = since - self.lease - HISTORY_MARGIN if since is not None else None
        call = partial(_web_api, self.services.delivery_client)
        found: dict[str, list[DueReminder]] = {}
        try:
            channel = call("conversations_open", users=assignee)["channel"]["id"]
            for dm in history_since(call, channel, oldest):
                payload = (dm.get("metadata") or {}).get("event_payload") or {}
                for key in str(payload.get(REMINDER_KEYS, "")).split():
                    if key in wanted:
                        found.setdefault(str(dm["ts"]), []).append(wanted.pop(key))
                if not wanted:
                    break
        except SlackApiError as error:
            if error.response.get("error") not in LOOKUP_REFUSED:
                raise
            logger.warning(REMINDER_LOOKUP_REFUSED, assignee, error.response.get("error"))
            return {}
        if found:
            logger.info(
                "reminders %s to %s were already posted; not sending them again",
                ", ".join(r.key for held in found.values() for r in held),
                assignee,
            )
        return found

    def _replace_old_reminder(self, assignee: str, channel: str, ts: str, listed: set[int]) -> None:
        """One live reminder per checker: the old DM goes once the new one lists all it still
        reminds of (a ticket snoozed past this sweep, or in another batch, keeps it)."""
        with session_scope(self.services.engine) as session:
            if not still_held_from(session, assignee=assignee, message_ts=ts) <= listed:
                return
        try:
            self.services.client.chat_delete(channel=channel, ts=ts)
        except SlackApiError as error:  # already gone, or deleted by hand: nothing to undo
            logger.info(
                "old reminder DM %s to %s not deleted: %s",
                ts,
                assignee,
                error.response.get("error"),
            )

    def _hand_back(
        self, ticket_ids: list[int], *, until: datetime, maybe_posted: bool = False
    ) -> None:
        with session_scope(self.services.engine) as session:
            defer_reminders(
                session,
                ticket_ids=ticket_ids,
                owner=self.owner,
                until=until,
                maybe_posted=maybe_posted,
            )

    # ---------------------------------------------------------------- escalations

    def send_escalations(self, report: SweepReport) -> None:
        """Tell each editor, once per claim, about tickets still held after N reminders.

        Each recipient's delivery rows are claimed and their message written to the outbox in
        one transaction, so a recipient is owed exactly one message per claim; the outbox
        retries it until Slack takes it. A ticket stops being a candidate once every
        recipient is owed theirs.
        """
        with session_scope(self.services.engine) as session:
            candidates = escalation_candidates(
                session, escalate_after=self.settings.escalate_after, limit=ESCALATION_BATCH
            )
            targets = self._escalation_targets(session, candidates)
        now = self.services.clock()
        for target, items in targets.items():
            self._escalate_to(target, items, now=now, report=report)
        with session_scope(self.services.engine) as session:
            report.escalations += mark_escalated(session, candidates=candidates, now=now)

    def _escalate_to(
        self,
        target: str,
        items: list[EscalationCandidate],
        *,
        now: datetime,
        report: SweepReport,
    ) -> None:
        """One message to `target` about those of `items` it was not told of, owed in the outbox."""
        with session_scope(self.services.engine) as session:
            won = claim_escalation_deliveries(
                session, recipient=target, candidates=items, owner=self.owner, now=now
            )
            if not won:
                return
            message = render_escalation(
                [self._escalation_item(c) for c in items if c.ticket_id in won],
                now=now,
                reminders=self.settings.escalate_after,
            )
            enqueue(
                session,
                kind="post",
                channel=target,
                text=message.text,
                blocks=message.blocks,
                now=now,
            )
        report.escalation_messages += 1

    def _escalation_targets(
        self, session: Session, candidates: list[EscalationCandidate]
    ) -> dict[str, list[EscalationCandidate]]:
        """Each editor (settings and roster), else the digest channel, else the ticket's channel."""
        if not candidates:
            return {}
        editors = list(dict.fromkeys([*self.settings.editors, *roster.editor_ids(session)]))
        if editors:
            return {editor: list(candidates) for editor in editors}
        fallback = self.settings.digest_channel or (
            self.settings.channels[0] if self.settings.channels else None
        )
        if fallback is not None:
            return {fallback: list(candidates)}
        by_channel: dict[str, list[EscalationCandidate]] = defaultdict(list)
        for candidate in candidates:
            by_channel[candidate.channel].append(candidate)
        return dict(by_channel)

    def _escalation_item(self, candidate: EscalationCandidate) -> EscalationItem:
        claimed_at = (
            candidate.due_at - self.settings.reminder_interval if candidate.due_at else None
        )
        return EscalationItem(
            ticket_id=candidate.ticket_id,
            assignee=candidate.assignee,
            text=candidate.text,
            reminders_sent=candidate.reminders_sent,
            claimed_at=claimed_at,
            article_link=candidate.article_permalink,
            speaker=candidate.speaker,
        )

    # --------------------------------------------------------------------- nudges

    def send_nudges(self, report: SweepReport) -> None:
        """One "N claims still unclaimed" per article per working day, in its thread.

        The first an interval after intake; another only on a later day of the desk's zone,
        none in the desk's quiet hours (the evening and night), none once nothing is open.
        """
        interval = self.settings.reminder_interval
        now = self.services.clock()
        zone = self.settings.zone
        if quiet_until(now, zone, self.settings.quiet_hours) is not None:
            return
        day_start = local_day_start(now, zone)
        with session_scope(self.services.engine) as session:
            candidates = articles_to_nudge(
                session, now=now, interval=interval, limit=NUDGE_BATCH, day_start=day_start
            )
        for candidate in candidates:
            with session_scope(self.services.engine) as session:
                if not claim_nudge(
                    session,
                    article_id=candidate.article_id,
                    now=now,
                    interval=interval,
                    day_start=day_start,
                ):
                    continue
                # Owed behind the article's thread in the outbox: it never comes before the
                # cards whose buttons it points to.
                enqueue(
                    session,
                    kind="post",
                    channel=candidate.channel,
                    thread_ts=candidate.ts,
                    article_id=candidate.article_id,
                    text=render_nudge(candidate.open_count),
                    now=now,
                )
            report.nudges += 1


def _reminder_metadata(items: list[DueReminder]) -> dict[str, Any]:
    """Names the reminders a DM carries, so a retry can tell it was posted (`_earlier_reminders`)."""
    return {
        "event_type": REMINDER_EVENT,
        "event_payload": {REMINDER_KEYS: " ".join(r.key for r in items)},
    }


def _web_api(client: WebClient, method: str, **args: Any) -> Any:
    return getattr(client, method)(**args)


def _reminder_item(reminder: DueReminder) -> ReminderItem:
    return ReminderItem(
        ticket_id=reminder.ticket_id,
        kind=reminder.kind,
        text=reminder.text,
        claimed_at=reminder.claimed_at,
        article_link=reminder.article_permalink,
        article_title=reminder.article_title,
        speaker=reminder.speaker,
    )
