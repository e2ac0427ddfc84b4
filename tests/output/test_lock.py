"""One build of an archive at a time: the kernel's lock, held across processes and threads,
re-entrant within one thread (build_site holds it around generate)."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from generator.errors import ArchiveError
from generator.output.lock import WAITING, build_lock
from generator.settings import Settings

HOLD = """
import fcntl, sys, time
handle = open(sys.argv[1], "a")
fcntl.flock(handle, fcntl.LOCK_EX)
print("held", flush=True)
time.sleep(float(sys.argv[2]))
"""


def test_a_second_build_waits_for_the_first_and_says_so(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    settings = Settings(root=tmp_path)
    (tmp_path / ".archive-cache").mkdir()
    other = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(tmp_path / ".archive-cache" / "build.lock"), "1.0"],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert other.stdout is not None and other.stdout.readline().strip() == "held"
    started = time.monotonic()
    with build_lock(settings):
        waited = time.monotonic() - started  # the lock is ours only once the other build let it go
    other.wait()
    assert waited > 0.5
    assert WAITING in capsys.readouterr().err


def test_the_lock_is_reentrant_in_a_thread_and_exclusive_between_threads(tmp_path: Path) -> None:
    settings = Settings(root=tmp_path)
    order: list[str] = []

    def other() -> None:
        with build_lock(settings):
            order.append("other")

    with build_lock(settings):
        with build_lock(settings):  # generate inside build_site
            thread = threading.Thread(target=other)
            thread.start()
            time.sleep(0.3)
            order.append("first")
    thread.join(timeout=10)
    assert order == ["first", "other"]


def test_a_file_named_like_the_cache_folder_is_an_error(tmp_path: Path) -> None:
    (tmp_path / ".archive-cache").write_text("not a folder")
    with pytest.raises(ArchiveError) as caught:
        with build_lock(Settings(root=tmp_path)):
            pass
    assert "this is a file, but the archive keeps its cache in a folder of that name" in caught.value.format_message()
