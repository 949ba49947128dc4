"""Fixtures for the scheduler's tests: a manual clock, settings and Services on the stand-in."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import Engine

from bot.config import Settings, load_settings
from bot.localslack.web_api import SlackStandIn
from bot.services import Services
from bot.slack_client import build_web_client
from tests.factories import T0


class ManualClock:
    """The injected clock: time moves only when a test says so (no sleeping)."""

    def __init__(self, now: datetime = T0) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def set(self, now: datetime) -> None:
        self.now = now

    def advance(self, delta: timedelta) -> datetime:
        self.now += delta
        return self.now


def desk_settings(stand_in: SlackStandIn, **overrides: Any) -> Settings:
    """Settings for a bot talking to the stand-in; `.env` and the process environment ignored."""
    values: dict[str, Any] = {
        "slack_bot_token": stand_in.bot_token,
        "slack_signing_secret": stand_in.signing_secret,
        "slack_api_url": stand_in.api_url,
        "reminder_interval": "4h",
        "escalate_after": 3,
        "timezone": "UTC",
        # The sweep's rules at any hour; the quiet-hours tests turn them on themselves.
        "quiet_hours": "none",
    }
    values.update(overrides)
    return load_settings(_env_file=None, **values)


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
def make_services(
    engine: Engine,
    slack: SlackStandIn,
    clock: ManualClock,
) -> Callable[..., Services]:
    """Factory: `make_services(**settings_overrides)` -> Services on `engine`, the stand-in, `clock`."""

    def make(**overrides: Any) -> Services:
        settings = desk_settings(slack, **overrides)
        return Services(
            settings=settings, engine=engine, client=build_web_client(settings), clock=clock
        )

    return make
