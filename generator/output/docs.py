"""Writing generated pages into the MkDocs docs folder, and the built site into place.

A page is written into a hidden temporary file beside its place as soon as it is rendered, so
a run holds one page at a time; the temporary files are renamed into place only when every page
has been rendered and checked (:meth:`DocsWriter.finish`), so a failed run leaves the previous
output as it was (:meth:`DocsWriter.abort`). Only the files whose bytes changed are replaced,
and the pages that are no longer generated are removed.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from generator.errors import BuildError, SourceError, WriteError
from generator.paths import GENERATED
from generator.util.files import atomic_write, discard, os_reason, temp_name, write_new
from generator.util.walk import Background, Odd, walk

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
    scan_docs(docs)


def scan_docs(docs: Path) -> Stats:
    """Every file of the docs folder (hidden ones too) → its size and time, after the checks of
    :func:`check_docs_dir`: one walk of the folder does both."""
    return _checked(walk(str(docs), PUBLISHED_SUFFIXES))


class DocsListing(Background):
    """:func:`scan_docs`, started in a child process now and read with :meth:`stats` (see
    :mod:`generator.util.walk`): a build lists its docs folder while it reads its sources."""

    def __init__(self, docs: Path) -> None:
        super().__init__(str(docs), PUBLISHED_SUFFIXES)

    def stats(self) -> Stats:
        """What :func:`scan_docs` gives, with its errors."""
        return _checked(self.result())


def _checked(listing: tuple[Stats, Odd | None]) -> Stats:
    found, odd = listing
    if odd is not None:
        kind, path, suffix = odd
        if kind == "link":
            raise SourceError("symbolic links are not allowed in the docs folder; replace it with a file", path)
        raise SourceError(
            f"files of type {suffix or '(none)'!r} are not published: a browser could run scripts in them; "
            f"allowed are {', '.join(sorted(PUBLISHED_SUFFIXES))}",
            path,
        )
    return found


def generated(stats: Stats) -> Stats:
    """The generated files among *stats* (paths under the docs folder)."""
    return {rel: stat for rel, stat in stats.items() if rel.split("/", 1)[0] in GENERATED}


Recorded = dict[str, tuple[str, int, int]]
"""Relative path → (the fingerprint of what made it, size, time), as the last run wrote it."""


class DocsWriter:
    """Writes the generated pages of one run into the docs folder, only those that changed.

    *recorded*: each page as the last run left it; *on_disk*: the generated files now there
    (:func:`generated` of :func:`scan_docs`). A page whose fingerprint and file are as recorded
    is not rendered (:meth:`wanted`); a rendered page whose file holds its bytes already is not
    written; a page whose file the record does not vouch for is checked by *check* (the
    sanitiser's allow-list) before it is written."""

    def __init__(self, docs: Path, recorded: Recorded, on_disk: Stats, check: object) -> None:
        self.docs = docs
        self.recorded = recorded
        self.on_disk = on_disk
        self.check = check
        self.planned: set[str] = set()
        self.rendered = 0
        self.unchanged = 0
        self.rows: list[tuple[str, str, int, int]] = []
        self._temp: list[tuple[Path, str, str]] = []

    def wanted(self, rel: str, key: str) -> bool:
        """Whether the page at *rel*, made from what *key* fingerprints, must be rendered."""
        if (
            rel.split("/", 1)[0] not in GENERATED
            or ".." in rel.split("/")
            or rel.startswith("/")
            or rel in self.planned
        ):
            raise BuildError(f"internal error: page path {rel!r} is outside the generated folders or given twice")
        self.planned.add(rel)
        if self._vouched(rel) == key:
            self.unchanged += 1
            return False
        return True

    def keep(self, rels: list[str]) -> bool:
        """Whether the pages at *rels* (a group whose key is as recorded) are each as the last run
        left it, recorded and its file as recorded; they are then planned, none rendered."""
        if any(rel in self.planned or self._vouched(rel) is None for rel in rels):
            return False
        self.planned.update(rels)
        self.unchanged += len(rels)
        return True

    def _vouched(self, rel: str) -> str | None:
        """The recorded fingerprint of the page at *rel* when its file is as the last run left it."""
        known = self.recorded.get(rel)
        return known[0] if known is not None and self.on_disk.get(rel) == (known[1], known[2]) else None

    def put(self, rel: str, key: str, content: str | bytes, checked: bool = False) -> None:
        """The rendered page at *rel*: compared with its file, checked (unless *checked*: by
        the same check, in a worker process), and written aside."""
        self.rendered += 1
        data = _data(content)
        stat = self.on_disk.get(rel)
        vouched = checked or self._vouched(rel) is not None
        path = self.docs / rel
        if stat is not None and stat[0] == len(data) and path.read_bytes() == data:
            if not vouched:
                self.check(rel, content)  # type: ignore[operator]
            self.rows.append((rel, key, *stat))
            self.unchanged += 1
            return
        if not checked:
            self.check(rel, content)  # type: ignore[operator]
        tmp = temp_name(path.parent)
        self._temp.append((tmp, rel, key))  # before the file exists: abort() removes it, however early
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            write_new(tmp, data)
        except BaseException as exc:
            self._temp.pop()
            discard(tmp, exc)
            if isinstance(exc, OSError):
                raise _write_error(exc, path) from None
            raise

    def abort(self) -> None:
        """Remove what this run wrote aside: the docs folder stays as the last run left it."""
        for tmp, _, _ in self._temp:
            tmp.unlink(missing_ok=True)
        self._temp = []

    def finish(self) -> tuple[SyncReport, list[tuple[str, str, int, int]], list[str]]:
        """Put every written page in place and remove the pages no longer generated; return what
        was done, the pages' new rows for the record, and the paths that left it."""
        written = []
        for tmp, rel, key in self._temp:
            path = self.docs / rel
            try:
                os.replace(tmp, path)
            except OSError as exc:
                raise _write_error(exc, path) from None
            stat = path.stat()
            self.rows.append((rel, key, stat.st_size, stat.st_mtime_ns))
            written.append(rel)
        self._temp = []
        gone = sorted((set(self.on_disk) | set(self.recorded)) - self.planned)
        stale = [rel for rel in gone if rel in self.on_disk]
        folders = set()
        for rel in stale:
            (self.docs / rel).unlink(missing_ok=True)
            folders.update(Path(rel).parents)
        for folder in sorted(folders, key=lambda f: -len(f.parts)):
            if folder.parts and folder.parts[0] in GENERATED and folder != Path("."):
                with contextlib.suppress(OSError):
                    (self.docs / folder).rmdir()  # only when empty
        return SyncReport(tuple(sorted(written)), self.unchanged, tuple(stale)), self.rows, gone


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


ENGINE_CONFIG_COPIES = (".pagefind-*.yml", ".zensical-*.yml", ".dirty-*.json")
"""The copies of ``mkdocs.yml`` an engine run writes beside it for one build, and the job file of
an incremental MkDocs build (:mod:`generator.engines.incremental`)."""


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
