"""The entity cache: what the language model found in each article, kept between runs.

The model is the slow stage (about 10,000 words a second on one core). What it finds depends
only on an article's cleaned text, the model (name and version), spaCy's version and the
registry, so each article's mentions are stored under a hash of exactly those
(:func:`article_key`), one small JSON file each, in ``.archive-cache/mentions/`` at the root of
the archive. An article whose text is unchanged is never read by the model again, and when no
article needs it the model (and spaCy) is not even loaded.

Deleting the folder, or ``archive build --no-cache`` (which reads nothing from it but stores what
it finds), starts cold. The files are plain data
(no pickles): a cache copied from another machine can do no more than name wrong mentions.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from generator.stages.modelinfo import model_version, spacy_version

if TYPE_CHECKING:
    from generator.inputs.registry import Registry
    from generator.stages.entities import Mention

CACHE_DIR = ".archive-cache"
"""The cache folder, at the root of the archive (git-ignored)."""
FORMAT = 1
"""Bump when :func:`generator.stages.entities.find_mentions` changes what it returns for the same text."""


def cache_dir(root: Path) -> Path:
    return root / CACHE_DIR


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

    With *read* false (``--no-cache``), nothing is read but what is found is still stored."""

    def __init__(self, folder: Path, version: str, read: bool = True) -> None:
        self.folder = folder / "mentions"
        self.version = version
        self.read = read
        self.used: set[str] = set()

    def key(self, texts: Sequence[str]) -> str:
        return article_key(self.version, texts)

    def _path(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.json"

    def get(self, key: str) -> list[list[Mention]] | None:
        """The cached mentions per block, or None when absent or unreadable."""
        from generator.stages.entities import Mention

        if not self.read:
            return None
        try:
            data = json.loads(self._path(key).read_bytes())
        except (OSError, ValueError):
            return None
        try:
            found = [[Mention(m[0], m[1], m[2], m[3], m[4], (m[5], m[6])) for m in block] for block in data]
        except (TypeError, IndexError, KeyError):
            return None
        self.used.add(key)
        return found

    def put(self, key: str, mentions: Iterable[Iterable[Mention]]) -> None:
        """Store *mentions* (per block) under *key*, atomically."""
        rows = [[[m.start, m.end, m.text, m.label, m.entity, *m.sentence] for m in block] for block in mentions]
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(rows, handle, ensure_ascii=False, separators=(",", ":"))
        os.replace(tmp, path)
        self.used.add(key)

    def prune(self) -> int:
        """Delete the entries this run did not use (old texts, old versions); return how many."""
        removed = 0
        if not self.folder.is_dir():
            return 0
        for shard in self.folder.iterdir():
            if not shard.is_dir():
                continue
            for entry in shard.iterdir():
                if entry.suffix == ".json" and entry.stem not in self.used:
                    entry.unlink(missing_ok=True)
                    removed += 1
        return removed
