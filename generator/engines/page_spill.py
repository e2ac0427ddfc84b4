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

import os
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import IO


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
    """Page HTML by source path, in one anonymous temporary file beside the site being built.

    The file has no name from the moment it is made, so nothing is left behind however the build
    ends (Ctrl-C, a kill, a full disk). It is made in *folder* (the folder of the site being
    built, on the disk the site is written to: ``/tmp`` may be memory); if it cannot be made or
    written, the pages stay in memory, as MkDocs keeps them."""

    def __init__(self, folder: Path | None = None) -> None:
        self.folder = folder
        self._file: IO[bytes] | None = None
        self._failed = False
        self._places: dict[str, tuple[int, int]] = {}
        self._held: dict[str, str] = {}

    def put(self, key: str, html: str) -> None:
        data = html.encode("utf-8", "surrogatepass")
        try:
            if self._file is None and not self._failed:
                self._file = tempfile.TemporaryFile(prefix=".archive-pages-", dir=self.folder)
            if self._file is not None:
                offset = self._file.seek(0, os.SEEK_END)
                self._file.write(data)
                self._places[key] = (offset, len(data))
                self._held.pop(key, None)
                return
        except OSError:
            self._failed = True
        self._held[key] = html

    def take(self, key: str) -> str | None:
        """The HTML put under *key* (once), or None when none was."""
        held = self._held.pop(key, None)
        if held is not None:
            return held
        place = self._places.pop(key, None)
        if place is None or self._file is None:
            return None
        self._file.flush()
        self._file.seek(place[0])
        return self._file.read(place[1]).decode("utf-8", "surrogatepass")

    @property
    def on_disk(self) -> int:
        """How many pages wait in the file (the others, if any, in memory)."""
        return len(self._places)

    def __len__(self) -> int:
        return len(self._places) + len(self._held)

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
        self._file = None
        self._failed = False
        self._places = {}
        self._held = {}
