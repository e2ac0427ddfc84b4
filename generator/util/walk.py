"""A folder's files with their sizes and times, listed here or in a child process.

Listing every file of a large docs folder costs a system call a file: 56,000 of them, about
0.4 s, at 10,000 articles. A build needs the listing only after it has read its sources and its
record, so it starts :class:`Background` first: ``python -P -m generator.util.walk`` lists the
folder on another core meanwhile, and the build reads its answer when it needs it. A child that
cannot be started or does not answer in the expected shape is not trusted: the folder is then
listed in the build's own process, by the same :func:`walk`.
"""

from __future__ import annotations

import marshal
import os
import subprocess
import sys
from collections.abc import Iterable

Found = dict[str, tuple[int, int]]
"""Relative path (``/``-separated) → (size, modification time in ns)."""
Odd = tuple[str, str, str]
"""The first entry refused: ``("link", path, "")`` or ``("kind", path, suffix)``."""


def _suffix(name: str) -> str:
    """``Path(name).suffix``, without making a path."""
    dot = name.rfind(".")
    return name[dot:] if 0 < dot < len(name) - 1 else ""


def walk(folder: str, allowed: Iterable[str]) -> tuple[Found, Odd | None]:
    """Every file under *folder* (hidden ones too) → its size and time, and the first entry that
    is a symbolic link or, not hidden, has a suffix (lower-cased) not in *allowed*; the listing
    stops there. A missing folder has no files."""
    found: Found = {}
    return found, _walk(folder, "", frozenset(allowed), found)


def _walk(folder: str, prefix: str, allowed: frozenset[str], found: Found) -> Odd | None:
    try:
        with os.scandir(folder) as listing:
            entries = list(listing)
    except FileNotFoundError:
        return None
    for entry in entries:
        if entry.is_symlink():
            return ("link", entry.path, "")
        if entry.is_dir():
            odd = _walk(entry.path, f"{prefix}{entry.name}/", allowed, found)
            if odd is not None:
                return odd
            continue
        kind = _suffix(entry.name).lower()
        if kind not in allowed and not entry.name.startswith("."):
            return ("kind", entry.path, kind)
        stat = entry.stat(follow_symlinks=False)
        found[prefix + entry.name] = (stat.st_size, stat.st_mtime_ns)
    return None


class Background:
    """:func:`walk` of *folder*, started in a child process now; :meth:`result` waits for it.
    Use it as a context manager: a child whose answer was never read is stopped on exit."""

    def __init__(self, folder: str, allowed: Iterable[str]) -> None:
        self.folder, self.allowed = folder, sorted(allowed)
        # -P: the current folder (an archive's, often) is not put on sys.path, so no module of
        # it is imported in place of this one.
        command = [sys.executable, "-P", "-m", __name__, folder, *self.allowed]
        try:
            # No preexec_fn: without one, the child is started by vfork, not by copying the page
            # tables of a build that holds a large archive. It ends when its listing is written.
            self._child: subprocess.Popen[bytes] | None = subprocess.Popen(
                command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL
            )
        except OSError:
            self._child = None

    def result(self) -> tuple[Found, Odd | None]:
        """The child's listing, or the folder listed here if the child gave none."""
        child, self._child = self._child, None
        if child is not None:
            output, _ = child.communicate()
            if child.returncode == 0:
                answer = _answer(output)
                if answer is not None:
                    return answer
        return walk(self.folder, self.allowed)

    def __enter__(self) -> Background:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._child is not None:
            self._child.kill()
            self._child.communicate()
            self._child = None


def _answer(output: bytes) -> tuple[Found, Odd | None] | None:
    """The child's listing if *output* has its shape, else None."""
    try:
        value = marshal.loads(output)
    except (EOFError, ValueError, TypeError):
        return None
    if not (isinstance(value, tuple) and len(value) == 2 and isinstance(value[0], dict)):
        return None
    found, odd = value
    if not all(
        type(rel) is str and type(stat) is tuple and len(stat) == 2 and type(stat[0]) is type(stat[1]) is int
        for rel, stat in found.items()
    ):
        return None
    if odd is not None and not (isinstance(odd, tuple) and len(odd) == 3 and all(isinstance(s, str) for s in odd)):
        return None
    return found, odd


if __name__ == "__main__":  # the child of Background: its listing, in marshal's format, on stdout
    sys.stdout.buffer.write(marshal.dumps(walk(sys.argv[1], sys.argv[2:])))
