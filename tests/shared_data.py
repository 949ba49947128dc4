"""Where ../shared lives (beside the repo, or FACTCHECK_SHARED_DIR); tests that need it skip without it."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def shared_dir() -> Path:
    return Path(os.environ.get("FACTCHECK_SHARED_DIR", REPO.parent / "shared"))


def shared_file(relative: str) -> Path:
    """The file under ../shared, or a skip naming what is missing."""
    path = shared_dir() / relative
    if not path.exists():
        pytest.skip(f"{path} is not here (../shared is optional for the test suite)")
    return path
