"""Two builds of the same sources are byte-identical, wherever they run, and the dates MkDocs writes
come from the sources (the last commit), never from the clock of the machine that built them."""

from __future__ import annotations

import datetime as dt
import os
import struct
import subprocess
from pathlib import Path

import pytest

from generator.output.epoch import FIXED_EPOCH, source_date_epoch
from generator.settings import Settings

from ..conftest import copy_project, run_archive

pytestmark = pytest.mark.slow


def site_files(root: Path) -> dict[str, bytes]:
    site = root / "site"
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def gzip_mtime(path: Path) -> int:
    """The modification time stored in a gzip file's header (bytes 4 to 8, little-endian)."""
    return struct.unpack("<I", path.read_bytes()[4:8])[0]


def test_two_builds_of_the_same_sources_are_byte_identical(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    # Two copies at different paths, built one after the other.
    first = copy_project(tmp_path / "one" / "archive")
    second = copy_project(tmp_path / "another-folder" / "archive")
    for root in (first, second):
        run_archive("build", "--strict", cwd=root, check=True)
    a, b = site_files(first), site_files(second)
    assert len(a) > 10 and "sitemap.xml.gz" in a
    assert sorted(a) == sorted(b)
    differing = [name for name in a if a[name] != b[name]]
    assert differing == []
    # Outside git, the build date is the fixed one, not today's.
    assert gzip_mtime(first / "site" / "sitemap.xml.gz") == FIXED_EPOCH


def test_the_build_date_is_the_last_commits(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    root = copy_project(tmp_path / "archive")
    env = {
        **os.environ,
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_AUTHOR_NAME": "Editor",
        "GIT_AUTHOR_EMAIL": "editor@example.org",
        "GIT_COMMITTER_NAME": "Editor",
        "GIT_COMMITTER_EMAIL": "editor@example.org",
        "GIT_AUTHOR_DATE": "2021-03-04T05:06:07Z",
        "GIT_COMMITTER_DATE": "2021-03-04T05:06:07Z",
    }
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "Archive"]):
        subprocess.run(["git", *args], cwd=root, env=env, check=True)
    commit_time = int(dt.datetime(2021, 3, 4, 5, 6, 7, tzinfo=dt.UTC).timestamp())
    assert source_date_epoch(Settings.load(root, environ={})) == str(commit_time)

    run_archive("build", "--strict", cwd=root, check=True)
    # MkDocs stamps sitemap.xml.gz with the build day (midnight UTC): the commit's day.
    day = int(dt.datetime(2021, 3, 4, tzinfo=dt.UTC).timestamp())
    assert gzip_mtime(root / "site" / "sitemap.xml.gz") == day


def test_a_given_source_date_epoch_wins(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert source_date_epoch(Settings.load(tmp_path, environ={"SOURCE_DATE_EPOCH": "1700000000"})) == "1700000000"
    # tmp_path is not in a git repository
    assert source_date_epoch(Settings.load(tmp_path, environ={})) == str(FIXED_EPOCH)
