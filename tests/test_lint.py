"""The code stays as `make lint` wants it: ruff's checks and its formatting (pyproject.toml)."""

from __future__ import annotations

import subprocess
import sys

from .conftest import REPO


def ruff(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "ruff", *args], cwd=REPO, capture_output=True, text=True)


def test_ruff_finds_nothing() -> None:
    result = ruff("check", "--output-format", "concise", "generator", "tests", "hooks")
    assert result.returncode == 0, result.stdout + result.stderr


def test_code_is_formatted() -> None:
    result = ruff("format", "--check", "generator", "tests", "hooks")
    assert result.returncode == 0, result.stdout + result.stderr
