"""Writing generated pages into the MkDocs docs folder, and the built site into place.

Pages are computed in full before anything is written, so a failed run leaves the previous
output untouched. Writing then touches only the files whose bytes changed (each replaced
atomically with ``os.replace``) and removes the pages that are no longer generated.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from generator.errors import BuildError, SourceError
from generator.paths import GENERATED
from generator.util.files import atomic_write

Stats = dict[str, tuple[int, int]]
"""Relative path → (size, modification time in ns)."""

PUBLISHED_SUFFIXES = frozenset(
    {".md", ".css", ".js", ".json", ".jsonld", ".txt", ".png", ".jpg", ".jpeg", ".gif", ".webp", ".avif", ".ico"}
    | {".woff", ".woff2"}
    # The citation files beside each article page (generator/render/citation.py): BibTeX and RIS
    # are plain text that no browser runs or renders as a document, whatever type a server gives.
    | {".bib", ".ris"}
)
"""Kinds of file the docs folder may hold. MkDocs publishes every file it finds there as it is, so
documents that a browser runs scripts in (.html, .svg, .xml, .pdf…) are refused. The MkDocs hook
(``on_files``) checks the docs folder with this same list."""


@dataclass(frozen=True)
class SyncReport:
    """What :func:`sync_pages` did."""

    written: tuple[str, ...]
    unchanged: int
    deleted: tuple[str, ...]


def check_docs_dir(docs: Path) -> None:
    """Refuse symbolic links under the docs folder (they could pull any file into the site) and
    files of a kind that could carry scripts past the sanitiser (see :data:`PUBLISHED_SUFFIXES`)."""
    for dirpath, dirnames, filenames in os.walk(docs):
        for name in dirnames + filenames:
            path = Path(dirpath, name)
            if path.is_symlink():
                raise SourceError("symbolic links are not allowed in the docs folder; replace it with a file", path)
        for name in filenames:
            suffix = Path(name).suffix.lower()
            if suffix not in PUBLISHED_SUFFIXES and not name.startswith("."):
                raise SourceError(
                    f"files of type {suffix or '(none)'!r} are not published: a browser could run scripts in them; "
                    f"allowed are {', '.join(sorted(PUBLISHED_SUFFIXES))}",
                    Path(dirpath, name),
                )


def _generated_files(docs: Path) -> set[str]:
    found = set()
    for name in GENERATED:
        top = docs / name
        if top.is_file():
            found.add(name)
        elif top.is_dir():
            found.update(p.relative_to(docs).as_posix() for p in top.rglob("*") if p.is_file())
    return found


def _data(content: str | bytes) -> bytes:
    return content.encode("utf-8") if isinstance(content, str) else content


def on_disk(
    pages: Mapping[str, str | bytes], docs: Path, known: Stats | None = None
) -> tuple[frozenset[str], frozenset[str]]:
    """The pages whose file under *docs* holds their bytes already, and those of them whose file's
    size and modification time are as recorded in *known* (path → size and time in ns)."""
    same, as_known = set(), set()
    for rel in pages:
        path = docs / rel
        try:
            stat = path.stat()
        except OSError:
            continue
        data = _data(pages[rel])
        if stat.st_size == len(data) and path.is_file() and path.read_bytes() == data:
            same.add(rel)
            if known and known.get(rel) == (stat.st_size, stat.st_mtime_ns):
                as_known.add(rel)
    return frozenset(same), frozenset(as_known)


def sync_pages(
    pages: Mapping[str, str | bytes], docs: Path, unchanged_pages: frozenset[str] | None = None
) -> SyncReport:
    """Make the generated part of *docs* hold exactly *pages* (relative path → content).

    *unchanged_pages*: pages known to be on disk as they are (:func:`on_disk`); they are not read again."""
    for rel in pages:
        if rel.split("/", 1)[0] not in GENERATED or ".." in rel.split("/") or rel.startswith("/"):
            raise BuildError(f"internal error: page path {rel!r} is outside the generated folders")
    if unchanged_pages is None:
        unchanged_pages, _ = on_disk(pages, docs)
    written, unchanged = [], 0
    for rel in sorted(pages):
        if rel in unchanged_pages:
            unchanged += 1
            continue
        path = docs / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(path, _data(pages[rel]))
        written.append(rel)
    stale = sorted(_generated_files(docs) - set(pages))
    for rel in stale:
        (docs / rel).unlink()
    for name in GENERATED:
        top = docs / name
        if top.is_dir():
            for folder in sorted((p for p in top.rglob("*") if p.is_dir()), reverse=True):
                if not any(folder.iterdir()):
                    folder.rmdir()
    return SyncReport(tuple(written), unchanged, tuple(stale))


def replace_dir(new: Path, target: Path) -> None:
    """Put the folder *new* in the place of *target*, keeping the old one until the swap is done."""
    old = target.with_name(f".{target.name}.old")
    if old.exists():
        shutil.rmtree(old)
    if target.exists():
        os.replace(target, old)
    os.replace(new, target)
    if old.exists():
        shutil.rmtree(old)
