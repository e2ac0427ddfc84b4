"""The language model on a Dask cluster (``archive build --cluster``).

``--cluster tcp://HOST:PORT`` connects to a running Dask scheduler; ``--cluster local:N`` starts
a cluster of N worker processes on this machine for the run. Either way, the entity stage
hands its batches of block texts (only those the cache does not hold,
:mod:`generator.stages.batches`) to :class:`ClusterFinder`, which cuts them into tasks of
:data:`TASK_TEXTS` texts for the workers and gives back their mentions in order; the pipeline
writes them into the same content-hash cache as a run on one machine, so a re-run anywhere
reuses them, and the pages are the same byte for byte.

Each worker loads the pinned model once (the pipeline is cached per process,
:func:`generator.stages.entities.load_pipeline`) and builds the registry's entity ruler itself:
the registry is sent to each worker once, the pipeline never. A worker refuses to work when its
model, spaCy or registry would give another cache key than this machine computes
(:func:`worker_mentions`), so a worker with other versions cannot fill the cache under the
wrong key.

The task function lives in this importable module, so workers need the archive's package
installed (``pip install -e .`` of the same checkout, or the same ``PYTHONPATH``). Dask's
protocol unpickles what it receives: use a scheduler only on a network you trust.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from generator.errors import ArchiveError
from generator.inputs.registry import Registry
from generator.stages.entities import Mention

TASK_TEXTS = 256
"""Block texts per task (about 30 articles): smaller tasks pay Dask's overhead per task, larger
ones leave workers idle at the end of a run."""

CONNECT_SECONDS = 10
"""How long to wait for the scheduler of ``--cluster tcp://…`` to answer."""

MentionRow = tuple[int, int, str, str, str, int, int]


def worker_mentions(model: str, version: str, registry: Registry, texts: list[str]) -> list[list[MentionRow]]:
    """Run on a worker: the mentions of each of *texts*, as plain tuples. Refuses when this
    worker's cache key (*version*, :func:`generator.stages.entity_cache.mentions_version`)
    differs from the one the client computed."""
    import socket

    from generator.stages import entities
    from generator.stages.entity_cache import mentions_version

    here = mentions_version(registry, model)
    if here != version:
        raise RuntimeError(
            f"worker {socket.gethostname()} has {here}, the build needs {version}: install the same "
            "model and spaCy on every worker"
        )
    nlp = entities.load_pipeline(registry, model)
    found = entities._mentions(nlp, texts, registry)
    return [[(m.start, m.end, m.text, m.label, m.entity, *m.sentence) for m in block] for block in found]


class ClusterFinder:
    """Finds mentions on the workers of a Dask cluster (see the module's documentation)."""

    def __init__(self, where: str, registry: Registry, model: str) -> None:
        self.where = where
        self.registry = registry
        self.model = model
        self.loaded = False
        self.notice = ""
        """What to tell the user once the cluster was used."""
        self._client: Any = None
        self._cluster: Any = None
        self._registry: Any = None
        from generator.stages.entity_cache import mentions_version

        self.version = mentions_version(registry, model)

    def _connect(self) -> Any:
        if self._client is not None:
            return self._client
        try:
            from distributed import Client, LocalCluster
        except ImportError as exc:
            raise ArchiveError(
                "--cluster needs Dask: install the archive's pinned requirements (make .venv/.installed)"
            ) from exc
        try:
            if self.where.startswith("local:"):
                count = int(self.where.removeprefix("local:"))
                self._cluster = LocalCluster(
                    n_workers=count, threads_per_worker=1, processes=True, dashboard_address=None
                )
                self._client = Client(self._cluster)
            else:
                self._client = Client(self.where, timeout=CONNECT_SECONDS)
        except (OSError, TimeoutError) as exc:
            self.close()
            raise ArchiveError(
                f"--cluster {self.where}: no Dask scheduler answered ({exc}); start one (dask scheduler) "
                "and its workers (dask worker ADDRESS), or build without --cluster"
            ) from None
        self._registry = self._client.scatter(self.registry, broadcast=True)
        workers = len(self._client.scheduler_info().get("workers", {}))
        self.notice = f"The language model ran on the Dask cluster {self.where} ({workers} workers)."
        self.loaded = True
        return self._client

    def submit(self, texts: Sequence[str]) -> object:
        client = self._connect()
        return [
            client.submit(
                worker_mentions, self.model, self.version, self._registry, list(texts[i : i + TASK_TEXTS]), pure=False
            )
            for i in range(0, len(texts), TASK_TEXTS)
        ]

    def result(self, handle: object) -> list[list[Mention]]:
        found: list[list[Mention]] = []
        for future in handle:  # type: ignore[attr-defined]
            try:
                rows = future.result()
            except RuntimeError as exc:
                raise ArchiveError(f"--cluster {self.where}: {exc}") from None
            found.extend([Mention(s, e, text, label, entity, (a, b)) for s, e, text, label, entity, a, b in block]
                         for block in rows)  # fmt: skip
        return found

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None
        if self._cluster is not None:
            self._cluster.close()
            self._cluster = None
