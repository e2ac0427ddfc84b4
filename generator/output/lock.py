"""One build of an archive at a time: a lock file in ``.archive-cache/``.

``archive build``, ``archive generate`` and the preview's rebuilds write the same docs folder and
swap the same ``site/``; two at once would remove each other's folders. The second one waits
(and says so) until the first is done. The lock is the kernel's (``flock``): a build that is
killed releases it, and never leaves a stale lock behind.
"""

from __future__ import annotations

import fcntl
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click

from generator.errors import WriteError
from generator.settings import Settings
from generator.stages.entity_cache import require_cache_dir
from generator.util.files import os_reason

LOCK_NAME = "build.lock"
WAITING = "waiting for another build of this archive to finish…"

_guard = threading.Lock()
_locks: dict[Path, threading.RLock] = {}
_depth: dict[Path, int] = {}


def _thread_lock(path: Path) -> threading.RLock:
    with _guard:
        return _locks.setdefault(path, threading.RLock())


@contextmanager
def build_lock(settings: Settings) -> Iterator[None]:
    """Hold the archive's build lock for the block; wait for it if another build holds it.

    Re-entrant within a thread (``build_site`` holds it around ``generate``, which takes it too);
    other threads of this process wait like other processes."""
    folder = require_cache_dir(settings.root)
    path = folder / LOCK_NAME
    guard = _thread_lock(path.absolute())
    with guard:
        key = path.absolute()
        if _depth.get(key):
            _depth[key] += 1
            try:
                yield
            finally:
                _depth[key] -= 1
            return
        try:
            folder.mkdir(exist_ok=True)
            handle = open(path, "a")  # noqa: SIM115 (closed below, after the lock is released)
        except OSError as exc:
            raise WriteError(f"cannot create the build lock: {os_reason(exc)}", path) from None
        try:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                click.echo(WAITING, err=True)
                fcntl.flock(handle, fcntl.LOCK_EX)
            _depth[key] = 1
            try:
                yield
            finally:
                _depth[key] = 0
                fcntl.flock(handle, fcntl.LOCK_UN)
        finally:
            handle.close()
