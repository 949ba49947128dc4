"""The desk's clock in the playground: real time plus an offset the page can move forward."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta


class DeskTime:
    """A clock for `Services.clock` that only ever moves forward, by real time or `advance`.

    The bot reads it like any clock; the playground jumps it ahead so reminders and the digest
    come due now instead of in four hours. Thread-safe: the scheduler and listeners read it
    while the page advances it.
    """

    def __init__(self) -> None:
        self._offset = timedelta()
        self._lock = threading.Lock()

    def __call__(self) -> datetime:
        with self._lock:
            return datetime.now(UTC) + self._offset

    @property
    def offset(self) -> timedelta:
        """How far ahead of real time the desk is."""
        with self._lock:
            return self._offset

    def advance(self, by: timedelta) -> datetime:
        """Move the desk's time forward by `by` (never back); returns the new time."""
        if by < timedelta():
            raise ValueError("the desk clock only moves forward")
        with self._lock:
            self._offset += by
            return datetime.now(UTC) + self._offset
