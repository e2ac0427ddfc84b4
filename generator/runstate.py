"""The whole-run fast path: when no input changed since the last successful generate and its
output is intact, there is nothing to do.

The inputs are every file under ``articles/`` (texts, notes, originals), the cleaning rules, the
registry, the generator's own code, the model's version and the environment variables that
change the output; their digest is a hash of their bytes. The output is checked by the size and
modification time of every generated file, recorded after the last write: a page edited or
deleted by hand is noticed and regenerated.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from .cache import cache_dir, model_version, spacy_version
from .project import Project
from .site import GENERATED

STATE_FILE = "state.json"
ENVIRONMENT = ("ARCHIVE_SPACY_MODEL", "ARCHIVE_PAGE_SIZE")
"""Environment variables that change the generated pages."""
CODE = Path(__file__).resolve().parent


@dataclass(frozen=True)
class State:
    """What the last successful generate recorded."""

    digest: str
    """The digest of the inputs it read (:func:`inputs_digest`)."""
    files: dict[str, tuple[int, int]]
    """Every generated file (path under the docs folder) → (size, modification time in ns)."""
    warnings: tuple[str, ...]
    """The warnings it printed (printed again when it is reused)."""
    articles: int
    """How many articles it generated."""


def _files(folder: Path) -> Iterable[Path]:
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if not name.startswith("."):
                yield Path(dirpath, name)


def inputs_digest(project: Project, strict: bool) -> str:
    """A hash of everything the generated pages depend on."""
    digest = hashlib.sha256()

    def add(label: str, data: bytes) -> None:
        digest.update(f"{label}\x00{len(data)}\x00".encode())
        digest.update(data)

    add("strict", b"1" if strict else b"0")
    add("model", f"{model_version()} {spacy_version()}".encode())
    for name in ENVIRONMENT:
        add(name, os.environ.get(name, "").encode())
    for path in sorted(CODE.glob("*.py")) + sorted(CODE.glob("*.yml")):
        add(f"code/{path.name}", path.read_bytes())
    for path in (project.rules, project.registry):
        add(path.name, path.read_bytes() if path.is_file() else b"<missing>")
    if project.articles.is_dir():
        for path in _files(project.articles):
            add(path.relative_to(project.articles).as_posix(), path.read_bytes())
    return digest.hexdigest()


def generated_files(docs: Path) -> dict[str, tuple[int, int]]:
    """Every generated file under *docs* → (size, modification time in ns)."""
    found: dict[str, tuple[int, int]] = {}
    for name in GENERATED:
        top = docs / name
        if top.is_file():
            stat = top.stat()
            found[name] = (stat.st_size, stat.st_mtime_ns)
        elif top.is_dir():
            for dirpath, _, filenames in os.walk(top):
                for filename in filenames:
                    path = Path(dirpath, filename)
                    stat = path.stat()
                    found[path.relative_to(docs).as_posix()] = (stat.st_size, stat.st_mtime_ns)
    return found


def unchanged(project: Project, digest: str) -> State | None:
    """The recorded state if the inputs' *digest* and every generated file match it, else None."""
    path = cache_dir(project.root) / STATE_FILE
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        state = State(
            data["digest"],
            {k: (int(v[0]), int(v[1])) for k, v in data["files"].items()},
            tuple(data["warnings"]),
            int(data["articles"]),
        )
    except (OSError, ValueError, KeyError, TypeError, IndexError, AttributeError):
        return None
    if state.digest != digest or generated_files(project.docs) != state.files:
        return None
    return state


def record(project: Project, digest: str, warnings: Iterable[str], articles: int) -> None:
    """Remember that the generated pages now match the inputs of *digest*."""
    folder = cache_dir(project.root)
    folder.mkdir(parents=True, exist_ok=True)
    data = {
        "digest": digest,
        "articles": articles,
        "warnings": list(warnings),
        "files": {k: list(v) for k, v in sorted(generated_files(project.docs).items())},
    }
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".tmp-")
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump(data, handle, separators=(",", ":"))
    os.replace(tmp, folder / STATE_FILE)


def forget(project: Project) -> None:
    """Drop the recorded state (the next run does all the work)."""
    (cache_dir(project.root) / STATE_FILE).unlink(missing_ok=True)
