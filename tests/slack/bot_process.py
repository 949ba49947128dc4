"""`factcheck run` as a subprocess against the stand-in, on the port it binds and logs itself."""

from __future__ import annotations

import os
import queue
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Mapping
from pathlib import Path

import httpx

from bot.cli.run import LISTENING
from bot.localslack.web_api import SlackStandIn

#: How long the bot may take to log its port and answer /healthz.
START_WITHIN_SECONDS = 30.0
_LISTENING = re.compile(
    re.escape(LISTENING) % (r"(?P<host>\S+)", r"(?P<port>\d+)", r"(?P<mode>\w+)")
)


class BotProcess:
    """A running `factcheck run --http|--socket --port 0`; its output is kept in ``output``.

    Stdout (with stderr) is drained by a thread from the start, so a chatty bot never blocks
    on a full pipe, and the port is read from the bot's own "listening on" line: nothing
    picks a port and releases it for the bot to bind later.
    """

    def __init__(
        self,
        mode: str,
        slack: SlackStandIn,
        database_url: str,
        cwd: Path,
        env: Mapping[str, str] | None = None,
    ) -> None:
        environment = {
            **os.environ,
            "SLACK_BOT_TOKEN": slack.bot_token,
            "SLACK_SIGNING_SECRET": slack.signing_secret,
            "SLACK_API_URL": slack.api_url,
            "DATABASE_URL": database_url,
            "FACTCHECK_LOG_LEVEL": "INFO",  # the "listening on" line is logged at INFO
            **(env or {}),
        }
        if mode == "socket":
            environment["SLACK_APP_TOKEN"] = slack.app_token
        else:
            environment.pop("SLACK_APP_TOKEN", None)
        self.output: list[str] = []
        self.port: int | None = None
        self._lines: queue.Queue[str | None] = queue.Queue()
        command = [sys.executable, "-m", "bot.cli", "run", f"--{mode}"]
        self.process = subprocess.Popen(
            [*command, "--host", "127.0.0.1", "--port", "0"],
            cwd=cwd,
            env=environment,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self._reader = threading.Thread(target=self._drain, name="bot-output", daemon=True)
        self._reader.start()

    def _drain(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.output.append(line)
            self._lines.put(line)
        self._lines.put(None)

    def wait_healthy(self, *, timeout: float = START_WITHIN_SECONDS) -> str:
        """Wait for the bot's port, then for /healthz to answer ``{"ok": true}``; returns the
        base URL. Kills the bot and raises ``AssertionError`` if it exits or times out first."""
        deadline = time.monotonic() + timeout
        try:
            base = f"http://127.0.0.1:{self._wait_port(deadline)}"
            while True:
                try:
                    health = httpx.get(f"{base}/healthz", timeout=1)
                    if health.status_code == 200:
                        assert health.json()["ok"] is True
                        return base
                except httpx.HTTPError:
                    pass
                if self.process.poll() is not None:
                    raise AssertionError(f"bot exited: {self.text()}")
                if time.monotonic() > deadline:
                    raise AssertionError(f"bot did not become healthy: {self.text()}")
                time.sleep(0.1)
        except BaseException:
            self.kill()
            raise

    def wait_port(self, *, timeout: float = START_WITHIN_SECONDS) -> int:
        """The port the bot logged it listens on (before it is ready to serve)."""
        try:
            return self._wait_port(time.monotonic() + timeout)
        except BaseException:
            self.kill()
            raise

    def _wait_port(self, deadline: float) -> int:
        if self.port is not None:
            return self.port
        while True:
            try:
                line = self._lines.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                raise AssertionError(f"bot logged no port: {self.text()}") from None
            if line is None:
                raise AssertionError(f"bot exited: {self.text()}")
            if found := _LISTENING.search(line):
                self.port = int(found["port"])
                return self.port

    def stop(self, *, timeout: float) -> float | None:
        """SIGTERM, then wait up to ``timeout`` s; returns the seconds it took to exit, or
        ``None`` if it had to be killed."""
        started = time.monotonic()
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.kill()
            return None
        self._reader.join(timeout=5)
        return time.monotonic() - started

    def kill(self) -> None:
        self.process.kill()
        self.process.wait()
        self._reader.join(timeout=5)

    def text(self) -> str:
        """Everything the bot has printed so far."""
        return "".join(self.output)
