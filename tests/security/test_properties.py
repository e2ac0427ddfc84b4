"""Property tests over the cleaner and renderer: any text renders without error, and what a
reader sees of a rendered article is exactly the article's text."""

from __future__ import annotations

import re
from pathlib import Path

import lxml.html
import markdown
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.errors import SourceError
from generator.inputs.articles import FrontMatter, Source
from generator.inputs.fields import has_words
from generator.inputs.rules import load_rules
from generator.render import article as pages
from generator.render import sanitize
from generator.render.markup import Links
from generator.stages.clean import clean

REPO = Path(__file__).resolve().parents[2]
RULES = load_rules(REPO / "rules")
MARKDOWN_EXTENSIONS = ["toc", "admonition"]  # as in mkdocs.yml

# Any character a UTF-8 file can hold, except NUL (refused as binary) and the carriage return
# (read as a line break). Markup characters are drawn often, to meet tags, entities and links.
CHARACTERS = st.one_of(
    st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00\r"),
    st.sampled_from(list("<>&\"'`*_[]()!#\\;:/=- \n\t") + ["&lt;", "&#x3c;", "<script>", "](javascript:", "\n\n"]),
)
TEXT = st.lists(CHARACTERS, max_size=200).map("".join)
TITLE = st.text(min_size=1, max_size=120).filter(
    lambda t: "\x00" not in t and "\r" not in t and "\n" not in t.strip() and has_words(t)
)
"""Any title the front matter accepts: one line, with a letter or digit."""
WHITESPACE = re.compile(r"[ \t\n\f\r]+")


def visible(text: str) -> str:
    """Text as a browser shows it in a paragraph: runs of HTML whitespace collapse to one space."""
    return WHITESPACE.sub(" ", text).strip(" ")


def _source(body: str, title: str = "A title") -> Source:
    return Source("probe", Path("articles/probe.md"), FrontMatter(title=title), body, 4, None)


def _render(body: str, title: str = "A title") -> tuple[str, object] | None:
    try:
        article = clean(_source(body, title), RULES)
    except SourceError:
        return None  # e.g. nothing left after cleaning: a clear error, not a crash
    page = pages.article_page(article, Links(root="../../"))
    html = markdown.markdown(sanitize.page_body(page), extensions=MARKDOWN_EXTENSIONS)
    return sanitize.clean_html(html), article


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(body=TEXT, title=TITLE)
def test_any_text_renders_and_passes_the_sanitiser_unchanged(body: str, title: str) -> None:
    rendered = _render(body, title)
    if rendered is None:
        return
    article = clean(_source(body, title), RULES)
    page = pages.article_page(article, Links(root="../../"))
    assert sanitize.differences(sanitize.page_body(page)) == []


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(body=TEXT)
def test_the_reader_sees_exactly_the_article_text(body: str) -> None:
    rendered = _render(body)
    if rendered is None:
        return
    html, article = rendered
    document = lxml.html.fragment_fromstring(html, create_parent="div")
    text_box = document.xpath('.//div[@class="archive-text"]')[0]
    shown = [element.text_content() for element in text_box]
    assert [visible(s) for s in shown] == [visible(block.text) for block in article.blocks]
    assert not document.xpath(".//script | .//*[@onerror] | .//*[@onclick] | .//iframe | .//svg")


@settings(max_examples=200, deadline=None)
@given(title=TITLE)
def test_any_title_is_shown_as_written(title: str) -> None:
    article = clean(_source("Some words of the article that are long enough to stay.", title), RULES)
    page = pages.article_page(article, Links(root="../../"))
    html = markdown.markdown(sanitize.page_body(page), extensions=MARKDOWN_EXTENSIONS)
    heading = lxml.html.fragment_fromstring(html, create_parent="div").xpath('.//h1[@id="title"]')[0]
    assert visible(heading.text_content()) == visible(title)
