"""The entity cache: what the language model found in each article, kept between runs.

The model is the slow stage (about 10,000 words a second on one core). What it finds depends
only on an article's cleaned text, the model (name and version), spaCy's version and the
registry, so each article's mentions are stored under a hash of exactly those
(:func:`article_key`), one small JSON file each, in ``.archive-cache/mentions/`` at the root of
the archive. An article whose text is unchanged is never read by the model again, and when no
article needs it the model (and spaCy) is not even loaded.

Deleting the folder, or ``archive build --no-cache`` (which reads nothing from it but stores what
it finds), starts cold. The files are plain data
(no pickles), and each entry is checked against the text it was read from and the registry
before it is used (:meth:`MentionCache.get`): an entry that does not fit (offsets beyond the
text, other words at them, an entity the registry does not have) is deleted with a warning, and
the model reads the article again. Inside ``.archive-cache/`` everything belongs to the archive:
a file or folder of the wrong kind is replaced, with a warning (:func:`repair_cache_dir`).
"""

from __future__ import annotations

import hashlib
import json
import shutil
from collections.abc import Container, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from generator.errors import ArchiveError, Problem
from generator.stages.modelinfo import model_version, spacy_version
from generator.util.files import atomic_write, os_reason
from generator.util.text import shorten

if TYPE_CHECKING:
    from generator.inputs.registry import Registry
    from generator.stages.entities import Mention

CACHE_DIR = ".archive-cache"
"""The cache folder, at the root of the archive (git-ignored)."""
FORMAT = 1
"""Bump when :func:`generator.stages.entities.find_mentions` changes what it returns for the same text."""


MENTIONS = "mentions"
STATE = "state.json"


def cache_dir(root: Path) -> Path:
    return root / CACHE_DIR


def require_cache_dir(root: Path) -> Path:
    """The cache folder of the archive at *root*; an error if something else has its name (the
    archive's root is the editor's, so nothing there is removed without asking)."""
    folder = cache_dir(root)
    if folder.is_symlink() and not folder.is_dir():
        raise ArchiveError(
            f"{CACHE_DIR} is a symbolic link to nothing; delete it (the cache is safe to delete: "
            "the next build only takes longer)",
            folder,
        )
    if folder.exists() and not folder.is_dir():
        raise ArchiveError(
            "this is a file, but the archive keeps its cache in a folder of that name; delete or rename it "
            "(the cache is safe to delete: the next build only takes longer)",
            folder,
        )
    return folder


def repair_cache_dir(root: Path) -> list[Problem]:
    """Check the cache folder; replace what inside it has the wrong kind (the mentions folder a
    file, the run state a folder), with a warning for each. An error if the folder itself is a file."""
    folder = require_cache_dir(root)
    problems = []
    for name, want_dir in ((MENTIONS, True), (STATE, False)):
        path = folder / name
        if not (path.exists() or path.is_symlink()):
            continue
        wrong = (not path.is_dir() or path.is_symlink()) if want_dir else (path.is_dir() or path.is_symlink())
        if wrong:
            what = "a folder" if want_dir else "a file"
            try:
                _remove(path)
            except OSError as exc:
                raise ArchiveError(f"this should be {what} and cannot be replaced: {os_reason(exc)}", path) from None
            problems.append(Problem(f"this should be {what} of the cache; it was replaced (nothing was lost)", path))
    return problems


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    else:
        path.unlink()


def mentions_version(registry: Registry, model: str) -> str:
    """Everything besides the text that the mentions depend on: the pipeline *model* (its version),
    spaCy, the registry's names (:attr:`Registry.matching`: not its descriptions), the cache's format."""
    return f"{model_version(model)}+spacy-{spacy_version()}+registry-{registry.matching}+format-{FORMAT}"


def article_key(version: str, texts: Sequence[str]) -> str:
    """The cache key of one article: a hash of *version* and its blocks' texts."""
    digest = hashlib.sha256(version.encode("utf-8"))
    for text in texts:
        digest.update(b"\x00")
        digest.update(text.encode("utf-8"))
    return digest.hexdigest()


class MentionCache:
    """Mentions per article, stored as ``mentions/<key[:2]>/<key>.json`` under *folder*.

    With *read* false (``--no-cache``), nothing is read but what is found is still stored.
    :attr:`problems` collects a warning for every entry dropped or not written."""

    def __init__(self, folder: Path, version: str, read: bool = True) -> None:
        self.folder = folder / MENTIONS
        self.version = version
        self.read = read
        self.used: set[str] = set()
        self.problems: list[Problem] = []

    def key(self, texts: Sequence[str]) -> str:
        return article_key(self.version, texts)

    def _path(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.json"

    def get(
        self, key: str, texts: Sequence[str], entities: Container[str], article: Path | str = ""
    ) -> list[list[Mention]] | None:
        """The cached mentions per block of *texts*, or None when absent, unreadable, or not
        fitting *texts* and the registry's *entities* (ids); an entry that does not fit is deleted,
        with a warning naming it and *article*."""
        if not self.read:
            return None
        path = self._path(key)
        try:
            data = json.loads(path.read_bytes())
        except (OSError, ValueError):
            return None
        found, problem = read_entry(data, texts, entities)
        if found is None:
            self._drop(path, f"did not match the text of {article or 'its article'} ({problem})")
            return None
        self.used.add(key)
        return found

    def _drop(self, path: Path, why: str) -> None:
        try:
            _remove(path)
        except OSError:
            pass
        why += "; it was ignored and the language model read the article again"
        self.problems.append(Problem(f"this cache entry {why}", path))

    def put(self, key: str, mentions: Iterable[Iterable[Mention]]) -> None:
        """Store *mentions* (per block) under *key*, atomically. A cache that cannot be written
        (the disk is full, a file in the way) is a warning, never a failure: the next run reads
        the article again."""
        rows = [[[m.start, m.end, m.text, m.label, m.entity, *m.sentence] for m in block] for block in mentions]
        path = self._path(key)
        data = json.dumps(rows, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        try:
            try:
                self._write(path, data)
            except OSError:
                self._clear_way(path)  # a file where a folder belongs, or the other way round
                self._write(path, data)
        except OSError as exc:
            self.problems.append(
                Problem(
                    f"the language model's findings could not be kept in the cache ({os_reason(exc)}); "
                    "the next run will read the article again",
                    path,
                )
            )
            return
        self.used.add(key)

    def _clear_way(self, path: Path) -> None:
        for folder in (self.folder, path.parent):
            if folder.is_symlink() or (folder.exists() and not folder.is_dir()):
                _remove(folder)
        if path.is_dir() and not path.is_symlink():
            _remove(path)

    def _write(self, path: Path, data: bytes) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(path, data)

    def prune(self) -> int:
        """Delete the entries this run did not use (old texts, old versions); return how many."""
        removed = 0
        if not self.folder.is_dir() or self.folder.is_symlink():
            return 0
        try:
            for shard in self.folder.iterdir():
                if not shard.is_dir() or shard.is_symlink():
                    continue
                for entry in shard.iterdir():
                    if entry.suffix == ".json" and entry.stem not in self.used:
                        _remove(entry)
                        removed += 1
        except OSError:
            pass  # what is not pruned now is pruned by a later run
        return removed


def misfit(data: Any, texts: Sequence[str], entities: Container[str]) -> str | None:
    """Why the cached *data* cannot be the mentions of *texts* (see :func:`read_entry`), or None."""
    return read_entry(data, texts, entities)[1]


def read_entry(
    data: Any, texts: Sequence[str], entities: Container[str]
) -> tuple[list[list[Mention]] | None, str | None]:
    """The mentions per block that the cached *data* holds for *texts*, or None and why it does
    not fit: as many blocks as texts; each mention seven values of the right types, whole-number
    offsets inside its block with ``start < end``, the block's own words at them, after the
    mention before it (in the order the model found them, none overlapping), a known label, an
    entity of the registry's *entities* (or none), its sentence's start before it inside the block.

    One pass builds the mentions while it checks them: on a warm run of a large archive every
    cached entry is read (measured: the check costs about what building the mentions does)."""
    from generator.inputs.registry import NER_LABELS
    from generator.stages.entities import Mention

    if type(data) is not list or len(data) != len(texts):
        return None, f"{len(data) if type(data) is list else 'no'} blocks for the article's {len(texts)}"
    found: list[list[Mention]] = []
    for number, (rows, text) in enumerate(zip(data, texts, strict=True), start=1):
        if type(rows) is not list:
            return None, f"block {number} is not a list of mentions"
        size, end_before, block = len(text), 0, []
        for row in rows:
            if type(row) is not list or len(row) != 7 or not _typed(row):
                return None, f"block {number}: {_shown(row)} is not a mention"
            start, end, words, label, entity, sent_start, sent_end = row
            if not 0 <= start < end <= size:
                problem = f"outside the block's {size} characters"
            elif text[start:end] != words:
                problem = f"the text there is {_shown(text[start:end])}"
            elif start < end_before:
                problem = "overlaps the mention before it, or comes before it"
            elif label not in NER_LABELS:
                problem = f"unknown label {_shown(label)}"
            elif entity and entity not in entities:
                problem = f"no entity {_shown(entity)} in the registry"
            elif not 0 <= sent_start <= start < sent_end <= size:
                problem = f"its sentence {sent_start}–{sent_end} is not around it in the block"
            else:
                block.append(Mention(start, end, words, label, entity, (sent_start, sent_end)))
                end_before = end
                continue
            return None, f"block {number}, {_shown(words)} at {start}–{end}: {problem}"
        found.append(block)
    return found, None


def _typed(row: list[Any]) -> bool:
    start, end, words, label, entity, sent_start, sent_end = row
    return (
        type(start) is int
        and type(end) is int
        and type(sent_start) is int
        and type(sent_end) is int
        and type(words) is str
        and type(label) is str
        and type(entity) is str
    )


def _shown(value: Any) -> str:
    return shorten(json.dumps(value, ensure_ascii=False), 40)
