"""What the preview knows about its last run, shared by the builder thread and the web server.

Each finished run (good or failed) increments :attr:`Run.version`; open pages wait on the
version they were served at (:func:`PreviewState.wait`) and reload, or show the errors, when it
moves on.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from generator.errors import ArchiveError, ErrorList, Problem


@dataclass(frozen=True)
class Item:
    """One problem as the studio shows it: the message, and where."""

    message: str
    path: str = ""
    """The file, relative to the archive's root when inside it."""
    line: int | None = None
    column: int | None = None

    @property
    def where(self) -> str:
        return self.path + (f":{self.line}" if self.line else "") + (f":{self.column}" if self.column else "")

    def as_json(self) -> dict[str, Any]:
        return {"message": self.message, "path": self.path, "line": self.line, "where": self.where}


def relative(path: Path | str | None, root: Path) -> str:
    if path is None:
        return ""
    try:
        return str(Path(path).resolve().relative_to(root.resolve()))
    except ValueError:
        return str(path)


def items(problems: list[ArchiveError] | list[Problem], root: Path) -> tuple[Item, ...]:
    """Errors (an :class:`ErrorList` is unpacked) or warnings as :class:`Item` values."""
    found: list[Item] = []
    for problem in problems:
        if isinstance(problem, ErrorList):
            found.extend(items(problem.errors, root))
            continue
        message = problem.reason if isinstance(problem, ArchiveError) else problem.message
        found.append(Item(message, relative(problem.path, root), problem.line, problem.column))
    return tuple(found)


@dataclass(frozen=True)
class Run:
    """The outcome of the last preview run."""

    version: int = 0
    """0 before the first run ends; then one more for each run."""
    ok: bool = False
    """The pages are current (the last run generated and built them)."""
    building: bool = True
    errors: tuple[Item, ...] = ()
    """Why the last run failed (the pages shown are those of the last good run)."""
    warnings: tuple[Item, ...] = ()
    seconds: float = 0.0
    """How long the last run took."""
    finished: float = field(default_factory=time.time)

    def as_json(self) -> dict[str, Any]:
        return {
            "version": self.version,
            "ok": self.ok,
            "building": self.building,
            "errors": [item.as_json() for item in self.errors],
            "warnings": [item.as_json() for item in self.warnings],
            "seconds": round(self.seconds, 2),
        }


class PreviewState:
    """The last :class:`Run`, safe to read from any thread."""

    def __init__(self) -> None:
        self._run = Run()
        self._changed = threading.Condition()

    @property
    def run(self) -> Run:
        return self._run

    def building(self) -> None:
        with self._changed:
            self._run = replace(self._run, building=True)
            self._changed.notify_all()

    def finished(self, ok: bool, errors: tuple[Item, ...], warnings: tuple[Item, ...], seconds: float) -> Run:
        with self._changed:
            self._run = Run(self._run.version + 1, ok, False, errors, warnings, seconds)
            self._changed.notify_all()
            return self._run

    def wait(self, seen: tuple[int, bool], timeout: float) -> Run:
        """The run once its (version, building) differs from *seen*, or after *timeout* seconds."""
        with self._changed:
            self._changed.wait_for(lambda: (self._run.version, self._run.building) != seen, timeout)
            return self._run
