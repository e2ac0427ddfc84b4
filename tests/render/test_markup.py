"""The renderer is the only place that writes markup, and article text never becomes markup."""

from __future__ import annotations

import pytest
from lxml import html as lxml_html

from generator.inputs.inline import parse_inline
from generator.model import Block, Span
from generator.render.markup import Links, render_block, render_text, safe_url

LINKS = Links(root="../../", entity_title={"libya": 'A country "in" <North Africa>'}, note_number={"n1": 1})


@pytest.mark.parametrize(
    "hostile",
    [
        "<script>alert(1)</script>",
        '<img src=x onerror="alert(1)">',
        "Click {: onclick='alert(1)' }",
        "--8<-- '/etc/passwd'",
        "[x](javascript:alert(1))",
        "&lt;b&gt; &amp; & <",
        "*not emphasis* _nor this_ `code`",
    ],
)
def test_article_text_is_escaped_not_interpreted(hostile: str) -> None:
    out = render_text(hostile, (), LINKS)
    tree = lxml_html.fragment_fromstring(f"<p>{out}</p>")
    assert tree.text_content() == hostile
    assert len(tree) == 0  # no element came out of the text


def test_overlapping_spans_nest_properly_and_keep_text() -> None:
    text = "The unity government in Tripoli said so."
    spans = [
        Span(4, 20, "em"),
        Span(10, 31, "note", "n1"),
        Span(24, 31, "entity", "libya"),
    ]
    out = render_text(text, spans, LINKS)
    tree = lxml_html.fragment_fromstring(f"<p>{out}</p>")
    assert tree.text_content() == text  # the marker holds no text: the stylesheet shows its number
    marks = tree.findall(".//mark")
    assert marks[0].get("id") == "anchor-n1" and all(m.get("id") is None for m in marks[1:])
    assert "".join(m.text_content() for m in marks) == "government in Tripoli"
    link = tree.find(".//a[@class='entity']")
    assert link.get("title") == 'A country "in" <North Africa>'
    assert link.get("href") == "../../entities/libya/"
    ref = tree.find(".//sup[@class='note-ref']/a")
    assert ref.get("href") == "#note-n1" and ref.text is None and ref.get("data-note") == "1"
    assert ref.get("aria-label") == "Editorial note 1"
    assert out.index('id="ref-n1"') > out.index("Tripoli")


def test_an_entity_inside_a_link_is_not_linked() -> None:
    text = "See the report on Libya here."
    spans = [Span(8, 23, "link", "https://example.org/"), Span(18, 23, "entity", "libya")]
    out = render_text(text, spans, LINKS)
    tree = lxml_html.fragment_fromstring(f"<p>{out}</p>")
    assert len(tree.findall(".//a")) == 1
    assert tree.find(".//a").get("href") == "https://example.org/"


@pytest.mark.parametrize(
    ("url", "safe"),
    [
        ("https://example.org/a?b=c", True),
        ("http://example.org", True),
        ("mailto:editor@example.org", True),
        ("javascript:alert(1)", False),
        ("JaVaScRiPt:alert(1)", False),
        (" data:text/html,<script>", False),
        ("vbscript:msgbox", False),
        ("//evil.example/", False),
        ('https://x.org/"onmouseover="alert(1)', False),
    ],
)
def test_only_http_and_mailto_urls_become_links(url: str, safe: bool) -> None:
    assert (safe_url(url) is not None) is safe


def test_unsafe_link_keeps_its_words_without_href() -> None:
    out = render_text("click me", [Span(0, 8, "link", "javascript:alert(1)")], LINKS)
    assert out == '<a class="archive-nolink">click me</a>'


def test_blocks_from_markdown_render_with_emphasis() -> None:
    text, spans = parse_inline("A *quiet* and **loud [link](https://example.org/)**.")
    out = render_block(Block(text, spans), LINKS, 2)
    assert out == (
        '<p id="p3">A <em>quiet</em> and <strong>loud </strong>'
        '<a href="https://example.org/" rel="nofollow noopener"><strong>link</strong></a>.'
        '<a class="archive-permalink" href="#p3" aria-label="Link to paragraph 3"></a></p>'
    )
