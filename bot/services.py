"""What every listener and job needs, built once at start and passed in (no module globals)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

import httpx
from slack_sdk import WebClient
from sqlalchemy import Engine

from bot.clock import ZoneBook
from bot.config import Settings
from bot.extract import Extractor, build_extractor
from bot.extract.fetch import Resolver, link_client, system_resolver
from bot.work import WorkPool


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass
class Services:
    """The seams to the outside world; tests build one against the stand-in and a real database.

    `extractor` defaults to the engine the settings name (FACTCHECK_EXTRACTOR); `work` is the
    one pool that runs listeners' work after their ack (`bot.work`). Pasted links are fetched
    with `http`, each host's address found by `resolve` (tests: an httpx.MockTransport client
    and a resolver that answers a public address). `zones` is the one cache of people's Slack
    time zones.
    """

    settings: Settings
    engine: Engine
    client: WebClient
    clock: Callable[[], datetime] = field(default=utc_now)
    extractor: Extractor = field(default=None)  # type: ignore[assignment]
    work: WorkPool = field(default_factory=WorkPool)
    http: httpx.Client = field(default_factory=link_client)
    resolve: Resolver = field(default=system_resolver)
    zones: ZoneBook = field(init=False)

    def __post_init__(self) -> None:
        self.zones = ZoneBook(self.client, default=self.settings.zone, clock=self.clock)
        if self.extractor is None:
            self.extractor = build_extractor(self.settings)
