"""The GitHub workflow: linted by actionlint, and shaped as the publishing guide says (every push
and pull request builds; only main deploys to GitHub Pages)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from .conftest import REPO

WORKFLOWS = REPO / ".github" / "workflows"
PUBLISH = WORKFLOWS / "publish.yml"


def actionlint(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    """Run actionlint (installed from PyPI by requirements.lock) without external linters, so the
    result is the same on every machine."""
    binary = Path(sys.executable).parent / "actionlint"
    if not binary.exists():
        binary = Path(shutil.which("actionlint") or binary)
    if not binary.exists():
        pytest.fail("actionlint is not installed: run 'make .venv/.installed' (requirements.lock pins it)")
    command = [str(binary), "-no-color", "-oneline", "-shellcheck=", "-pyflakes=", *args]
    return subprocess.run(command, cwd=REPO, input=stdin, capture_output=True, text=True)


def test_workflows_pass_actionlint() -> None:
    files = sorted(str(p.relative_to(REPO)) for p in WORKFLOWS.glob("*.y*ml"))
    assert files, "no workflow found"
    result = actionlint(*files)
    assert result.returncode == 0, result.stdout + result.stderr


def test_actionlint_finds_mistakes() -> None:
    # The linter is live: a misspelt context property and an unknown runner key are reported.
    broken = (
        "on: push\njobs:\n  a:\n    runs-on: ubuntu-24.04\n    step: []\n"
        "    steps:\n      - run: echo ${{ github.evnt_name }}\n"
    )
    result = actionlint("-", stdin=broken)
    assert result.returncode == 1
    assert 'property "evnt_name" is not defined' in result.stdout
    assert 'unexpected key "step"' in result.stdout


def load_publish() -> dict:
    return YAML(typ="safe").load(PUBLISH.read_text(encoding="utf-8"))


def test_every_push_to_main_and_every_pull_request_builds_with_the_readme_commands() -> None:
    workflow = load_publish()
    triggers = workflow["on"]
    assert triggers["push"]["branches"] == ["main"]
    assert "pull_request" in triggers
    assert workflow["permissions"] == {"contents": "read"}

    steps = workflow["jobs"]["build"]["steps"]
    runs = [step.get("run", "") for step in steps]
    assert runs.index("make .venv/.installed") < runs.index("make check") < runs.index("make site")
    makefile = (REPO / "Makefile").read_text()
    assert "check: $(STAMP)\n\t$(VENV)/bin/archive check\n" in makefile
    assert "site: $(STAMP)\n\t$(VENV)/bin/archive build --strict\n" in makefile

    setup = next(step for step in steps if step.get("uses", "").startswith("actions/setup-python@"))
    assert setup["with"]["cache"] == "pip"
    cached = setup["with"]["cache-dependency-path"].split()
    assert cached == ["requirements.lock", "requirements-model.txt"]
    assert all((REPO / name).is_file() for name in cached)

    upload = next(step for step in steps if step.get("uses", "").startswith("actions/upload-pages-artifact@"))
    assert upload["with"]["path"] == "site"
    assert upload["if"] == "github.event_name != 'pull_request'"


def test_only_main_deploys_to_pages_one_deployment_at_a_time() -> None:
    deploy = load_publish()["jobs"]["deploy"]
    assert deploy["needs"] == "build"
    assert "github.event_name != 'pull_request'" in deploy["if"]
    assert "github.ref == 'refs/heads/main'" in deploy["if"]
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["environment"]["name"] == "github-pages"
    assert deploy["concurrency"] == {"group": "pages", "cancel-in-progress": False}
    assert [step["uses"].split("@")[0] for step in deploy["steps"]] == ["actions/deploy-pages"]
