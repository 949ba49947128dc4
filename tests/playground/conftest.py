"""A running playground (bot, local Slack, page) on free ports with a throwaway SQLite file."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

import pytest

from bot.playground.desk import Playground
from bot.playground.page import PageServer

#: The page's sample article (a made-up city: claims and quotes), with markup that must show as
#: text, never run.
SAMPLE = files("bot.playground").joinpath("static", "sample-article.txt").read_text("utf-8")
XSS = ('<script>alert("pwned")</script>', "<img src=x onerror=alert(document.domain)>")
ARTICLE = SAMPLE.replace("\n\n", f" {XSS[0]}\n\n", 1) + f"\n{XSS[1]}\n"


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
