"""Golden files: the generated pages of the bundled archive, byte for byte.

When a change to the output is intended, regenerate them with ``UPDATE_GOLDEN=1 make test`` (or
``UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_golden.py``) and review the diff in git.
"""

from __future__ import annotations

import difflib
import os
from pathlib import Path

import pytest

from ..conftest import REPO, run_archive

GOLDEN = REPO / "tests" / "golden"


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from ..conftest import copy_project

    root = copy_project(tmp_path_factory.mktemp("golden") / "archive")
    run_archive("generate", cwd=root, check=True)
    return root / "site_src"


def generated_pages(docs: Path) -> list[str]:
    """The pages kept as golden files: the home page, the articles index, every article page,
    the corrections page and every annotations file."""
    pages = ["index.md", "articles/index.md", "corrections/index.md"]
    pages += sorted(p.relative_to(docs).as_posix() for p in (docs / "articles").glob("*/index.md"))
    pages += sorted(p.relative_to(docs).as_posix() for p in (docs / "annotations").glob("*.jsonld"))
    return pages


def test_golden_pages(generated: Path) -> None:
    update = os.environ.get("UPDATE_GOLDEN") == "1"
    problems = []
    names = generated_pages(generated)
    for name in names:
        actual = (generated / name).read_text(encoding="utf-8")
        golden = GOLDEN / name
        if update:
            golden.parent.mkdir(parents=True, exist_ok=True)
            golden.write_text(actual, encoding="utf-8")
            continue
        if not golden.exists():
            problems.append(f"{name}: no golden file; run with UPDATE_GOLDEN=1 to create it")
            continue
        expected = golden.read_text(encoding="utf-8")
        if actual != expected:
            diff = difflib.unified_diff(expected.splitlines(), actual.splitlines(), f"golden/{name}", name, lineterm="")
            problems.append("\n".join(list(diff)[:60]))
    if not update:
        stale = sorted(
            p.relative_to(GOLDEN).as_posix()
            for p in GOLDEN.rglob("*")
            if p.is_file()
            if p.relative_to(GOLDEN).as_posix() not in names
        )
        problems += [f"{name}: golden file for a page that is no longer generated" for name in stale]
    assert not problems, "\n\n".join(problems)
