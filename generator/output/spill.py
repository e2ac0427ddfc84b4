"""The articles staged in a run, kept on disk between its two passes (:mod:`generator.pipeline`),
so that memory does not grow with the number of articles that changed."""

from __future__ import annotations

import pickle
import tempfile
from pathlib import Path
from typing import Any

from generator.stages.staged import Staged


class Spill:
    """The articles staged in this run, kept on disk between the two passes (one at a time in
    memory); removed when the run ends. When the disk is full (or the cache folder cannot be
    written), they are kept in memory instead: the pages' own writes then say what is wrong."""

    def __init__(self, folder: Path) -> None:
        self.file: Any = None
        self.memory: dict[str, bytes] | None = None
        try:
            self.file = tempfile.TemporaryFile(dir=folder, prefix=".spill-")
        except OSError:
            self.memory = {}
        self.where: dict[str, tuple[int, int]] = {}

    def __enter__(self) -> Spill:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.file is not None:
            self.file.close()

    def put(self, slug: str, staged: Staged) -> None:
        data = pickle.dumps(staged, protocol=pickle.HIGHEST_PROTOCOL)
        if self.memory is None:
            try:
                self.file.seek(0, 2)
                offset = self.file.tell()
                self.file.write(data)
                self.file.flush()
            except OSError:
                self.memory = {}
            else:
                self.where[slug] = (offset, len(data))
                return
        self.memory[slug] = data

    def get(self, slug: str) -> Staged | None:
        if self.memory is not None and slug in self.memory:
            return pickle.loads(self.memory[slug])  # noqa: S301 (made by this process in this run)
        if slug not in self.where:
            return None
        offset, size = self.where[slug]
        self.file.seek(offset)
        return pickle.loads(self.file.read(size))  # noqa: S301 (written by this process in this run)
