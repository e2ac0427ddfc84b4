"""A reader's visit in a real browser: every page type loads without errors or foreign requests,
fits a phone, passes axe-core without serious violations, and the home page, article header,
browse pages and feeds lead where they say.

Screenshots of every page type at desktop and phone widths are written to ``tests/artifacts/``
(git-ignored) for a person to look at.
"""

from __future__ import annotations

import urllib.request
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from ..conftest import REPO

pytestmark = pytest.mark.browser

ARTIFACTS = REPO / "tests" / "artifacts"
ARTICLE = "articles/2017-07-12-us-looks-to-escalate-involvement-in-libya/"
UNDATED = "articles/us-military-considers-re-establishing-presence-in-libya/"
PAGES = {
    "home": "",
    "articles-index": "articles/",
    "article": ARTICLE,
    "entity": "entities/khalifa-haftar/",
    "entities-index": "entities/",
    "corrections": "corrections/",
    "browse": "browse/",
    "browse-tag": "browse/tag/libya/",
    "browse-year": "browse/year/2017/",
    "browse-publisher": "browse/publisher/newsspan/",
    "about": "about/",
    "guide": "guide/adding-notes/",
    "guide-citing": "guide/citing/",
    "not-found": "404.html",
}
"""Every kind of page a reader meets, by name → address under the site root."""
WIDTHS = {"desktop": 1280, "phone": 375}
AXE_PAGES = ("home", "article", "entity", "corrections", "browse")
ATOM = "{http://www.w3.org/2005/Atom}"


def _visit(browser, site_url: str, path: str, width: int, **context_options):
    """Open *path* in a fresh context; return (page, context, problems seen while loading)."""
    context = browser.new_context(viewport={"width": width, "height": 900}, **context_options)
    page = context.new_page()
    host = urlsplit(site_url).netloc
    problems: list[str] = []
    page.on("console", lambda m: problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    page.on("requestfailed", lambda r: problems.append(f"failed request: {r.url} ({r.failure})"))

    def on_request(request) -> None:  # type: ignore[no-untyped-def]
        parts = urlsplit(request.url)
        if parts.scheme in ("http", "https") and parts.netloc != host:
            problems.append(f"request to another host: {request.url}")

    def on_response(response) -> None:  # type: ignore[no-untyped-def]
        if response.status >= 400 and not response.url.endswith("/404.html"):
            problems.append(f"HTTP {response.status}: {response.url}")

    page.on("request", on_request)
    page.on("response", on_response)
    page.goto(site_url + path, wait_until="networkidle")
    return page, context, problems


@pytest.mark.parametrize("width_name", WIDTHS)
@pytest.mark.parametrize("name", PAGES)
def test_page_loads_cleanly_fits_and_is_photographed(browser, site_url: str, name: str, width_name: str) -> None:
    width = WIDTHS[width_name]
    page, context, problems = _visit(browser, site_url, PAGES[name], width)
    try:
        assert page.locator("article h1, .md-content h1").first.is_visible()
        # No horizontal scrolling: the page is no wider than the window.
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"{name}-{width_name}.png"), full_page=True)
        assert not problems, "\n".join(problems)
        assert overflow <= 0, f"{name} is {overflow}px wider than a {width}px window"
    finally:
        context.close()


@pytest.mark.parametrize("name", AXE_PAGES)
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_serious_accessibility_violations(browser, site_url: str, name: str, scheme: str) -> None:
    from axe_playwright_python.sync_playwright import Axe

    page, context, _ = _visit(browser, site_url, PAGES[name], 1280, color_scheme=scheme)
    try:
        violations = Axe().run(page).response["violations"]
    finally:
        context.close()
    serious = [
        f"{v['id']} ({v['impact']}): {v['help']}: " + "; ".join(n["target"][0] for n in v["nodes"][:5])
        for v in violations
        if v["impact"] in ("serious", "critical")
    ]
    assert not serious, "\n".join(serious)


def test_home_page_leads_to_the_ways_in(page, site_url: str) -> None:
    page.goto(site_url)
    counts = page.locator(".archive-counts").inner_text()
    assert "2 articles" in counts and "editorial notes" in counts and "entities mentioned" in counts
    page.locator(".archive-ways a", has_text="libya").click()
    page.wait_for_url("**/browse/tag/libya/")
    assert page.locator("article h1").inner_text() == "Articles tagged “libya”"
    assert page.locator(".archive-list li").count() == 2
    page.goto(site_url)
    page.locator(".archive-home-notes a").first.click()
    page.wait_for_url("**/articles/*/#anchor-*")
    page.locator("mark.note-anchor:target").wait_for()


def test_article_header_panel_and_neighbours(page, site_url: str) -> None:
    page.goto(site_url + ARTICLE)
    reading = page.locator(".archive-reading").inner_text()
    words = int(reading.split(" · ")[1].split()[0])
    assert reading.startswith(f"{-(-words // 230)} min read")
    assert "Archived on" in page.locator(".archive-provenance").inner_text()
    panel = page.locator("aside.archive-entity-panel")
    assert panel.get_by_role("heading").inner_text() == "In this article"
    panel.locator("a", has_text="Libyan National Army").click()
    page.wait_for_url("**/entities/libyan-national-army/")
    page.go_back()
    page.wait_for_url(f"**/{ARTICLE}")
    # Newest first: the dated article is the newer, the undated one comes after it.
    older = page.get_by_role("navigation", name="Articles by date").locator("a[rel=prev]")
    assert "The U.S Military considers" in older.inner_text()
    older.click()
    page.wait_for_url(f"**/{UNDATED}")
    assert page.locator(".archive-pager a[rel=prev]").count() == 0
    assert page.locator(".archive-pager a[rel=next]").get_attribute("href").endswith(f"/{ARTICLE}")


def test_feeds_are_linked_and_list_articles_and_corrections(page, site_url: str, built_site: Path) -> None:
    page.goto(site_url)
    alternates = page.locator('head link[rel=alternate][type="application/atom+xml"]')
    assert alternates.count() == 2
    for index in range(2):
        href = alternates.nth(index).get_attribute("href")
        page_link = page.locator(f'.archive-feeds a[href$="{href.rsplit("/", 1)[-1]}"]')
        assert page_link.count() == 1
    with urllib.request.urlopen(site_url + "feed-articles.xml") as response:
        articles = ET.fromstring(response.read())
    entries = articles.findall(f"{ATOM}entry")
    assert [e.findtext(f"{ATOM}title") for e in entries][0].startswith("US Looks to Dramatically Escalate")
    for entry in entries:
        link = entry.find(f"{ATOM}link[@rel='alternate']").get("href")
        assert link.startswith("https://archive.example.org/articles/")
        assert (built_site / "site" / link.removeprefix("https://archive.example.org/") / "index.html").is_file()
    with urllib.request.urlopen(site_url + "feed-corrections.xml") as response:
        notes = ET.fromstring(response.read())
    titles = [e.findtext(f"{ATOM}title") for e in notes.findall(f"{ATOM}entry")]
    assert any(t.startswith("Correction on “") for t in titles)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Haftar", "khalifa-haftar"),  # an entity's name: its page and the articles naming it
        ("abstentions", "2017-07-12-us-looks-to-escalate-involvement-in-libya"),  # only in a note body
    ],
)
def test_search_finds_entity_names_and_note_words(page, site_url: str, query: str, expected: str) -> None:
    if query == "abstentions":
        assert not any(query in p.read_text(encoding="utf-8") for p in (REPO / "articles").glob("*[!s].md"))
    page.goto(site_url)
    page.locator("label.md-search__icon, .md-search__input").first.click()
    page.locator(".md-search__input").press_sequentially(query, delay=20)
    results = page.locator(".md-search-result__item")
    results.first.wait_for(timeout=15_000)
    links = [results.nth(i).locator("a").first.get_attribute("href") for i in range(results.count())]
    assert any(expected in href for href in links), links


def test_print_shows_the_article_notes_and_source_addresses_without_the_interface(page, site_url: str) -> None:
    page.goto(site_url + UNDATED)
    page.emulate_media(media="print")
    for hidden in (".md-header", ".md-sidebar--primary", ".md-footer", ".archive-pager"):
        assert not page.locator(hidden).first.is_visible(), hidden
    assert page.locator("ol.notes").is_visible()
    after = page.evaluate(
        "getComputedStyle(document.querySelector('.archive-meta a[href^=\"http\"]'), '::after').content"
    )
    assert "http://www.newsspan.com/" in after
