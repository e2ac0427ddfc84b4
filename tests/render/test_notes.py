"""What readers see of the notes: golden article pages and Corrections page, links that resolve
both ways, schema.org JSON-LD and W3C Web Annotations.

Regenerate the golden files deliberately with ``UPDATE_GOLDEN=1 pytest tests/test_notes_render.py``
and review the diff.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
from pathlib import Path

import pytest

from generator.pipeline import load, render_site
from generator.render.markup import json_ld
from generator.render.notes import news_article_ld, summary_sentence
from generator.settings import Settings

REPO = Path(__file__).resolve().parents[2]
GOLDEN = REPO / "tests" / "golden"
SLUG_000 = "us-military-considers-re-establishing-presence-in-libya"
SLUG_003 = "2017-07-12-us-looks-to-escalate-involvement-in-libya"


@pytest.fixture(scope="module")
def site() -> tuple[object, dict[str, str]]:
    loaded = load(Settings.load(REPO))
    assert not loaded.errors
    return loaded, render_site(loaded, Settings.load(REPO))


def _ids(html: str) -> set[str]:
    return set(re.findall(r' id="([^"]+)"', html))


def test_markers_and_notes_link_both_ways(site) -> None:
    loaded, pages = site
    for slug, notes in loaded.notes.items():
        page = pages[f"articles/{slug}/index.md"]
        ids = _ids(page)
        for item in notes:
            ident = item.note.id
            kind = item.note.kind
            assert (
                f'<a id="ref-{ident}" href="#note-{ident}" aria-label="Editorial note {item.number}: {kind}" '
                f'data-note="{item.number}" data-kind="{kind}"></a>' in page
            )
            assert f'<li id="note-{ident}"' in page and f'href="#ref-{ident}"' in page
            assert (
                f'<mark class="note-anchor" id="anchor-{ident}" data-note="{item.number}" data-kind="{kind}">' in page
            )
            assert f'<a href="#note-{ident}" class="note-permalink" aria-label="Link to note {item.number}">' in page
        for target in re.findall(r'href="#([^"]+)"', page):
            assert target in ids, f"{slug}: link to missing #{target}"
        assert f'href="../../annotations/{slug}.jsonld"' in page
    assert (
        "This article contains 2 corrections, 2 spelling notes, 5 clarifications and 9 context notes."
        in pages[f"articles/{SLUG_000}/index.md"]
    )


def test_corrections_page_links_to_every_passage(site) -> None:
    loaded, pages = site
    page = pages["corrections/index.md"]
    links = re.findall(r'href="\.\./articles/([^/"]+)/#([^":]+)(?::~:text=[^"]+)?"', page)
    assert len(links) == sum(len(n) for n in loaded.notes.values()) == 30
    for slug, anchor in links:
        assert f' id="{anchor}"' in pages[f"articles/{slug}/index.md"]
    # Every passage link but those of corrections that fill their paragraph carries a Text Fragment.
    assert len(re.findall(r'href="\.\./articles/[^"]+:~:text=', page)) == 30


def test_news_article_json_ld_lists_the_corrections(site) -> None:
    loaded, pages = site
    page = pages[f"articles/{SLUG_000}/index.md"]
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', page)
    assert len(blocks) == 1
    data = json.loads(blocks[0])
    assert data["@type"] == "NewsArticle"
    page_url = f"https://archive.example.org/articles/{SLUG_000}/"
    assert [c["url"] for c in data["correction"]] == [
        f"{page_url}#note-sarraj-held-the-west",
        f"{page_url}#note-haftar-held-the-east",
    ]
    assert data["@id"] == data["url"] == data["mainEntityOfPage"] == page_url
    assert data["isBasedOn"].startswith("http://www.newsspan.com/")
    assert data["dateModified"] == max(i.note.date for i in loaded.notes[SLUG_000]).isoformat()
    assert all(c["author"] == {"@type": "Organization", "name": "Archive editors"} for c in data["correction"])
    assert all(c["@type"] == "CorrectionComment" for c in data["correction"])
    # the other seed has one correction
    data_003 = json.loads(re.findall(r'ld\+json">(.*?)</script>', pages[f"articles/{SLUG_003}/index.md"])[0])
    assert [c["url"].rsplit("/", 1)[1] for c in data_003["correction"]] == ["#note-no-new-ambassador"]


def test_json_ld_cannot_close_its_script_element(site) -> None:
    loaded, _ = site
    item = loaded.notes[SLUG_000][14]
    assert item.note.kind == "correction"
    hostile = dataclasses.replace(item.note, body_text="</script><script>alert(1)</script> & <!--")
    article = next(a for a in loaded.articles if a.slug == SLUG_000)
    block = json_ld(news_article_ld(article, [dataclasses.replace(item, note=hostile)]))
    inner = block.removeprefix('<script type="application/ld+json">').removesuffix("</script>")
    assert "<" not in inner and ">" not in inner and "&" not in inner
    assert json.loads(inner)["correction"][0]["text"] == "</script><script>alert(1)</script> & <!--"


def test_annotations_select_the_anchored_words(site) -> None:
    loaded, pages = site
    for article in loaded.articles:
        data = json.loads(pages[f"annotations/{article.slug}.jsonld"])
        assert data["type"] == "AnnotationCollection" and data["total"] == len(loaded.notes[article.slug])
        for annotation in data["first"]["items"]:
            quote, css = annotation["target"]["selector"]
            assert css["type"] == "CssSelector" and css["value"] == "div.archive-text"
            position = css["refinedBy"]
            assert article.text[position["start"] : position["end"]] == quote["exact"]
            assert article.text.count(quote["prefix"] + quote["exact"] + quote["suffix"]) == 1
            assert annotation["target"]["source"]["id"] == f"https://archive.example.org/articles/{article.slug}/"


def test_the_text_container_holds_exactly_the_article_text(site) -> None:
    # What the positions count: the container's text, as a page reader gets it (no marker digits,
    # no permalink signs, no white space before the first paragraph).
    from lxml import html as lxml_html

    from generator.render.sanitize import page_body

    loaded, pages = site
    for article in loaded.articles:
        tree = lxml_html.fragment_fromstring(page_body(pages[f"articles/{article.slug}/index.md"]), create_parent="div")
        (container,) = tree.xpath('.//div[@class="archive-text"]')
        assert container.text_content() == article.text


def test_summary_sentence_uses_singular_and_plural() -> None:
    from generator.inputs.notes_file import Note
    from generator.stages.anchor import Anchor, AnchoredNote

    def item(kind: str) -> AnchoredNote:
        note = Note(kind, kind, "q", "", "", "b", "b", (), (), "A", dt.date(2026, 1, 1), Path("x"), 1, 1, 1)  # type: ignore[arg-type]
        return AnchoredNote(note, Anchor(0, 1, "q"), 1)

    assert summary_sentence([item("correction")]) == "This article contains 1 correction."
    assert (
        summary_sentence([item("clarification"), item("correction"), item("correction")])
        == "This article contains 2 corrections and 1 clarification."
    )
