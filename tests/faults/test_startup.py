"""Issue 11, failures 5 and 10 at start-up, with `factcheck run` as a subprocess.

- A malformed token, a revoked token (the bot's, or in Socket Mode the app-level one) or an
  unreachable Slack: one line naming the problem and exit code 2, before the database is
  touched (README's promise).
- The database not reachable yet: the bot keeps its port, /healthz answers 503 and the log
  says why in one line per attempt (no traceback); once the database is there it migrates,
  and /healthz answers 200.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from sqlalchemy import Engine
from sqlalchemy.engine import make_url

from bot.localslack.web_api import SlackStandIn
from bot.startup import (
    APP_TOKEN_REFUSED,
    DATABASE_WAITING,
    MALFORMED_TOKEN,
    SLACK_UNREACHABLE,
    TOKEN_REFUSED,
)
from tests.db import url_string
from tests.faults.tcp_proxy import TcpProxy
from tests.slack.bot_process import BotProcess
from tests.waiting import wait_until

EXIT_CONFIG = 2


def _closed_port() -> int:
    with socket.create_server(("127.0.0.1", 0)) as listener:
        return int(listener.getsockname()[1])


def _run_once(
    env: dict[str, str], cwd: Path, mode: str = "http"
) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "bot.cli", "run", f"--{mode}", "--port", "0"]
    return subprocess.run(
        command, cwd=cwd, env=env, capture_output=True, text=True, timeout=60, check=False
    )


@pytest.mark.parametrize("problem", ["malformed", "revoked", "revoked app token", "unreachable"])
def test_token_and_slack_problems_end_in_one_line_before_any_migration(
    problem: str, slack: SlackStandIn, tmp_path: Path
) -> None:
    database = tmp_path / "factcheck.db"
    env = {
        **os.environ,
        "SLACK_BOT_TOKEN": slack.bot_token,
        "SLACK_SIGNING_SECRET": slack.signing_secret,
        "SLACK_API_URL": slack.api_url,
        "DATABASE_URL": f"sqlite:///{database}",
    }
    env.pop("SLACK_APP_TOKEN", None)
    mode = "http"
    if problem == "malformed":
        env["SLACK_BOT_TOKEN"] = "xoxb-12 34\u00e9"
        expected = MALFORMED_TOKEN.format(name="SLACK_BOT_TOKEN", prefix="xoxb-")
    elif problem == "revoked":
        slack.error_next("auth.test", "token_revoked")
        expected = TOKEN_REFUSED.format(error="token_revoked")
    elif problem == "revoked app token":  # Socket Mode: Slack no longer knows the xapp- token
        mode, env["SLACK_APP_TOKEN"] = "socket", slack.app_token
        slack.revoke_token(slack.app_token)
        expected = APP_TOKEN_REFUSED.format(error="invalid_auth")
    else:
        env["SLACK_API_URL"] = f"http://127.0.0.1:{_closed_port()}/api/"
        expected = SLACK_UNREACHABLE.split("(")[0].format(url=env["SLACK_API_URL"])
    finished = _run_once(env, tmp_path, mode)
    lines = [line for line in (finished.stdout + finished.stderr).splitlines() if line.strip()]
    assert finished.returncode == EXIT_CONFIG, lines
    assert len(lines) == 1, lines
    assert expected in lines[0]
    assert slack.bot_token not in lines[0]
    assert slack.app_token not in lines[0]
    assert not database.exists()  # not migrated, not even created


@contextmanager
def _database_not_there_yet(
    engine: Engine, tmp_path: Path
) -> Iterator[tuple[str, TcpProxy | None]]:
    """(DATABASE_URL, proxy): PostgreSQL behind a proxy that refuses connections until
    heal(); SQLite in a directory that does not exist until the test makes it."""
    if engine.dialect.name == "postgresql":
        url = make_url(url_string(engine))
        with TcpProxy(url.host or "127.0.0.1", url.port or 5432) as proxy:
            proxy.refuse()
            proxied = url.set(host="127.0.0.1", port=proxy.port)
            yield proxied.render_as_string(hide_password=False), proxy
        return
    yield f"sqlite:///{tmp_path / 'not-yet' / 'factcheck.db'}", None


def test_the_bot_waits_for_its_database_and_says_503_meanwhile(
    engine: Engine, slack: SlackStandIn, tmp_path: Path
) -> None:
    with _database_not_there_yet(engine, tmp_path) as (database_url, proxy):
        env = {"FACTCHECK_DB_RETRY_SECONDS": "0.2", "FACTCHECK_SCHEDULER": "off"}
        bot = BotProcess("http", slack, database_url, tmp_path, env=env)
        try:
            base = f"http://127.0.0.1:{bot.wait_port()}"
            waiting = DATABASE_WAITING.split("%s")[0]
            wait_until(lambda: waiting in bot.text(), timeout=30, description="a waiting line")
            assert httpx.get(f"{base}/healthz", timeout=5).status_code == 503
            if proxy is not None:
                proxy.heal()
            else:
                (tmp_path / "not-yet").mkdir()
            assert bot.wait_healthy() == base
        finally:
            bot.stop(timeout=10)
    output = bot.text()
    assert "Traceback" not in output, output
    assert all(len(line) < 300 for line in output.splitlines() if waiting in line)
