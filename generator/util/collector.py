"""Python's cycle collector, run less often while a build makes many small objects.

A run after one edit decodes every article's summary from the record and plans every page from
them: some three million small objects at 10,000 articles, nearly none of them in a cycle. With
the default threshold (a young collection every 700 allocations) the collector took two thirds
of the time of decoding them (measured: 1.5 s against 0.8 s with a threshold of 10,000). Cycles
are still collected, only in larger steps.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator

YOUNG = 10_000
"""Allocations between two collections of the youngest generation (Python's default is 700)."""


@contextlib.contextmanager
def fewer_collections() -> Iterator[None]:
    """Run the block with a young collection every :data:`YOUNG` allocations at most often,
    then put the thresholds back."""
    old = gc.get_threshold()
    gc.set_threshold(max(old[0], YOUNG), *old[1:])
    try:
        yield
    finally:
        gc.set_threshold(*old)
