"""Stopping the clock while its thread hands out a one-off job (the catch-up at start)."""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable

import pytest

from bot.scheduler import DeskClock
from bot.services import Services

ROUNDS = 60


def test_a_stop_as_the_catch_up_is_handed_out_prints_no_traceback(
    make_services: Callable[..., Services], monkeypatch: pytest.MonkeyPatch
) -> None:
    """`factcheck run` stopped just after start printed APScheduler's JobLookupError traceback:
    the scheduler's thread, handing out the catch-up, no longer found the job and died."""
    services = make_services()
    died: list[str] = []
    monkeypatch.setattr(
        threading,
        "excepthook",
        lambda hook: died.append(f"{hook.exc_type.__name__}: {hook.exc_value}"),
    )
    jitter = random.Random(11)
    for _ in range(ROUNDS):
        clock = DeskClock(services, reminders=False)
        clock.start()
        clock.catch_up_soon()
        # Not a wait: the stop lands at a different point of the hand-out each round.
        time.sleep(jitter.uniform(0, 0.002))
        clock.shutdown()
    assert died == []
