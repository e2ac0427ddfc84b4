"""Writing a file so that a reader sees the old bytes or the new ones, never half of them."""

from __future__ import annotations

import fcntl
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

TEMP_PREFIX = ".tmp-"
"""Temporary files are hidden (the builds and the watchers skip names starting with a dot)."""


def atomic_write(path: Path, data: bytes | str, mode: int = 0o644) -> None:
    """Write *data* to *path* through a temporary file in the same folder, renamed into place.

    The file gets *mode* (readable by a web server: 0644 by default). If writing fails (the disk
    is full, say) the temporary file is removed and *path* keeps its old content."""
    payload = data.encode("utf-8") if isinstance(data, str) else data
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=TEMP_PREFIX)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


@contextmanager
def locked(path: Path) -> Iterator[None]:
    """Hold the lock of the file *path* (``.<name without .yml>.lock`` beside it, ``fcntl.flock``):
    one change at a time; other writers wait their turn."""
    lock = path.with_name(f".{path.name.removesuffix('.yml')}.lock")
    with open(lock, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
