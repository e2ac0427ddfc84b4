"""The stages over many articles, a batch at a time, with the model working on one batch while
the next is read and cleaned.

Each article is prepared (read, cleaned, notes anchored: :func:`generator.stages.staged.prepare`),
its mentions are taken from the cache (:mod:`generator.stages.entity_cache`) or found by the
model (:mod:`generator.stages.finders`), and the finished article is handed to a callback in the
order the articles were given. At most a few batches are held at once, so memory does not grow
with the archive, and the model's worker processes (or a cluster's) keep busy while this
process cleans.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from generator.errors import ArchiveError
from generator.inputs.rules import Rules
from generator.stages.entities import Mention, annotate, in_cells, unreadable_texts
from generator.stages.entity_cache import MentionCache
from generator.stages.finders import Finder
from generator.stages.staged import Prepared, Staged, prepare

BATCH = 64
"""Articles per batch (about 500 block texts)."""
AHEAD = 2
"""Batches submitted to the model before the oldest is collected."""


@dataclass
class Counts:
    """What the entity stage did."""

    staged: int = 0
    """Articles staged."""
    analysed: int = 0
    """Of them, how many the model read (the others came from the cache)."""


@dataclass
class _Batch:
    prepared: list[Prepared]
    keys: list[str]
    found: list[list[list[Mention]] | None]
    """Per article: its mentions from the cache, or None when the model must find them."""
    handle: object | None


def stage_all(
    paths: Iterable[Path],
    rules: Rules,
    finder: Finder,
    cache: MentionCache,
    on_staged: Callable[[Staged, str], None],
    errors: list[ArchiveError],
) -> Counts:
    """Stage the articles at *paths*; call *on_staged* (the article, its cache key) for each one
    that could be read, in the order given; add every problem to *errors*."""
    counts = Counts()
    known = frozenset(entity.id for entity in finder.registry)
    pending: deque[_Batch] = deque()
    batch: list[Prepared] = []
    for path in paths:
        prepared, found_errors = prepare(path, rules)
        errors.extend(found_errors)
        # A paragraph the model would fail on, or take hours over, is an error before it gets there.
        unreadable = unreadable_texts([prepared.article]) if prepared is not None else []
        errors.extend(unreadable)
        if prepared is not None and not unreadable:
            batch.append(prepared)
        if len(batch) >= BATCH:
            pending.append(_submit(batch, finder, cache, known))
            batch = []
            while len(pending) > AHEAD:
                _collect(pending.popleft(), finder, cache, on_staged, counts)
    if batch:
        pending.append(_submit(batch, finder, cache, known))
    while pending:
        _collect(pending.popleft(), finder, cache, on_staged, counts)
    return counts


def _submit(prepared: list[Prepared], finder: Finder, cache: MentionCache, known: frozenset[str]) -> _Batch:
    keys, found, missing = [], [], []
    for item in prepared:
        texts = [block.text for block in item.article.blocks]
        key = cache.key(texts)
        hit = cache.get(key, texts, known, item.article.path)
        keys.append(key)
        found.append(hit)
        if hit is None:
            missing.extend(texts)
    handle = finder.submit(missing) if missing else None
    return _Batch(prepared, keys, found, handle)


def _collect(
    batch: _Batch, finder: Finder, cache: MentionCache, on_staged: Callable[[Staged, str], None], counts: Counts
) -> None:
    found = finder.result(batch.handle) if batch.handle is not None else []
    position = 0
    for item, key, hit in zip(batch.prepared, batch.keys, batch.found, strict=True):
        if hit is None:
            hit = found[position : position + len(item.article.blocks)]
            position += len(item.article.blocks)
            cache.put(key, hit)
            counts.analysed += 1
        hit = [in_cells(block, found_in) for block, found_in in zip(item.article.blocks, hit, strict=True)]
        article, occurrences = annotate(item.article, hit)
        counts.staged += 1
        mentions = tuple(tuple(block) for block in hit)
        on_staged(Staged(article, item.notes, occurrences, item.warnings, item.records, mentions), key)
