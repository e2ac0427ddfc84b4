"""The articles staged in a run, kept on disk between its two passes (:mod:`generator.pipeline`),
so that memory does not grow with the number of articles that changed."""

from __future__ import annotations

import pickle
from pathlib import Path

from generator.stages.staged import Staged
from generator.util.spillfile import SpillFile


class Spill:
    """The articles staged in this run, kept on disk between the two passes (one at a time in
    memory); removed when the run ends. When the disk is full (or the cache folder cannot be
    written), they are kept in memory instead: the pages' own writes then say what is wrong."""

    def __init__(self, folder: Path) -> None:
        self.store = SpillFile(folder)

    def __enter__(self) -> Spill:
        return self

    def __exit__(self, *exc: object) -> None:
        self.store.close()

    def put(self, slug: str, staged: Staged) -> None:
        self.store.put(slug, pickle.dumps(staged, protocol=pickle.HIGHEST_PROTOCOL))

    def get(self, slug: str) -> Staged | None:
        data = self.store.get(slug)
        return None if data is None else self.value(data)

    def data(self, slug: str) -> bytes | None:
        """The article put under *slug* as stored (for :meth:`value`, in this process or in one
        forked from it), or None."""
        return self.store.get(slug)

    @staticmethod
    def value(data: bytes) -> Staged:
        """The article stored as *data* (by :meth:`put`, in this run)."""
        return pickle.loads(data)  # type: ignore[no-any-return]  # noqa: S301 (made by this process in this run)
