"""The editors' weekly report: in the channel on Monday morning with its chart, once per week."""

from __future__ import annotations

import logging
import struct
import sys
import threading
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine

from bot.cli import main
from bot.localslack.blockkit import visible_text
from bot.localslack.web_api import ALICE, BOB, DESK, NEWSROOM, SharedFile, SlackStandIn
from bot.outbox import deliver_owed
from bot.render import weekly_chart as chart_module
from bot.render.weekly import CHART_TITLE, WEEKLY_TITLE
from bot.render.weekly_chart import CHART_UNAVAILABLE, HEIGHT_PX, WIDTH_PX
from bot.services import Services
from bot.weekly import post_due_weekly_reports
from tests.reminders.conftest import ManualClock
from tests.weekly_desk import REPORT_DUE, prepare_week

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
TITLE = WEEKLY_TITLE.format(first="Mon 2 Mar", last="Sun 8 Mar")
CHART_NAME = CHART_TITLE.format(week="2026-W10")


def berlin_services(make_services: Callable[..., Services], **overrides: Any) -> Services:
    settings: dict[str, Any] = {"digest_channel": DESK, "timezone": "Europe/Berlin"}
    settings.update(overrides)
    return make_services(**settings)


def reports_in(slack: SlackStandIn, channel: str = DESK) -> list[dict[str, Any]]:
    return [m for m in slack.messages_in(channel) if TITLE in visible_text(m)]


def png_size(content: bytes) -> tuple[int, int]:
    """Width and height from a PNG's IHDR chunk."""
    assert content.startswith(PNG_SIGNATURE)
    width, height = struct.unpack(">II", content[16:24])
    return int(width), int(height)


def assert_the_chart(shared: SharedFile) -> None:
    assert shared.content is not None
    assert png_size(shared.content) == (WIDTH_PX, HEIGHT_PX)
    assert 5_000 < len(shared.content) < 200_000
    assert shared.mimetype == "image/png"
    assert shared.title == CHART_NAME


def test_monday_morning_the_report_arrives_with_its_chart_once(
    make_services: Callable[..., Services], engine: Engine, slack: SlackStandIn, clock: ManualClock
) -> None:
    prepare_week(engine)
    services = berlin_services(make_services)
    clock.set(REPORT_DUE - timedelta(seconds=1))
    assert post_due_weekly_reports(services, owner="a") == []
    clock.set(REPORT_DUE)
    assert len(post_due_weekly_reports(services, owner="a")) == 1
    assert post_due_weekly_reports(services, owner="b") == []

    [report] = reports_in(slack)
    [shared] = slack.files_shared_in(DESK)
    assert [f["id"] for f in report["files"]] == [shared.id]
    assert_the_chart(shared)
    text = visible_text(report)
    for expected in [
        "Week 2026-W10, the whole desk",
        "*Filed*\n8",
        "*Finished*\n6 (4 verified · 1 flagged · 1 dismissed)",
        "*Median time to verdict*\n1d 0h (over 5)",
        "*Open now*\n3 unclaimed · 1 claimed",
        "Mon 2 Mar      5        1",
        "Tue 3 Mar      2        2",
        "Fri 6 Mar      0        1",
        "*Verdicts*: Accurate 1 · Mostly accurate 1 · Needs context 1 · Misleading 1 · Inaccurate 1",
        f"<@{ALICE}>: 3 finished, median 1d 0h to verdict, 1 open now",
        f"<@{BOB}>: 2 finished, median 2d 0h to verdict, 0 open now",
    ]:
        assert expected in text, (expected, text)

    # Later that Monday and on Tuesday: nothing more.
    for later in (timedelta(hours=5), timedelta(days=1)):
        clock.set(REPORT_DUE + later)
        assert post_due_weekly_reports(services, owner="b") == []
    assert len(reports_in(slack)) == 1
    assert len(slack.files_shared_in(DESK)) == 1


def test_two_replicas_on_monday_morning_send_one_report_per_channel(
    make_services: Callable[..., Services], engine: Engine, slack: SlackStandIn, clock: ManualClock
) -> None:
    prepare_week(engine)
    services = berlin_services(make_services, digest_channel=None, channels=f"{DESK},{NEWSROOM}")
    clock.set(REPORT_DUE + timedelta(minutes=1))
    start = threading.Barrier(4)
    queued: list[int] = []

    def replica(name: str) -> None:
        start.wait()
        queued.append(len(post_due_weekly_reports(services, owner=name)))

    threads = [threading.Thread(target=replica, args=(f"r{n}",)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    deliver_owed(services)
    assert sum(queued) == 2
    for channel in (DESK, NEWSROOM):
        assert len(reports_in(slack, channel)) == 1
        assert len(slack.files_shared_in(channel)) == 1
    # Each intake channel's report counts its own articles.
    assert "Week 2026-W10, articles in" in visible_text(reports_in(slack, NEWSROOM)[0])
    assert "*Filed*\n1" in visible_text(reports_in(slack, NEWSROOM)[0])


def test_a_refused_upload_is_retried_and_shared_once(
    make_services: Callable[..., Services], engine: Engine, slack: SlackStandIn, clock: ManualClock
) -> None:
    prepare_week(engine)
    services = berlin_services(make_services)
    clock.set(REPORT_DUE)
    slack.error_next("files.completeUploadExternal", "service_unavailable")
    assert len(post_due_weekly_reports(services, owner="a")) == 1
    assert reports_in(slack) == []
    clock.set(REPORT_DUE + timedelta(minutes=5))
    assert post_due_weekly_reports(services, owner="b") == []
    assert deliver_owed(services).sent == 1
    assert len(reports_in(slack)) == 1
    assert_the_chart(slack.files_shared_in(DESK)[0])
    clock.set(REPORT_DUE + timedelta(minutes=30))
    assert deliver_owed(services).sent == 0
    assert len(slack.files_shared_in(DESK)) == 1


def test_a_report_shared_but_never_acknowledged_is_not_shared_again(
    make_services: Callable[..., Services], engine: Engine, slack: SlackStandIn, clock: ManualClock
) -> None:
    prepare_week(engine)
    services = berlin_services(make_services, outbox_lease_seconds=30)
    clock.set(REPORT_DUE)
    # Slack shares the file, and the connection drops before the dispatcher hears so.
    slack.drop_next("files.completeUploadExternal", after=True)
    assert len(post_due_weekly_reports(services, owner="a")) == 1
    assert len(reports_in(slack)) == 1
    clock.set(REPORT_DUE + timedelta(minutes=5))
    assert deliver_owed(services).sent == 1
    # The retry found its file in the channel's history and uploaded nothing.
    assert len(reports_in(slack)) == 1
    assert len(slack.files_shared_in(DESK)) == 1
    assert len(slack.calls("files.getUploadURLExternal")) == 1


def test_an_app_not_reinstalled_with_files_write_still_sends_the_report_as_text(
    make_services: Callable[..., Services],
    engine: Engine,
    slack: SlackStandIn,
    clock: ManualClock,
    caplog: pytest.LogCaptureFixture,
) -> None:
    prepare_week(engine)
    services = berlin_services(make_services)
    clock.set(REPORT_DUE)
    slack.error_next("files.getUploadURLExternal", "missing_scope")
    with caplog.at_level(logging.WARNING, logger="bot.outbox"):
        assert len(post_due_weekly_reports(services, owner="a")) == 1
    [report] = reports_in(slack)
    assert "files" not in report
    assert "*Filed*\n8" in visible_text(report)
    assert slack.files_shared_in(DESK) == []
    assert "missing_scope" in caplog.text
    # Nothing waits behind it: the channel's next message goes out.
    assert deliver_owed(services).failed == 0


def test_without_the_chart_library_the_report_goes_as_text_and_says_why_once(
    make_services: Callable[..., Services],
    engine: Engine,
    slack: SlackStandIn,
    clock: ManualClock,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    # As if the charts extra were not installed: importing matplotlib fails.
    for name in ("matplotlib", "matplotlib.figure", "matplotlib.backends.backend_agg"):
        monkeypatch.setitem(sys.modules, name, None)
    monkeypatch.setattr(chart_module, "_warned", threading.Event())
    prepare_week(engine)
    services = berlin_services(make_services, digest_channel=None, channels=f"{DESK},{NEWSROOM}")
    clock.set(REPORT_DUE)
    with caplog.at_level(logging.WARNING, logger="bot.render.weekly_chart"):
        assert len(post_due_weekly_reports(services, owner="a")) == 2
    for channel in (DESK, NEWSROOM):
        [report] = reports_in(slack, channel)
        assert "files" not in report
        assert "Median time to verdict" in visible_text(report)
    assert slack.calls("files.getUploadURLExternal") == []
    unavailable = CHART_UNAVAILABLE.split("(", 1)[0]
    assert sum(unavailable in r.getMessage() for r in caplog.records) == 1


def test_off_sends_no_weekly_report(
    make_services: Callable[..., Services], engine: Engine, slack: SlackStandIn, clock: ManualClock
) -> None:
    prepare_week(engine)
    services = berlin_services(make_services, weekly_report="off")
    clock.set(REPORT_DUE + timedelta(hours=1))
    assert post_due_weekly_reports(services, owner="a") == []
    assert reports_in(slack) == []


def test_friday_afternoon_reports_the_seven_days_before(
    make_services: Callable[..., Services], engine: Engine, slack: SlackStandIn, clock: ManualClock
) -> None:
    prepare_week(engine)
    services = berlin_services(make_services, weekly_report="friday 17:30")
    friday = REPORT_DUE + timedelta(days=4, hours=8, minutes=30)  # Fri 13 March, 17:30
    clock.set(friday - timedelta(minutes=1))
    assert post_due_weekly_reports(services, owner="a") == []
    clock.set(friday)
    [report] = post_due_weekly_reports(services, owner="a")
    assert str(report.week_start) == "2026-03-06"
    assert len(reports_in(slack)) == 0  # a different week: Fri 6 to Thu 12 March
    assert WEEKLY_TITLE.format(first="Fri 6 Mar", last="Thu 12 Mar") in visible_text(
        slack.messages_in(DESK)[-1]
    )


def test_cli_prints_writes_the_chart_and_posts_a_chosen_week(
    engine: Engine,
    database_url: str,
    slack: SlackStandIn,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> None:
    prepare_week(engine)
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("SLACK_API_URL", slack.api_url)
    monkeypatch.setenv("FACTCHECK_DIGEST_CHANNEL", DESK)
    monkeypatch.setenv("FACTCHECK_TIMEZONE", "Europe/Berlin")
    monkeypatch.delenv("SLACK_BOT_TOKEN", raising=False)
    chart = tmp_path / "week.png"
    assert main(["report", "weekly", "--week", "2026-W10", "--chart", str(chart)]) == 0
    out = capsys.readouterr().out
    assert TITLE in out
    assert "*Median time to verdict*: 1d 0h (over 5)" in out
    assert png_size(chart.read_bytes()) == (WIDTH_PX, HEIGHT_PX)

    assert main(["report", "weekly", "--week", "2026-10"]) == 1
    assert "2026-10' is not an ISO week; write YYYY-Www" in capsys.readouterr().err
    assert main(["report", "weekly", "--post"]) == 2
    assert "SLACK_BOT_TOKEN" in capsys.readouterr().err

    monkeypatch.setenv("SLACK_BOT_TOKEN", slack.bot_token)
    assert main(["report", "weekly", "--week", "2026-W10", "--post"]) == 0
    assert f"posted the weekly report to {DESK}" in capsys.readouterr().out
    [report] = reports_in(slack)
    assert_the_chart(slack.files_shared_in(DESK)[0])
    assert "*Filed*\n8" in visible_text(report)
