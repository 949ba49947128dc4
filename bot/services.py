"""What every listener and job needs, built once at start and passed in (no module globals)."""

from __future__ import annotations

import os
import socket
import threading
import uuid
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
from bot.match.loading import build_matcher
from bot.match.matcher import Matcher
from bot.slack_client import build_delivery_client
from bot.work import WorkPool


def utc_now() -> datetime:
    return datetime.now(UTC)


def ts_key(ts: str) -> tuple[int, int]:
    """A Slack ts as numbers, for comparing (text order fails across digit counts)."""
    seconds, _, micros = ts.partition(".")
    return int(seconds or 0), int(micros or 0)


class MissedPastes:
    """Channels where a paste could not be taken (the database was unreachable), with the
    earliest such message in each: the clock's next catch-up reads from there. Thread-safe."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._since: dict[str, str] = {}

    def add(self, channel: str, ts: str) -> None:
        with self._lock:
            known = self._since.get(channel)
            if known is None or ts_key(ts) < ts_key(known):
                self._since[channel] = ts

    def take(self) -> dict[str, str]:
        with self._lock:
            taken, self._since = self._since, {}
            return taken


def replica_name() -> str:
    """A name for this process in lease and run rows: host, pid and a random suffix."""
    return f"{socket.gethostname()[:32]}-{os.getpid()}-{uuid.uuid4().hex[:8]}"


@dataclass
class Services:
    """The seams to the outside world; tests build one against the stand-in and a real database.

    `extractor` defaults to the engine the settings name (FACTCHECK_EXTRACTOR); `work` is the
    one pool that runs listeners' work after their ack (`bot.work`). Pasted links are fetched
    with `http`, each host's address found by `resolve` (tests: an httpx.MockTransport client
    and a resolver that answers a public address). `zones` is the one cache of people's Slack
    time zones. `delivery_client` (the outbox dispatcher's) is `client` without the SDK's
    connection retries. `matcher` finds earlier checks (with the sentence encoder unless the
    extractor is rules or llm).
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
    delivery_client: WebClient = field(default=None)  # type: ignore[assignment]
    replica: str = field(default_factory=replica_name)
    missed: MissedPastes = field(default_factory=MissedPastes)
    matcher: Matcher = field(default=None)  # type: ignore[assignment]

    def __post_init__(self) -> None:
        self.zones = ZoneBook(self.client, default=self.settings.zone, clock=self.clock)
        if self.extractor is None:
            self.extractor = build_extractor(self.settings)
        if self.delivery_client is None:
            self.delivery_client = build_delivery_client(self.client)
        if self.matcher is None:
            self.matcher = build_matcher(self.settings)
