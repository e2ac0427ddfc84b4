"""The whole-run fast path: when no input changed since the last successful generate and its
output is intact, there is nothing to do.

The inputs are every file under ``articles/`` (texts, notes, originals), the cleaning rules, the
registry and ``mkdocs.yml``; the context is the generator's own code (every module of the
package), the model's and the sanitiser's versions, and the settings as a whole
(:class:`generator.settings.Settings`: ``--strict``, the environment, what ``mkdocs.yml`` says). A run records the
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
import shutil
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from stat import S_ISREG

from generator.errors import Problem, WriteError
from generator.output.docs import Stats
from generator.paths import GENERATED
from generator.settings import Settings
from generator.stages.entity_cache import cache_dir
from generator.stages.modelinfo import model_version, package_version, spacy_version
from generator.util.files import atomic_write, os_reason

STATE_FILE = "state.json"
CODE = Path(__file__).resolve().parent.parent
"""The package: every module of it (sub-packages too) is part of the run's context."""


@dataclass(frozen=True)
class Snapshot:
    """The inputs of a run, as seen when it started."""

    context: str
    """Hash of the code, the model's and the sanitiser's versions, and the settings."""
    inputs: Stats
    """Every input file (relative to the archive's root)."""
    content: str
    """Hash of the bytes of every input file."""
    hashes: dict[str, str] = field(default_factory=dict, compare=False)
    """The hash of each input file (known for a snapshot taken by this run, not for one read back)."""


@dataclass(frozen=True)
class State:
    """What the last successful generate recorded."""

    snapshot: Snapshot
    files: Stats
    """Every generated file (path under the docs folder)."""
    warnings: tuple[Problem, ...]
    """The warnings it printed (printed again when it is reused)."""
    articles: int
    """How many articles it generated."""


def _walk(folder: Path, prefix: str, out: Stats, hidden: bool = False, folders: bool = False) -> None:
    """Every file under *folder* (links and special files too, as themselves) → (size, time);
    with *folders*, every folder as ``name/`` too, so that a new empty folder is a change."""
    try:
        entries = list(os.scandir(folder))
    except OSError:  # missing, or not a folder: the source checks say what is wrong
        return
    for entry in entries:
        if not hidden and entry.name.startswith("."):
            continue
        if entry.is_dir(follow_symlinks=False):
            if folders:
                out[f"{prefix}{entry.name}/"] = (0, 0)
            _walk(Path(entry.path), f"{prefix}{entry.name}/", out, hidden, folders)
        else:
            stat = entry.stat(follow_symlinks=False)
            out[prefix + entry.name] = (stat.st_size, stat.st_mtime_ns)


def context_digest(settings: Settings) -> str:
    """What the pages depend on besides the inputs: the settings, the model, the sanitiser, the code."""
    digest = hashlib.sha256()
    digest.update(f"settings={settings.digest()}\x00".encode())
    digest.update(f"model={model_version(settings.spacy_model)} {spacy_version()}\x00".encode())
    # The sanitiser's version: a page that passed its check under one may not under another.
    digest.update(f"nh3={package_version('nh3')}\x00".encode())
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


def input_stats(project: Settings) -> Stats:
    stats: Stats = {}
    _walk(project.articles, "articles/", stats, folders=True)
    _walk(project.rules, "rules/", stats, folders=True)
    for path in (project.registry, project.config):
        try:
            stat = path.lstat()
        except OSError:
            continue
        stats[path.relative_to(project.root).as_posix()] = (stat.st_size, stat.st_mtime_ns)
    return stats


def file_hashes(project: Settings, inputs: Iterable[str]) -> dict[str, str]:
    """A hash of the bytes of each input file."""
    hashes = {}
    for rel in inputs:
        path = project.root / rel
        # Only regular files are read: a pipe or a device would block or never end (the source
        # checks refuse them with a message; here they only make the digest differ).
        try:
            if not S_ISREG(path.lstat().st_mode):
                hashes[rel] = "special"
                continue
            hashes[rel] = hashlib.sha256(path.read_bytes()).hexdigest()
        except OSError:  # gone since it was listed, or unreadable: a change
            hashes[rel] = "unreadable"
    return hashes


def _combined(hashes: dict[str, str]) -> str:
    digest = hashlib.sha256()
    for rel in sorted(hashes):
        digest.update(f"{rel}\x00{hashes[rel]}\x00".encode())
    return digest.hexdigest()


def content_digest(project: Settings, inputs: Iterable[str]) -> str:
    return _combined(file_hashes(project, inputs))


def snapshot(project: Settings) -> Snapshot:
    """The inputs as they are now (reads every input file)."""
    inputs = input_stats(project)
    hashes = file_hashes(project, inputs)
    return Snapshot(context_digest(project), inputs, _combined(hashes), hashes)


def refreshed(project: Settings, taken: Snapshot, written: Iterable[Path]) -> Snapshot:
    """*taken* with the input files the run itself wrote or removed (the anchors lock files) as they
    are now: the next run finds them as this one left them. Every other input stays as it was when
    the run started, so a file edited during the run is still noticed."""
    inputs, hashes = dict(taken.inputs), dict(taken.hashes)
    for path in written:
        rel = path.relative_to(project.root).as_posix()
        try:
            stat = path.stat()
        except FileNotFoundError:
            inputs.pop(rel, None)
            hashes.pop(rel, None)
            continue
        inputs[rel] = (stat.st_size, stat.st_mtime_ns)
        hashes[rel] = hashlib.sha256(path.read_bytes()).hexdigest()
    return Snapshot(taken.context, inputs, _combined(hashes), hashes)


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


def _read(project: Settings) -> State | None:
    try:
        data = json.loads((cache_dir(project.root) / STATE_FILE).read_text(encoding="utf-8"))
        return State(
            Snapshot(data["context"], {k: (v[0], v[1]) for k, v in data["inputs"].items()}, data["content"]),
            {k: (v[0], v[1]) for k, v in data["files"].items()},
            tuple(Problem(m, p, line, column) for m, p, line, column in data["warnings"]),
            int(data["articles"]),
        )
    except (OSError, ValueError, KeyError, TypeError, IndexError, AttributeError):
        return None


def last_run(project: Settings) -> State | None:
    """What the last successful run recorded, if it ran with the same code, model, sanitiser and
    settings; else None. Every generated file it recorded passed its check against the
    sanitiser's allow-list, or held the same bytes as a file that passed an earlier one."""
    state = _read(project)
    if state is None or state.snapshot.context != context_digest(project):
        return None
    return state


def unchanged(project: Settings, state: State) -> bool:
    """Whether the inputs and every generated file are as *state* (:func:`last_run`) recorded."""
    inputs = input_stats(project)
    if inputs != state.snapshot.inputs:
        if set(inputs) != set(state.snapshot.inputs) or content_digest(project, inputs) != state.snapshot.content:
            return False
    return generated_files(project.docs) == state.files


def record(project: Settings, taken: Snapshot, warnings: Iterable[Problem], articles: int) -> Problem | None:
    """Remember that the generated pages now match the inputs *taken* at the start of the run.

    A record that cannot be written (the disk is full) is no failure, the pages are written: it
    is returned as a warning (the next run redoes the work)."""
    folder = cache_dir(project.root)
    data = {
        "context": taken.context,
        "content": taken.content,
        "inputs": {k: list(v) for k, v in sorted(taken.inputs.items())},
        "articles": articles,
        "warnings": [[w.message, None if w.path is None else str(w.path), w.line, w.column] for w in warnings],
        "files": {k: list(v) for k, v in sorted(generated_files(project.docs).items())},
    }
    try:
        folder.mkdir(parents=True, exist_ok=True)
        atomic_write(folder / STATE_FILE, json.dumps(data, separators=(",", ":")))
    except OSError as exc:
        return Problem(
            f"the record of this run could not be written ({os_reason(exc)}); the next run will redo all the work",
            folder / STATE_FILE,
        )
    return None


def forget(project: Settings) -> None:
    """Drop the recorded state (the next run does all the work), whatever is in its place."""
    path = cache_dir(project.root) / STATE_FILE
    try:
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        else:
            path.unlink(missing_ok=True)
    except OSError as exc:
        raise WriteError(
            f"the record of the last run cannot be removed ({os_reason(exc)}); delete it by hand "
            "(the cache is safe to delete: the next build only takes longer)",
            path,
        ) from None
