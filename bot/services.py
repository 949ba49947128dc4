"""What every listener and job needs, built once at start and passed in (no module globals)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from slack_sdk import WebClient
from sqlalchemy import Engine

from bot.config import Settings
from bot.extract import Extractor, build_extractor
from bot.work import WorkPool


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass
class Services:
    """The seams to the outside world; tests build one against the stand-in and a real database.

    `extractor` defaults to the engine the settings name (FACTCHECK_EXTRACTOR); `work` is the
    one pool that runs listeners' work after their ack (`bot.work`).
    """

    settings: Settings
    engine: Engine
    client: WebClient
    clock: Callable[[], datetime] = field(default=utc_now)
    extractor: Extractor = field(default=None)  # type: ignore[assignment]
    work: WorkPool = field(default_factory=WorkPool)

    def __post_init__(self) -> None:
        if self.extractor is None:
            self.extractor = build_extractor(self.settings)
