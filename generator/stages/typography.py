"""Typography folded for matching quotes, with the way back to the original offsets.

Curly quotes become straight ones and every run of white space (line breaks, non-breaking, thin
and zero-width spaces included) becomes one plain space, so that neither stops a quote from
matching. Offsets found in the folded text map back to the original's code points.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

_QUOTES = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'", "\u02bc": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"', "\u00ab": '"', "\u00bb": '"',
})  # fmt: skip

_SPACE = "\\s\u200b\ufeff"
_FOLDED_RUN = re.compile(rf"[{_SPACE}]*(?:[^\S ]|[\u200b\ufeff]| (?=[{_SPACE}]))[{_SPACE}]*")
"""A run of white space (``str.isspace``, as ``\\s`` matches) or zero-width characters that is
not a single plain space: the runs that normalising shortens or changes."""


@dataclass(frozen=True)
class _Runs:
    """The runs of white space that folding changed (an article has a few dozen; a list per
    character would cost more than the search itself)."""

    at: list[int]
    """Folded offset of each run (it became one space)."""
    orig_start: list[int]
    orig_end: list[int]
    shift: list[int]
    """Characters removed up to and including each run."""


class _Offsets:
    """``starts`` or ``ends`` of a :class:`Normal`, computed on demand from the folded runs."""

    __slots__ = ("_runs", "_end")

    def __init__(self, runs: _Runs, end: bool):
        self._runs, self._end = runs, end

    def __getitem__(self, index: int) -> int:
        runs = self._runs
        k = bisect_right(runs.at, index) - 1
        if k >= 0 and runs.at[k] == index:
            return runs.orig_end[k] if self._end else runs.orig_start[k]
        return index + (runs.shift[k] if k >= 0 else 0) + (1 if self._end else 0)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Offsets) and (self._runs, self._end) == (other._runs, other._end)

    def __hash__(self) -> int:
        return hash((tuple(self._runs.at), self._end))


@dataclass(frozen=True)
class Normal:
    """A text normalised for matching, with the way back to the original offsets."""

    text: str
    """Straight quotes, single spaces."""
    starts: Sequence[int]
    """For each character of :attr:`text`, the offset of the original character it came from."""
    ends: Sequence[int]
    """For each character of :attr:`text`, the offset after the original character(s) it stands for."""

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Original (start, end) of the normalised stretch ``text[start:end]`` (end > start)."""
        return self.starts[start], self.ends[end - 1]

    def offset(self, original: int) -> int:
        """The normalised offset of the original offset *original* (inside a folded run: the run's)."""
        runs: _Runs = self.starts._runs  # type: ignore[attr-defined]
        k = bisect_right(runs.orig_start, original) - 1
        if k < 0:
            return original
        if original < runs.orig_end[k]:
            return runs.at[k]
        return original - runs.shift[k]


def normalise(text: str) -> Normal:
    """Fold quotes and white space so that typography does not stop a match."""
    return _normalise(text)


@lru_cache(maxsize=8)
def _normalise(text: str) -> Normal:
    # Every note of an article searches the same text: normalise it once (the cache), and only
    # where it changes (runs of white space other than one plain space).
    parts: list[str] = []
    runs = _Runs([], [], [], [])
    position = removed = 0
    for match in _FOLDED_RUN.finditer(text):
        start, end = match.span()
        parts.append(text[position:start])
        parts.append(" ")
        runs.at.append(start - removed)
        runs.orig_start.append(start)
        runs.orig_end.append(end)
        removed += end - start - 1
        runs.shift.append(removed)
        position = end
    parts.append(text[position:])
    return Normal("".join(parts).translate(_QUOTES), _Offsets(runs, end=False), _Offsets(runs, end=True))


def fold(text: str) -> str:
    """*text* with its typography folded (no way back: for quotes and context)."""
    return normalise(text).text if len(text) > 200 else _fold_short(text)


@lru_cache(maxsize=1024)
def _fold_short(text: str) -> str:
    return _FOLDED_RUN.sub(" ", text).translate(_QUOTES)
