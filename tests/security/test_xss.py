"""Hostile text cannot run in a reader's browser.

One archive holds every vector of ``tests/security/xss_vectors.txt`` in every input channel
(see ``tests/hostile.py``); it is built once. The built pages and the search index are parsed
with lxml for live markup, the generated Markdown is checked without the MkDocs hook (as an
engine that ignores hooks would render it), and the pages are loaded in Chromium, with the CSP
bypassed so that the escaping and sanitising layers are tested on their own.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import lxml.html
import markdown
import pytest
import yaml

from ..conftest import copy_project, run_archive, serve
from . import hostile

pytestmark = pytest.mark.slow


@pytest.fixture(scope="session", autouse=True)
def material_search() -> object:
    """The hostile archive is large enough for Pagefind; keep Material's search, as in the clean
    build the theme's scripts are taken from, so that both carry the same theme configuration."""
    before = os.environ.get("ARCHIVE_PAGEFIND_THRESHOLD")
    os.environ["ARCHIVE_PAGEFIND_THRESHOLD"] = "100000"
    yield
    if before is None:
        os.environ.pop("ARCHIVE_PAGEFIND_THRESHOLD")
    else:
        os.environ["ARCHIVE_PAGEFIND_THRESHOLD"] = before


class _ConfigLoader(yaml.SafeLoader):
    """Reads mkdocs.yml, turning ``!!python/name:`` and ``!ENV`` values into None."""


_ConfigLoader.add_multi_constructor("", lambda loader, suffix, node: None)


@pytest.fixture(scope="session")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, list[str]]]:
    """The hostile archive, built once (not --strict: the hand-written page is meant to warn)."""
    root = copy_project(tmp_path_factory.mktemp("hostile") / "archive")
    paths = hostile.write_channels(root)
    run_archive("build", cwd=root, check=True)
    return root, paths


@pytest.fixture(scope="session")
def theme_scripts(built_site: Path) -> set[str]:
    """The scripts of a clean build: the theme's own."""
    found: set[str] = set()
    for rel, path in hostile.site_pages(built_site / "site"):
        found |= hostile.scripts_of(path.read_text(encoding="utf-8"), "http://site/" + rel)
    # Large archives are searched with Pagefind through the archive's own script (search.py).
    return found


def test_corpus_is_large_and_varied() -> None:
    vectors = hostile.VECTORS
    assert len(vectors) >= 100
    assert len(set(vectors)) == len(vectors)
    for kind in (
        "<script",
        "onerror",
        "javascript:",
        "vbscript:",
        "data:",
        "<svg",
        "<math",
        "{: on",
        "](",
        "&#",
        "--8<--",
    ):
        assert any(kind.lower() in v.lower() for v in vectors), kind


def test_checker_finds_live_markup(theme_scripts: set[str]) -> None:
    # The inspection itself must be able to fail.
    page = (
        '<html><head><script>evil()</script></head><body><article class="md-content__inner">'
        '<a href=" java\tscript:x()">a</a><img src=x onerror=y()><svg></svg></article></body></html>'
    )
    problems = hostile.unsafe_markup(page, "http://site/", theme_scripts)
    assert any("script not from the theme" in p for p in problems)
    assert any("unsafe address" in p for p in problems)
    assert any("event handler" in p for p in problems)
    assert any("<svg>" in p for p in problems)
    assert hostile.unsafe_fragment('<p>ok</p><img src=x onerror="y()">')


def test_every_channel_is_in_the_site(hostile_site: tuple[Path, dict[str, list[str]]]) -> None:
    root, paths = hostile_site
    for name, pages in paths.items():
        assert pages, name
        for rel in pages:
            assert (root / "site" / rel / "index.html").is_file() or (root / "site" / rel).is_file(), (name, rel)
    # Nearly every vector made it through the first-line channel (only headings cannot).
    assert len(paths["title read from an article's first line"]) >= 0.9 * len(hostile.VECTORS)


@pytest.mark.parametrize("channel", hostile.CHANNELS, ids=lambda c: c.name)
def test_no_live_markup_in_built_pages(channel: hostile.Channel, hostile_site, theme_scripts) -> None:
    if channel.skip:
        pytest.skip(channel.skip)
    root, paths = hostile_site
    problems = {}
    for rel in paths[channel.name]:
        html = (root / "site" / rel / "index.html").read_text(encoding="utf-8")
        found = hostile.unsafe_markup(html, "http://site/" + rel, theme_scripts)
        if found:
            problems[rel] = found[:3]
    assert not problems


def test_no_live_markup_anywhere_in_the_site(hostile_site, theme_scripts) -> None:
    root, _ = hostile_site
    problems = {}
    for rel, path in hostile.site_pages(root / "site"):
        found = hostile.unsafe_markup(path.read_text(encoding="utf-8"), "http://site/" + rel, theme_scripts)
        if found:
            problems[rel] = found[:3]
    assert not problems


def test_hostile_text_is_shown_as_text(hostile_site) -> None:
    root, _ = hostile_site
    document = lxml.html.parse(str(root / "site" / "articles" / "xss-body" / "index.html")).getroot()
    shown = [p.text_content() for p in document.xpath('//div[@class="archive-text"]/p')]
    assert "<script>window.__xss=1</script>" in shown
    assert '<img src=x onerror="window.__xss=1">' in shown
    title = document.find(".//title").text
    page = lxml.html.parse(str(root / "site" / "articles" / "xss-meta-008" / "index.html")).getroot()
    assert page.find(".//title").text.startswith(hostile.VECTORS[8])
    assert page.get_element_by_id("title").text_content() == hostile.VECTORS[8]
    assert title.startswith("Hostile body")


def test_search_index_holds_no_live_markup(hostile_site) -> None:
    root, _ = hostile_site
    index = json.loads((root / "site" / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert len(index["docs"]) > 300
    problems = [
        (doc["location"], hostile.unsafe_fragment(doc["title"]) + hostile.unsafe_fragment(doc["text"]))
        for doc in index["docs"]
    ]
    assert not [p for p in problems if p[1]]
    assert any("&lt;script&gt;window.__xss=1" in doc["text"] for doc in index["docs"])


def test_generated_pages_are_safe_without_the_hook(hostile_site, theme_scripts) -> None:
    # Zensical ignores MkDocs hooks: the generated Markdown must be safe on its own when rendered
    # with the site's Markdown extensions.
    root, _ = hostile_site
    config = yaml.load((root / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_ConfigLoader)
    extensions = [e if isinstance(e, str) else next(iter(e)) for e in config["markdown_extensions"]]
    configs = {
        next(iter(e)): next(iter(e.values())) or {} for e in config["markdown_extensions"] if isinstance(e, dict)
    }
    generated = sorted((root / "site_src" / "articles").glob("*/index.md"))
    assert len(generated) > 300
    problems = {}
    for path in generated:
        text = path.read_text(encoding="utf-8").split("\n---\n", 1)[1]
        body = markdown.markdown(text, extensions=extensions, extension_configs=configs)
        page = f'<html><body><article class="md-content__inner">{body}</article></body></html>'
        found = hostile.unsafe_markup(page, "http://site/", theme_scripts)
        if found:
            problems[path.name] = found[:3]
    assert not problems


def test_no_payload_runs_in_chromium(browser, hostile_site) -> None:
    root, paths = hostile_site
    # Every page that holds many vectors, and every third page of the one-vector-per-page
    # channels (the lxml checks above read them all; the index pages list every title).
    targets = ["", "articles/"]
    for pages in paths.values():
        targets += [rel for index, rel in enumerate(pages) if len(pages) < 10 or index % 3 == 0]
    targets = sorted(set(targets))
    # bypass_csp: the policy would block inline payloads; here the escaping and sanitising
    # layers must hold on their own.
    context = browser.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True)
    context.route("**/*", lambda route: route.abort() if "127.0.0.1" not in route.request.url else route.continue_())
    dialogs: list[str] = []
    page = context.new_page()
    page.on("dialog", lambda dialog: (dialogs.append(f"{page.url}: {dialog.message}"), dialog.dismiss()))
    ran = []
    try:
        with serve(root / "site") as url:
            for rel in targets:
                page.goto(url + rel, wait_until="load")
                # Fire the handlers a reader would trigger, and follow every link that is not an
                # ordinary address (there should be none).
                clicked = page.evaluate(
                    """() => {
                        for (const el of document.querySelectorAll('.md-content *')) {
                            for (const type of ['mouseover', 'focus', 'toggle', 'animationstart']) {
                                el.dispatchEvent(new Event(type));
                            }
                        }
                        const odd = [...document.querySelectorAll('a[href], area[href]')].filter(a =>
                            !['http:', 'https:', 'mailto:'].includes(a.protocol));
                        odd.forEach(a => a.click());
                        return odd.map(a => a.getAttribute('href'));
                    }"""
                )
                state = page.evaluate("() => [window.__xss, document.title, window.parent.__xss]")
                if clicked or state[0] is not None or state[1] == "pwned" or state[2] is not None:
                    ran.append((rel, clicked, state))
            page.goto(url, wait_until="load")
            page.locator("label.md-search__icon, .md-search__input").first.click()
            page.locator(".md-search__input").press_sequentially("onerror", delay=20)
            page.locator(".md-search-result__item").first.wait_for(timeout=15_000)
            state = page.evaluate("() => [window.__xss, document.title]")
            if state[0] is not None or state[1] == "pwned":
                ran.append(("search results", [], state))
    finally:
        context.close()
    assert len(targets) > 150
    assert not ran
    assert not dialogs


# Zensical, Material's successor, runs no MkDocs hook: the generator's own escaping and
# allow-list check must hold on their own, and hand-written pages are checked before it builds.


@pytest.fixture(scope="session")
def hostile_zensical(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, list[str]]]:
    """The hostile archive without its hand-written channel, built with Zensical."""
    root = copy_project(tmp_path_factory.mktemp("hostile-zensical") / "archive")
    paths = {
        c.name: c.write(root, hostile.VECTORS) for c in hostile.CHANNELS if c.write not in (None, hostile.hand_written)
    }
    run_archive("build", "--engine", "zensical", cwd=root, check=True)
    return root, paths


@pytest.fixture(scope="session")
def zensical_theme_scripts(tmp_path_factory: pytest.TempPathFactory) -> set[str]:
    root = copy_project(tmp_path_factory.mktemp("clean-zensical") / "archive")
    run_archive("build", "--engine", "zensical", cwd=root, check=True)
    found: set[str] = set()
    for rel, path in hostile.site_pages(root / "site"):
        found |= hostile.scripts_of(path.read_text(encoding="utf-8"), "http://site/" + rel)
    return found


def test_no_live_markup_in_pages_built_by_zensical(hostile_zensical, zensical_theme_scripts) -> None:
    root, paths = hostile_zensical
    assert len(paths) == len(hostile.CHANNELS) - 1
    problems = {}
    for name, rels in paths.items():
        for rel in rels:
            page = root / "site" / rel / "index.html"
            if not page.is_file():
                continue
            found = hostile.unsafe_markup(
                page.read_text(encoding="utf-8"), "http://site/" + rel, zensical_theme_scripts
            )
            if found:
                problems[(name, rel)] = found[:3]
    assert not problems
    index = json.loads((root / "site" / "search.json").read_text(encoding="utf-8"))
    texts = [item.get("title", "") + " " + item.get("text", "") for item in index["items"]]
    assert not [t for t in texts if hostile.unsafe_fragment(t)]


def test_zensical_refuses_hostile_hand_written_pages(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "archive")
    run_archive("build", "--engine", "zensical", cwd=root, check=True)
    before = {p: p.read_bytes() for p in (root / "site").rglob("*") if p.is_file()}
    (root / "site_src" / "evil.md").write_text('# Fine\n\n<img src=x onerror="window.__xss=1">\n', encoding="utf-8")
    (root / "site_src" / "title.md").write_text("---\ntitle: <b>bold</b>\n---\n\nText.\n", encoding="utf-8")
    result = run_archive("build", "--engine", "zensical", cwd=root)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "site_src/evil.md: the page holds markup that this engine would publish unsanitised" in result.stderr
    assert "site_src/title.md:2: the front-matter title holds <, > or &" in result.stderr
    assert {p: p.read_bytes() for p in (root / "site").rglob("*") if p.is_file()} == before


# The channels out of the page that this site adds: the citation files beside each article page,
# the Highwire tags in the page's <head>, the Web Annotations and the passage links.


def test_hostile_metadata_stays_inside_the_citation_files(hostile_site) -> None:
    import bibtexparser
    import rispy

    from generator.render.citation import plain

    root, paths = hostile_site
    pages = paths["front matter: title, author, publisher, original_publisher, tags, url, original_url"]
    checked = 0
    for rel in pages:
        if not rel.startswith("articles/xss-meta-"):
            continue
        slug = rel.split("/")[1]
        folder = root / "site" / "articles" / slug
        index = int(slug.rsplit("-", 1)[1])
        title = plain(hostile.VECTORS[index])
        (item,) = json.loads((folder / f"{slug}.json").read_text(encoding="utf-8"))
        assert item["title"] == title
        library = bibtexparser.parse_string((folder / f"{slug}.bib").read_text(encoding="utf-8"))
        assert not library.failed_blocks and len(library.entries) == 1, slug
        assert "title" in library.entries[0].fields_dict and "injected" not in library.entries[0].fields_dict
        records = rispy.loads((folder / f"{slug}.ris").read_text(encoding="utf-8"))
        assert len(records) == 1 and records[0]["title"] == title, slug
        head = lxml.html.parse(str(folder / "index.html")).getroot().find("head")
        metas = head.findall("meta[@name='citation_title']")
        assert [m.get("content") for m in metas] == [title], slug
        checked += 1
    assert checked == len(hostile.VECTORS)


def test_hostile_note_authors_stay_data_in_the_annotations(hostile_site) -> None:
    root, paths = hostile_site
    assert paths["note author, author_type and author_url"]
    data = json.loads((root / "site" / "annotations" / "xss-note-author.jsonld").read_text(encoding="utf-8"))
    creators = [item["creator"] for item in data["first"]["items"]]
    assert len(creators) > 100 and all(c["type"] == "Person" for c in creators)
    assert {c["name"] for c in creators} <= set(hostile.VECTORS)
    assert all(c.get("id", "https://").startswith(("http://", "https://")) for c in creators)
    assert any("id" in c for c in creators)


def test_hostile_citation_front_matter_stays_a_tag_value(hostile_site) -> None:
    root, paths = hostile_site
    pages = [rel for rel in paths["hand-written pages: Markdown body and front-matter title"] if "title-" in rel]
    for rel in pages:
        index = int(rel.rstrip("/").rsplit("-", 1)[1])
        head = lxml.html.parse(str(root / "site" / rel / "index.html")).getroot().find("head")
        names = [m.get("name") for m in head.findall("meta[@name]") if m.get("name", "").startswith("citation_")]
        assert names == ["citation_title", "citation_author", "citation_publication_date", "citation_public_url"], rel
        values = {m.get("content") for m in head.findall("meta[@name]") if m.get("name", "").startswith("citation_")}
        assert values == {hostile.VECTORS[index]}, rel
