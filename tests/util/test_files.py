"""Writing a file so that a reader sees its old bytes or its new ones (generator.util.files),
and, however early a Ctrl-C or SIGTERM stops the writer, no temporary file left behind."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from generator.util.files import TEMP_PREFIX, atomic_write


def test_a_file_is_replaced_whole_with_the_mode_of_a_published_file(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text("old")
    os.chmod(page, 0o600)
    atomic_write(page, "new words")
    assert page.read_text() == "new words"
    assert page.stat().st_mode & 0o777 == 0o644
    assert os.listdir(tmp_path) == ["page.md"]


def test_a_stop_the_moment_the_temporary_file_is_made_leaves_the_old_file_and_nothing_else(
    tmp_path: Path, stopped_as_made: None
) -> None:
    page = tmp_path / "page.md"
    page.write_text("old")
    with pytest.raises(KeyboardInterrupt):
        atomic_write(page, "new")
    assert page.read_text() == "old"
    assert os.listdir(tmp_path) == ["page.md"]


def test_a_file_of_the_temporary_name_that_is_another_writers_is_left_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    theirs = tmp_path / f"{TEMP_PREFIX}taken"
    theirs.write_text("another writer's")
    monkeypatch.setattr("generator.util.files.temp_name", lambda folder: folder / theirs.name)
    with pytest.raises(FileExistsError):
        atomic_write(tmp_path / "page.md", "new")
    assert theirs.read_text() == "another writer's"
    assert not (tmp_path / "page.md").exists()
