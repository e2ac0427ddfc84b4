"""Byte strings by key, kept in one anonymous temporary file instead of memory.

The file has no name from the moment it is made, so nothing is left behind however the process
ends (Ctrl-C, a kill, a full disk). Where it cannot be made or written (a full disk, a folder
that cannot be written), what is put from then on is kept in memory instead: the caller's own
writes are the ones to say what is wrong. Used by the run's staged articles
(:mod:`generator.output.spill`) and by MkDocs' pages (:mod:`generator.engines.page_spill`).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import IO


class SpillFile:
    """Byte strings by key in an anonymous file made in *folder* (the system's temporary folder
    when None); in memory when the file cannot be made or written."""

    def __init__(self, folder: Path | None, prefix: str = ".spill-") -> None:
        self._file: IO[bytes] | None = None
        self._memory: dict[str, bytes] | None = None
        try:
            self._file = tempfile.TemporaryFile(dir=folder, prefix=prefix)
        except OSError:
            self._memory = {}
        self._where: dict[str, tuple[int, int]] = {}

    def put(self, key: str, data: bytes) -> None:
        if self._memory is None and self._file is not None:
            try:
                offset = self._file.seek(0, os.SEEK_END)
                self._file.write(data)
                self._file.flush()
            except OSError:
                self._memory = {}
            else:
                self._where[key] = (offset, len(data))
                return
        assert self._memory is not None
        self._where.pop(key, None)
        self._memory[key] = data

    def get(self, key: str) -> bytes | None:
        """The bytes put under *key*, or None when none were."""
        if self._memory is not None and key in self._memory:
            return self._memory[key]
        place = self._where.get(key)
        if place is None or self._file is None:
            return None
        self._file.seek(place[0])
        return self._file.read(place[1])

    def pop(self, key: str) -> bytes | None:
        """:meth:`get`, once: the key is forgotten."""
        data = self.get(key)
        self._where.pop(key, None)
        if self._memory is not None:
            self._memory.pop(key, None)
        return data

    @property
    def on_disk(self) -> int:
        """How many keys are held in the file (the others, if any, in memory)."""
        return len(self._where)

    def __len__(self) -> int:
        return len(self._where) + len(self._memory or {})

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
        self._file = None
        self._where = {}
        self._memory = None
