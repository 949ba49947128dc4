"""Exactly-once bookkeeping for the scheduler, one module per table it claims work in.

- `leases`: reminder leases on tickets and `reminder_delivery` rows;
- `escalations`: `escalation_delivery` rows, one per ticket, claim and recipient;
- `nudges`: the article's `last_nudged_at`, one nudge per interval;
- `digest_runs`: `digest_run` rows, one digest per channel and local date.

The pattern throughout: a replica first *claims* a piece of work with one conditional
statement that only one caller can win (`storage.db.insert_ignore`, or a conditional UPDATE),
and the message it owes is written to the outbox in the same transaction (storage/outbox.py)
or, for reminders, sent under the lease and recorded after Slack accepted it.
"""

from storage.reminders.digest_runs import (
    DIGEST_TAKEOVER_AFTER,
    claim_digest_run,
    last_digest_at,
    mark_digest_posted,
)
from storage.reminders.escalations import (
    EscalationCandidate,
    claim_escalation_deliveries,
    escalation_candidates,
    mark_escalated,
)
from storage.reminders.leases import (
    DueReminder,
    acquire_due_reminders,
    defer_reminders,
    last_reminder_message,
    record_reminders_sent,
    still_held_from,
)
from storage.reminders.nudges import NudgeCandidate, articles_to_nudge, claim_nudge

__all__ = [
    "DIGEST_TAKEOVER_AFTER",
    "DueReminder",
    "EscalationCandidate",
    "NudgeCandidate",
    "acquire_due_reminders",
    "articles_to_nudge",
    "claim_digest_run",
    "claim_escalation_deliveries",
    "claim_nudge",
    "defer_reminders",
    "escalation_candidates",
    "last_digest_at",
    "last_reminder_message",
    "mark_digest_posted",
    "mark_escalated",
    "record_reminders_sent",
    "still_held_from",
]
