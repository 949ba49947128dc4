"""APScheduler (3.x) as a clock only: it decides when this replica looks; the database decides who works.

Jobs on a `BackgroundScheduler`, all `max_instances=1` and `coalesce=True` (a tick that
overruns is not doubled, missed ticks collapse into one):

- `outbox`, every FACTCHECK_OUTBOX_SECONDS, first at start, on every replica whatever
  FACTCHECK_SCHEDULER says: finish intakes whose process died (bot.desk.intake), catch up on
  channels where a paste met a database outage (bot.catchup), and deliver what the outbox
  owes Slack (bot.outbox), so everything owed goes out within one tick of Slack recovering.
- `outbox-prune`, hourly (first a few minutes after start), on every replica: delete the
  outbox rows Slack took more than FACTCHECK_OUTBOX_RETENTION_DAYS ago (bot.outbox).
- `catch-up`, once at start and after every Socket Mode reconnect (`catch_up_soon`).
- `sweep`, every FACTCHECK_SWEEP_SECONDS, first at start: reminders, escalations, nudges
  (bot.reminders), then `post_due_digests` (bot.digest), which is how a digest missed while
  the bot was down goes out once when it comes back the same day.
- `digest`, at FACTCHECK_DIGEST_TIME in FACTCHECK_TIMEZONE, so the digest is on time even with
  a long sweep interval; the sweep and this job also look for a due weekly report
  (`post_due_weekly_reports`, bot.weekly).
- `weekly report`, at FACTCHECK_WEEKLY_REPORT's day and time (unless it is `off`), for the
  same reason.

Nothing here is exactly-once by itself: every job claims its work in our tables, so any number
of replicas may run this clock (FACTCHECK_SCHEDULER=off only saves work, it is not needed for
correctness). The scheduler's job store is in memory on purpose: there is nothing to persist.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any, Final

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy.exc import DBAPIError

from bot.catchup import catch_up
from bot.desk.edits import resume_stalled_edits
from bot.desk.intake import resume_stalled_intakes
from bot.digest import post_due_digests
from bot.outbox import deliver_owed, prune_delivered
from bot.reminders import ReminderSweeper, SweepReport
from bot.services import Services
from bot.weekly import post_due_weekly_reports
from storage.db import outage_line

logger = logging.getLogger(__name__)

SWEEP_FAILED: Final = "reminder sweep by %s failed, database unavailable (%s); next sweep retries"
DIGEST_FAILED: Final = "digest check by %s failed, database unavailable (%s); next sweep retries"
RECOVERY_FAILED: Final = (
    "intake recovery by %s failed, database unavailable (%s); next tick retries"
)
PRUNE_FAILED: Final = "outbox pruning by %s failed, database unavailable (%s); next run retries"
WEEKLY_FAILED: Final = (
    "weekly report check by %s failed, database unavailable (%s); next sweep retries"
)
SWEEP_JOB: Final = "sweep"
#: How the sweep job is named in APScheduler's log lines ("Job ... executed successfully").
SWEEP_JOB_NAME: Final = "reminder sweep and missed digests"
DIGEST_JOB: Final = "digest"
WEEKLY_JOB: Final = "weekly report"
OUTBOX_JOB: Final = "outbox"
CATCH_UP_JOB: Final = "catch-up"
PRUNE_JOB: Final = "outbox-prune"
PRUNE_EVERY: Final = timedelta(hours=1)
#: Not at start, where it would queue beside the catch-up and the first deliveries.
PRUNE_FIRST_AFTER: Final = timedelta(minutes=5)


class DeskClock:
    """The scheduler of one replica. `start()` once; `shutdown()` waits for a running job."""

    def __init__(
        self,
        services: Services,
        *,
        sweeper: ReminderSweeper | None = None,
        reminders: bool = True,
    ) -> None:
        self.services = services
        self.sweeper = sweeper or ReminderSweeper(services)
        # Held while a one-off job is added and while shutdown empties the job store.
        self._jobs_lock = threading.Lock()
        self._stopping = False
        self.reminders = reminders
        settings = services.settings
        self.scheduler: Any = BackgroundScheduler(
            timezone=settings.zone,
            job_defaults={"max_instances": 1, "coalesce": True, "misfire_grace_time": None},
        )
        self.scheduler.add_job(
            self.outbox_tick,
            IntervalTrigger(seconds=settings.outbox_seconds, timezone=settings.zone),
            id=OUTBOX_JOB,
            name="stalled intakes, missed pastes and the outbox",
            next_run_time=datetime.now(settings.zone),
        )
        self.scheduler.add_job(
            self.prune_tick,
            IntervalTrigger(seconds=PRUNE_EVERY.total_seconds(), timezone=settings.zone),
            id=PRUNE_JOB,
            name="delivered outbox rows past their retention",
            next_run_time=datetime.now(settings.zone) + PRUNE_FIRST_AFTER,
        )
        if not reminders:
            return
        self.scheduler.add_job(
            self.tick,
            IntervalTrigger(seconds=settings.sweep_seconds, timezone=settings.zone),
            id=SWEEP_JOB,
            name=SWEEP_JOB_NAME,
            next_run_time=datetime.now(settings.zone),
        )
        self.scheduler.add_job(
            self.digest_tick,
            CronTrigger(
                hour=settings.digest_time.hour,
                minute=settings.digest_time.minute,
                timezone=settings.zone,
            ),
            id=DIGEST_JOB,
            name="daily digest",
        )
        weekly = settings.weekly_report
        if weekly is not None:
            self.scheduler.add_job(
                self.weekly_tick,
                CronTrigger(
                    day_of_week=weekly.weekday,
                    hour=weekly.at.hour,
                    minute=weekly.at.minute,
                    timezone=settings.zone,
                ),
                id=WEEKLY_JOB,
                name="weekly report",
            )

    @property
    def owner(self) -> str:
        return self.sweeper.owner

    def start(self) -> None:
        self.scheduler.start()
        if not self.reminders:
            logger.info("FACTCHECK_SCHEDULER=off: this process sends no reminders or digests")
            return
        weekly = self.services.settings.weekly_report
        logger.info(
            "scheduler %s: sweep every %ss, digest at %s, weekly report %s (%s)",
            self.owner,
            self.services.settings.sweep_seconds,
            self.services.settings.digest_time.strftime("%H:%M"),
            weekly.describe() if weekly is not None else "off",
            self.services.settings.timezone,
        )

    def shutdown(self) -> None:
        """Stop the clock, waiting for a running job; no one-off job is added from now on.

        The job store is emptied first: APScheduler 3 marks itself stopped before it takes its
        job-store lock, so a one-off job (catch-up, sweep brought forward) that its thread was
        just handing out was then looked for among jobs not yet started, not found, and the
        scheduler's thread died with a JobLookupError traceback in the log. An empty store
        leaves that thread nothing to remove.
        """
        with self._jobs_lock:
            self._stopping = True
            if self.scheduler.running:
                self.scheduler.remove_all_jobs()
        if self.scheduler.running:
            self.scheduler.shutdown(wait=True)

    def _add_one_off(self, job: Callable[[], object], **options: Any) -> None:
        with self._jobs_lock:
            if not self._stopping:
                self.scheduler.add_job(job, **options)

    def sweep_now(self) -> None:
        """Run one sweep at once, as a one-off job beside the regular one (which may be running:
        the database's claims keep the two from doing any piece of work twice)."""
        self._add_one_off(self.tick, name="sweep brought forward", misfire_grace_time=None)

    def tick(self) -> SweepReport | None:
        """One sweep and a look for due digests and reports; errors are logged, the clock goes on."""
        report: SweepReport | None = None
        try:
            report = self.sweeper.sweep()
        except DBAPIError as error:  # an outage, not a bug: one line, the next tick retries
            logger.warning(SWEEP_FAILED, self.owner, outage_line(error))
        except Exception:
            logger.exception("reminder sweep by %s failed; next sweep will retry", self.owner)
        self.digest_tick()
        self.weekly_tick()
        return report

    def outbox_tick(self) -> None:
        """Finish stalled intakes and edits, retry pastes lost to a database outage, deliver the
        outbox."""
        try:
            resume_stalled_intakes(self.services)
            resume_stalled_edits(self.services)
            missed = self.services.missed.take()
            if missed:
                catch_up(self.services, since=missed)
        except DBAPIError as error:
            logger.warning(RECOVERY_FAILED, self.owner, outage_line(error))
        except Exception:
            logger.exception("intake recovery by %s failed; next tick retries", self.owner)
        deliver_owed(self.services)

    def prune_tick(self) -> None:
        """Forget what Slack took long ago; errors are logged, the next hour retries."""
        try:
            prune_delivered(self.services)
        except DBAPIError as error:
            logger.warning(PRUNE_FAILED, self.owner, outage_line(error))
        except Exception:
            logger.exception("outbox pruning by %s failed; the next run retries", self.owner)

    def catch_up_soon(self) -> None:
        """Read what was missed in the watched channels, now, in the clock's thread."""
        self._add_one_off(self.catch_up, id=CATCH_UP_JOB, name="catch-up", replace_existing=True)

    def catch_up(self) -> None:
        try:
            catch_up(self.services)
        except Exception:
            logger.exception(
                "catch-up by %s failed; the next start or reconnect retries", self.owner
            )

    def digest_tick(self) -> None:
        try:
            post_due_digests(self.services, owner=self.owner)
        except DBAPIError as error:
            logger.warning(DIGEST_FAILED, self.owner, outage_line(error))
        except Exception:
            logger.exception("digest check by %s failed; next sweep will retry", self.owner)

    def weekly_tick(self) -> None:
        try:
            post_due_weekly_reports(self.services, owner=self.owner)
        except DBAPIError as error:
            logger.warning(WEEKLY_FAILED, self.owner, outage_line(error))
        except Exception:
            logger.exception("weekly report check by %s failed; next sweep will retry", self.owner)


def start_desk_clock(services: Services) -> DeskClock:
    """Start this replica's clock (reminders only with FACTCHECK_SCHEDULER on) and catch up."""
    clock = DeskClock(services, reminders=services.settings.scheduler)
    clock.start()
    clock.catch_up_soon()
    return clock
