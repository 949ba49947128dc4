"""Operators get one clear line per bad setting, and secrets never leak into it."""

from __future__ import annotations

from datetime import time, timedelta

import pytest

from bot.config import DEFAULT_QUIET_HOURS, QuietHours, load_settings, parse_duration
from bot.errors import ConfigError


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: object) -> None:
    """Run each test from an empty folder (no stray .env) with no FACTCHECK_/SLACK_ variables."""
    import os

    for name in list(os.environ):
        if name.startswith(("FACTCHECK_", "SLACK_")) or name in ("DATABASE_URL", "PORT"):
            monkeypatch.delenv(name)
    monkeypatch.chdir(str(tmp_path))


def test_defaults_follow_the_contract() -> None:
    settings = load_settings()
    assert settings.database_url == "sqlite:///factcheck.db"
    assert settings.reminder_interval == timedelta(hours=4)
    assert settings.digest_time == time(9, 0)
    assert settings.min_article_chars == 400
    assert settings.open_desk is True
    assert settings.scheduler is True
    assert settings.channels == []
    assert settings.editors == []
    assert settings.slack_api_url == "https://slack.com/api/"


@pytest.mark.parametrize(
    ("text", "expected"),
    [("30s", timedelta(seconds=30)), ("15m", timedelta(minutes=15)), ("1d", timedelta(days=1))],
)
def test_durations_in_the_contract_forms(text: str, expected: timedelta) -> None:
    assert parse_duration(text) == expected


def test_lists_and_hours_are_read_as_operators_write_them(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FACTCHECK_EDITORS", "U01EDITOR, U02EDITOR")
    monkeypatch.setenv("FACTCHECK_CHANNELS", "C0NEWS")
    monkeypatch.setenv("FACTCHECK_QUIET_HOURS", "20-08")
    settings = load_settings()
    assert settings.editors == ["U01EDITOR", "U02EDITOR"]
    assert settings.channels == ["C0NEWS"]
    assert isinstance(settings.quiet_hours, QuietHours)
    assert settings.quiet_hours.contains(23)
    assert settings.quiet_hours.contains(7)
    assert not settings.quiet_hours.contains(8)
    assert not settings.quiet_hours.contains(12)


def test_quiet_hours_default_to_the_evening_and_night_and_none_turns_them_off(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("FACTCHECK_QUIET_HOURS", raising=False)
    quiet = load_settings(_env_file=None).quiet_hours
    assert quiet is not None
    assert (quiet.start, quiet.end) == DEFAULT_QUIET_HOURS == (20, 8)
    for off in ("none", "NONE", "off", ""):  # the contract's "(empty: none)" still works
        monkeypatch.setenv("FACTCHECK_QUIET_HOURS", off)
        assert load_settings(_env_file=None).quiet_hours is None


def test_the_weekly_report_is_monday_at_nine_unless_told_otherwise(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("FACTCHECK_WEEKLY_REPORT", raising=False)
    weekly = load_settings(_env_file=None).weekly_report
    assert weekly is not None
    assert (weekly.weekday, weekly.at, weekly.describe()) == (0, time(9, 0), "Mon 09:00")
    for written, expected in [("friday 17:30", "Fri 17:30"), ("WED 8:05", "Wed 08:05")]:
        monkeypatch.setenv("FACTCHECK_WEEKLY_REPORT", written)
        weekly = load_settings(_env_file=None).weekly_report
        assert weekly is not None
        assert weekly.describe() == expected
    for off in ("off", "OFF", "none"):
        monkeypatch.setenv("FACTCHECK_WEEKLY_REPORT", off)
        assert load_settings(_env_file=None).weekly_report is None


@pytest.mark.parametrize(
    ("variable", "value", "says"),
    [
        ("FACTCHECK_REMINDER_INTERVAL", "4 hours", "30s, 15m, 4h or 1d"),
        ("FACTCHECK_DIGEST_TIME", "9am", "HH:MM"),
        ("FACTCHECK_TIMEZONE", "Europe/Atlantis", "IANA"),
        ("FACTCHECK_QUIET_HOURS", "evening", "START-END"),
        ("FACTCHECK_WEEKLY_REPORT", "monday", "Mon 09:00, or off"),
        ("FACTCHECK_WEEKLY_REPORT", "Mox 09:00", "Mon 09:00, or off"),
        ("FACTCHECK_WEEKLY_REPORT", "Mon 25:00", "Mon 09:00, or off"),
        ("FACTCHECK_EDITORS", "alice", "Slack ID"),
        ("FACTCHECK_MIN_ARTICLE_CHARS", "many", "FACTCHECK_MIN_ARTICLE_CHARS"),
        ("FACTCHECK_CLAIM_THRESHOLD", "2", "FACTCHECK_CLAIM_THRESHOLD"),
    ],
)
def test_a_malformed_setting_names_the_variable_and_the_fix(
    monkeypatch: pytest.MonkeyPatch, variable: str, value: str, says: str
) -> None:
    monkeypatch.setenv(variable, value)
    with pytest.raises(ConfigError) as caught:
        load_settings()
    message = str(caught.value)
    assert message.startswith(f"{variable} is not valid")
    assert says in message
    assert "\n" not in message


def test_dotenv_is_read(tmp_path: object) -> None:
    from pathlib import Path

    Path(str(tmp_path), ".env").write_text("FACTCHECK_ESCALATE_AFTER=5\n")
    assert load_settings().escalate_after == 5


def test_secrets_do_not_print(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-1234-very-secret")
    settings = load_settings()
    assert "very-secret" not in repr(settings)
    assert "very-secret" not in str(settings.model_dump())
