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
import gzip
import html
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

from ruamel.yaml.comments import CommentedSeq

from generator.engines.run import run_engine
from generator.errors import BuildError
from generator.settings import Settings
from generator.util.process import die_with_parent

SCRIPT = "assets/search.js"
ROOT_SELECTOR = "article.md-content__inner"
"""What Pagefind indexes of each page: the article, not the navigation around it (within it, the
``data-pagefind-body`` element that :mod:`generator.engines.mkdocs_plugin` puts around every page that
search should find)."""
EXCLUDE_SELECTORS = (".entity-passages", ".archive-pager", ".archive-about")
"""Left out of the index: entity pages quote passages of articles already indexed, and the
pager and the cleaning report are not what a reader looks for."""


def uses_pagefind(settings: Settings, articles: int) -> bool:
    """True when an archive of *articles* articles is searched with Pagefind (from
    ``Settings.pagefind_threshold`` articles on, ``$ARCHIVE_PAGEFIND_THRESHOLD``)."""
    return articles >= settings.pagefind_threshold


def _is_search(entry: object) -> bool:
    names = {"search", "material/search"}
    return entry in names or (isinstance(entry, dict) and len(entry) == 1 and next(iter(entry)) in names)


@contextlib.contextmanager
def pagefind_config(config: Path) -> Iterator[Path]:
    """A copy of *config* without Material's search and with :data:`SCRIPT`, beside it."""
    from generator.inputs.yamlio import _yaml

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


DEFAULT_SHARD = 6000
"""The most pages one bundle indexes, unless ``$ARCHIVE_PAGEFIND_SHARD`` says otherwise. Pagefind
holds about 0.3 MB per page while it indexes (measured: 343 MB for 1,000 articles, the same
whether it reads pages or plain-text records; 1.2 GB for a bundle of 4,000 pages of a
10,000-article site), so a bundle of 6,000 pages stays under 2 GB."""
BUNDLES = "pagefind/bundles.json"
"""What ``assets/search.js`` needs to merge the bundles: the further bundles' folders, relative to
the site root, and the ids of the word-list pages it must not show."""
WORDS_PAGE = "_archive-words"
"""The folder of each bundle's word-list page (in the bundle only, never in the site)."""
_SEARCHED = b"<div data-pagefind-body>"
_TAG = re.compile(r"<[^>]*>")
_BODY = re.compile(r"<div data-pagefind-body>(.*?)</article>", re.DOTALL)


def shards(site: Path, size: int) -> list[list[Path]]:
    """The site's searched pages (those with ``data-pagefind-body``), split into as few bundles of
    at most *size* pages as will do, of nearly equal size. Deterministic: the pages
    outside ``articles/`` first, then the articles, each in path order."""
    pages = sorted(
        (path.relative_to(site).parts[0] == "articles", path)
        for path in site.rglob("*.html")
        if not path.relative_to(site).parts[0].startswith("pagefind") and _SEARCHED in path.read_bytes()
    )
    count = max(1, -(-len(pages) // size))
    return [[path for _, path in pages[i * len(pages) // count : (i + 1) * len(pages) // count]] for i in range(count)]


def bundle_folder(number: int) -> str:
    """The folder of bundle *number* (0 is Pagefind's own ``pagefind/``), relative to the site."""
    return "pagefind" if number == 0 else f"pagefind-{number + 1}"


def index_site(site: Path, shard: int = DEFAULT_SHARD) -> None:
    """Index the built *site* with Pagefind into ``site/pagefind/``.

    Pagefind holds about 0.3 MB per page while it indexes, so a large site is indexed in
    bundles of at most *shard* pages (``site/pagefind-2/``…), one run after the other, that
    the browser merges. Each run sees its pages through hard links at their own paths, so the
    addresses in every bundle are the site's. Pagefind drops a query word that its index does
    not hold: a bundle without the word "Tripoli" would answer "Tripoli ceasefire" with every
    page about a ceasefire. So each bundle also indexes one page listing every word of the site;
    a word is then never missing, the bundle answers only with pages that have every word (and
    the word list), and ``assets/search.js`` leaves the word lists out of the results."""
    parts = shards(site, shard)
    if len(parts) == 1:
        _run_pagefind(site, site / bundle_folder(0))
        (site / BUNDLES).write_text(json.dumps({"bundles": [], "hidden": []}) + "\n", encoding="utf-8")
        return
    words = site_words(page for pages in parts for page in pages)
    hidden: set[str] = set()  # the same words give the same id in every bundle
    for number, pages in enumerate(parts):
        output = site / bundle_folder(number)
        with tempfile.TemporaryDirectory(prefix=".pagefind-", dir=site.parent) as folder:
            view = Path(folder)
            for page in pages:
                target = view / page.relative_to(site)
                target.parent.mkdir(parents=True, exist_ok=True)
                try:
                    os.link(page, target)
                except OSError:
                    shutil.copyfile(page, target)
            (view / WORDS_PAGE).mkdir()
            (view / WORDS_PAGE / "index.html").write_text(words_page(words), encoding="utf-8")
            _run_pagefind(view, output)
        hidden.add(_fragment_id(output, f"/{WORDS_PAGE}/"))
    further = [bundle_folder(number) + "/" for number in range(1, len(parts))]
    listing = {"bundles": further, "hidden": sorted(hidden)}
    (site / BUNDLES).write_text(json.dumps(listing) + "\n", encoding="utf-8")


def site_words(pages: Iterable[Path]) -> list[str]:
    """Every word (as written, lower-cased) of the searched part of *pages*, sorted."""
    found: set[str] = set()
    for page in pages:
        body = _BODY.search(page.read_text(encoding="utf-8"))
        if body:
            found.update(html.unescape(_TAG.sub(" ", body.group(1))).lower().split())
    return sorted(found)


def words_page(words: Sequence[str]) -> str:
    """An HTML page that Pagefind indexes as holding every one of *words*."""
    text = html.escape(" ".join(words), quote=False)
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>words</title></head><body>'
        f'<article class="md-content__inner"><div data-pagefind-body><p>{text}</p></div></article></body></html>\n'
    )


def _fragment_id(bundle: Path, url: str) -> str:
    """The id Pagefind gives the page at *url* in *bundle* (its fragment's name); the word list's
    fragment is the bundle's largest, so it is looked at first."""
    fragments = sorted((bundle / "fragment").glob("*.pf_fragment"), key=lambda f: (-f.stat().st_size, f.name))
    for fragment in fragments:
        data = gzip.decompress(fragment.read_bytes())
        data = data.removeprefix(b"pagefind_dcd")
        if json.loads(data).get("url") == url:
            return fragment.name.removesuffix(".pf_fragment")
    raise BuildError(f"Pagefind left {url} out of {bundle}; the previous site is kept.")


def _run_pagefind(site: Path, output: Path) -> None:
    command = [
        sys.executable, "-P", "-m", "pagefind", "--site", str(site), "--output-path", str(output),
        "--root-selector", ROOT_SELECTOR, "--exclude-selectors", ", ".join(EXCLUDE_SELECTORS), "--silent",
    ]  # fmt: skip
    result = subprocess.run(command, capture_output=True, text=True, preexec_fn=die_with_parent)
    if result.returncode != 0:
        output_text = "\n".join(line for line in (result.stdout + result.stderr).splitlines() if line.strip())
        raise BuildError(
            f"Pagefind could not index the site; the previous site is kept. Reinstall it with "
            f"'pip install -r requirements.lock' if it is missing.\n{output_text}"
        )


def build_with_search(settings: Settings, dest: Path, articles: int, env: dict[str, str] | None = None) -> None:
    """Build the site into *dest* with the settings' engine, searched by Material or by Pagefind
    by the archive's size (*articles*)."""
    if not uses_pagefind(settings, articles):
        run_engine(settings.engine, settings.config, dest, settings.strict, env=env)
        return
    with pagefind_config(settings.config) as copy:
        run_engine(settings.engine, copy, dest, settings.strict, env=env)
    index_site(dest, settings.pagefind_shard)
