"""The entity stage on a real Dask cluster gives the pages a run on one machine gives.

A two-worker ``LocalCluster`` (``--cluster local:2``: two spawned processes, each loading the
pinned model) reads a small archive; the same sources generated in this process, each with a
cache of its own, must give the same docs folder and the same cache entries, byte for byte.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generator.commands.synth import make_archive

from ..conftest import REPO, run_archive

pytestmark = pytest.mark.slow


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_two_worker_cluster_gives_the_same_pages(tmp_path: Path) -> None:
    here, there = tmp_path / "here", tmp_path / "cluster"
    make_archive(here, 12, REPO, words=150)
    shutil.copytree(here, there)
    local = run_archive("generate", "--strict", cwd=here, check=True)
    assert "the language model read 12 of 12" in local.stdout, local.stdout
    spread = run_archive("generate", "--strict", "--cluster", "local:2", cwd=there, check=True)
    assert "the language model read 12 of 12" in spread.stdout, spread.stdout
    assert "ran on the Dask cluster local:2 (2 workers)" in spread.stdout
    assert "Dask" not in local.stdout
    assert tree(there / "site_src") == tree(here / "site_src")
    cached = tree(here / ".archive-cache" / "mentions")
    assert len(cached) == 12
    assert tree(there / ".archive-cache" / "mentions") == cached
    # What the cluster found is in the content-hash cache: a fresh copy of the sources given
    # that cache builds without the model.
    elsewhere = tmp_path / "elsewhere"
    make_archive(elsewhere, 12, REPO, words=150)
    shutil.copytree(there / ".archive-cache" / "mentions", elsewhere / ".archive-cache" / "mentions")
    reused = run_archive("generate", "--strict", cwd=elsewhere, check=True)
    assert "all 12 articles from the cache; the language model not loaded" in reused.stdout, reused.stdout
    assert tree(elsewhere / "site_src") == tree(here / "site_src")


def test_an_address_without_a_scheduler_is_a_plain_error(tmp_path: Path) -> None:
    root = tmp_path / "archive"
    make_archive(root, 1, REPO, words=60)
    result = run_archive("generate", "--cluster", "tcp://127.0.0.1:9", cwd=root)
    assert result.returncode == 1
    assert "no Dask scheduler answered" in result.stderr and "Traceback" not in result.stderr, result.stderr
    assert not (root / "site_src" / "articles").exists()


@pytest.mark.parametrize("given", ["local:0", "local:two", "127.0.0.1:8786", "tcp://host", "tcp://host:99999"])
def test_a_cluster_that_is_not_one_is_refused(tmp_path: Path, given: str) -> None:
    result = run_archive("generate", "--cluster", given, cwd=tmp_path)
    assert result.returncode == 1
    assert f"--cluster {given!r}" in result.stderr and "Traceback" not in result.stderr, result.stderr
