"""A table block on the page: ``<table>`` with a header row, spans inside cells, the article's
text unchanged in the page's text, and the sanitiser's allow-list for it."""

from __future__ import annotations

from pathlib import Path

import lxml.html
import pytest

from generator.engines.mkdocs_plugin import is_raw_html
from generator.inputs.blocks import read_blocks
from generator.model import Article, Meta, Span
from generator.render import sanitize
from generator.render.article import article_page
from generator.render.fragments import text_directive
from generator.render.markup import Links, render_block
from generator.stages.anchor import Anchor

SOURCE = (
    "Before the table.\n\n"
    "| Route | Passengers \\| share | <b>Change</b> |\n|---|---|---|\n"
    "| Port Ellery – *Inishmore* | 148,200 | up 12% |\n| [Inisheer](https://example.org/i) | 61,450 | |\n\n"
    "After the table."
)
BLOCKS = tuple(read_blocks(SOURCE))
TABLE = BLOCKS[1]


def article(*extra: Span) -> Article:
    blocks = (BLOCKS[0], TABLE.with_spans(list(extra)) if extra else TABLE, BLOCKS[2])
    return Article("t", Path("articles/t.md"), Meta(title="Ferries"), blocks)


def at(text: str) -> tuple[int, int]:
    start = TABLE.text.index(text)
    return start, start + len(text)


def test_a_table_is_a_table_with_a_header_row_and_body_rows() -> None:
    html = render_block(TABLE, Links("../../"), 1)
    tree = lxml.html.fragment_fromstring(html)
    assert (tree.tag, tree.get("id"), tree.get("class"), tree.get("tabindex")) == ("div", "p2", "archive-table", "0")
    assert tree.get("role") == "region" and tree.get("aria-label") == "Table 2"
    assert [th.text_content() for th in tree.xpath("./table/thead/tr/th")] == [
        "Route",
        "Passengers | share",
        "<b>Change</b>",
    ]
    assert {th.get("scope") for th in tree.xpath(".//th")} == {"col"}
    rows = [[td.text_content() for td in tr.xpath("./td")] for tr in tree.xpath("./table/tbody/tr")]
    assert rows == [["Port Ellery – Inishmore", "148,200", "up 12%"], ["Inisheer", "61,450", ""]]
    assert tree.xpath(".//td/em")[0].text == "Inishmore"
    assert tree.xpath(".//td/a")[0].get("href") == "https://example.org/i"
    assert "&lt;b&gt;Change&lt;/b&gt;" in html  # the cell's text, escaped
    assert tree.xpath("./a[@class='archive-permalink']/@href") == ["#p2"]


def test_the_page_s_text_is_the_article_text_table_included() -> None:
    """The Web Annotations' positions count Article.text in the text container."""
    page = article_page(article(), Links("../../"))
    container = lxml.html.fromstring(page.split("\n---\n", 1)[1]).xpath("//div[@class='archive-text']")[0]
    assert container.text_content() == article().text
    assert is_raw_html(page.split("\n---\n", 1)[1])  # the MkDocs plugin passes it through untouched
    assert [e.get("id") for e in container.xpath("./*")] == ["p1", "p2", "p3"]  # numbering unchanged


def test_a_note_and_an_entity_inside_cells() -> None:
    s, e = at("148,200")
    m, n = at("Inisheer")
    links = Links("../../", note_number={"n1": 1}, mention_ids={(1, m): "m-inisheer-1"}, note_kind={"n1": "context"})
    html = render_block(TABLE.with_spans([Span(s, e, "note", "n1"), Span(m, n, "mention", "inisheer")]), links, 1)
    tree = lxml.html.fragment_fromstring(html)
    (mark,) = tree.xpath(".//td/mark")
    assert (mark.text, mark.get("id"), mark.get("data-note")) == ("148,200", "anchor-n1", "1")
    assert tree.xpath(".//td/sup[@class='note-ref']/a/@href") == ["#note-n1"]
    assert tree.xpath(".//td/a/span[@class='mention']/@id") == ["m-inisheer-1"]


def test_the_text_fragment_of_a_note_in_a_cell_takes_its_context_from_the_cell() -> None:
    art = article()
    start = len(BLOCKS[0].text) + 2
    s, e = at("12%")
    directive = text_directive(art, Anchor(start + s, start + e, "12%"))
    assert directive == "text=up-,12%25"


def test_the_renderer_s_table_is_inside_the_allow_list() -> None:
    s, e = at("148,200")
    html = render_block(TABLE.with_spans([Span(s, e, "note", "n1")]), Links("../../", note_number={"n1": 1}), 1)
    assert sanitize.differences(html) == []
    assert sanitize.clean_html(html) == html  # white space between cells and rows kept as it is


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        (
            '<table><tr><td onclick="x()" style="color:red">a</td></tr></table>',
            "<table><tbody><tr><td>a</td></tr></tbody></table>",
        ),
        (
            '<table><tr><th scope="javascript:x">a</th></tr></table>',
            "<table><tbody><tr><th>a</th></tr></tbody></table>",
        ),
        (
            '<table><tr><th scope="row">a</th></tr></table>',
            '<table><tbody><tr><th scope="row">a</th></tr></tbody></table>',
        ),
        ('<div tabindex="5" aria-label="x">a</div>', '<div aria-label="x">a</div>'),
        ('<div tabindex="-1">a</div>', "<div>a</div>"),
        (
            '<table class="md-typeset__table"><tr><td>a</td></tr></table>',
            "<table><tbody><tr><td>a</td></tr></tbody></table>",
        ),
        ("<table><tr><td><script>x()</script>b</td></tr></table>", "<table><tbody><tr><td>b</td></tr></tbody></table>"),
    ],
)
def test_the_sanitiser_keeps_tables_and_strips_what_it_should(html: str, expected: str) -> None:
    assert sanitize.clean_html(html) == expected
