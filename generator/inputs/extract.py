"""Extracting an article from a saved web page: its main text as the archive's Markdown, and its
metadata.

trafilatura finds the article in the page and drops the page chrome (navigation, share buttons,
comments, related links). Its result is a small XML tree (``p``, ``head``, ``hi``, ``ref``,
``list``, ``quote`` …), which :func:`to_markdown` writes as the archive's Markdown: paragraphs
separated by blank lines, headings as ``##``, emphasis and links kept, and every other character
escaped so that the cleaner reads back exactly the words of the page. Nothing is ever fetched:
the page is read from the bytes given, offline.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from generator.inputs.urls import safe_url

DROPPED_TAGS = ("script", "style", "noscript", "template", "svg", "head")
"""Elements whose text a reader never sees; left out when counting the words of a page."""
LANGUAGE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
_SPECIAL = re.compile(r"([\\*_\[\]])|&(?=#?[A-Za-z0-9]+;)")
_SPACES = re.compile(r"\s+")


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
    """Words of the extracted article text."""


def escape(text: str) -> str:
    """*text* with the characters the archive's Markdown reads as markup backslash-escaped."""
    return _SPECIAL.sub(lambda m: "\\" + (m.group(1) or "&"), text)


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
    return Extracted(markdown, metadata, page_words(tree), len(_plain(document.body).split()))


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


def to_markdown(body: Any) -> str:
    """trafilatura's XML body as the archive's Markdown."""
    blocks: list[str] = []
    for element in body:
        _block(element, blocks)
    return "\n\n".join(block for block in blocks if block.strip()) + "\n"


def _block(element: Any, blocks: list[str]) -> None:
    tag = element.tag
    if tag == "head":
        rend = element.get("rend", "")
        level = int(rend[1]) if re.fullmatch(r"h[1-6]", rend) else 2
        _emit(blocks, _inline(element), _plain(element), "#" * max(2, level) + " ")
    elif tag in ("list", "quote", "div", "table"):
        # Lists, quotations and tables become paragraphs: the archive's text has paragraphs and
        # headings only. A list item keeps a marker so that the list still reads as one.
        if not len(element):
            _emit(blocks, _inline(element), _plain(element))
        for child in element:
            if child.tag == "item":
                _emit(blocks, _inline(child), _plain(child), "- ")
            elif child.tag == "row":
                cells = [(_inline(cell), _plain(cell)) for cell in child]
                cells = [cell for cell in cells if cell[1]]
                _emit(blocks, " | ".join(c[0] for c in cells), " | ".join(c[1] for c in cells))
            elif child.tag in ("list", "quote", "div", "table", "head"):
                _block(child, blocks)
            elif child.tag != "graphic":
                _emit(blocks, _inline(child), _plain(child))
    elif tag != "graphic":
        _emit(blocks, _inline(element), _plain(element))


def _emit(blocks: list[str], markdown: str, plain: str, prefix: str = "") -> None:
    """Add one block, checking that the cleaner will read back exactly the words of the page.

    Where emphasis or a link cannot be written so that it reads back (CommonMark's rules for
    ``*`` inside words are subtle), the block is written as escaped plain text: words come first.
    """
    from generator.inputs.inline import parse_inline

    if not plain:
        return
    if "".join(parse_inline(markdown)[0].split()) != "".join(plain.split()):
        markdown = escape(plain)
    blocks.append(prefix + markdown if prefix else _start(markdown))


def _plain(element: Any) -> str:
    """An element's words as a reader sees them (a line break reads as a space)."""
    parts = [element.text or ""]
    for child in element:
        parts.append(" " if child.tag == "lb" else _plain(child))
        parts.append(child.tail or "")
    return " ".join("".join(parts).split())


def _start(text: str) -> str:
    """Escape a block's first character where it would make a heading."""
    return "\\" + text if re.match(r"#{1,6}(\s|$)", text) else text


def _inline(element: Any) -> str:
    return _SPACES.sub(" ", _inline_raw(element, inner=False)).strip()


def _inline_raw(element: Any, inner: bool = True) -> str:
    """An element's content as inline Markdown (its tail not included)."""
    parts = [escape(element.text or "")]
    for child in element:
        content = _inline_raw(child)
        if child.tag == "hi" and child.get("rend", "") in ("#i", "#b", "#u", "#t"):
            mark = {"#i": "*", "#b": "**"}.get(child.get("rend"), "")
            parts.append(_wrap(content, mark))
        elif child.tag == "ref" and safe_url(child.get("target", "") or "") and content.strip():
            target = child.get("target").strip()
            if "(" in target or ")" in target:
                target = f"<{target}>"
            parts.append(_wrap(content, "[", f"]({target})"))
        elif child.tag == "lb":
            parts.append(" ")
        else:
            parts.append(content)
        parts.append(escape(child.tail or ""))
    return "".join(parts)


def _wrap(content: str, opening: str, closing: str | None = None) -> str:
    """*content* between two markers, with its outer spaces kept outside (CommonMark emphasis
    cannot start or end with a space)."""
    if not opening or not content.strip():
        return content
    stripped = content.strip()
    before = content[: len(content) - len(content.lstrip())]
    after = content[len(content.rstrip()) :]
    return f"{before}{opening}{stripped}{opening if closing is None else closing}{after}"


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
