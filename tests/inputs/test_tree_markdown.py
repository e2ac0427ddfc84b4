"""trafilatura's tree → the archive's Markdown: every word of the tree reaches the article.

The cases are the smallest trees on which the earlier writer lost words (found on the 181 pages
of the ScrapingHub extraction benchmark: the tail of a heading, the text after a paragraph
inside a quotation, a tweet's attribution line, a "Summary" box, words glued in the plain
fallback); the property checks the same on random trees full of Markdown's special characters.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from generator.inputs.blocks import read_blocks
from generator.inputs.extract import words_dropped
from generator.inputs.tree_markdown import to_blocks, to_markdown, tree_text, tree_words

WORD = re.compile(r"\w+")

CASES = {
    "the issue's example: tail of an inline child of a quotation, tail of a heading": (
        '<body><quote><hi rend="#b">Summary</hi> Studies show X.</quote>'
        '<head rend="h2">Title</head>Tail text.<p>Para.</p></body>',
        ["Summary Studies show X.", "Title", "Tail text.", "Para."],
    ),
    "tail of a top-level heading": (
        '<body><head rend="h1">Review</head>Welcome to the review.<p>Next.</p></body>',
        ["Review", "Welcome to the review.", "Next."],
    ),
    "tail of a top-level paragraph": (
        '<body><p>First.</p>"A quote," he said.<p>Next.</p></body>',
        ["First.", '"A quote," he said.', "Next."],
    ),
    "a tweet's attribution (tail of its paragraph inside the quotation)": (
        '<body><quote><p>Tweet text <ref target="https://t.co/x">pic.twitter.com/x</ref></p>'
        '— Jo Doe (@jodoe) <ref target="https://twitter.com/jodoe/status/1">November 1, 2019</ref></quote></body>',
        ["Tweet text pic.twitter.com/x", "— Jo Doe (@jodoe) November 1, 2019"],
    ),
    "tail of a paragraph inside a div": (
        "<body><div><p>Para.</p>Text after the paragraph.</div></body>",
        ["Para.", "Text after the paragraph."],
    ),
    "text of a list before its items": (
        "<body><list>Ingredients:<item>flour</item><item>eggs</item></list></body>",
        ["Ingredients:", "- flour", "- eggs"],
    ),
    "text of a div before its children": (
        "<body><div>Lead sentence. <p>Para.</p></div></body>",
        ["Lead sentence.", "Para."],
    ),
    "tail of a list item": (
        "<body><list><item>one</item>stray text<item>two</item></list></body>",
        ["- one", "stray text", "- two"],
    ),
    "a line break directly in a quotation": (
        "<body><quote>Line one<lb/>line two</quote></body>",
        ["Line one line two"],
    ),
    "an inline child of a container stays in its sentence": (
        '<body><div><ref target="https://example.org/">Link</ref> and the rest.</div></body>',
        ["Link and the rest."],
    ),
    "a nested list is not glued to its item": (
        "<body><list><item>Fruit<list><item>apple</item><item>pear</item></list></item></list></body>",
        ["- Fruit", "- apple", "- pear"],
    ),
    "blocks inside a table cell are not glued": (
        "<body><table><row><cell><p>a</p><p>b</p></cell><cell>c</cell></row></table></body>",
        ["a b\tc"],
    ),
    "a table is a table: header row, body rows, a pipe and an empty cell": (
        '<body><table><row><cell role="head">City</cell><cell role="head">Share | %</cell></row>'
        '<row><cell>Paris</cell><cell>2 <hi rend="#b">million</hi></cell></row>'
        "<row><cell>Lyon</cell><cell/></row></table></body>",
        ["City\tShare | %\nParis\t2 million\nLyon\t"],
    ),
    "a row wider than the header pads the others; a row without words is left out": (
        "<body><table><row><cell>a</cell></row><row><cell/><cell/></row><row><cell>b</cell><cell>c</cell></row>"
        "</table></body>",
        ["a\t\nb\tc"],
    ),
    "text between rows stands between two tables": (
        "<body><table><row><cell>a</cell></row>between<row><cell>b</cell></row></table></body>",
        ["a", "between", "b"],
    ),
    "a table inside a cell is that cell's words": (
        "<body><table><row><cell><table><row><cell>x</cell><cell>y</cell></row></table></cell>"
        "<cell>z</cell></row></table></body>",
        ["x y\tz"],
    ),
    "spaces inside emphasis are kept": (
        '<body><p><hi rend="#i">committed to publishing </hi><hi rend="#i">a diversity</hi>'
        '<hi rend="#i"> of letters. Here are some </hi><hi rend="#i">tips</hi><hi rend="#i">.</hi></p></body>',
        ["committed to publishing a diversity of letters. Here are some tips."],
    ),
    "tail of a table row": (
        "<body><table><row><cell>a</cell></row>Source: survey.</table></body>",
        ["a", "Source: survey."],
    ),
    "tail of an image": ('<body><div><graphic src="x.jpg"/>Caption text.</div></body>', ["Caption text."]),
    "a nested quotation and its tail": (
        "<body><quote><quote><p>inner</p></quote>outer tail</quote></body>",
        ["inner", "outer tail"],
    ),
    "a heading ending with #": (
        '<body><head rend="h2">Learning C#</head><p>Text.</p></body>',
        ["Learning C#", "Text."],
    ),
    "a heading ending with a separate #": ('<body><head rend="h3">Item #</head></body>', ["Item #"]),
}


def reading(markdown: str) -> list[str]:
    """The plain text of each block of *markdown*, as the cleaner reads it."""
    return [block.text for block in read_blocks(markdown)]


@pytest.mark.parametrize("case", list(CASES), ids=list(CASES))
def test_every_word_of_the_tree_reaches_the_article(case: str) -> None:
    xml, expected = CASES[case]
    body = etree.fromstring(xml)
    markdown = to_markdown(body)
    assert reading(markdown) == expected
    assert words_dropped(tree_words(body), markdown) == ()


def test_emphasis_links_and_headings_are_written_as_markdown() -> None:
    body = etree.fromstring(
        '<body><head rend="h3">A <hi rend="#i">new</hi> start</head>'
        '<p>See <ref target="https://example.org/a(b)">the report</ref>, <hi rend="#b">now</hi> [2].</p>'
        '<p>A <ref target="javascript:alert(1)">bad link</ref> is text.</p></body>'
    )
    assert to_markdown(body) == (
        "### A *new* start\n\nSee [the report](<https://example.org/a(b)>), **now** \\[2\\].\n\nA bad link is text.\n"
    )
    heading, para, bad = read_blocks(to_markdown(body))
    assert (heading.kind, heading.level, heading.text) == ("heading", 3, "A new start")
    assert [(s.kind, para.text[s.start : s.end], s.target) for s in para.spans] == [
        ("link", "the report", "https://example.org/a(b)"),
        ("strong", "now", ""),
    ]
    assert bad.spans == ()


def test_a_table_is_written_as_a_pipe_table() -> None:
    body = etree.fromstring(
        '<body><table><row><cell role="head">Name</cell><cell role="head">Note</cell></row>'
        '<row><cell><ref target="https://example.org/">Jo</ref></cell><cell>a|b \\ c</cell></row></table></body>'
    )
    assert to_markdown(body) == "| Name | Note |\n|---|---|\n| [Jo](https://example.org/) | a\\|b \\\\ c |\n"
    (table,) = read_blocks(to_markdown(body))
    assert (table.kind, table.text, table.cells) == (
        "table",
        "Name\tNote\nJo\ta|b \\ c",
        (((0, 4), (5, 9)), ((10, 12), (13, 20))),
    )
    assert [(s.kind, table.text[s.start : s.end]) for s in table.spans] == [("link", "Jo")]


def test_a_lost_word_is_named() -> None:
    assert words_dropped(["Summary", "Studies", "show", "X."], "Summary\n") == ("Studies", "show", "X.")


# --- the property: on any tree, the words of the tree in order are the words of the Markdown ---

_TEXTS = st.one_of(
    st.none(),
    st.text(st.sampled_from(list("abcXYZ019 \t\n*_[]\\&#|<>()!`~-.,;:'\"é—\u00a0")), max_size=12),
    st.sampled_from(["&amp;", "# x", "- y", "[a](b)", "*", "**a**", "## z #"]),
)
_TAGS = st.sampled_from(
    ["hi#i", "hi#b", "hi#u", "ref", "ref-bad", "lb", "del", "code"]
    + ["p", "head", "list", "item", "quote", "div", "table", "row", "cell", "graphic"]
)


def _build(spec: tuple[str, str | None, str | None, list[Any]]) -> Any:
    tag, text, tail, children = spec
    name, _, rend = tag.partition("#")
    element = etree.Element("ref" if name.startswith("ref") else name)
    if name == "ref":
        element.set("target", "https://example.org/a(b)")
    elif name == "ref-bad":
        element.set("target", "javascript:x")
    if rend:
        element.set("rend", "#" + rend)
    if name == "head":
        element.set("rend", "h3")
    if name not in ("lb", "graphic"):
        element.text = text
    element.tail = tail
    for child in children:
        element.append(_build(child))
    return element


def _tree(top: tuple[str | None, list[Any]]) -> Any:
    body = etree.Element("body")
    body.text = top[0]
    for spec in top[1]:
        body.append(_build(spec))
    return body


TREES = st.tuples(
    _TEXTS,
    st.lists(
        st.recursive(
            st.tuples(_TAGS, _TEXTS, _TEXTS, st.just([])),
            lambda kids: st.tuples(_TAGS, _TEXTS, _TEXTS, st.lists(kids, max_size=4)),
            max_leaves=25,
        ),
        max_size=6,
    ),
).map(_tree)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TREES)
def test_words_of_any_tree_in_order_are_the_words_of_its_markdown(body: Any) -> None:
    markdown = to_markdown(body)
    # \w words of the tree, in order, as read back (list markers and cell separators have none).
    assert WORD.findall(tree_text(body)) == WORD.findall(" ".join(reading(markdown)))
    # Stricter: whitespace-separated words, block by block, and each block reads back exactly.
    blocks = to_blocks(body)
    assert tree_words(body) == [word for block in blocks for word in block.words]
    for block in blocks:
        assert reading(block.source()) == [("- " if block.kind == "item" else "") + block.plain]
    assert words_dropped(tree_words(body), markdown) == ()


_CELL = st.tuples(st.just("cell"), _TEXTS, _TEXTS, st.lists(st.tuples(_TAGS, _TEXTS, _TEXTS, st.just([])), max_size=2))
_TABLES = st.tuples(
    _TEXTS,
    st.lists(
        st.tuples(
            st.just("table"),
            _TEXTS,
            _TEXTS,
            st.lists(st.tuples(st.just("row"), _TEXTS, _TEXTS, st.lists(_CELL, max_size=4)), min_size=1, max_size=4),
        ),
        min_size=1,
        max_size=2,
    ),
).map(_tree)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_TABLES)
def test_words_of_any_table_in_order_are_the_words_of_its_markdown(body: Any) -> None:
    """The same property on trees of tables (rows of cells full of Markdown's characters and pipes)."""
    markdown = to_markdown(body)
    blocks = to_blocks(body)
    assert tree_words(body) == [word for block in blocks for word in block.words]
    for block in blocks:
        assert reading(block.source()) == [("- " if block.kind == "item" else "") + block.plain]
        if block.kind == "table":
            (read,) = read_blocks(block.source())
            assert read.kind == "table" and len(read.cells) == len(block.rows)
    assert words_dropped(tree_words(body), markdown) == ()


@settings(max_examples=500, deadline=None)
@given(st.text(st.characters(blacklist_categories=("Cs",)), max_size=40))
def test_text_without_markup_reads_as_itself_as_the_parser_reads_it(text: str) -> None:
    """parse_inline skips the Markdown parser for text with no character that can start markup;
    the result must be the parser's own."""
    from markdown_it import MarkdownIt

    from generator.inputs.inline import parse_inline

    parser = MarkdownIt("zero").enable(["emphasis", "link", "escape", "entity", "newline"])
    tokens = parser.parseInline(text.strip())[0].children or []
    if all(t.type == "text" for t in tokens):
        assert parse_inline(text.strip()) == ("".join(t.content for t in tokens), ())
