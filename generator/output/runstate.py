"""The whole-run fast path: when no input changed since the last successful generate and its
output is intact, there is nothing to do.

The inputs are every file under ``articles/`` (texts, notes, originals), the cleaning rules and
the registry; the context is the generator's own code, the model's and the sanitiser's
versions, ``--strict`` and the environment variables that change the output. A run records the
size and modification time of each input and a hash of their bytes; the next run compares sizes
and times first and reads the files only if one differs (a file touched but not changed still
matches its hash). The output is checked by the size and modification time of every generated
file, recorded after the last write: a page edited or deleted by hand is noticed and
regenerated. A run that has work to do uses the same record to check against the sanitiser's
allow-list only the pages that are not already on disk as that run left them.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from stat import S_ISREG

from generator.output.docs import GENERATED, Stats
from generator.project import Project
from generator.stages.entity_cache import cache_dir
from generator.stages.modelinfo import model_version, package_version, spacy_version

STATE_FILE = "state.json"
ENVIRONMENT = ("ARCHIVE_SPACY_MODEL", "ARCHIVE_PAGE_SIZE")
"""Environment variables that change the generated pages."""
CODE = Path(__file__).resolve().parent.parent
"""The package: every module of it (sub-packages too) is part of the run's context."""


@dataclass(frozen=True)
class Snapshot:
    """The inputs of a run, as seen when it started."""

    context: str
    """Hash of the code, model version, ``--strict`` and environment."""
    inputs: Stats
    """Every input file (relative to the archive's root)."""
    content: str
    """Hash of the bytes of every input file."""


@dataclass(frozen=True)
class State:
    """What the last successful generate recorded."""

    snapshot: Snapshot
    files: Stats
    """Every generated file (path under the docs folder)."""
    warnings: tuple[str, ...]
    """The warnings it printed (printed again when it is reused)."""
    articles: int
    """How many articles it generated."""


def _walk(folder: Path, prefix: str, out: Stats, hidden: bool = False) -> None:
    try:
        entries = list(os.scandir(folder))
    except FileNotFoundError:
        return
    for entry in entries:
        if not hidden and entry.name.startswith("."):
            continue
        if entry.is_dir(follow_symlinks=False):
            _walk(Path(entry.path), f"{prefix}{entry.name}/", out, hidden)
        else:
            stat = entry.stat(follow_symlinks=False)
            out[prefix + entry.name] = (stat.st_size, stat.st_mtime_ns)


def context_digest(strict: bool) -> str:
    digest = hashlib.sha256()
    digest.update(f"strict={strict}\x00model={model_version()} {spacy_version()}\x00".encode())
    # The sanitiser's version: a page that passed its check under one may not under another.
    digest.update(f"nh3={package_version('nh3')}\x00".encode())
    for name in ENVIRONMENT:
        digest.update(f"{name}={os.environ.get(name, '')}\x00".encode())
    digest.update(code_digest(CODE).encode())
    return digest.hexdigest()


def code_digest(package: Path) -> str:
    """Hash of every module and data file of *package*, sub-packages included (compiled files
    left out): a change to any of them is other code, whose pages are not trusted."""
    digest = hashlib.sha256()
    for path in sorted(package.rglob("*")):
        if path.suffix in (".pyc", ".pyo") or "__pycache__" in path.parts or not path.is_file():
            continue
        digest.update(f"{path.relative_to(package).as_posix()}\x00".encode())
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def input_stats(project: Project) -> Stats:
    stats: Stats = {}
    _walk(project.articles, "articles/", stats)
    for path in (project.rules, project.registry):
        try:
            stat = path.stat()
        except FileNotFoundError:
            continue
        stats[path.relative_to(project.root).as_posix()] = (stat.st_size, stat.st_mtime_ns)
    return stats


def content_digest(project: Project, inputs: Iterable[str]) -> str:
    digest = hashlib.sha256()
    for rel in sorted(inputs):
        path = project.root / rel
        # Only regular files are read: a pipe or a device would block or never end (the source
        # checks refuse them with a message; here they only make the digest differ).
        if not S_ISREG(path.lstat().st_mode):
            digest.update(f"{rel}\x00special\x00".encode())
            continue
        data = path.read_bytes()
        digest.update(f"{rel}\x00{len(data)}\x00".encode())
        digest.update(data)
    return digest.hexdigest()


def snapshot(project: Project, strict: bool) -> Snapshot:
    """The inputs as they are now (reads every input file)."""
    inputs = input_stats(project)
    return Snapshot(context_digest(strict), inputs, content_digest(project, inputs))


def generated_files(docs: Path) -> Stats:
    """Every generated file under *docs* → (size, modification time in ns)."""
    found: Stats = {}
    for name in GENERATED:
        top = docs / name
        if top.is_dir():
            _walk(top, f"{name}/", found, hidden=True)
        elif top.is_file():
            stat = top.stat()
            found[name] = (stat.st_size, stat.st_mtime_ns)
    return found


def _read(project: Project) -> State | None:
    try:
        data = json.loads((cache_dir(project.root) / STATE_FILE).read_text(encoding="utf-8"))
        return State(
            Snapshot(data["context"], {k: (v[0], v[1]) for k, v in data["inputs"].items()}, data["content"]),
            {k: (v[0], v[1]) for k, v in data["files"].items()},
            tuple(data["warnings"]),
            int(data["articles"]),
        )
    except (OSError, ValueError, KeyError, TypeError, IndexError, AttributeError):
        return None


def last_run(project: Project, strict: bool) -> State | None:
    """What the last successful run recorded, if it ran with the same code, model, sanitiser and
    settings (*strict*); else None. Every generated file it recorded passed its check against the
    sanitiser's allow-list, or held the same bytes as a file that passed an earlier one."""
    state = _read(project)
    if state is None or state.snapshot.context != context_digest(strict):
        return None
    return state


def unchanged(project: Project, state: State) -> bool:
    """Whether the inputs and every generated file are as *state* (:func:`last_run`) recorded."""
    inputs = input_stats(project)
    if inputs != state.snapshot.inputs:
        if set(inputs) != set(state.snapshot.inputs) or content_digest(project, inputs) != state.snapshot.content:
            return False
    return generated_files(project.docs) == state.files


def record(project: Project, taken: Snapshot, warnings: Iterable[str], articles: int) -> None:
    """Remember that the generated pages now match the inputs *taken* at the start of the run."""
    folder = cache_dir(project.root)
    folder.mkdir(parents=True, exist_ok=True)
    data = {
        "context": taken.context,
        "content": taken.content,
        "inputs": {k: list(v) for k, v in sorted(taken.inputs.items())},
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
