"""MkDocs building only the pages that changed, into a copy of the last site made of hard links.

Run as ``python -m generator.engines.mkdocs_dirty JOB`` by :mod:`generator.engines.incremental`;
*JOB* is a JSON file naming the configuration, the site folder, every file of the docs folder
and those that changed since the site was built; on its input, the build then writes whether
the site holds a file for each of them (``1`` or ``0``: see :func:`all_built`), found while
MkDocs is imported here. MkDocs' own ``--dirty`` build is used, with
four changes (for MkDocs 1.6):

- **What changed is given, not guessed.** MkDocs compares modification times; here a file is
  rebuilt when it is in the job's list (the generator knows which pages it wrote) or missing
  from the site. Every page is still known to MkDocs (navigation, sitemap, links), but only the
  changed ones are read, rendered and written.
- **Every file is written anew** (a temporary file renamed into place): the site folder shares
  its files with the site being served, and MkDocs' own writes (``open(path, "wb")``) would
  change those through the links. ``sitemap.xml.gz``, which MkDocs writes past its own helper,
  is removed first.
- **No walks the generator has just done**: the docs folder's files come from the job (the
  generator scanned the folder, and refused symbolic links and unsafe files, moments before),
  instead of MkDocs walking it and the archive's hook walking it again.
- **Only the pages the changed ones need**, when the site keeps the same pages (none added or
  removed) and every changed page is one MkDocs need not read as Markdown: MkDocs is given the
  changed files, the pages of the navigation and the hand-written files, not the thousands of
  other generated pages. A generated page's HTML does not depend on those: the plugin passes it
  through whole (no links are resolved in it), and it is not in the navigation. The two files
  that list every page are kept from the last site: ``404.html`` (the navigation, which did not
  change) and the sitemap, whose only part that can change, the build date of every page
  (``SOURCE_DATE_EPOCH``), is written anew as MkDocs writes it. Any file of the site found
  missing, a sitemap not in that shape, or a navigation MkDocs makes itself (no ``nav``) gives
  MkDocs every file, as before. ``tests/output/test_incremental.py`` compares both with cold builds.

It prints the site files it wrote and how many files it gave MkDocs, as JSON, on its last line
of output.
"""

from __future__ import annotations

import gzip
import io
import json
import logging
import os
import re
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from stat import S_ISREG
from typing import Any

from generator.paths import GENERATED, site_file
from generator.util.files import atomic_write

DIRTY_WARNING = "A 'dirty' build is being performed"
LISTING_TEMPLATES = frozenset({"404.html", "sitemap.xml"})
"""The theme's pages that list every page (the sitemap) or the navigation (404), kept from the
last site by a build of only the pages the changed ones need."""
LASTMOD = re.compile(r"<lastmod>([^<]*)</lastmod>")


def _listed_walk(top: str, files: list[str]) -> Any:
    """An ``os.walk`` of *top* that lists *files* (paths relative to it) instead of reading the disk."""
    tree: dict[str, Any] = {}
    for rel in files:
        node = tree
        *folders, name = rel.split("/")
        for folder in folders:
            node = node.setdefault(folder, {})
        node[name] = None

    def walk(path: str, node: dict[str, Any]) -> Iterator[tuple[str, list[str], list[str]]]:
        dirnames = [name for name, child in node.items() if child is not None]
        filenames = [name for name, child in node.items() if child is None]
        yield path, dirnames, filenames
        for name in dirnames:  # in the order the caller left them (MkDocs sorts them in place)
            yield from walk(os.path.join(path, name), node[name])

    def fake(given: Any, *args: Any, **kwargs: Any) -> Any:
        if os.path.abspath(given) == os.path.abspath(top):
            return walk(given, tree)
        return real(given, *args, **kwargs)

    real = os.walk
    return fake


def _write(path: str, data: bytes, written: set[str], site: str) -> None:
    folder = os.path.dirname(path)
    os.makedirs(folder, exist_ok=True)
    atomic_write(Path(path), data)
    written.add(os.path.relpath(path, site).replace(os.sep, "/"))


def _nav_files(nav: Any) -> set[str] | None:
    """Every file the ``nav`` setting names (None when there is none: MkDocs lists every page)."""
    if nav is None:
        return None
    found: set[str] = set()

    def walk(item: Any) -> None:
        if isinstance(item, str):
            found.add(item)
        elif isinstance(item, dict):
            for value in item.values():
                walk(value)
        elif isinstance(item, list):
            for value in item:
                walk(value)

    walk(nav)
    return found


def _passes_through(docs_dir: str, rel: str) -> bool:
    """Whether the plugin hands the page at *rel* to the site without Markdown reading it."""
    from mkdocs.utils import meta

    from generator.engines.mkdocs_plugin import is_raw_html

    if rel.split("/", 1)[0] not in GENERATED:
        return False
    try:
        with open(os.path.join(docs_dir, rel), encoding="utf-8-sig") as handle:
            markdown, _ = meta.get_data(handle.read())
    except (OSError, UnicodeDecodeError):
        return False  # MkDocs says what is wrong with it
    return is_raw_html(markdown)


def all_built(site: str, files: list[str]) -> bool:
    """Whether every file of the docs folder has its file in the site (one ``stat`` each: tens of
    thousands of files, 0.3 s, at 10,000 articles). The build that starts this module finds it
    out while MkDocs is being imported here, and writes it on this process's input (``1`` or
    ``0``; see :func:`_all_built`)."""
    top, stat = site + os.sep, os.stat
    try:
        return all(S_ISREG(stat(top + site_file(rel)).st_mode) for rel in files)
    except OSError:
        return False


def _all_built() -> bool:
    """What the build wrote on this process's input: whether the site holds every file (nothing
    read, as when the build is gone or the module is run by hand: not known, so no)."""
    return sys.stdin.readline().strip() == "1"


def _needed(config: Any, job: dict[str, Any], site: str) -> tuple[list[str], str, str] | None:
    """The files MkDocs needs to build the changed pages, the text of the last sitemap and the
    one date it gives every page, when a build of only these can make the site a build of every
    file would (see the module's text)."""
    if not job.get("same_pages"):
        return None
    nav = _nav_files(config.nav)
    if nav is None or "archive" not in config.plugins:
        return None
    changed = job["changed"]
    if not all(_passes_through(config.docs_dir, rel) for rel in changed if rel.endswith(".md")):
        return None
    if not _all_built():
        return None
    try:
        with open(os.path.join(site, "sitemap.xml"), encoding="utf-8") as handle:
            sitemap = handle.read()
    except (OSError, UnicodeDecodeError):
        return None
    dates = set(LASTMOD.findall(sitemap))
    if len(dates) != 1 or not os.path.isfile(os.path.join(site, "sitemap.xml.gz")):
        return None
    wanted = set(changed) | nav
    files = [rel for rel in job["files"] if rel in wanted or rel.split("/", 1)[0] not in GENERATED]
    return files, sitemap, dates.pop()


def _date_sitemap(sitemap: str, old: str, site: str, written: set[str]) -> None:
    """The last sitemap (every page dated *old*) with this build's date (``SOURCE_DATE_EPOCH``)
    for every page, and its gzip copy, byte for byte as MkDocs writes them."""
    from mkdocs import utils

    date = utils.get_build_date()
    if old == date:
        return
    text = sitemap.replace(f"<lastmod>{old}</lastmod>", f"<lastmod>{date}</lastmod>").encode("utf-8")
    path = os.path.join(site, "sitemap.xml")
    _write(path, text, written, site)
    stamp = int(datetime.fromisoformat(date).replace(tzinfo=UTC).timestamp())
    buffer = io.BytesIO()
    with gzip.GzipFile(fileobj=buffer, filename=f"{path}.gz", mode="wb", mtime=stamp) as packed:
        packed.write(text)
    _write(f"{path}.gz", buffer.getvalue(), written, site)


def _template_cache(folder: str) -> Any:
    """Jinja's cache of compiled templates in *folder* (each entry is checked against its
    template's source before use), which gives up quietly when it cannot write: compiling the
    theme's templates again is most of what a small build costs besides starting."""
    from jinja2 import FileSystemBytecodeCache

    class TemplateCache(FileSystemBytecodeCache):
        def dump_bytecode(self, bucket: Any) -> None:
            try:
                super().dump_bytecode(bucket)
            except OSError:
                pass  # the next build compiles the template again

    os.makedirs(folder, exist_ok=True)
    return TemplateCache(folder)


def build(job: dict[str, Any]) -> tuple[list[str], int]:
    """Run the dirty build the *job* describes; return the site files it wrote and how many files
    of the docs folder MkDocs was given."""
    from mkdocs import utils
    from mkdocs.commands import build as mkdocs_build
    from mkdocs.config import load_config
    from mkdocs.structure.files import File

    from generator.engines import mkdocs_hooks
    from generator.settings import quiet_mkdocs

    quiet_mkdocs()
    site = os.path.abspath(job["site"])
    changed = frozenset(job["changed"])
    written: set[str] = set()

    def is_modified(self: File) -> bool:
        if self._content is not None:
            return True
        return self.src_uri in changed or not os.path.isfile(self.abs_dest_path)

    def write_file(content: bytes, output_path: str) -> None:
        _write(output_path, content, written, site)

    def copy_file(source_path: str, output_path: str) -> None:
        if os.path.isdir(output_path):
            output_path = os.path.join(output_path, os.path.basename(source_path))
        with open(source_path, "rb") as handle:
            _write(output_path, handle.read(), written, site)

    File.is_modified = is_modified  # type: ignore[method-assign]
    utils.write_file = write_file
    utils.copy_file = copy_file
    mkdocs_hooks.DOCS_CHECKED = True
    logging.getLogger("mkdocs.commands.build").addFilter(lambda r: not r.getMessage().startswith(DIRTY_WARNING))
    config = load_config(config_file=job["config"], site_dir=site, strict=job["strict"])
    if job.get("templates"):
        theme_env = config.theme.get_env

        def get_env() -> Any:
            env = theme_env()
            env.bytecode_cache = _template_cache(job["templates"])
            return env

        config.theme.get_env = get_env
    needed = _needed(config, job, site)
    if needed is not None:
        config.theme.static_templates.difference_update(LISTING_TEMPLATES)
    given = job["files"] if needed is None else needed[0]
    walk = _listed_walk(config.docs_dir, given)
    real_get_files = mkdocs_build.get_files

    def get_files(config: Any) -> Any:
        real_walk, os.walk = os.walk, walk
        try:
            return real_get_files(config)
        finally:
            os.walk = real_walk

    mkdocs_build.get_files = get_files
    if needed is None:
        gz = Path(site, "sitemap.xml.gz")
        if gz.exists():
            gz.unlink()
            written.add("sitemap.xml.gz")
    mkdocs_build.build(config, dirty=True)
    if needed is not None:
        _date_sitemap(needed[1], needed[2], site, written)
    return sorted(written), len(given)


def main(argv: list[str]) -> None:
    from mkdocs.exceptions import Abort

    job = json.loads(Path(argv[0]).read_text(encoding="utf-8"))
    logging.basicConfig(level=logging.WARNING, format="%(levelname)-7s -  %(message)s", stream=sys.stderr)
    try:
        written, given = build(job)
    except Abort as exc:
        print(f"Aborted: {exc}", file=sys.stderr)
        raise SystemExit(1) from None
    print(json.dumps({"written": written, "given": given}))


if __name__ == "__main__":
    main(sys.argv[1:])
