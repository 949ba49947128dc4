"""Time as people see it: each person's Slack time zone, local clock times, quiet hours, snoozes.

One `ZoneBook` per process lives on `Services`; the rules, reminders and listeners take their
zone from it and the helpers here, so "tomorrow morning" means the same everywhere.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import datetime, time, timedelta
from typing import Final
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.config import QuietHours, Settings

logger = logging.getLogger(__name__)

ZONE_CACHE_TTL: Final = timedelta(hours=12)
# "Snooze till morning" and the end of a night without quiet hours configured.
DEFAULT_MORNING: Final = time(9, 0)


class ZoneBook:
    """Each checker's Slack time zone (users.info), cached; the desk's zone when Slack says nothing.

    Thread-safe; one users.info call per user per `ttl`.
    """

    def __init__(
        self,
        client: WebClient,
        *,
        default: ZoneInfo,
        clock: Callable[[], datetime],
        ttl: timedelta = ZONE_CACHE_TTL,
    ) -> None:
        self._client = client
        self._default = default
        self._clock = clock
        self._ttl = ttl
        self._lock = threading.Lock()
        self._cache: dict[str, tuple[ZoneInfo, datetime]] = {}

    def zone_of(self, user_id: str) -> ZoneInfo:
        now = self._clock()
        with self._lock:
            cached = self._cache.get(user_id)
            if cached is not None and cached[1] > now:
                return cached[0]
        zone = self._lookup(user_id)
        with self._lock:
            self._cache[user_id] = (zone, now + self._ttl)
        return zone

    def _lookup(self, user_id: str) -> ZoneInfo:
        try:
            response = self._client.users_info(user=user_id)
        except SlackApiError as error:
            logger.warning(
                "users.info for %s failed (%s); using the desk's time zone",
                user_id,
                error.response.get("error"),
            )
            return self._default
        user = response.get("user") or {}
        name = user.get("tz") if isinstance(user, dict) else None
        if not name:
            return self._default
        try:
            return ZoneInfo(str(name))
        except (ZoneInfoNotFoundError, ValueError):
            return self._default


def _at_local(day: datetime, at: time, zone: ZoneInfo) -> datetime:
    return datetime.combine(day.date(), at, tzinfo=zone)


def next_local_time(now: datetime, at: time, zone: ZoneInfo) -> datetime:
    """The next moment strictly after `now` when the clock in `zone` shows `at` (UTC)."""
    local = now.astimezone(zone)
    candidate = _at_local(local, at, zone)
    if candidate <= local:
        candidate = _at_local(local + timedelta(days=1), at, zone)
    return candidate.astimezone(now.tzinfo)


def morning_time(settings: Settings) -> time:
    """When a checker's morning starts: the end of quiet hours, else 09:00."""
    quiet = settings.quiet_hours
    return time(quiet.end, 0) if quiet is not None and quiet.start != quiet.end else DEFAULT_MORNING


def quiet_until(now: datetime, zone: ZoneInfo, quiet: QuietHours | None) -> datetime | None:
    """When quiet hours in `zone` end, if `now` falls inside them; None when a DM may go now."""
    if quiet is None or not quiet.contains(now.astimezone(zone).hour):
        return None
    return next_local_time(now, time(quiet.end, 0), zone)


def local_day_start(now: datetime, zone: ZoneInfo) -> datetime:
    """Midnight of `now`'s day in `zone`, as an aware time (the day a nudge counts against)."""
    local = now.astimezone(zone)
    return datetime.combine(local.date(), time(0), tzinfo=zone)


def snooze_until(now: datetime, choice: str, *, zone: ZoneInfo, settings: Settings) -> datetime:
    """`hour`: one hour from now; `morning`: the checker's next morning in their time zone."""
    if choice == "hour":
        return now + timedelta(hours=1)
    return next_local_time(now, morning_time(settings), zone)


def format_local_time(moment: datetime, *, now: datetime, zone: ZoneInfo) -> str:
    """`10:42` today in the desk's zone, `3 Mar 10:42` on another day."""
    local, today = moment.astimezone(zone), now.astimezone(zone)
    if local.date() == today.date():
        return local.strftime("%H:%M")
    return f"{local.day} {local.strftime('%b %H:%M')}"
