"""Replays the Dockerfile's COPY and RUN install steps in a fresh venv (no Docker engine here).

Usage: python .ci/replay_dockerfile.py  (from the repo root). The image's `useradd` is skipped;
everything else that installs runs exactly as written (with the pip `python -m venv` bundles,
never upgraded, as a stock image would), then the installed CLI and link fetching are exercised.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path


def instructions(dockerfile: Path) -> list[tuple[str, str]]:
    joined: list[str] = []
    buffer = ""
    for raw in dockerfile.read_text().splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.endswith("\\"):
            buffer += line[:-1] + " "
            continue
        joined.append(buffer + line)
        buffer = ""
    return [(line.split(None, 1)[0].upper(), line.split(None, 1)[1]) for line in joined]


def copy_path(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    if source.is_dir():
        shutil.copytree(
            source, target, ignore=shutil.ignore_patterns("__pycache__"), dirs_exist_ok=True
        )
    else:
        shutil.copy2(source, target)


def main() -> int:
    repo = Path.cwd()
    with tempfile.TemporaryDirectory(prefix="dockerfile-") as tmp:
        root = Path(tmp)
        subprocess.run([sys.executable, "-m", "venv", str(root / "venv")], check=True)
        env = dict(os.environ, PATH=f"{root / 'venv' / 'bin'}:{os.environ['PATH']}")
        workdir = root / "app"
        workdir.mkdir()
        for keyword, argument in instructions(repo / "Dockerfile"):
            if keyword == "ENV" and "PIP_" in argument:
                for pair in shlex.split(argument):
                    key, _, value = pair.partition("=")
                    env[key] = value
            elif keyword == "COPY":
                *sources, destination = shlex.split(argument)
                for source in sources:
                    into_dir = destination.endswith("/") or destination == "."
                    copy_path(repo / source, workdir / (source if into_dir else destination))
            elif keyword == "RUN" and not argument.startswith("useradd"):
                print(f"RUN {argument}", flush=True)
                subprocess.run(["bash", "-ec", argument], cwd=workdir, env=env, check=True)
            elif keyword == "WORKDIR" and argument != "/app":
                break
        checks = (
            ["factcheck", "--help"],
            ["factcheck", "manifest"],
            # Link fetching imports trafilatura, which fails without lxml_html_clean.
            ["python", "-c", "import trafilatura, bot.extract.fetch"],
        )
        for command in checks:
            subprocess.run(command, cwd=root, env=env, check=True, stdout=subprocess.DEVNULL)
        print("Dockerfile install steps: ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
