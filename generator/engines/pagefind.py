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


DEFAULT_SHARD = 12000
"""The most pages one bundle indexes, unless ``$ARCHIVE_PAGEFIND_SHARD`` says otherwise. Pagefind
holds about 0.25 MB per page while it indexes (measured: 2.5 GB for one bundle of the 10,044
searched pages of a 10,000-article site), so a bundle of 12,000 pages stays under 4 GB; every
further bundle costs a first query its page list and the chunk holding each word (35 to 65 KB
each), so bundles are as few as that allows."""
BUNDLES = "pagefind/bundles.json"
"""What ``assets/search.js`` needs to merge the bundles: the further bundles' folders, relative to
the site root, the ids of the pages it must not show (the word lists, and the old entries of
pages indexed again in the delta bundle), and whether each word of a query must be checked on
its own (see :func:`update_index`)."""
WORDS_PAGE = "_archive-words"
"""The folder of each bundle's word-list page (in the bundle only, never in the site)."""
DELTA = "pagefind-delta"
"""The bundle of the pages changed since the site was last indexed whole."""
DELTA_LIMIT = 500
"""From this many changed pages on, the whole site is indexed again instead of the delta."""
_SEARCHED = b"<div data-pagefind-body>"
_TAG = re.compile(r"<[^>]*>")
_UNREAD = re.compile(r"<(script|style|noscript)\b[^>]*>.*?</\1\s*>", re.DOTALL | re.IGNORECASE)
"""Elements whose text Pagefind does not index (an article's JSON-LD is a script)."""
_INLINE = re.compile(
    r"</?(?:a|abbr|b|bdi|bdo|cite|code|data|del|dfn|em|i|ins|kbd|mark|q|s|samp|small|span|strong|sub|sup|time|u|var)\b[^>]*>",
    re.IGNORECASE,
)
"""Tags within a line of text: Pagefind reads ``<code>Note</code>s`` as the one word "Notes"."""
_BODY = re.compile(r"<div data-pagefind-body>(.*?)</article>", re.DOTALL)
_ID = re.compile(r'(<(?!h[1-6][\s>])[a-zA-Z][a-zA-Z0-9-]*\b[^>]*?)\s+id="[^"]*"')


def lean(page: str) -> str:
    """The page as Pagefind should read it: no ``id`` on anything but headings in the searched
    part. Pagefind records every element with an id as an anchor, with its text again, in the
    page's fragment; the search box shows no anchors, and without them a fragment is a third
    of the size (a first query fetches one per result) and indexing twice as fast."""
    head, sep, body = page.partition(_SEARCHED.decode())
    return head + sep + _ID.sub(r"\1", body)


def searched(site: Path, rels: Iterable[str] | None = None) -> list[str]:
    """The site's searched pages (those with ``data-pagefind-body``), as paths relative to *site*,
    sorted: the pages outside ``articles/`` first, then the articles, each in path order. With
    *rels*, only those of them."""
    if rels is None:
        rels = (p.relative_to(site).as_posix() for p in site.rglob("*.html"))
    found = []
    for rel in rels:
        if rel.startswith("pagefind") or not rel.endswith(".html"):
            continue
        path = site / rel
        if path.is_file() and _SEARCHED in path.read_bytes():
            found.append((rel.split("/", 1)[0] == "articles", rel))
    return [rel for _, rel in sorted(found)]


def shards(site: Path, size: int) -> list[list[Path]]:
    """The site's searched pages split into as few bundles of at most *size* pages as will do,
    of nearly equal size (deterministic: see :func:`searched`)."""
    pages = [site / rel for rel in searched(site)]
    count = max(1, -(-len(pages) // size))
    return [pages[i * len(pages) // count : (i + 1) * len(pages) // count] for i in range(count)]


def bundle_folder(number: int) -> str:
    """The folder of bundle *number* (0 is Pagefind's own ``pagefind/``), relative to the site."""
    return "pagefind" if number == 0 else f"pagefind-{number + 1}"


def page_url(rel: str) -> str:
    """The address Pagefind gives the page at *rel* (``articles/x/index.html`` → ``/articles/x/``)."""
    return "/" + rel.removesuffix("index.html")


def _view(site: Path, pages: Iterable[Path], folder: Path, words: Sequence[str] | None = None) -> int:
    """Write the lean copy (:func:`lean`) of each of *pages* at its own path under *folder*, and
    the word list page when *words* are given; return the bytes written."""
    total = 0
    for page in pages:
        target = folder / page.relative_to(site)
        target.parent.mkdir(parents=True, exist_ok=True)
        data = lean(page.read_text(encoding="utf-8")).encode("utf-8")
        target.write_bytes(data)
        total += len(data)
    if words is not None:
        (folder / WORDS_PAGE).mkdir()
        (folder / WORDS_PAGE / "index.html").write_text(words_page(words), encoding="utf-8")
    return total


def index_site(site: Path, shard: int = DEFAULT_SHARD) -> dict[str, object]:
    """Index the built *site* with Pagefind into ``site/pagefind/``; return what
    :func:`update_index` needs later (each page's fragment id, the ids to hide).

    Pagefind holds about 0.25 MB per page while it indexes, so a large site is indexed in
    bundles of at most *shard* pages (``site/pagefind-2/``…), one run after the other, that
    the browser merges. Each run reads a lean copy of its pages at their own paths, so the
    addresses in every bundle are the site's. Pagefind drops a query word that its index does
    not hold: a bundle without the word "Tripoli" would answer "Tripoli ceasefire" with every
    page about a ceasefire. So when there are several bundles, each also indexes one page
    listing every word of the site; a word is then never missing, the bundle answers only with
    pages that have every word (and the word list), and ``assets/search.js`` leaves the word
    lists out of the results."""
    parts = shards(site, shard)
    words = site_words(page for pages in parts for page in pages) if len(parts) > 1 else None
    hidden: set[str] = set()  # the same words give the same id in every bundle
    ids: dict[str, str] = {}
    for number, pages in enumerate(parts):
        output = site / bundle_folder(number)
        if output.exists():
            shutil.rmtree(output)  # new files only: the folder may share its files with a served site
        with tempfile.TemporaryDirectory(prefix=".pagefind-", dir=site.parent) as folder:
            _view(site, pages, Path(folder), words)
            _run_pagefind(Path(folder), output)
        found = fragment_ids(output)
        if words is not None:
            hidden.add(found.pop(f"/{WORDS_PAGE}/"))
        ids.update(found)
    further = [bundle_folder(number) + "/" for number in range(1, len(parts))]
    _write_listing(site, {"bundles": further, "hidden": sorted(hidden)})
    return {"bundles": further, "hidden": sorted(hidden), "ids": ids, "delta": []}


def update_index(
    site: Path, state: dict[str, object], changed: Iterable[str], removed: Iterable[str]
) -> tuple[dict[str, object], int] | None:
    """Index only the pages changed since *site* was indexed whole (*state*, from
    :func:`index_site`): they go into one small further bundle (:data:`DELTA`), and their old
    entries are hidden. *changed* and *removed*: the site's HTML files this build wrote or
    removed. Return the new state and the bytes Pagefind read, or None when the delta has grown
    past :data:`DELTA_LIMIT` pages (the caller indexes the whole site again).

    A bundle drops a query word it does not hold (see :func:`index_site`), and the delta holds
    only a few pages: so the listing tells ``assets/search.js`` to check each word of a query on
    its own and keep only the pages found for every one (those searches read the chunks the
    query read already)."""
    delta = set(state["delta"])  # type: ignore[arg-type]
    gone = {rel for rel in removed if rel.endswith(".html")}
    delta = (delta | set(searched(site, changed))) - gone
    delta = {rel for rel in delta if (site / rel).is_file() and _SEARCHED in (site / rel).read_bytes()}
    if len(delta) > DELTA_LIMIT:
        return None
    output = site / DELTA
    if output.exists():
        shutil.rmtree(output)
    ids: dict[str, str] = state["ids"]  # type: ignore[assignment]
    size, new_ids = 0, {}
    if delta:
        with tempfile.TemporaryDirectory(prefix=".pagefind-", dir=site.parent) as folder:
            size = _view(site, (site / rel for rel in sorted(delta)), Path(folder))
            _run_pagefind(Path(folder), output)
        new_ids = fragment_ids(output)
    stale = {ids[page_url(rel)] for rel in delta | gone if page_url(rel) in ids}
    hidden = set(state["hidden"]) | (stale - set(new_ids.values()))  # type: ignore[arg-type]
    bundles = list(state["bundles"]) + ([DELTA + "/"] if delta else [])  # type: ignore[call-overload]
    _write_listing(site, {"bundles": bundles, "hidden": sorted(hidden), "each_word": bool(delta)})
    return {**state, "delta": sorted(delta)}, size


def _write_listing(site: Path, listing: dict[str, object]) -> None:
    from generator.util.files import atomic_write

    atomic_write(site / BUNDLES, json.dumps(listing) + "\n")


def site_words(pages: Iterable[Path]) -> list[str]:
    """Every word (as written, lower-cased) of the searched part of *pages*, sorted: read both as
    Pagefind reads text (a tag within a line joins the letters on either side) and with every tag
    apart. Not the words of scripts and styles, which Pagefind does not index either: each
    article's JSON-LD alone held 400,000 words at 100,000 articles (addresses, dates, names in
    quotes), and the list is indexed in every bundle; with them, one bundle took 4.5 GB, without
    them 3.4 GB."""
    found: set[str] = set()
    for page in pages:
        body = _BODY.search(page.read_text(encoding="utf-8"))
        if body:
            text = _UNREAD.sub(" ", body.group(1))
            for read in (_TAG.sub(" ", _INLINE.sub("", text)), _TAG.sub(" ", text)):
                found.update(html.unescape(read).lower().split())
    return sorted(found)


def words_page(words: Sequence[str]) -> str:
    """An HTML page that Pagefind indexes as holding every one of *words*."""
    text = html.escape(" ".join(words), quote=False)
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>words</title></head><body>'
        f'<article class="md-content__inner"><div data-pagefind-body><p>{text}</p></div></article></body></html>\n'
    )


def fragment_ids(bundle: Path) -> dict[str, str]:
    """Each page's address in *bundle* → the id Pagefind gave it (its fragment's name)."""
    found = {}
    for fragment in sorted((bundle / "fragment").glob("*.pf_fragment")):
        data = gzip.decompress(fragment.read_bytes()).removeprefix(b"pagefind_dcd")
        found[json.loads(data)["url"]] = fragment.name.removesuffix(".pf_fragment")
    return found


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


def build_with_search(
    settings: Settings, dest: Path, articles: int, env: dict[str, str] | None = None
) -> dict[str, object] | None:
    """Build the site into *dest* with the settings' engine, searched by Material or by Pagefind
    by the archive's size (*articles*); return Pagefind's state (:func:`index_site`), if used."""
    if not uses_pagefind(settings, articles):
        run_engine(settings.engine, settings.config, dest, settings.strict, env=env)
        return None
    with pagefind_config(settings.config) as copy:
        run_engine(settings.engine, copy, dest, settings.strict, env=env)
    return index_site(dest, settings.pagefind_shard)
