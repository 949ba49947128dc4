"""The page's API without a browser: what a person sees and does, and who may ask."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from datetime import timedelta
from functools import partial
from pathlib import Path
from typing import Any

import httpx
from slack_sdk import WebClient

from bot.cli.playground import READY
from bot.command_grammar import HELP_TITLE
from bot.localslack.blockkit import visible_text
from bot.localslack.web_api import ALICE, BOB, CAROL, DESK, NEWSROOM
from bot.playground.desk import Playground
from bot.playground.mrkdwn_html import Reader, mrkdwn_html
from bot.playground.panes import ONLY_YOU
from bot.playground.workspace import DAN
from bot.render import ids
from bot.render.cards import STATUS_CLAIMED, STATUS_OPEN
from bot.render.weekly_chart import WeeklyChart, weekly_chart_png
from tests.desk.helpers import LONG_ARTICLE
from tests.playground.conftest import ARTICLE, Running


def state(running: Running, user: str, pane: str = f"channel:{DESK}") -> dict[str, Any]:
    answer = httpx.get(running.url + "play/state", params={"as": user, "pane": pane})
    assert answer.status_code == 200
    return dict(answer.json())


def post(running: Running, path: str, body: dict[str, Any]) -> httpx.Response:
    return httpx.post(running.url + path.lstrip("/"), json=body, timeout=20)


def test_pasted_article_gets_its_cards_in_the_thread(running: Running) -> None:
    answer = post(running, "/play/say", {"as": CAROL, "channel": DESK, "text": ARTICLE})
    assert answer.json() == {"ok": True, "notice": None}
    slack = running.playground.slack
    slack.wait_for(lambda: len(slack.messages_in(DESK, include_replies=True)) >= 2, timeout=20)
    pane = state(running, ALICE)["pane"]
    assert "#1</b> Claim" in pane
    assert mrkdwn_html(STATUS_OPEN, Reader()) in pane
    assert "<script>" not in pane
    assert "<img" not in pane
    assert "&lt;script&gt;" in pane


def test_a_command_answer_is_shown_only_to_who_ran_it(running: Running) -> None:
    post(running, "/play/say", {"as": ALICE, "channel": DESK, "text": "/factcheck help"})
    slack = running.playground.slack
    slack.wait_for(lambda: slack.ephemerals_to(ALICE), timeout=10)
    assert mrkdwn_html(HELP_TITLE, Reader()) in state(running, ALICE)["pane"]
    assert ONLY_YOU in state(running, ALICE)["pane"]
    assert ONLY_YOU not in state(running, CAROL)["pane"]


def test_only_json_from_this_host_is_acted_on(running: Running) -> None:
    form = httpx.post(running.url + "play/say", data={"as": CAROL, "channel": DESK, "text": "x"})
    assert form.status_code == 415
    rebound = httpx.get(running.url, headers={"Host": "attacker.example:80"})
    assert rebound.status_code == 421
    page = httpx.get(running.url)
    assert page.status_code == 200
    assert "script-src" not in page.headers["content-security-policy"]  # default-src 'self'
    assert "default-src 'self'" in page.headers["content-security-policy"]
    assert running.playground.slack.messages_in(DESK) == []


def test_the_bot_talks_only_to_the_local_slack(running: Running) -> None:
    services = running.playground.services
    assert services is not None
    assert services.client.base_url.startswith("http://127.0.0.1:")
    assert running.playground.bot_url.startswith("http://127.0.0.1:")


def test_ctrl_c_stops_the_playground(tmp_path: Path) -> None:
    command = [sys.executable, "-m", "bot.cli", "playground", "--port", "0"]
    command += ["--db", str(tmp_path / "desk.db")]
    process = subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    ready = re.compile(re.escape(READY.split("{url}")[0]) + r"(http://127\.0\.0\.1:\d+/)")
    url = None
    try:
        assert process.stdout is not None
        for line in process.stdout:
            found = ready.search(line)
            if found:
                url = found.group(1)
                break
        assert url is not None, "the playground never said where its page is"
        assert httpx.get(url).status_code == 200
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=20) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        if process.stdout is not None:
            process.stdout.close()
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        try:
            httpx.get(url, timeout=1)
        except httpx.ConnectError:
            return
        time.sleep(0.1)
    raise AssertionError("the page still answers after Ctrl-C")


def paste_and_wait(running: Running, channel: str = DESK) -> None:
    post(running, "/play/say", {"as": CAROL, "channel": channel, "text": ARTICLE})


def test_the_message_shortcut_checks_an_article_outside_the_desk(running: Running) -> None:
    slack = running.playground.slack
    paste_and_wait(running, NEWSROOM)
    article = slack.messages_in(NEWSROOM)[0]
    assert 'data-shortcut="1"' in state(running, CAROL, f"channel:{NEWSROOM}")["pane"]
    answer = post(
        running, "/play/shortcut", {"as": CAROL, "channel": NEWSROOM, "ts": article["ts"]}
    )
    assert answer.json()["ok"] is True
    slack.wait_for(lambda: slack.messages_in(NEWSROOM, thread_ts=article["ts"])[1:], timeout=20)
    assert "#1</b> Claim" in state(running, CAROL, f"channel:{NEWSROOM}")["pane"]


def test_reminders_then_an_escalation_to_the_editor(running: Running) -> None:
    slack = running.playground.slack
    paste_and_wait(running)
    cards = slack.wait_for(lambda: slack.messages_in(DESK, include_replies=True)[1:], timeout=20)
    claim = {"kind": "message", "channel": DESK, "ts": cards[0]["ts"]}
    block = ids.ticket_block_id(1, "actions")
    body = {"as": ALICE, "container": claim, "action_id": ids.ACTION_CLAIM, "block_id": block}
    assert post(running, "/play/act", body).json()["notice"] is None
    slack.wait_for(lambda: "Claimed" in str(slack.messages_in(DESK, include_replies=True)))
    settings = running.playground.settings
    assert settings is not None
    reminders = settings.escalate_after

    def reminded(times: int) -> bool:
        # Reminders sent, not those still shown: each new reminder DM replaces the last.
        sent = [c for c in slack.calls("chat.postMessage") if c.args.get("channel") == ALICE]
        return len(sent) >= min(times, reminders)

    def jump_until_reminded(times: int) -> None:
        # A jump while the previous sweep job is still finishing is skipped by the scheduler
        # (never two sweeps at once): jump again until the reminder comes.
        for _ in range(10):
            post(running, "/play/time", {"as": ALICE, "to": "reminders"})
            try:
                slack.wait_for(partial(reminded, times), timeout=2)
            except AssertionError:
                continue
            return
        raise AssertionError(f"reminder {times} never came")

    for sent in range(1, reminders + 2):
        jump_until_reminded(sent)
        if slack.dms_to(BOB):
            break
    escalation = slack.wait_for(lambda: slack.dms_to(BOB), timeout=20)
    assert "#1" in visible_text(escalation[0])
    assert 'factcheck <span class="badge">1</span>' in state(running, BOB)["sidebar"]

    # The editor hands the ticket to Dan with the escalation's person picker.
    picker = f'data-act="select" data-action-id="{ids.ACTION_ASSIGN_PICK}"'
    assert picker in state(running, BOB, "dm")["pane"]
    where = {"kind": "message", "channel": slack.im_channel_for(BOB), "ts": escalation[0]["ts"]}
    pick = {
        "as": BOB,
        "container": where,
        "action_id": ids.ACTION_ASSIGN_PICK,
        "block_id": ids.assign_block_id(1, "escalationactions", ALICE),
        "value": DAN,
    }
    assert post(running, "/play/act", pick).json() == {"ok": True, "notice": None}
    slack.wait_for(
        lambda: (
            STATUS_CLAIMED.format(assignee=DAN)
            in str(slack.messages_in(DESK, include_replies=True))
        )
    )
    assert 'Claimed</b> by <span class="mention">@Dan Checker</span>' in state(running, DAN)["pane"]


def test_a_desk_opened_after_the_digest_time_owes_no_catch_up(tmp_path: Path) -> None:
    """The desk opens empty, so it missed no digest or weekly report: opened on a Monday after
    both were due, it posts neither, and the first digest comes when the clock reaches it."""
    playground = Playground(tmp_path / "desk.db", overrides={"timezone": "UTC"})
    now = playground.time()
    monday = (now + timedelta(days=7 - now.weekday())).replace(hour=10, minute=0)
    playground.time.advance(monday - now)  # Monday 10:00: the digest (9:00) and report are due
    playground.start()
    try:
        clock = playground.background.desk_clock
        assert clock is not None
        clock.tick()  # the scheduler's look for due digests and reports, done by the time it returns
        assert playground.slack.messages_in(DESK) == []
        playground.time.advance(timedelta(days=1))  # Tuesday 10:00: the next digest is due
        clock.tick()
        posted = [visible_text(message) for message in playground.slack.messages_in(DESK)]
        assert len(posted) == 1
        assert "Fact-check desk, Tuesday" in posted[0]
    finally:
        playground.stop()


def test_an_offered_claim_is_filed_from_the_page(running: Running) -> None:
    post(running, "/play/say", {"as": CAROL, "channel": DESK, "text": LONG_ARTICLE})
    slack = running.playground.slack

    def offers_message() -> dict[str, Any] | None:
        for message in slack.messages_in(DESK, include_replies=True):
            blocks = message.get("blocks") or []
            if any(b.get("block_id") == ids.OFFERS_HEADER_BLOCK for b in blocks):
                return dict(message)
        return None

    offers = slack.wait_for(offers_message, timeout=20, description="Also worth a look")
    assert offers is not None
    second = offers["blocks"][2]
    answer = post(
        running,
        "/play/act",
        {
            "as": ALICE,
            "container": {"kind": "message", "channel": DESK, "ts": offers["ts"]},
            "action_id": ids.ACTION_FILE_OFFER,
            "block_id": second["block_id"],
        },
    )
    assert answer.json()["ok"] is True
    slack.wait_for(
        lambda: "Filed as" in visible_text((offers_message() or {}).get("blocks") or []),
        timeout=20,
        description="the offer marked filed",
    )
    pane = state(running, ALICE)["pane"]
    assert "Filed as" in pane


def test_a_typed_mention_reaches_the_bot_as_slack_escapes_it(running: Running) -> None:
    slack = running.playground.slack
    paste_and_wait(running)
    slack.wait_for(lambda: slack.messages_in(DESK, include_replies=True)[1:], timeout=20)
    command = {"as": BOB, "channel": DESK, "text": "/factcheck assign 1 @dan"}
    assert post(running, "/play/say", command).json()["ok"] is True
    slack.wait_for(lambda: "U0DAN" in str(slack.messages_in(DESK, include_replies=True)))
    assert 'Claimed</b> by <span class="mention">@Dan Checker</span>' in state(running, DAN)["pane"]


def test_the_weekly_chart_shows_as_an_image_served_by_the_page(running: Running) -> None:
    slack = running.playground.slack
    chart = weekly_chart_png(
        WeeklyChart(
            days=["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"],
            filed=[3, 1, 0, 2, 0, 0, 0],
            finished=[1, 2, 1, 0, 1, 0, 0],
            verdicts=[("Accurate", 2), ("Misleading", 1)],
        )
    )
    assert chart is not None
    # As the dispatcher shares it: files_upload_v2 with the report's blocks.
    WebClient(token=slack.bot_token, base_url=slack.api_url).files_upload_v2(
        channel=DESK,
        file=chart,
        filename="factcheck-2026-W10.png",
        title="Filed and finished per day, and verdicts, 2026-W10",
        alt_txt="Bar charts",
        blocks='[{"type": "section", "text": {"type": "mrkdwn", "text": "*Per day*"}}]',
    )
    pane = state(running, BOB)["pane"]
    [source] = re.findall(r'<img src="(/play/file/F\w+)" alt="Bar charts">', pane)
    image = httpx.get(running.url + source.lstrip("/"))
    assert image.status_code == 200
    assert image.headers["content-type"] == "image/png"
    assert image.content == chart
    assert httpx.get(running.url + "play/file/F0NOPE").status_code == 404
