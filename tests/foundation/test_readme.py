"""Every `factcheck --help`, `manifest` and `extract` line README shows works as written."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.shared_data import REPO

RUNNABLE = re.compile(r"^(?:echo .*\| )?factcheck (?:--help|manifest|extract)\b.*$")


def readme_commands() -> list[str]:
    blocks = re.findall(r"```sh\n(.*?)```", (REPO / "README.md").read_text(), flags=re.S)
    lines = [line.split("  #")[0].strip() for block in blocks for line in block.splitlines()]
    return [line for line in lines if RUNNABLE.match(line)]


def test_readme_shows_the_commands_a_newcomer_tries_first() -> None:
    shown = " ".join(readme_commands())
    for command in ("factcheck --help", "factcheck manifest", "factcheck extract"):
        assert command in shown


@pytest.mark.parametrize("command", readme_commands())
def test_readme_command_runs_as_written(command: str, tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "FACTCHECK_"))}
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    result = subprocess.run(
        ["bash", "-o", "pipefail", "-c", command],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip()


def _section(readme: str, title: str) -> str:
    return readme.split(f"\n## {title}\n", 1)[1].split("\n## ", 1)[0]


def test_quick_start_starts_the_bot_only_once_its_tokens_are_explained() -> None:
    readme = (REPO / "README.md").read_text()
    quick = _section(readme, "Quick start")
    # Each command works when a newcomer reaches it: the tokens come before `factcheck run`.
    assert quick.index("(#create-the-slack-app)") < quick.index("factcheck run")
    app = _section(readme, "Create the Slack app")
    assert app.index("SLACK_BOT_TOKEN=") < app.index("`factcheck run`")
    # Without a workspace, the playground comes first.
    assert readme.index("factcheck playground") < readme.index("\n## Quick start\n")
