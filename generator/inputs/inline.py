"""Reading an article's inline Markdown into plain text with spans.

Only emphasis, strong emphasis, links, backslash escapes and character references are
understood; everything else (raw HTML, autolinks, code, images) stays literal text, which the
renderer will escape. markdown-it-py does the parsing, so the rules are CommonMark's.
"""

from __future__ import annotations

import re
from functools import lru_cache

from markdown_it import MarkdownIt

from generator.model import Span

_MARKUP = re.compile(r"[\\*_\[\]&<>`!\n\r\x00]")
"""Characters that can start markup (or that the parser replaces); text without any reads as itself."""


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    return MarkdownIt("zero").enable(["emphasis", "link", "escape", "entity", "newline"])


def parse_inline(source: str) -> tuple[str, tuple[Span, ...]]:
    """Parse one block of Markdown into its plain text and emphasis/link spans.

    Line breaks inside the block become single spaces.
    """
    if not _MARKUP.search(source) and source == source.strip():
        return source, ()  # the parser would give the same text, with no spans (tests/inputs/test_tree_markdown.py)
    tokens = _parser().parseInline(source)[0].children or []
    text: list[str] = []
    length = 0
    spans: list[Span] = []
    open_spans: list[tuple[str, int, str]] = []
    for token in tokens:
        if token.type == "text":
            text.append(token.content)
            length += len(token.content)
        elif token.type in ("softbreak", "hardbreak"):
            text.append(" ")
            length += 1
        elif token.type in ("em_open", "strong_open", "link_open"):
            kind = token.type.removesuffix("_open")
            open_spans.append((kind, length, str(token.attrs.get("href", ""))))
        elif token.type in ("em_close", "strong_close", "link_close"):
            kind, start, target = open_spans.pop()
            if length > start:
                spans.append(Span(start, length, kind, target))  # type: ignore[arg-type]
    return "".join(text), tuple(sorted(spans))
