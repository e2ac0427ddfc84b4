"""What the extractor left out of a saved page: each passage a reader of the page sees that the
article does not hold, so that ``archive add`` can list it rather than give a count.

Most of it is page chrome (menus, share prompts, related links, comments), which is what the
extractor is for. But an extractor can also take a paragraph of the article for chrome; such a
passage reads as prose (:attr:`LeftOut.reads_as_text`), and ``add`` shows those first so that an
editor can check them against the page before the article is published.

A passage is a leaf block of the page (a paragraph, list item, heading, table cell, or any
element with text and no block inside it). It counts as kept when at least half of its runs of
three words occur in the article's words, or, for a passage under three words, when all of its
words do.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

BLOCK_TAGS = frozenset(
    "address article aside blockquote body caption dd details div dl dt figcaption figure footer form h1 h2 h3 h4 h5 "
    "h6 header li main nav ol p pre section summary table tbody td tfoot th thead tr ul".split()
)
"""Elements that start a block of their own when a browser shows the page."""
SKIPPED = ("script", "style", "noscript", "template", "svg", "head", "select", "option")
"""Elements whose text a reader never sees (or sees only as a control)."""
SEPARATORS = frozenset("br hr wbr img input button textarea".split())
"""Inline elements a browser shows as a break or a box of their own: the words either side stay apart."""
SENTENCE_END = re.compile(r"""[.!?…][)"'”’»]?$""")
PROSE_WORDS = 15
"""A left-out passage of at least this many words that ends a sentence reads as article text."""
WORD = re.compile(r"\w+(?:['’]\w+)*")


@dataclass(frozen=True)
class LeftOut:
    """One passage of the page that the article does not hold."""

    text: str
    """Its words, as the page shows them (white space collapsed)."""
    words: int
    reads_as_text: bool
    """True when it reads as a paragraph of prose rather than as page chrome (see :data:`PROSE_WORDS`)."""


def left_out(tree: Any, article_words: Iterable[str]) -> tuple[LeftOut, ...]:
    """The passages of the page *tree* (lxml) that *article_words* (the extracted text's words) lack, in page order."""
    if tree is None:
        return ()
    words = [w for word in article_words for w in _words(word)]
    vocabulary = set(words)
    trigrams = {tuple(words[i : i + 3]) for i in range(len(words) - 2)}
    found: list[LeftOut] = []
    for text in _passages(tree):
        tokens = _words(text)
        if not tokens:
            continue
        if len(tokens) < 3:
            kept = all(token in vocabulary for token in tokens)
        else:
            grams = [tuple(tokens[i : i + 3]) for i in range(len(tokens) - 2)]
            kept = sum(gram in trigrams for gram in grams) * 2 >= len(grams)
        if not kept:
            count = len(text.split())
            prose = count >= PROSE_WORDS and bool(SENTENCE_END.search(text))
            found.append(LeftOut(text, count, prose))
    return tuple(found)


def _words(text: str) -> list[str]:
    return [match.group(0).casefold() for match in WORD.finditer(text)]


def _passages(tree: Any) -> list[str]:
    """The text of every leaf block of *tree*, and the loose text of blocks around their inner
    blocks, in page order. Recursive: libxml2 stops an HTML tree at 255 levels, well within
    Python's limit."""
    passages: list[str] = []

    def walk(element: Any) -> list[str]:
        """Text of *element* that belongs to the block holding it (its own blocks are collected)."""
        tag = element.tag.lower() if isinstance(element.tag, str) else ""
        if not tag or tag in SKIPPED:
            return []
        own: list[str] = [element.text or ""]
        for child in element:
            child_tag = child.tag.lower() if isinstance(child.tag, str) else ""
            if child_tag in BLOCK_TAGS:
                _flush(own, passages)  # the text before the inner block comes first
                walk(child)
            else:
                apart = child_tag in SEPARATORS
                own.extend([" ", *walk(child), " "] if apart else walk(child))
            own.append(child.tail or "")
        if tag in BLOCK_TAGS:
            _flush(own, passages)
            return []
        return own

    walk(tree)
    return passages


def _flush(parts: list[str], passages: list[str]) -> None:
    text = " ".join("".join(parts).split())
    if text:
        passages.append(text)
    parts.clear()
