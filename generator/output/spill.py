"""The articles staged in a run, kept on disk between its two passes (:mod:`generator.pipeline`),
so that memory does not grow with the number of articles that changed."""

from __future__ import annotations

import pickle
from pathlib import Path
from typing import Any

from generator.errors import ArchiveError
from generator.output import codec
from generator.stages.staged import Staged
from generator.util.spillfile import SpillFile


class Spill:
    """The articles staged in this run, kept on disk between the two passes (one at a time in
    memory); removed when the run ends. When the disk is full (or the cache folder cannot be
    written), they are kept in memory instead: the pages' own writes then say what is wrong."""

    def __init__(self, folder: Path) -> None:
        self.store = SpillFile(folder)
        self._last: tuple[str, bytes] | None = None

    def __enter__(self) -> Spill:
        return self

    def __exit__(self, *exc: object) -> None:
        self.store.close()

    def put(self, slug: str, staged: Staged) -> None:
        self._last = None
        self.store.put(slug, pickle.dumps(staged, protocol=pickle.HIGHEST_PROTOCOL))

    def get(self, slug: str) -> Staged | None:
        data = self.store.get(slug)
        return None if data is None else self.value(data)

    def data(self, slug: str) -> bytes | None:
        """The article put under *slug* as stored (for :meth:`value`, in this process or in one
        forked from it), or None. The last one asked for is kept: the pages made from an article
        (its page and its annotations) come one after another, so its bytes are read once for
        them, and the same object comes back (pickled once for a chunk of pages that holds both)."""
        if self._last is not None and self._last[0] == slug:
            return self._last[1]
        found = self.store.get(slug)
        self._last = None if found is None else (slug, found)
        return found

    @staticmethod
    def value(data: bytes) -> Staged:
        """The article stored as *data* (by :meth:`put`, in this run)."""
        return pickle.loads(data)  # type: ignore[no-any-return]  # noqa: S301 (made by this process in this run)


class Values:
    """The values a page is rendered from (:class:`generator.render.plan.Ref`), from what the
    build fetched for them: a record's text, or a spilled article's bytes (or the article
    itself). The last article decoded is kept: an article's pages come one after another."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._last: tuple[Any, Staged] | None = None

    @staticmethod
    def recorded(ref: Any, record: Any) -> str:
        """The record's text of a ``notes`` or ``passages`` *ref*."""
        text = record.notes(ref.slug) if ref.kind == "notes" else record.passages(ref.slug, ref.entity)
        if text is None:
            raise ArchiveError(f"internal error: the record has no {ref.kind} of {ref.slug}; run again with --no-cache")
        return text  # type: ignore[no-any-return]

    def decode(self, ref: Any, raw: object) -> object:
        if ref.kind == "notes":
            return codec.notes_value(raw, self.root)  # type: ignore[arg-type]
        if ref.kind == "passages":
            return codec.passages_value(raw)  # type: ignore[arg-type]
        if not isinstance(raw, bytes):
            return raw  # staged again in this process
        if self._last is None or self._last[0] != ref:
            self._last = (ref, Spill.value(raw))
        return self._last[1]
