"""MkDocs building only the pages that changed, into a copy of the last site made of hard links.

Run as ``python -m generator.engines.mkdocs_dirty JOB`` by :mod:`generator.engines.incremental`;
*JOB* is a JSON file naming the configuration, the site folder, every file of the docs folder
and those that changed since the site was built. MkDocs' own ``--dirty`` build is used, with
three changes (for MkDocs 1.6):

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

It prints the site files it wrote, as JSON, on its last line of output.
"""

from __future__ import annotations

import json
import logging
import os
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from generator.util.files import TEMP_PREFIX

DIRTY_WARNING = "A 'dirty' build is being performed"


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
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=TEMP_PREFIX)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    written.add(os.path.relpath(path, site).replace(os.sep, "/"))


def build(job: dict[str, Any]) -> list[str]:
    """Run the dirty build the *job* describes; return the site files it wrote."""
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
    walk = _listed_walk(config.docs_dir, job["files"])
    real_get_files = mkdocs_build.get_files

    def get_files(config: Any) -> Any:
        real_walk, os.walk = os.walk, walk
        try:
            return real_get_files(config)
        finally:
            os.walk = real_walk

    mkdocs_build.get_files = get_files
    gz = Path(site, "sitemap.xml.gz")
    if gz.exists():
        gz.unlink()
        written.add("sitemap.xml.gz")
    mkdocs_build.build(config, dirty=True)
    return sorted(written)


def main(argv: list[str]) -> None:
    from mkdocs.exceptions import Abort

    job = json.loads(Path(argv[0]).read_text(encoding="utf-8"))
    logging.basicConfig(level=logging.WARNING, format="%(levelname)-7s -  %(message)s", stream=sys.stderr)
    try:
        written = build(job)
    except Abort as exc:
        print(f"Aborted: {exc}", file=sys.stderr)
        raise SystemExit(1) from None
    print(json.dumps({"written": written}))


if __name__ == "__main__":
    main(sys.argv[1:])
