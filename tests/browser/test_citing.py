"""Other tools read the published pages as they are, in Debian's Chromium: a page reader recovers
every note's exact words through the Web Annotations' selectors, Text Fragment links land on the
passage, the ``<head>`` carries the Highwire tags Zotero reads, paragraphs and notes have
permalinks; and readers see corrections apart from other notes, with tap targets of 44 × 44 px.

Screenshots go to ``tests/artifacts/`` (git-ignored).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ..conftest import REPO

pytestmark = pytest.mark.browser

ARTIFACTS = REPO / "tests" / "artifacts"
SITE_URL = "https://archive.example.org/"
"""The site_url of the bundled mkdocs.yml: the annotations' addresses start with it."""
SLUG_000 = "us-military-considers-re-establishing-presence-in-libya"
SLUG_003 = "2017-07-12-us-looks-to-escalate-involvement-in-libya"
TAP = 44

# How a Web Annotation client resolves a target's selectors on a page (the semantics of the
# model, as Apache Annotator implements them): a CssSelector must match exactly one element; a
# TextPositionSelector counts code points of the text nodes of the element it refines (of the
# body when it stands alone); a TextQuoteSelector's prefix + exact + suffix must occur exactly once.
RESOLVE = r"""(selectors) => {
  function textNodes(root) {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT), nodes = [];
    let node;
    while ((node = walker.nextNode())) nodes.push(node);
    return nodes;
  }
  function position(root, selector) {
    // Code points, as the model counts; a Range over the text nodes, read back as a string.
    const range = document.createRange();
    let at = 0, started = false;
    for (const node of textNodes(root)) {
      const points = Array.from(node.data);
      const units = (count) => points.slice(0, count).join("").length;
      if (!started && selector.start <= at + points.length) {
        range.setStart(node, units(selector.start - at));
        started = true;
      }
      if (started && selector.end <= at + points.length) {
        range.setEnd(node, units(selector.end - at));
        return range.toString();
      }
      at += points.length;
    }
    return null;
  }
  function quote(root, selector) {
    const text = textNodes(root).map((n) => n.data).join("");
    const whole = (selector.prefix || "") + selector.exact + (selector.suffix || "");
    const at = text.indexOf(whole);
    if (at < 0 || text.indexOf(whole, at + 1) >= 0) return null;
    return text.substr(at + (selector.prefix || "").length, selector.exact.length);
  }
  function resolve(root, selector) {
    if (selector.type === "CssSelector") {
      const found = document.querySelectorAll(selector.value);
      if (found.length !== 1) return {error: found.length + " elements match " + selector.value};
      return selector.refinedBy ? resolve(found[0], selector.refinedBy) : {text: found[0].textContent};
    }
    if (selector.type === "TextPositionSelector") return {text: position(root, selector)};
    if (selector.type === "TextQuoteSelector") return {text: quote(root, selector)};
    return {error: "unknown selector " + selector.type};
  }
  return selectors.map((s) => ({
    type: s.type + (s.refinedBy ? ">" + s.refinedBy.type : ""),
    ...resolve(document.body, s),
  }));
}"""


def local(url: str, site_url: str) -> str:
    assert url.startswith(SITE_URL), url
    return site_url + url.removeprefix(SITE_URL)


def annotations(built_site: Path) -> list[dict]:
    found = []
    for path in sorted((built_site / "site" / "annotations").glob("*.jsonld")):
        found += json.loads(path.read_text(encoding="utf-8"))["first"]["items"]
    return found


def test_a_page_reader_recovers_every_note_through_its_selectors(page, site_url: str, built_site: Path) -> None:
    items = annotations(built_site)
    assert len(items) == 30
    results, loaded = [], None
    for item in items:
        target = item["target"]
        url = local(target["source"]["id"], site_url)
        if url != loaded:
            page.goto(url)
            loaded = url
        exact = next(s["exact"] for s in target["selector"] if s["type"] == "TextQuoteSelector")
        for result in page.evaluate(RESOLVE, target["selector"]):
            results.append((item["id"].rsplit("#", 1)[1], result["type"], result.get("text") == exact, result))
    kinds = {kind for _, kind, _, _ in results}
    assert kinds == {"TextQuoteSelector", "CssSelector>TextPositionSelector"}
    wrong = [(note, kind, result) for note, kind, ok, result in results if not ok]
    assert not wrong, wrong[:5]
    assert len(results) == 60


def test_text_fragment_links_land_on_the_passage(browser, site_url: str) -> None:
    context = browser.new_context(viewport={"width": 1000, "height": 700})
    page = context.new_page()
    try:
        page.goto(site_url + "corrections/")
        links = page.eval_on_selector_all(
            ".archive-corrections .note-head a[href*='#anchor-']",
            "links => links.map(a => [a.href, a.querySelector('.note-quote').textContent.slice(1, -1)])",
        )
        assert len(links) == 30
        with_text = [(href, quote) for href, quote in links if ":~:text=" in href]
        assert len(with_text) == 30
        missed = []
        for href, quote in with_text:
            # The directive alone (no id before it), so that only the words can lead the browser there.
            directive = href.split(":~:", 1)[1]
            page.goto("about:blank")
            page.goto(href.split("#", 1)[0] + "#:~:" + directive)
            page.wait_for_timeout(150)
            landed = page.evaluate(
                """(quote) => { const t = document.querySelector(':target');
                   return !!t && !!t.closest('div.archive-text')
                     && t.textContent.replace(/\\s+/g, ' ').includes(quote); }""",
                quote,
            )
            if not landed:
                missed.append(href)
        assert not missed, missed
        # With the id: the browser scrolls to the words, and location.hash is the id.
        href = next(h for h, _ in with_text if "anchor-sarraj-held-the-west" in h)
        page.goto(href)
        page.locator("mark#anchor-sarraj-held-the-west").wait_for()
        assert page.evaluate("location.hash") == "#anchor-sarraj-held-the-west"
        box = page.locator("mark#anchor-sarraj-held-the-west").bounding_box()
        assert 0 <= box["y"] < 700
    finally:
        context.close()


def test_the_head_carries_the_highwire_tags_zotero_reads(page, site_url: str) -> None:
    page.goto(f"{site_url}articles/{SLUG_003}/")
    tags = page.eval_on_selector_all(
        "head meta[name]", "metas => metas.map(m => [m.getAttribute('name'), m.getAttribute('content')])"
    )
    named = {}
    for name, content in tags:
        named.setdefault(name, []).append(content)
    assert named["citation_title"] == [
        "US Looks to Dramatically Escalate Involvement in Libya, Setting Up a Permanent Military Base"
    ]
    assert named["citation_author"] == ["Ditz, Jason"]
    dates = [n for n in named if n in ("citation_publication_date", "citation_date", "citation_cover_date")]
    assert dates == ["citation_publication_date"] and named["citation_publication_date"] == ["2017/07/12"]
    assert named["citation_publisher"] == ["Global Research"] == named["prism.publicationName"]
    assert named["citation_public_url"] == [f"{SITE_URL}articles/{SLUG_003}/"]
    assert named["citation_language"] == ["en"] and named["DC.type"] == ["newspaperArticle"]
    assert "citation_journal_title" not in named  # it would make Zotero save a journal article
    assert not page.locator("head meta[property='og:type']").count()
    # No author in the front matter: no citation_author; no Highwire tags on pages that cite nothing.
    page.goto(f"{site_url}articles/{SLUG_000}/")
    assert page.locator("head meta[name=citation_author]").count() == 0
    assert page.locator("head meta[name=citation_title]").count() == 1
    page.goto(site_url + "corrections/")
    assert page.locator("head meta[name^=citation_]").count() == 0


def test_paragraphs_and_notes_have_visible_permalinks(page, site_url: str) -> None:
    page.goto(f"{site_url}articles/{SLUG_000}/")
    paragraphs = page.locator("div.archive-text > p")
    count = paragraphs.count()
    assert count == 5
    for index in range(count):
        link = paragraphs.nth(index).locator("a.archive-permalink")
        assert link.get_attribute("href") == f"#p{index + 1}"
        assert link.get_attribute("aria-label") == f"Link to paragraph {index + 1}"
        assert link.evaluate("a => getComputedStyle(a, '::after').content") == '"¶"'
        assert link.is_visible()
    paragraphs.nth(4).locator("a.archive-permalink").click()
    page.wait_for_function("() => location.hash === '#p5'")
    assert page.evaluate("document.querySelector(':target').id") == "p5"
    page.locator("#note-sarraj-held-the-west a.note-permalink").click()
    page.wait_for_function("() => location.hash === '#note-sarraj-held-the-west'")
    assert page.evaluate("document.querySelector(':target').id") == "note-sarraj-held-the-west"


def test_cite_this_offers_the_lines_and_the_files(browser, site_url: str) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site_url.rstrip("/"))
    page = context.new_page()
    try:
        page.goto(f"{site_url}articles/{SLUG_003}/")
        box = page.locator("details.archive-cite")
        assert box.get_attribute("open") is None
        box.locator("summary").click()
        apa = box.locator(".archive-cite-line", has_text="APA")
        assert apa.locator(".archive-cite-text").inner_text().startswith("Ditz, J. (2017, July 12). US Looks to")
        apa.get_by_role("button", name="Copy the APA citation").click()
        page.wait_for_function("() => document.querySelector('.archive-copy').textContent === 'Copied'")
        assert page.evaluate("navigator.clipboard.readText()").startswith("Ditz, J. (2017, July 12).")
        for ext in ("json", "bib", "ris"):
            link = box.locator(f"a[href='{SLUG_003}.{ext}']")
            response = page.request.get(link.evaluate("a => a.href"))
            assert response.ok and response.body().startswith((b"[", b"@article", b"TY  - NEWS"))
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "cite-this-desktop.png"))
    finally:
        context.close()


HITS = """(selector) => {
  // For each target, the points of a 5 x 5 grid over its box that a tap would not bring to it: to
  // a neighbouring target ("neighbour": two markers a line apart overlap) or to anything else.
  const missed = [];
  for (const target of document.querySelectorAll(selector)) {
    target.scrollIntoView({block: "center"});
    const r = target.getBoundingClientRect();
    for (const fy of [0.05, 0.25, 0.5, 0.75, 0.95]) {
      for (const fx of [0.05, 0.25, 0.5, 0.75, 0.95]) {
        const hit = document.elementFromPoint(r.left + r.width * fx, r.top + r.height * fy);
        if (hit && target.contains(hit)) continue;
        const other = hit && hit.closest(selector);
        // the box's centre line: 44 px boxes on lines about 31 px apart overlap by up to 13 px
        // where two markers stand one above the other
        const middle = fy === 0.5 && fx > 0.2 && fx < 0.8;
        missed.push({target: target.id || target.getAttribute("href"), fx, fy, middle, neighbour: !!other});
      }
    }
  }
  return missed;
}"""
"""Where, over each target's box, a tap would reach something else than the target."""


def _hit_area(locator) -> list[tuple[str, float, float]]:
    return locator.evaluate_all(
        "els => els.filter(e => e.getClientRects().length).map(e => { const r = e.getBoundingClientRect();"
        " return [e.id || e.className || e.tagName, r.width, r.height]; })"
    )


@pytest.mark.parametrize("width", [375, 1280])
def test_tap_targets_are_at_least_44_px(browser, site_url: str, width: int) -> None:
    context = browser.new_context(viewport={"width": width, "height": 800}, has_touch=width < 500)
    page = context.new_page()
    try:
        page.goto(f"{site_url}articles/{SLUG_000}/")
        targets = {
            "note markers": page.locator("sup.note-ref > a"),
            "paragraph permalinks": page.locator("a.archive-permalink"),
            "folded boxes": page.locator("details:is(.archive-provenance, .archive-cite) > summary"),
        }
        assert targets["note markers"].count() == 18
        for name, locator in targets.items():
            small = [t for t in _hit_area(locator) if t[1] < TAP or t[2] < TAP]
            assert not small, (name, small)
        # The whole box takes the tap, even where it reaches over the neighbouring words.
        missed = page.evaluate(HITS, "sup.note-ref > a, a.archive-permalink")
        # Every point of every box is a tap target (its own, or where two boxes overlap, a
        # neighbour's), and the middle of each box's centre line is its own.
        assert not [m for m in missed if not m["neighbour"] or m["middle"]], missed
        marker = page.locator("#ref-sarraj-held-the-west")
        marker.click()
        close = page.locator(".note-popover__close")
        small = [t for t in _hit_area(close) if t[1] < TAP or t[2] < TAP]
        assert not small, small
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"note-open-{width}.png"))
    finally:
        context.close()


STYLE = """m => { const s = getComputedStyle(m);
  return {wash: s.backgroundColor, line: s.borderBottomStyle + ' ' + s.borderBottomWidth,
          decoration: s.textDecorationLine + ' ' + s.textDecorationStyle,
          colour: s.borderBottomColor + s.textDecorationColor}; }"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_each_kind_of_note_has_its_own_inline_style(browser, site_url: str, scheme: str) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme=scheme)
    page = context.new_page()
    try:
        page.goto(f"{site_url}articles/{SLUG_000}/")
        styles = {}
        for kind in ("correction", "spelling", "clarification", "context"):
            marks = page.locator(f"div.archive-text mark.note-anchor[data-kind={kind}]")
            assert marks.count() >= 1, kind
            seen = {json.dumps(m, sort_keys=True) for m in marks.evaluate_all(f"ms => ms.map({STYLE})")}
            assert len(seen) == 1, (kind, seen)  # one style per kind
            styles[kind] = json.loads(seen.pop())
        # Colour and shape: the washes differ, and so do the lines without their colour (WCAG 1.4.1).
        assert len({s["wash"] for s in styles.values()}) == 4, styles
        assert len({(s["line"], s["decoration"]) for s in styles.values()}) == 4, styles
        # A correction's marker is square, the others' round.
        radius = "a => getComputedStyle(a, '::after').borderTopLeftRadius"
        correction = page.locator("sup.note-ref > a[data-kind=correction]").first.evaluate(radius)
        context_note = page.locator("sup.note-ref > a[data-kind=context]").first.evaluate(radius)
        assert float(correction.removesuffix("px")) < 3 < float(context_note.removesuffix("px"))
        page.locator("#p5").scroll_into_view_if_needed()
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"note-kinds-{scheme}.png"))
    finally:
        context.close()


def test_the_marked_words_open_their_note_and_its_sources_look_like_links(page, site_url: str) -> None:
    page.goto(f"{site_url}articles/{SLUG_000}/")
    page.locator("mark#anchor-haftar-held-the-east").click()
    popover = page.locator(".note-popover[role=dialog]")
    popover.wait_for()
    assert "note-popover--correction" in popover.get_attribute("class")
    assert popover.get_attribute("aria-label") == "Editorial note 17: correction"
    assert "Khalifa Haftar's Libyan National Army" in popover.inner_text()
    source = popover.locator("a.note-source").first
    style = source.evaluate(
        "a => [getComputedStyle(a).textDecorationLine, getComputedStyle(a).color,"
        " getComputedStyle(a.closest('.note-sources')).color]"
    )
    assert style[0] == "underline" and style[1] != style[2]  # underlined, in the link colour, not grey
    # A link among the marked words is still a link.
    page.keyboard.press("Escape")
    page.locator("#anchor-haftar-spelling a.entity").click()
    page.wait_for_url("**/entities/khalifa-haftar/")


def test_provenance_is_folded_on_a_phone(browser, site_url: str) -> None:
    context = browser.new_context(viewport={"width": 375, "height": 700})
    page = context.new_page()
    try:
        page.goto(f"{site_url}articles/{SLUG_000}/")
        provenance = page.locator("details.archive-provenance")
        assert provenance.get_attribute("open") is None
        summary = provenance.locator("summary")
        assert summary.inner_text().startswith("Archived on 22 November 2026, from www.newsspan.com")
        assert provenance.bounding_box()["height"] < 80  # two lines at most, of a 700 px screen
        assert not provenance.locator("a[href^='http://www.newsspan.com/']").is_visible()
        summary.click()
        assert provenance.locator("a[href^='http://www.newsspan.com/']").is_visible()
        wayback = page.locator("a.archive-wayback")
        assert wayback.get_attribute("href") == (
            "https://web.archive.org/web/20261122/"
            "http://www.newsspan.com/the-u-s-military-considers-re-establishing-its-presence-in-libya/"
        )
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "provenance-phone.png"))
    finally:
        context.close()


def test_an_entity_page_marks_passages_that_carry_a_correction(page, site_url: str) -> None:
    page.goto(site_url + "entities/khalifa-haftar/")
    corrected = page.locator("li.entity-passage--corrected")
    assert corrected.count() >= 1
    notes = page.locator("li.entity-passage--corrected .entity-correction")
    texts = notes.all_inner_texts()
    assert all(t.upper().startswith("CORRECTION ON") for t in texts)
    assert any("who controls the western part" in t for t in texts)
    assert any("who dominates the eastern region of the country" in t for t in texts)
    note = notes.first
    border = corrected.first.evaluate("li => getComputedStyle(li).borderLeftStyle")
    assert border == "solid"
    note.get_by_role("link", name="Read the correction").click()
    page.wait_for_url(f"**/articles/{SLUG_000}/#note-*")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.goto(site_url + "entities/khalifa-haftar/")
    corrected.first.scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "entity-corrected-passage.png"))


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_serious_accessibility_violation_with_everything_open(browser, site_url: str, scheme: str) -> None:
    from axe_playwright_python.sync_playwright import Axe

    context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme=scheme)
    page = context.new_page()
    try:
        page.goto(f"{site_url}articles/{SLUG_000}/", wait_until="networkidle")
        page.locator("details.archive-provenance > summary").click()
        page.locator("details.archive-cite > summary").click()
        page.locator("#ref-sarraj-held-the-west").click()
        page.locator(".note-popover").wait_for()
        violations = Axe().run(page).response["violations"]
    finally:
        context.close()
    serious = [
        f"{v['id']} ({v['impact']}): {v['help']}: " + "; ".join(n["target"][0] for n in v["nodes"][:5])
        for v in violations
        if v["impact"] in ("serious", "critical")
    ]
    assert not serious, "\n".join(serious)
