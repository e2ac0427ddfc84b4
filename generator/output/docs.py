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

from generator.errors import BuildError, SourceError, WriteError
from generator.paths import GENERATED
from generator.util.files import atomic_write, os_reason

SITE_TEMP_PREFIX = ".site-"
"""The fresh folder a site is built into, beside ``site/``, before it is swapped into place."""

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
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            atomic_write(path, _data(pages[rel]))
        except OSError as exc:
            raise _write_error(exc, path) from None
        written.append(rel)
    stale = sorted(_generated_files(docs) - set(pages))
    try:
        for rel in stale:
            (docs / rel).unlink()
        for name in GENERATED:
            top = docs / name
            if top.is_dir():
                for folder in sorted((p for p in top.rglob("*") if p.is_dir()), reverse=True):
                    if not any(folder.iterdir()):
                        folder.rmdir()
    except OSError as exc:
        raise _write_error(exc, Path(exc.filename or docs)) from None
    return SyncReport(tuple(written), unchanged, tuple(stale))


def _write_error(exc: OSError, path: Path) -> WriteError:
    """The error of a page that cannot be written: why, and that the published site is intact
    (the pages are written before the site is built, and the next run rewrites them all)."""
    return WriteError(
        f"cannot write this page: {os_reason(exc)}. Free some space (or fix the folder) and run the build "
        "again; the published site/ was not changed",
        path,
    )


ENGINE_CONFIG_COPIES = (".pagefind-*.yml", ".zensical-*.yml")
"""The copies of ``mkdocs.yml`` an engine run writes beside it for one build."""


def remove_stale_builds(root: Path, target: Path) -> list[str]:
    """Remove what an interrupted build left at *root*: the folders ``.site-*`` and ``.site.old``
    (for *target* ``site/``) and the engines' copies of ``mkdocs.yml``. Call it only while
    holding the build lock (no other build is running). Returns their names."""
    names = []
    for path in sorted(root.glob(f"{SITE_TEMP_PREFIX}*")) + [target.with_name(f".{target.name}.old")]:
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
            names.append(path.name)
    for pattern in ENGINE_CONFIG_COPIES:
        for path in sorted(root.glob(pattern)):
            if path.is_file() and not path.is_symlink():
                path.unlink(missing_ok=True)
                names.append(path.name)
    return names


def replace_dir(new: Path, target: Path) -> None:
    """Put the folder *new* in the place of *target*, keeping the old one until the swap is done
    (one build at a time: the caller holds the build lock, :mod:`generator.output.lock`)."""
    old = target.with_name(f".{target.name}.old")
    if old.exists():
        shutil.rmtree(old)
    if target.exists():
        os.replace(target, old)
    try:
        os.replace(new, target)
    except OSError:
        if old.exists() and not target.exists():
            os.replace(old, target)  # put the old site back: never no site at all
        raise
    if old.exists():
        shutil.rmtree(old, ignore_errors=True)
