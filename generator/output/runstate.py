"""What a run depends on besides the archive's files, the inputs as they are now, and the
whole-run fast path: when no input changed since the last successful generate and its output is
intact, there is nothing to do.

The context of a run is the generator's own code (every module of the package), the model's and
the sanitiser's versions, and the settings as a whole (:class:`generator.settings.Settings`:
``--strict``, the environment, what ``mkdocs.yml`` says): the record of the last run
(:mod:`generator.output.record`) is used only under the same context. The inputs are every file
under ``articles/`` (texts, notes, anchors, originals), the cleaning rules, the registry and
``mkdocs.yml`` (its checks run again when it changes); the
output is every generated file of the docs folder. The fast path compares the size and
modification time of each with the record, and reads nothing else.
"""

from __future__ import annotations

import functools
import hashlib
import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from stat import S_ISREG

from generator.errors import Problem
from generator.output import codec
from generator.output.docs import Stats, generated, scan_docs
from generator.output.record import RECORD_FILE
from generator.settings import Settings
from generator.stages.entity_cache import cache_dir
from generator.stages.modelinfo import model_version, package_version, spacy_version

CODE = Path(__file__).resolve().parent.parent
"""The package: every module of it (sub-packages too) is part of the run's context."""


def context_digest(settings: Settings) -> str:
    """What the pages depend on besides the inputs: the settings, the model, the sanitiser, the code."""
    digest = hashlib.sha256()
    digest.update(f"settings={settings.digest()}\x00".encode())
    digest.update(f"model={model_version(settings.spacy_model)} {spacy_version()}\x00".encode())
    # The sanitiser's version: a page that passed its check under one may not under another.
    digest.update(f"nh3={package_version('nh3')}\x00".encode())
    digest.update(code_digest(CODE).encode())
    return digest.hexdigest()


@functools.cache
def code_digest(package: Path) -> str:
    """Hash of every module and data file of *package*, sub-packages included (compiled files
    left out): a change to any of them is other code, whose pages are not trusted.

    Computed once a process, when a run first asks: the code a process runs is what it imported
    then, whatever lies on disk later. So the steps of one build agree on their context even
    when the package is replaced while it runs (the engine's step then found another context,
    emptied the record the pages had just been written with, and held it locked)."""
    digest = hashlib.sha256()
    for path in sorted(package.rglob("*")):
        if path.suffix in (".pyc", ".pyo") or "__pycache__" in path.parts or not path.is_file():
            continue
        digest.update(f"{path.relative_to(package).as_posix()}\x00".encode())
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def _walk(folder: Path, prefix: str, out: Stats) -> None:
    """Every file under *folder* (links and special files too, as themselves) → (size, time), and
    every folder as ``name/``, so that a new empty folder is a change."""
    try:
        entries = list(os.scandir(folder))
    except OSError:  # missing, or not a folder: the source checks say what is wrong
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        if entry.is_dir(follow_symlinks=False):
            out[f"{prefix}{entry.name}/"] = (0, 0)
            _walk(Path(entry.path), f"{prefix}{entry.name}/", out)
        else:
            stat = entry.stat(follow_symlinks=False)
            out[prefix + entry.name] = (stat.st_size, stat.st_mtime_ns)


def staged_digest(context: str, files: list[tuple[str, str]]) -> str:
    """What an article is made from: the run's context and global inputs (*context*), and its
    own files (path, sha256)."""
    digest = hashlib.sha256(context.encode())
    for rel, sha in sorted(files):
        digest.update(f"\x00{rel}\x00{sha}".encode())
    return digest.hexdigest()


def file_sha256(path: Path) -> str:
    """The sha256 of an input file's bytes (``special`` or ``unreadable`` if it has none)."""
    # Only regular files are read: a pipe or a device would block or never end (the source checks
    # refuse them with a message; here they only make the digest differ).
    try:
        if not S_ISREG(path.lstat().st_mode):
            return "special"
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return "unreadable"


def input_stats(project: Settings) -> Stats:
    """Every input file (relative to the archive's root) → its size and time."""
    stats: Stats = {}
    _walk(project.articles, "articles/", stats)
    _walk(project.rules, "rules/", stats)
    for path in (project.registry, project.config):
        try:
            stat = path.lstat()
        except OSError:
            continue
        stats[path.relative_to(project.root).as_posix()] = (stat.st_size, stat.st_mtime_ns)
    return stats


def slug_of(rel: str) -> str | None:
    """The article an input file belongs to: the part of its name before the first dot, for the
    files in ``articles/`` and ``articles/originals/`` (slugs hold no dot); None for the rules,
    the registry and anything else."""
    parts = rel.split("/")
    if not parts[-1]:
        return None  # a folder
    if parts[0] != "articles" or len(parts) not in (2, 3) or (len(parts) == 3 and parts[1] != "originals"):
        return None
    return parts[-1].split(".", 1)[0]


@dataclass(frozen=True)
class Reuse:
    """What the last run recorded, when nothing changed since."""

    articles: int
    warnings: tuple[Problem, ...]
    files: int
    """How many generated files it left."""


def nothing_changed(project: Settings, inputs: Stats | None = None) -> Reuse | None:
    """The last run, if it ran under the same context and neither an input nor a generated file
    changed since; else None. Reads only the record and the files' sizes and times (*inputs*:
    :func:`input_stats`, when the caller has them already)."""
    path = cache_dir(project.root) / RECORD_FILE
    if not path.is_file():
        return None
    try:
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=30)
    except sqlite3.Error:
        return None
    try:
        meta = dict(db.execute("SELECT key, value FROM meta"))
        if meta.get("context") != context_digest(project) or "warnings" not in meta:
            return None
        files = {p: (size, mtime) for p, size, mtime, _ in db.execute("SELECT * FROM files")}
        if files != (input_stats(project) if inputs is None else inputs):
            return None
        pages = {p: (size, mtime) for p, _, size, mtime in db.execute("SELECT * FROM pages")}
        if pages != generated(scan_docs(project.docs)):
            return None
        warnings = codec.warnings_value(meta["warnings"], project.root)
        for (text,) in db.execute("SELECT warnings FROM articles ORDER BY slug"):
            warnings.extend(codec.warnings_value(text, project.root))
        (count,) = db.execute("SELECT count(*) FROM articles").fetchone()
        return Reuse(count, tuple(warnings), len(pages))
    except (sqlite3.Error, ValueError, TypeError, KeyError):
        return None
    finally:
        db.close()
