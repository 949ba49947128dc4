"""A running playground (bot, local Slack, page) on free ports with a throwaway SQLite file."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from bot.playground.desk import Playground
from bot.playground.page import PageServer

#: Written for these tests (a made-up city): a headline, claims, quotes, and markup that must
#: show as text, never run.
ARTICLE = (Path(__file__).parent / "article.txt").read_text(encoding="utf-8")


@dataclass
class Running:
    """The playground and the URL of its page."""

    playground: Playground
    url: str


@pytest.fixture
def running(tmp_path: Path) -> Iterator[Running]:
    """Sweeps only when a test moves the clock (no 60-second tick lands mid-test)."""
    playground = Playground(tmp_path / "desk.db", overrides={"sweep_seconds": 3600})
    playground.start()
    page = PageServer(playground, 0).start()
    try:
        yield Running(playground, page.url)
    finally:
        page.stop()
        playground.stop()
