"""The record of a run is kept whole by the steps of one build, whatever happens on disk meanwhile."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generator import pipeline
from generator.commands.report import NOTHING_CHANGED
from generator.commands.synth import make_archive
from generator.output import runstate

from ..conftest import REPO, run_archive


def test_the_package_replaced_while_a_build_runs_leaves_its_record_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An upgrade of the archive's code while a build runs: the build is the code it imported,
    so its engine step keeps the record its pages were just written with. (It used to see
    another context there, empty the record in one large transaction and, holding it, wait
    two minutes for the feeds to read the notes, then stop with a traceback.)"""
    monkeypatch.setenv("ARCHIVE_PAGEFIND_THRESHOLD", "1")  # the site built only where it changed
    package = tmp_path / "package"
    shutil.copytree(runstate.CODE, package, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(runstate, "CODE", package)
    root = tmp_path / "archive"
    make_archive(root, 3, REPO, words=80)
    run_archive("build", cwd=root, check=True)
    generate = pipeline.generate

    def generate_then_upgrade(settings, use_cache=True):  # type: ignore[no-untyped-def]
        done = generate(settings, use_cache)
        module = package / "paths.py"
        module.write_text(module.read_text(encoding="utf-8") + "\n# the next release\n", encoding="utf-8")
        return done

    monkeypatch.setattr(pipeline, "generate", generate_then_upgrade)
    notes = sorted((root / "articles").glob("*.notes.yml"))[0]
    notes.write_text(notes.read_text(encoding="utf-8").replace("weeks", "months", 1), encoding="utf-8")
    built = run_archive("build", cwd=root, check=True)
    assert "built only what changed" in built.stdout, built.stdout
    monkeypatch.setattr(pipeline, "generate", generate)
    assert NOTHING_CHANGED in run_archive("generate", cwd=root, check=True).stdout
