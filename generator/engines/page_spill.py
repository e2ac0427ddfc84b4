"""Keep MkDocs' memory flat: each page's HTML waits on disk, not in memory, between MkDocs' two loops.

MkDocs reads and renders every page (``on_page_content``) before it writes any (``on_page_context``,
the template, ``on_post_page``), so the HTML of the whole site is held at once: at 10,000 articles
(16,098 pages) 514 million characters, about 1 GB, which was all of MkDocs' peak memory. The
archive plugin (:mod:`generator.engines.mkdocs_plugin`) hands each page's final HTML to a
:class:`PageSpill` after every other ``on_page_content`` handler, and takes it back before any
``on_page_context`` handler (Material's search reads the content there). The written site is byte
for byte the same.

The element ids MkDocs keeps for every page (to check links to anchors) are held as one string a
page (:class:`AnchorIds`) instead of a set of strings: link checking only asks ``in``.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from generator.util.spillfile import SpillFile


class AnchorIds:
    """A page's element ids as one string; ``anchor in ids`` is all MkDocs asks of them."""

    __slots__ = ("_joined", "_count")

    def __init__(self, ids: Iterable[str]) -> None:
        unique = sorted(set(ids))
        self._joined = "\n" + "\n".join(unique) + "\n"
        self._count = len(unique)

    def __contains__(self, anchor: object) -> bool:
        return isinstance(anchor, str) and "\n" not in anchor and f"\n{anchor}\n" in self._joined

    def __len__(self) -> int:
        return self._count

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(self._joined.strip("\n").split("\n") if self._count else ())


class PageSpill:
    """Page HTML by source path, in one anonymous temporary file (:class:`SpillFile`) made beside
    the site being built, on the disk the site is written to (``/tmp`` may be memory); made at
    the first page, so a plugin that builds nothing holds no file."""

    def __init__(self, folder: Path | None = None) -> None:
        self.folder = folder
        self._store: SpillFile | None = None

    def put(self, key: str, html: str) -> None:
        if self._store is None:
            self._store = SpillFile(self.folder, prefix=".archive-pages-")
        self._store.put(key, html.encode("utf-8", "surrogatepass"))

    def take(self, key: str) -> str | None:
        """The HTML put under *key* (once), or None when none was."""
        data = self._store.pop(key) if self._store is not None else None
        return None if data is None else data.decode("utf-8", "surrogatepass")

    @property
    def on_disk(self) -> int:
        """How many pages wait in the file (the others, if any, in memory)."""
        return self._store.on_disk if self._store is not None else 0

    def __len__(self) -> int:
        return len(self._store) if self._store is not None else 0

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
        self._store = None
