"""The `factcheck` command as an operator meets it: help, manifest, start-up refusals."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.logging_setup import RedactTokens
from bot.manifest import build_manifest
from tests.shared_data import REPO, shared_file


def factcheck(
    *args: str, env: dict[str, str] | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "FACTCHECK_"))}
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", *args],
        capture_output=True,
        text=True,
        env={**base, **(env or {})},
        cwd=cwd or REPO,
        timeout=60,
    )


def test_help_lists_every_command_of_the_contract() -> None:
    result = factcheck("--help")
    assert result.returncode == 0
    for command in ("run", "manifest"):
        assert command in result.stdout


def test_run_without_a_bot_token_says_what_to_do_and_exits_2(tmp_path: Path) -> None:
    result = factcheck("run", cwd=tmp_path)
    assert result.returncode == 2
    assert "SLACK_BOT_TOKEN is not set" in result.stderr
    assert "Create the Slack app" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_http_mode_needs_the_signing_secret_and_never_echoes_the_token(tmp_path: Path) -> None:
    result = factcheck("run", "--http", env={"SLACK_BOT_TOKEN": "xoxb-42-topsecret"}, cwd=tmp_path)
    assert result.returncode == 2
    assert "SLACK_SIGNING_SECRET is not set" in result.stderr
    assert "topsecret" not in result.stderr + result.stdout


def test_a_malformed_setting_stops_start_up_with_exit_2(tmp_path: Path) -> None:
    env = {
        "SLACK_BOT_TOKEN": "xoxb-1",
        "SLACK_SIGNING_SECRET": "s",
        "FACTCHECK_SWEEP_SECONDS": "-1",
    }
    result = factcheck("run", "--http", env=env, cwd=tmp_path)
    assert result.returncode == 2
    assert "FACTCHECK_SWEEP_SECONDS is not valid" in result.stderr


def test_manifest_defaults_to_socket_mode_without_urls() -> None:
    result = factcheck("manifest")
    assert result.returncode == 0
    manifest = json.loads(result.stdout)
    assert manifest["settings"]["socket_mode_enabled"] is True
    assert "request_url" not in manifest["settings"]["event_subscriptions"]
    commands = [c["command"] for c in manifest["features"]["slash_commands"]]
    assert commands == ["/factcheck"]
    shortcut = manifest["features"]["shortcuts"][0]
    assert (shortcut["type"], shortcut["name"]) == ("message", "Fact-check this message")


def test_manifest_for_http_fills_every_request_url() -> None:
    manifest = json.loads(factcheck("manifest", "--http", "https://bot.example.org").stdout)
    url = "https://bot.example.org/slack/events"
    assert manifest["settings"]["socket_mode_enabled"] is False
    assert manifest["settings"]["event_subscriptions"]["request_url"] == url
    assert manifest["settings"]["interactivity"]["request_url"] == url
    assert manifest["features"]["slash_commands"][0]["url"] == url


@pytest.mark.parametrize("request_url", [None, "https://bot.example.org/slack/events"])
def test_manifest_validates_against_slacks_published_schema(request_url: str | None) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads(shared_file("slack-spec/manifest/manifest.schema.1.0.0.json").read_text())
    jsonschema.validate(build_manifest(request_url=request_url), schema)


def test_tokens_are_redacted_from_any_log_line() -> None:
    record = logging.LogRecord(
        "slack_sdk", logging.ERROR, __file__, 1, "call failed with %s", ("xoxb-111-222-abc",), None
    )
    RedactTokens().filter(record)
    assert "abc" not in record.getMessage()
    assert "xoxb-[redacted]" in record.getMessage()


# Top-level packages a light subcommand must not pull in: the Slack, database and web stacks.
HEAVY_PACKAGES = (
    "slack_bolt",
    "slack_sdk",
    "sqlalchemy",
    "sqlmodel",
    "alembic",
    "waitress",
    "httpx",
)
LOADED_AFTER_MAIN = """
import sys
from bot.cli import main
try:
    main(sys.argv[1:])
except SystemExit:
    pass
print("\\n".join(sorted(sys.modules)), file=sys.stderr)
"""


def modules_loaded_by(*args: str) -> set[str]:
    """Every module `factcheck ARGS` imported, from a fresh interpreter."""
    result = subprocess.run(
        [sys.executable, "-c", LOADED_AFTER_MAIN, *args],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=60,
    )
    return set(result.stderr.split())


def test_extract_imports_neither_slack_nor_the_database_nor_the_web_stack(tmp_path: Path) -> None:
    article = tmp_path / "article.txt"
    article.write_text("“Exports rose 12 percent,” said Lea Novak, an economist.", encoding="utf-8")
    loaded = modules_loaded_by("extract", str(article))
    assert "bot.cli.extract" in loaded
    assert {name.split(".")[0] for name in loaded}.isdisjoint(HEAVY_PACKAGES)
    assert "bot.web" not in loaded


def test_help_lists_every_command_without_importing_the_bot() -> None:
    loaded = modules_loaded_by("--help")
    assert {name for name in loaded if name.startswith("bot.")} <= {"bot.cli", "bot.errors"}
    assert "slack_bolt" not in loaded
