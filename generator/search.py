"""Search: Material's built-in search for small archives, Pagefind for large ones.

Material's search ships the whole index as one JSON file that a reader downloads before the
first result (4 MB at 1,000 pages) and that costs a third of the build. From
:func:`pagefind_threshold` articles on, the site is built without it and indexed by Pagefind
(run from its PyPI package, offline), whose index is split so that a query fetches only the
parts holding its words. ``assets/search.js`` puts Pagefind's search box in the header.

The switch is made on a copy of ``mkdocs.yml`` written beside it for the one build (comments,
tags and order kept), so the file an editor maintains does not change.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

from ruamel.yaml.comments import CommentedSeq

from .engines import Engine, run_engine
from .errors import BuildError

THRESHOLD_ENV = "ARCHIVE_PAGEFIND_THRESHOLD"
"""Environment variable: the number of articles from which the site uses Pagefind."""
DEFAULT_THRESHOLD = 200
SCRIPT = "assets/search.js"
ROOT_SELECTOR = "article.md-content__inner"
"""What Pagefind indexes of each page: the article, not the navigation around it (within it, the
``data-pagefind-body`` element that :mod:`generator.mkdocs_plugin` puts around every page that
search should find)."""
EXCLUDE_SELECTORS = (".entity-passages", ".archive-pager", ".archive-about")
"""Left out of the index: entity pages quote passages of articles already indexed, and the
pager and the cleaning report are not what a reader looks for."""


def pagefind_threshold() -> int:
    given = os.environ.get(THRESHOLD_ENV, "").strip()
    return int(given) if given.isdigit() else DEFAULT_THRESHOLD


def uses_pagefind(articles: int) -> bool:
    """True when an archive of *articles* articles is searched with Pagefind."""
    return articles >= pagefind_threshold()


def _is_search(entry: object) -> bool:
    names = {"search", "material/search"}
    return entry in names or (isinstance(entry, dict) and len(entry) == 1 and next(iter(entry)) in names)


@contextlib.contextmanager
def pagefind_config(config: Path) -> Iterator[Path]:
    """A copy of *config* without Material's search and with :data:`SCRIPT`, beside it."""
    from .yamlio import _yaml

    yaml = _yaml()
    data = yaml.load(config.read_text(encoding="utf-8"))
    plugins = data.get("plugins")
    kept = [entry for entry in plugins if not _is_search(entry)] if isinstance(plugins, list) else []
    data["plugins"] = CommentedSeq(kept)  # an empty list, not a missing key: MkDocs would add search
    scripts = data.get("extra_javascript") or CommentedSeq()
    if SCRIPT not in scripts:
        scripts.append(SCRIPT)
    data["extra_javascript"] = scripts
    copy = config.with_name(f".pagefind-{os.getpid()}-{config.name}")
    try:
        with copy.open("w", encoding="utf-8") as handle:
            yaml.dump(data, handle)
        yield copy
    finally:
        copy.unlink(missing_ok=True)


def index_site(site: Path) -> None:
    """Index the built *site* with Pagefind (into ``site/pagefind/``)."""
    command = [
        sys.executable, "-m", "pagefind", "--site", str(site), "--root-selector", ROOT_SELECTOR,
        "--exclude-selectors", ", ".join(EXCLUDE_SELECTORS), "--silent",
    ]  # fmt: skip
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        output = "\n".join(line for line in (result.stdout + result.stderr).splitlines() if line.strip())
        raise BuildError(
            f"Pagefind could not index the site; the previous site is kept. Reinstall it with "
            f"'pip install -r requirements.lock' if it is missing.\n{output}"
        )


def build_with_search(
    engine: Engine, config: Path, dest: Path, strict: bool, articles: int, env: dict[str, str] | None = None
) -> None:
    """Build the site into *dest* with *engine*, searched by Material or by Pagefind by size."""
    if not uses_pagefind(articles):
        run_engine(engine, config, dest, strict, env=env)
        return
    with pagefind_config(config) as copy:
        run_engine(engine, copy, dest, strict, env=env)
    index_site(dest)
