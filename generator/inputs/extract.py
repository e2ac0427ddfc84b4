"""Extracting an article from a saved web page: its main text as the archive's Markdown, and its
metadata.

trafilatura finds the article in the page and drops the page chrome (navigation, share buttons,
comments, related links). Its result is a small XML tree (``p``, ``head``, ``hi``, ``ref``,
``list``, ``quote`` …), which :func:`generator.inputs.tree_markdown.to_markdown` writes as the
archive's Markdown, every word of the tree kept; :func:`extract_html` reads that Markdown back
and names any word of the tree it lacks (:attr:`Extracted.dropped`), so that a loss can never
pass silently. Nothing is ever fetched: the page is read from the bytes given, offline.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from generator.inputs.blocks import read_blocks
from generator.inputs.left_out import LeftOut, left_out
from generator.inputs.tree_markdown import escape, to_markdown, tree_words
from generator.inputs.urls import safe_url

__all__ = ["DROPPED_TAGS", "Extracted", "escape", "extract_html", "page_words", "to_markdown", "words_dropped"]

DROPPED_TAGS = ("script", "style", "noscript", "template", "svg", "head")
"""Elements whose text a reader never sees; left out when counting the words of a page."""
LANGUAGE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")


@dataclass(frozen=True)
class Extracted:
    """What was read from a saved page."""

    markdown: str
    """The article's main text as the archive's Markdown (blocks separated by blank lines)."""
    metadata: dict[str, Any]
    """Front-matter fields found in the page (title, author, date, publisher, url, language)."""
    page_words: int
    """Words a reader of the whole page sees (navigation, comments and all)."""
    text_words: int
    """Words of the article text trafilatura extracted (its tree's words)."""
    words: tuple[str, ...] = ()
    """The words of trafilatura's tree, in order: what the Markdown must hold."""
    dropped: tuple[str, ...] = ()
    """Words of trafilatura's tree that the Markdown lacks when read back, in order (none, unless
    the writer has a fault: the import names them rather than lose them silently)."""
    left_out: tuple[LeftOut, ...] = ()
    """The passages of the page the extractor left out (chrome, mostly), in page order; the
    metadata read from the page (title, author, publisher) counts as kept."""


def extract_html(data: bytes, url: str | None = None) -> Extracted | None:
    """The article in the saved page *data*, or None if trafilatura finds no main text.

    *url* (the page's address, when known) lets relative links be made absolute.
    """
    import trafilatura
    from trafilatura.settings import set_date_params

    document = trafilatura.bare_extraction(
        data,
        url=url,
        with_metadata=True,
        include_comments=False,
        include_formatting=True,
        include_links=True,
        include_tables=True,
        include_images=False,
        # The extensive date search guesses from any number in the page (link paths, copyright
        # years); only a date the page states as its own is taken.
        date_extraction_params=set_date_params(extensive=False),
    )
    if document is None or document.body is None:
        return None
    markdown = to_markdown(document.body)
    if not markdown.strip():
        return None
    tree = _page_tree(data)
    metadata: dict[str, Any] = {
        "title": _clean(document.title),
        "author": _clean(document.author),
        "date": _date(document.date),
        "publisher": _clean(document.sitename),
        "url": document.url if document.url and safe_url(document.url) else None,
        "language": _language(document.language or (tree.get("lang") if tree is not None else None)),
    }
    words = tree_words(document.body)
    dropped = words_dropped(words, markdown)
    read = [*words, *(str(metadata[name]) for name in ("title", "author", "publisher") if metadata[name])]
    return Extracted(markdown, metadata, page_words(tree), len(words), tuple(words), dropped, left_out(tree, read))


def words_dropped(words: list[str], markdown: str) -> tuple[str, ...]:
    """The words of *words* (a tree's, in order) that *markdown*, read back as the cleaner reads
    it, lacks: each word matched in order, list markers and cell separators skipped."""
    read = " ".join(block.text for block in read_blocks(markdown)).split()
    dropped: list[str] = []
    position = 0
    for word in words:
        found = next((i for i in range(position, len(read)) if read[i] == word), None)
        if found is None:
            dropped.append(word)
        else:
            position = found + 1
    return tuple(dropped)


def page_words(tree: Any) -> int:
    """About how many words a reader of the whole page sees (scripts, styles, comments left out)."""
    if tree is None:
        return 0
    import copy

    from lxml import etree

    tree = copy.deepcopy(tree)
    etree.strip_elements(tree, etree.Comment, etree.ProcessingInstruction, *DROPPED_TAGS, with_tail=False)
    return len(" ".join(tree.itertext()).split())


def _page_tree(data: bytes) -> Any:
    from trafilatura.utils import load_html

    return load_html(data)


def _clean(value: str | None) -> str | None:
    value = " ".join(value.split()) if value else ""
    return value or None


def _date(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _language(value: str | None) -> str | None:
    if not value:
        return None
    primary, _, rest = value.strip().replace("_", "-").partition("-")
    value = primary.lower() + ("-" + rest if rest else "")
    return value if LANGUAGE.match(value) else None
