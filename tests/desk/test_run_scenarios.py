"""Issue 3's "done when": `factcheck run --http` and `--socket` as subprocesses against the stand-in."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.localslack.blockkit import visible_text
from bot.localslack.driver import SlackDriver
from bot.localslack.signing import EventSender
from bot.localslack.web_api import ALICE, CAROL, DESK, SlackStandIn
from bot.render.messages import CLAIMED
from bot.startup import APP_TOKEN_REFUSED
from tests.desk.helpers import ARTICLE
from tests.slack.bot_process import BotProcess
from tests.slack.socket_mode import SocketModeServer

# The bot stops well within this on an idle machine (about a second); the margin is for
# a machine shared with parallel test runs, where 5 s was seen to flake.
STOP_WITHIN_SECONDS = 15.0


def _start(mode: str, slack: SlackStandIn, database_url: str, cwd: Path) -> tuple[BotProcess, str]:
    bot = BotProcess(
        mode,
        slack,
        database_url,
        cwd,
        env={"FACTCHECK_SCHEDULER": "off", "FACTCHECK_MIN_ARTICLE_CHARS": "200"},
    )
    return bot, bot.wait_healthy()


def _stop_within_deadline(bot: BotProcess) -> None:
    elapsed = bot.stop(timeout=STOP_WITHIN_SECONDS)
    if elapsed is None:
        pytest.fail(f"SIGTERM did not stop the bot within {STOP_WITHIN_SECONDS} s")
    assert elapsed < STOP_WITHIN_SECONDS


def _paste_and_claim(driver: SlackDriver, slack: SlackStandIn) -> None:
    message = driver.say(CAROL, DESK, ARTICLE)
    reply = slack.wait_for(
        lambda: [
            m for m in slack.messages_in(DESK, thread_ts=message["ts"]) if m["ts"] != message["ts"]
        ],
        timeout=15,
        description="thread reply",
    )[0]
    # Claim the moment the thread shows, as a person may: the bot may not have recorded the
    # card's ts yet (bot.desk.cards.post_thread catches up), so wait for what Alice would see.
    delivery = driver.command(ALICE, "/factcheck", "claim 1", channel=DESK)
    assert delivery.acked
    answers = slack.wait_for(
        lambda: slack.responses(delivery.response_url), timeout=15, description="answer"
    )
    assert answers[0].text == CLAIMED.format(ids="#1")
    slack.wait_for(
        lambda: f"<@{ALICE}>" in visible_text(slack.message(DESK, reply["ts"])),
        timeout=15,
        description="the card shows the claim",
    )


def test_run_http_end_to_end(slack: SlackStandIn, database_url: str, tmp_path: Path) -> None:
    process, base = _start("http", slack, database_url, tmp_path)
    try:
        with EventSender(f"{base}/slack/events", slack.signing_secret) as sender:
            _paste_and_claim(SlackDriver(slack, sender=sender), slack)
    finally:
        _stop_within_deadline(process)


def test_run_socket_mode_end_to_end(slack: SlackStandIn, database_url: str, tmp_path: Path) -> None:
    with SocketModeServer(slack) as server:
        process, _base = _start("socket", slack, database_url, tmp_path)
        try:
            server.wait_connected(timeout=15)
            _paste_and_claim(SlackDriver(slack, socket=server), slack)
        finally:
            _stop_within_deadline(process)


def test_an_app_token_revoked_while_running_ends_the_bot_in_one_line(
    slack: SlackStandIn, database_url: str, tmp_path: Path
) -> None:
    """Before: a traceback, then the bot stayed up and deaf, asking Slack for a URL for ever."""
    with SocketModeServer(slack) as server:
        process, _base = _start("socket", slack, database_url, tmp_path)
        try:
            server.wait_connected(timeout=15)
            slack.revoke_token(slack.app_token)
            server.disconnect_all()  # Slack refreshes the connection; the bot asks for a new URL
            process.process.wait(timeout=STOP_WITHIN_SECONDS)
        finally:
            process.kill()
    output = process.text()
    assert process.process.returncode == 2, output
    assert "Traceback" not in output
    refused = APP_TOKEN_REFUSED.format(error="invalid_auth")
    assert [line for line in output.splitlines() if refused in line] == [f"factcheck: {refused}"]
    assert slack.app_token not in output
