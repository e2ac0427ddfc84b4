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

import shutil
import tempfile
from collections.abc import Iterable
from pathlib import Path


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
    """Page HTML by source path, in files of a temporary folder of its own (removed by :meth:`close`)."""

    def __init__(self) -> None:
        self._folder: Path | None = None
        self._files: dict[str, Path] = {}

    def put(self, key: str, html: str) -> None:
        if self._folder is None:
            self._folder = Path(tempfile.mkdtemp(prefix="archive-mkdocs-pages-"))
        path = self._folder / f"{len(self._files)}.html"
        path.write_bytes(html.encode("utf-8", "surrogatepass"))
        self._files[key] = path

    def take(self, key: str) -> str | None:
        """The HTML put under *key* (once), or None when none was."""
        path = self._files.pop(key, None)
        if path is None:
            return None
        html = path.read_bytes().decode("utf-8", "surrogatepass")
        path.unlink()
        return html

    def __len__(self) -> int:
        return len(self._files)

    def close(self) -> None:
        if self._folder is not None:
            shutil.rmtree(self._folder, ignore_errors=True)
        self._folder = None
        self._files = {}
