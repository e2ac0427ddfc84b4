"""Long listings are split into pages, every page stays reachable, and large archives are
searched with Pagefind in a real browser.

One synthetic archive of 120 articles (short ones, so that the model runs in seconds) is built
with ``archive build --strict`` (which fails on any broken link) with a page size of 10 and the
Pagefind threshold lowered to 50 and its bundles to 50 pages each (so several bundles), as a
large archive would be built.
"""

from __future__ import annotations

import os
import posixpath
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from generator.commands.synth import make_archive
from generator.render import paging

from ..conftest import REPO, serve

PAGE_SIZE = 10
ARTICLES = 120
SHARD = 50
ENV = {"ARCHIVE_PAGE_SIZE": str(PAGE_SIZE), "ARCHIVE_PAGEFIND_THRESHOLD": "50", "ARCHIVE_PAGEFIND_SHARD": str(SHARD)}
HREF = re.compile(r'href="([^"#]*)(?:#[^"]*)?"')


@pytest.fixture(scope="module")
def large(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    root = tmp_path_factory.mktemp("paging") / "archive"
    slugs = make_archive(root, ARTICLES, REPO, words=100)
    env = {**os.environ, **ENV, "PYTHONPATH": str(REPO), "NO_MKDOCS_2_WARNING": "1"}
    result = subprocess.run(
        [sys.executable, "-m", "generator", "build", "--strict"], cwd=root, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return root, slugs


def generated_pages(docs: Path) -> list[str]:
    return sorted(p.relative_to(docs).as_posix() for p in docs.rglob("index.md"))


def links(docs: Path, page: str) -> set[str]:
    """The generated files a page links to (relative links resolved, folders as their index.md)."""
    text = (docs / page).read_text(encoding="utf-8")
    found = set()
    for href in HREF.findall(text):
        if not href or "://" in href or href.startswith(("mailto:", "/")):
            continue
        target = posixpath.normpath(posixpath.join(posixpath.dirname(page), href))
        found.add(target + "/index.md" if href.endswith("/") else target)
    return found


def test_no_page_links_to_more_than_a_page_of_articles(large: tuple[Path, list[str]]) -> None:
    root, slugs = large
    docs = root / "site_src"
    articles = {f"articles/{slug}/index.md" for slug in slugs}
    counts = {}
    for page in generated_pages(docs):
        if page in articles:
            continue
        linked = links(docs, page) & articles
        counts[page] = len(linked)
    assert counts, "no listing page generated"
    too_many = {page: n for page, n in counts.items() if n > PAGE_SIZE}
    assert not too_many, too_many
    # The split happened: year pages, numbered pages, entity and corrections pages by year.
    assert (docs / "articles" / "2016" / "index.md").is_file()
    assert any(re.fullmatch(r"articles/\d{4}/2/index.md", p) for p in counts)
    assert any(re.fullmatch(r"entities/[a-z0-9-]+/\d{4}/index.md", p) for p in counts)
    assert any(re.fullmatch(r"corrections/\d{4}/index.md", p) for p in counts)


def test_every_page_is_reachable_from_the_indexes(large: tuple[Path, list[str]]) -> None:
    root, _ = large
    docs = root / "site_src"
    indexes = ["index.md", "articles/index.md", "entities/index.md", "corrections/index.md"]  # the navigation
    seen, queue = set(indexes), list(indexes)
    while queue:
        page = queue.pop()
        for target in links(docs, page):
            if target not in seen and (docs / target).is_file() and target.endswith(".md"):
                seen.add(target)
                queue.append(target)
    generated = {p for p in generated_pages(docs) if p.split("/")[0] in ("articles", "entities", "corrections")}
    generated.add("index.md")
    unreached = sorted(generated - seen)
    assert not unreached, unreached[:20]


def test_every_link_of_a_generated_page_leads_to_a_page(large: tuple[Path, list[str]]) -> None:
    # MkDocs does not read generated pages as Markdown (generator/engines/mkdocs_plugin.py), so it does
    # not check their links: this does, on the built site.
    root, _ = large
    docs, site = root / "site_src", root / "site"
    broken = []
    for page in generated_pages(docs):
        for target in links(docs, page):
            built = site / (target[: -len("index.md")] + "index.html" if target.endswith("index.md") else target)
            if not built.is_file() and not (site / target).is_file():
                broken.append(f"{page} → {target}")
    assert not broken, broken[:20]


def test_pager_links_pages_of_a_year_both_ways(large: tuple[Path, list[str]]) -> None:
    root, _ = large
    docs = root / "site_src"
    second = next(p for p in sorted(docs.glob("articles/*/2/index.md")))
    year = second.parent.parent.name
    first_text = (docs / "articles" / year / "index.md").read_text(encoding="utf-8")
    second_text = second.read_text(encoding="utf-8")
    assert f'href="../../articles/{year}/2/" rel="next"' in first_text
    assert f'href="../../../articles/{year}/" rel="prev"' in second_text
    assert f"Articles, {year}, page 2" in second_text


def test_split_keeps_order_and_sizes() -> None:
    import datetime as dt

    days = [dt.date(2020, 12, 31 - i) for i in range(25)] + [dt.date(2019, 5, 1)] + [None, None]
    periods, listings = paging.split("things/", days, lambda d: d, 10)
    assert [(p.label, p.path, p.count) for p in periods] == [
        ("2020", "things/2020/", 25),
        ("2019", "things/2019/", 1),
        ("Undated", "things/undated/", 2),
    ]
    assert [(page.path, len(page.items), page.number, page.pages) for page in listings] == [
        ("things/2020/", 10, 1, 3),
        ("things/2020/2/", 10, 2, 3),
        ("things/2020/3/", 5, 3, 3),
        ("things/2019/", 1, 1, 1),
        ("things/undated/", 2, 1, 1),
    ]
    assert [item for page in listings for item in page.items] == days
    assert listings[1].previous == "things/2020/" and listings[1].next == "things/2020/3/"
    assert listings[2].root == "../../../"


def test_an_article_named_like_a_year_page_is_refused(project: Path) -> None:
    from ..conftest import run_archive

    source = next((project / "articles").glob("2017-*.md"))
    source.rename(source.with_name("2017.md"))
    notes = source.with_name(source.stem + ".notes.yml")
    if notes.exists():
        notes.rename(source.with_name("2017.notes.yml"))
    env_size = os.environ.get("ARCHIVE_PAGE_SIZE")
    os.environ["ARCHIVE_PAGE_SIZE"] = "2"
    try:
        result = run_archive("generate", cwd=project)
    finally:
        if env_size is None:
            os.environ.pop("ARCHIVE_PAGE_SIZE")
        else:
            os.environ["ARCHIVE_PAGE_SIZE"] = env_size
    assert result.returncode == 1
    assert "articles/2017.md: the name '2017' is reserved for the pages listing the articles by year" in result.stderr


@pytest.fixture(scope="module")
def large_url(large: tuple[Path, list[str]]) -> Iterator[str]:
    with serve(large[0] / "site") as url:
        yield url


def test_pagefind_index_is_split_into_bundles_of_at_most_a_shard(large: tuple[Path, list[str]]) -> None:
    import json

    site = large[0] / "site"
    searched = [p for p in site.rglob("*.html") if "data-pagefind-body" in p.read_text(encoding="utf-8")]
    expected = -(-len(searched) // SHARD)
    assert expected >= 3
    bundles = json.loads((site / "pagefind" / "bundles.json").read_text())
    folders = ["pagefind"] + [f"pagefind-{n}" for n in range(2, expected + 1)]
    assert bundles["bundles"] == [f"{folder}/" for folder in folders[1:]]
    counts = []
    for folder in folders:  # each bundle holds a word list, which search.js leaves out
        assert any((site / folder / "fragment" / f"{i}.pf_fragment").is_file() for i in bundles["hidden"]), folder
        entry = json.loads((site / folder / "pagefind-entry.json").read_text())
        counts.append(sum(language["page_count"] for language in entry["languages"].values()))
    # Every searched page is in exactly one bundle, beside the bundle's word list; bundles are of
    # nearly equal size, at most a shard each.
    assert sum(counts) == len(searched) + expected, (counts, len(searched))
    assert max(counts) <= SHARD + 1 and max(counts) - min(counts) <= 1, counts
    assert not (site / "_archive-words").exists(), "the word lists are not pages of the site"
    assert not list(large[0].glob(".pagefind-*")), "the hard-link views are removed"


def test_listings_that_only_repeat_the_articles_are_left_out_of_search(large: tuple[Path, list[str]]) -> None:
    site = large[0] / "site"

    def searched(page: Path) -> bool:
        return "data-pagefind-body" in page.read_text(encoding="utf-8")

    groups = [p for kind in ("year", "publisher") for p in (site / "browse" / kind).rglob("index.html")]
    assert len(groups) > 5 and not [p for p in groups if searched(p)]  # each year and publisher
    tags = list((site / "browse" / "tag").rglob("index.html"))  # article pages do not show their tags
    assert tags and all(searched(p) for p in tags)
    assert searched(site / "browse" / "index.html")
    articles = [site / "articles" / slug / "index.html" for slug in large[1]]
    assert all(searched(p) for p in articles)


@pytest.mark.browser
@pytest.mark.parametrize("number", [7, 115])
def test_pagefind_finds_the_one_article_with_a_phrase(
    page, large: tuple[Path, list[str]], large_url: str, number: int
) -> None:
    root, slugs = large
    site = root / "site"
    assert (site / "pagefind" / "pagefind.js").is_file()
    assert not (site / "search" / "search_index.json").exists(), "Material's index is left out above the threshold"
    policy = re.search(r'Content-Security-Policy" content="([^"]*)"', (site / "index.html").read_text()).group(1)
    script_src = next(d for d in policy.split("; ") if d.startswith("script-src"))
    assert "'wasm-unsafe-eval'" in script_src.split(), "Pagefind compiles WebAssembly"
    assert "'unsafe-eval'" not in script_src.split() and "unsafe-inline" not in policy
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(large_url)
    slug = next(s for s in slugs if s.endswith(f"-{number:05d}"))
    page.locator(".archive-search__input").press_sequentially(f"case {number:05d}", delay=20)
    results = page.locator(".archive-search__item")
    results.first.wait_for(timeout=20_000)
    hrefs = [results.nth(i).locator("a").get_attribute("href") for i in range(results.count())]
    articles = [href for href in hrefs if "/articles/" in href]
    assert articles == [f"/articles/{slug}/"], hrefs
    excerpt = results.nth(hrefs.index(articles[0])).locator("mark").all_inner_texts()
    assert [m.lower() for m in excerpt][:2] == ["case", f"{number:05d}"]
    assert all(url.startswith(large_url) for url in requests), "a request left the site"
    wasm = [url for url in requests if url.endswith(".pagefind") and "/wasm." in url]
    assert len(wasm) == 1, f"the merged bundles share one WebAssembly: {wasm}"
    results.nth(hrefs.index(articles[0])).locator("a").click()
    page.wait_for_function(f"() => location.pathname === '/articles/{slug}/'")
    assert f"case {number:05d}" in page.locator("article").inner_text()


def test_pagefind_build_config_leaves_out_materials_search(project: Path) -> None:
    from generator.engines.pagefind import SCRIPT, pagefind_config
    from generator.inputs.yamlio import _yaml

    config = project / "mkdocs.yml"
    before = config.read_bytes()
    with pagefind_config(config) as copy:
        assert copy.parent == config.parent  # relative paths keep their meaning
        data = _yaml().load(copy.read_text(encoding="utf-8"))
        original = _yaml().load(before.decode("utf-8"))
    assert not copy.exists()
    assert config.read_bytes() == before
    assert "search" in original["plugins"]
    assert data["plugins"] == [p for p in original["plugins"] if p != "search"]
    assert data["extra_javascript"] == [*original["extra_javascript"], SCRIPT]
    assert data["nav"] == original["nav"] and data["theme"] == original["theme"]


def test_bench_table_lists_every_size(tmp_path: Path) -> None:
    from generator.commands.bench_results import ROWS, write_results

    row = {key: 1.5 for key, _, _ in ROWS}
    row.update(
        articles=100, words=62000, processes=1, one_note_written=["a", "b", "c"], search_engine="pagefind",
        raw_spacy_wps_by_processes={"1": 7000.0, "2": 9000.0},
    )  # fmt: skip
    out = tmp_path / "results.json"
    write_results({"100": row, "1000": {**row, "articles": 1000}, "machine": {"cpus": 2}}, out)
    text = out.with_suffix(".md").read_text(encoding="utf-8")
    assert "| | 100 articles | 1,000 articles |" in text
    assert "| … files written | 3 | 3 |" in text
    assert "| … by processes (1, 2) | 7,000 / 9,000 | 7,000 / 9,000 |" in text


def test_every_generated_page_is_handed_past_markdown(large: tuple[Path, list[str]]) -> None:
    """The ``archive`` plugin skips Markdown only for pages made of HTML blocks; a generated page
    that is not would cost the build twice its time, silently."""
    from generator.engines.mkdocs_plugin import is_raw_html
    from generator.paths import GENERATED
    from generator.render.sanitize import page_body

    docs = large[0] / "site_src"
    pages = [p for p in docs.rglob("*.md") if p.relative_to(docs).parts[0] in GENERATED]
    assert len(pages) > ARTICLES
    slow = [p.relative_to(docs).as_posix() for p in pages if not is_raw_html(page_body(p.read_text(encoding="utf-8")))]
    assert slow == []


def _fragments(bundle: Path) -> dict[str, str]:
    """Each page's id in *bundle* → the text Pagefind indexed of it."""
    import gzip
    import json

    found = {}
    for fragment in (bundle / "fragment").glob("*.pf_fragment"):
        data = json.loads(gzip.decompress(fragment.read_bytes()).removeprefix(b"pagefind_dcd"))
        found[fragment.name.removesuffix(".pf_fragment")] = data["content"]
    return found


def test_each_bundles_word_list_holds_every_word_pagefind_indexed_and_no_script(
    large: tuple[Path, list[str]],
) -> None:
    import json

    site = large[0] / "site"
    hidden = set(json.loads((site / "pagefind" / "bundles.json").read_text())["hidden"])
    assert len(hidden) == 1, "the same words give the same id in every bundle"
    bundles = [site / "pagefind", *sorted(site.glob("pagefind-[0-9]*"))]
    assert len(bundles) >= 3

    def words(text: str) -> set[str]:  # as Pagefind matches them: case and punctuation aside
        return {re.sub(r"\W", "", word.lower()) for word in text.split()} - {""}

    listed = {}
    indexed: set[str] = set()
    for bundle in bundles:
        fragments = _fragments(bundle)
        (ident,) = hidden & set(fragments)
        listed[bundle.name] = fragments.pop(ident)
        for text in fragments.values():
            indexed |= words(text)
    assert len(set(listed.values())) == 1, "one list, in every bundle"
    words_list = next(iter(listed.values()))
    assert indexed <= words(words_list), sorted(indexed - words(words_list))[:20]
    # Every article page holds its JSON-LD in a script, which Pagefind does not index: the list
    # leaves it out too (it was most of the list's words at 100,000 articles).
    article = (site / "articles" / large[1][0] / "index.html").read_text(encoding="utf-8")
    only_in_script = f'"@id":"https://archive.example.org/articles/{large[1][0]}/"'
    assert 'type="application/ld+json"' in article and only_in_script in article
    assert only_in_script.lower() not in words_list
