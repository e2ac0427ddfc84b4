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


def test_browser_waits_give_a_function_not_a_string_to_compile() -> None:
    """Playwright's ``wait_for_function`` given an expression compiles it in the page whenever
    its first check is false, and the site's Content-Security-Policy (no 'unsafe-eval') refuses
    that: a test that passes when the page is quick and fails under load. An arrow function
    (``"() => expression"``) is handed over as a function, which the policy does not concern."""
    import re

    call = re.compile(r"""wait_for_function\(\s*f?(["'])(?!\(\)\s*=>|\(\w*\)\s*=>|function)""")
    found = [
        f"{path.relative_to(REPO)}:{number}"
        for path in sorted((REPO / "tests").rglob("*.py"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if call.search(line)
    ]
    assert found == []
