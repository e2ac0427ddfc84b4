"""Where the language model runs: in this process, in forked processes, or on a Dask cluster.

The entity stage hands the model batches of block texts (:meth:`Finder.submit`) and takes the
mentions back later (:meth:`Finder.result`), so that the next batch is read and cleaned while
the model works on this one. Each finder loads the model once per process that runs it:

- :class:`LocalFinder` loads it in this process and, for large runs, forks worker processes
  that inherit it and send back only the mentions (``nlp.pipe(n_process=…)`` would send back
  whole documents, which costs the main process milliseconds each to read);
- :class:`generator.stages.distributed.ClusterFinder` sends the batches to the workers of a
  Dask cluster (``--cluster``), each of which loads the pinned model once.

Every finder returns the same mentions for the same texts: the output does not depend on where
the model ran.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Sequence
from typing import Any, Protocol

from generator.inputs.registry import Registry
from generator.settings import Settings
from generator.stages import entities
from generator.stages.entities import Mention
from generator.util.forked import forked_pool


class Finder(Protocol):
    """Finds the mentions in batches of block texts."""

    loaded: bool
    """Whether the model was loaded (by this process or by workers)."""
    registry: Registry
    """The registry whose names the model is given."""

    def submit(self, texts: Sequence[str]) -> object:
        """Start on *texts*; return a handle for :meth:`result`."""

    def result(self, handle: object) -> list[list[Mention]]:
        """The mentions of each text of the batch *handle* stands for, in order."""

    def close(self) -> None:
        """Stop any worker processes."""


class LocalFinder:
    """The model in this process, or in *processes* forked processes that inherit it."""

    def __init__(self, registry: Registry, model: str, processes: int = 1, nlp: Any = None) -> None:
        self.registry = registry
        self.model = model
        self.processes = processes
        self.nlp = nlp
        self.loaded = nlp is not None
        self._pool: Any = None

    def _pipeline(self) -> Any:
        if self.nlp is None:
            self.nlp = entities.load_pipeline(self.registry, self.model)
            self.loaded = True
        return self.nlp

    def submit(self, texts: Sequence[str]) -> object:
        nlp = self._pipeline()
        if self.processes <= 1 or "fork" not in multiprocessing.get_all_start_methods():
            return ("here", list(texts))
        if self._pool is None:
            # The workers are forked with the pipeline loaded: they inherit it instead of loading it.
            entities._SHARED = (nlp, self.registry)
            self._pool = forked_pool(self.processes, entities.model_worker_start)
        chunks = [list(texts[i : i + entities.CHUNK]) for i in range(0, len(texts), entities.CHUNK)]
        return ("pool", [self._pool.apply_async(entities._work, (chunk,)) for chunk in chunks])

    def result(self, handle: object) -> list[list[Mention]]:
        where, work = handle  # type: ignore[misc]
        if where == "here":
            return entities._mentions(self._pipeline(), work, self.registry)
        return [mentions for part in work for mentions in part.get()]

    def close(self) -> None:
        if self._pool is not None:
            self._pool.close()
            self._pool.join()
            self._pool = None
            entities._SHARED = None

    def __enter__(self) -> LocalFinder:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._pool is not None:
            self._pool.terminate()
            self._pool.join()
            self._pool = None
            entities._SHARED = None


def finder_for(settings: Settings, registry: Registry, articles: int) -> Finder:
    """Where the model runs for a run that stages *articles* articles."""
    if settings.cluster:
        from generator.stages.distributed import ClusterFinder

        return ClusterFinder(settings.cluster, registry, settings.spacy_model)
    texts = articles * 8  # about eight paragraphs an article
    return LocalFinder(registry, settings.spacy_model, entities.processes(texts, settings.processes))
