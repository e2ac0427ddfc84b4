"""The articles staged in a run, kept on disk between its two passes (:mod:`generator.pipeline`),
so that memory does not grow with the number of articles that changed."""

from __future__ import annotations

import pickle
import tempfile
from pathlib import Path

from generator.stages.staged import Staged


class Spill:
    """The articles staged in this run, kept on disk between the two passes (one at a time in
    memory); removed when the run ends."""

    def __init__(self, folder: Path) -> None:
        self.file = tempfile.TemporaryFile(dir=folder, prefix=".spill-")
        self.where: dict[str, tuple[int, int]] = {}

    def __enter__(self) -> Spill:
        return self

    def __exit__(self, *exc: object) -> None:
        self.file.close()

    def put(self, slug: str, staged: Staged) -> None:
        data = pickle.dumps(staged, protocol=pickle.HIGHEST_PROTOCOL)
        self.file.seek(0, 2)
        self.where[slug] = (self.file.tell(), len(data))
        self.file.write(data)

    def get(self, slug: str) -> Staged | None:
        if slug not in self.where:
            return None
        offset, size = self.where[slug]
        self.file.seek(offset)
        return pickle.loads(self.file.read(size))  # noqa: S301 (written by this process in this run)
