"""APScheduler (3.x) as a clock only: it decides when this replica looks; the database decides who works.

Two jobs on a `BackgroundScheduler`, both `max_instances=1` and `coalesce=True` (a tick that
overruns is not doubled, missed ticks collapse into one):

- `sweep`, every FACTCHECK_SWEEP_SECONDS, first at start: reminders, escalations, nudges
  (bot.reminders), then `post_due_digests` (bot.digest), which is how a digest missed while
  the bot was down goes out once when it comes back the same day.
- `digest`, at FACTCHECK_DIGEST_TIME in FACTCHECK_TIMEZONE, so the digest is on time even with
  a long sweep interval.

Nothing here is exactly-once by itself: every job claims its work in our tables, so any number
of replicas may run this clock (FACTCHECK_SCHEDULER=off only saves work, it is not needed for
correctness). The scheduler's job store is in memory on purpose: there is nothing to persist.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any, Final

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy.exc import DBAPIError

from bot.digest import post_due_digests
from bot.reminders import ReminderSweeper, SweepReport
from bot.services import Services

logger = logging.getLogger(__name__)

SWEEP_FAILED: Final = "reminder sweep by %s failed, database unavailable (%s); next sweep retries"
DIGEST_FAILED: Final = "digest check by %s failed, database unavailable (%s); next sweep retries"
SWEEP_JOB: Final = "sweep"
#: How the sweep job is named in APScheduler's log lines ("Job ... executed successfully").
SWEEP_JOB_NAME: Final = "reminder sweep and missed digests"
DIGEST_JOB: Final = "digest"


class DeskClock:
    """The scheduler of one replica. `start()` once; `shutdown()` waits for a running job."""

    def __init__(self, services: Services, *, sweeper: ReminderSweeper | None = None) -> None:
        self.services = services
        self.sweeper = sweeper or ReminderSweeper(services)
        settings = services.settings
        self.scheduler: Any = BackgroundScheduler(
            timezone=settings.zone,
            job_defaults={"max_instances": 1, "coalesce": True, "misfire_grace_time": None},
        )
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

    @property
    def owner(self) -> str:
        return self.sweeper.owner

    def start(self) -> None:
        self.scheduler.start()
        logger.info(
            "scheduler %s: sweep every %ss, digest at %s %s",
            self.owner,
            self.services.settings.sweep_seconds,
            self.services.settings.digest_time.strftime("%H:%M"),
            self.services.settings.timezone,
        )

    def shutdown(self) -> None:
        if self.scheduler.running:
            self.scheduler.shutdown(wait=True)

    def sweep_now(self) -> None:
        """Run one sweep at once, as a one-off job beside the regular one (which may be running:
        the database's claims keep the two from doing any piece of work twice)."""
        self.scheduler.add_job(self.tick, name="sweep brought forward", misfire_grace_time=None)

    def tick(self) -> SweepReport | None:
        """One sweep and a look for due digests; errors are logged, the clock keeps going."""
        report: SweepReport | None = None
        try:
            report = self.sweeper.sweep()
        except DBAPIError as error:  # an outage, not a bug: one line, the next tick retries
            logger.warning(SWEEP_FAILED, self.owner, _first_line(error))
        except Exception:
            logger.exception("reminder sweep by %s failed; next sweep will retry", self.owner)
        self.digest_tick()
        return report

    def digest_tick(self) -> None:
        try:
            post_due_digests(self.services, owner=self.owner)
        except DBAPIError as error:
            logger.warning(DIGEST_FAILED, self.owner, _first_line(error))
        except Exception:
            logger.exception("digest check by %s failed; next sweep will retry", self.owner)


def _first_line(error: DBAPIError) -> str:
    """The driver's own message, without SQLAlchemy's SQL echo and background link."""
    lines = str(error.orig).strip().splitlines() if error.orig is not None else []
    return lines[0] if lines else type(error).__name__


def start_desk_clock(services: Services) -> DeskClock:
    clock = DeskClock(services)
    clock.start()
    return clock
