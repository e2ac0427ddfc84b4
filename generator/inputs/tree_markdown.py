"""trafilatura's XML tree as the archive's Markdown, every word of it kept.

trafilatura gives the article of a saved page as a small XML tree (``p``, ``head``, ``hi``,
``ref``, ``list``/``item``, ``quote``, ``table``/``row``/``cell``, ``lb``, ``graphic`` …).
:func:`to_markdown` writes it in the archive's Markdown: paragraphs and ``##`` headings separated
by blank lines, ``*``/``**`` emphasis and ``[text](url)`` links, every other special character
backslash-escaped, so that the cleaner reads back exactly the words of the tree.

Every element is written as a *flow*: its own text, then each child followed by the child's
tail. A run of text and inline children (``hi``, ``ref``, ``del``, ``lb``, and ``code`` inside a
paragraph) becomes one paragraph; a block child (a paragraph, heading, list, quotation, table)
ends the run and is written in turn, and the text after it starts the next run. So the text
after a heading, a container's own text, the attribution line of an embedded tweet and the text
around a nested list all stay, in reading order. A list item is a ``- `` paragraph (nested
lists too: the archive's text has no nesting). A table is a GFM pipe table
(:mod:`generator.inputs.tables`) whose first row (with words) is the header row, as trafilatura's
``role="head"`` cells usually are; a Markdown table always has one, so a table whose first row is
data gets it as its header too. Text or a block between rows ends the table and stands between
two; a table inside a cell is that cell's words, in order.

:func:`tree_words` is the oracle the tests and the import check against: the tree's words, in
order, which the Markdown as read back must equal.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Literal

from generator.inputs.inline import parse_inline
from generator.inputs.tables import table_source
from generator.inputs.urls import safe_url
from generator.model import CELL_SEPARATOR, ROW_SEPARATOR

INLINE_TAGS = frozenset({"hi", "ref", "del", "lb"})
"""Elements whose content flows in the sentence around them (no word boundary around them)."""
INLINE_PARENTS = frozenset({"p", "head", "hi", "ref", "del", "cell", "item", "code"})
"""``<code>`` inside one of these is inline code; elsewhere it is a block."""
EMPHASIS = {"#i": "*", "#b": "**"}
"""trafilatura's ``rend`` of ``<hi>`` → the Markdown marker (others are written as plain text)."""
_SPECIAL = re.compile(r"([\\*_\[\]])|&(?=#?[A-Za-z0-9]+;)")
_SPACES = re.compile(r"\s+")


def escape(text: str) -> str:
    """*text* with the characters the archive's Markdown reads as markup backslash-escaped."""
    return _SPECIAL.sub(lambda m: "\\" + (m.group(1) or "&"), text)


def is_inline(element: Any) -> bool:
    """Whether *element* is part of the running text around it: an inline tag (or ``<code>``
    inside a paragraph-like element) with only inline content. Comments count as inline."""
    tag = element.tag
    if not isinstance(tag, str):
        return True
    if tag == "code":
        parent = element.getparent()
        if parent is None or parent.tag not in INLINE_PARENTS | INLINE_TAGS:
            return False
    elif tag not in INLINE_TAGS:
        return False
    return all(is_inline(child) for child in element)


def tree_text(element: Any) -> str:
    """The text of *element* as a reader reads it: inline elements join their neighbours, every
    other element (paragraph, heading, item, cell, row, quotation, line break) is a word
    boundary. The element's own tail is not included."""
    parts: list[str] = [element.text or ""] if isinstance(element.tag, str) else []
    for child in element:
        if not isinstance(child.tag, str):
            parts.append(child.tail or "")
            continue
        boundary = "" if (is_inline(child) and child.tag != "lb") else " "
        parts += [boundary, tree_text(child), boundary, child.tail or ""]
    return "".join(parts)


def tree_words(body: Any) -> list[str]:
    """The whitespace-separated words of the tree's text, in order."""
    return tree_text(body).split()


# --- inline content ---------------------------------------------------------------------------


def _plain(piece: Any) -> str:
    """The plain text of a piece (a string or an inline element), whitespace as it is."""
    if isinstance(piece, str):
        return piece
    if not isinstance(piece.tag, str):
        return ""
    text = (piece.text or "") + "".join(_plain(child) + (child.tail or "") for child in piece)
    return f" {text} " if piece.tag == "lb" else text


def _content(element: Any) -> list[Any]:
    """An element's text, children and their tails, as a sequence of pieces."""
    pieces: list[Any] = [element.text] if element.text else []
    for child in element:
        pieces.append(child)
        if child.tail:
            pieces.append(child.tail)
    return pieces


def _mark(piece: Any) -> str:
    if isinstance(piece, str) or piece.tag != "hi":
        return ""
    return EMPHASIS.get(piece.get("rend", ""), "")


def _wrap(content: str, opening: str, closing: str | None = None) -> str:
    """*content* between markers, its outer spaces outside them (CommonMark's flanking rules:
    emphasis cannot start or end with a space)."""
    if not opening or not content.strip():
        return content
    before = content[: len(content) - len(content.lstrip())]
    after = content[len(content.rstrip()) :]
    return f"{before}{opening}{content.strip()}{opening if closing is None else closing}{after}"


def _markdown(piece: Any, emphasis: bool, links: bool) -> str:
    """The inline Markdown of one piece, whitespace as it is."""
    if isinstance(piece, str):
        return escape(piece)
    if not isinstance(piece.tag, str):
        return ""
    content = _sequence(_content(piece), emphasis, links)
    if piece.tag == "lb":
        return f" {content} "
    if piece.tag == "hi" and emphasis:
        return _wrap(content, _mark(piece))
    if piece.tag == "ref" and links:
        target = (piece.get("target") or "").strip()
        if target and safe_url(target) and content.strip():
            return _wrap(content, "[", f"]({f'<{target}>' if '(' in target or ')' in target else target})")
    return content


def _sequence(pieces: list[Any], emphasis: bool, links: bool) -> str:
    """The inline Markdown of a sequence of pieces. Neighbouring ``<hi>`` of the same emphasis,
    with only spaces between them, are written as one span: ``*a* *b*`` reads differently from
    ``*a b*`` where a neighbour starts or ends with punctuation."""
    out: list[str] = []
    index = 0
    while index < len(pieces):
        mark = _mark(pieces[index]) if emphasis else ""
        end = index + 1
        while mark and end < len(pieces):
            if _mark(pieces[end]) == mark:
                end += 1
            elif isinstance(pieces[end], str) and not pieces[end].strip() and _mark(_at(pieces, end + 1)) == mark:
                end += 2
            else:
                break
        if end - index > 1:
            inner = "".join(
                escape(p) if isinstance(p, str) else _sequence(_content(p), emphasis, links) for p in pieces[index:end]
            )
            out.append(_wrap(inner, mark))
        else:
            out.append(_markdown(pieces[index], emphasis, links))
        index = end
    return "".join(out)


def _at(pieces: list[Any], index: int) -> Any:
    return pieces[index] if index < len(pieces) else ""


def inline_markdown(pieces: list[Any]) -> tuple[str, str]:
    """(Markdown, plain text) of a run: with emphasis and links where that reads back as the same
    words, else with links only, else as escaped plain text. Words first, always."""
    plain = _SPACES.sub(" ", "".join(_plain(p) for p in pieces)).strip()
    words = plain.split()
    for emphasis, links in ((True, True), (False, True)):
        markdown = _SPACES.sub(" ", _sequence(pieces, emphasis, links)).strip()
        if parse_inline(markdown)[0].split() == words:
            return markdown, plain
    return escape(plain), plain


# --- blocks -----------------------------------------------------------------------------------


@dataclass
class Block:
    """One block of the Markdown being written."""

    kind: Literal["paragraph", "heading", "item", "table"]
    markdown: str
    """Its inline Markdown, without the marker (``## ``, ``- ``); a table's: its cells' in order,
    joined by spaces (how a table inside a cell is written)."""
    plain: str
    """What the archive reads back from :attr:`source` (a table's cells joined by a tab, its rows
    by a line break, as :class:`generator.model.Block` holds them)."""
    level: int = 0
    words: list[str] = field(default_factory=list)
    """The tree's words in the block, in order."""
    rows: list[list[tuple[str, str]]] = field(default_factory=list)
    """A table's rows of cells, each cell as (Markdown, plain text); the first is the header row."""

    def __post_init__(self) -> None:
        if not self.words:
            self.words = self.plain.split()

    def add_row(self, cells: list[tuple[str, str]]) -> None:
        """Add a row to a table, and its words."""
        self.rows.append(cells)
        width = max(len(row) for row in self.rows)
        padded = [[plain for _, plain in row] + [""] * (width - len(row)) for row in self.rows]
        self.plain = ROW_SEPARATOR.join(CELL_SEPARATOR.join(row) for row in padded)
        self.markdown = " ".join(md for row in self.rows for md, _ in row if md)
        self.words += [word for _, plain in cells for word in plain.split()]

    def flat(self) -> str:
        """The block's words as one line of plain text (a table's cells joined by spaces)."""
        return " ".join(plain for row in self.rows for _, plain in row if plain) if self.rows else self.plain

    def source(self) -> str:
        """The block's Markdown, with its marker."""
        if self.kind == "table":
            return table_source([[md for md, _ in row] for row in self.rows])
        if self.kind == "heading":
            # CommonMark drops a closing run of '#' after a space: "Learning C #" is escaped.
            return "#" * self.level + " " + re.sub(r"(?<=[ \t])(#+)$", r"\\\1", self.markdown)
        if self.kind == "item":
            return "- " + self.markdown
        return "\\" + self.markdown if re.match(r"#{1,6}(\s|$)", self.markdown) else self.markdown


class _Run:
    """Running text being collected: strings and inline elements, written as one block."""

    def __init__(self, first: str | None = None) -> None:
        self.pieces: list[Any] = []
        self.add(first)

    def add(self, piece: Any) -> None:
        if piece is not None and (not isinstance(piece, str) or piece):
            if isinstance(piece, str) or isinstance(piece.tag, str):
                self.pieces.append(piece)

    def take(self) -> tuple[str, str] | None:
        """The run as (Markdown, plain text), emptied; None if it holds no words."""
        pieces, self.pieces = self.pieces, []
        if not "".join(_plain(p) for p in pieces).strip():
            return None
        return inline_markdown(pieces)


class _Writer:
    def __init__(self) -> None:
        self.blocks: list[Block] = []

    def paragraph(self, run: _Run) -> None:
        taken = run.take()
        if taken:
            self.blocks.append(Block("paragraph", *taken))

    def flow(self, element: Any, kind: Literal["paragraph", "heading", "item"] = "paragraph", level: int = 0) -> None:
        """The element's text and children. The first run is the heading or the list item (when
        *kind* says so); later runs, after a block child, are paragraphs."""
        run = _Run(element.text)
        first = kind

        def flush() -> None:
            nonlocal first
            taken = run.take()
            if taken:
                self.blocks.append(Block(first, *taken, level=level if first == "heading" else 0))
                first = "paragraph"

        for child in element:
            if is_inline(child):
                run.add(child)
            else:
                flush()
                first = "paragraph"  # an item opening with a nested block has no text of its own
                self.block(child)
            run.add(child.tail)
        flush()

    def block(self, element: Any) -> None:
        tag = element.tag
        if tag == "head":
            rend = element.get("rend", "")
            self.flow(element, "heading", max(2, int(rend[1]) if re.fullmatch(r"h[1-6]", rend) else 2))
        elif tag == "list":
            self.parts(element, "item", lambda item: self.flow(item, "item"))
        elif tag == "table":
            self.table(element)
        else:  # p, quote, div, ab, graphic, code (as a block), a row or cell outside a table, …
            self.flow(element)

    def parts(self, element: Any, tag: str, write: Any) -> None:
        """A list's items or a table's rows (the children tagged *tag*), each written by *write*;
        the container's own text, inline children and tails between them are paragraphs, and a
        block child is written in turn, where they stand."""
        run = _Run(element.text)
        for child in element:
            if child.tag == tag:
                self.paragraph(run)
                write(child)
            elif is_inline(child):
                run.add(child)
            else:
                self.paragraph(run)
                self.block(child)
            run.add(child.tail)
        self.paragraph(run)

    def table(self, table: Any) -> None:
        """Rows in a row are one table; text or a block between rows stands between two tables."""
        current: list[Block] = []

        def row(child: Any) -> None:
            cells = self.cells(child)
            if not any(plain for _, plain in cells):
                return  # a row without words: nothing to keep
            if not current or not self.blocks or self.blocks[-1] is not current[0]:
                current[:] = [Block("table", "", "")]
                self.blocks.append(current[0])
            current[0].add_row(cells)

        self.parts(table, "row", row)

    def cells(self, row: Any) -> list[tuple[str, str]]:
        """The row's cells as (Markdown, plain text); text of the row outside a cell is a cell of
        its own, and so is a block standing in the row."""
        cells: list[tuple[str, str]] = []
        run = _Run(row.text)
        for cell in row:
            if cell.tag == "cell" or not is_inline(cell):
                taken = run.take()
                if taken:
                    cells.append(taken)
                sub = _Writer()
                sub.flow(cell)
                cells.append((" ".join(b.markdown for b in sub.blocks), " ".join(b.flat() for b in sub.blocks)))
            else:
                run.add(cell)
            run.add(cell.tail)
        taken = run.take()
        if taken:
            cells.append(taken)
        return cells


def to_blocks(body: Any) -> list[Block]:
    """The blocks of trafilatura's *body*, in reading order."""
    writer = _Writer()
    writer.flow(body)
    return [block for block in writer.blocks if block.plain.strip()]


def to_markdown(body: Any) -> str:
    """trafilatura's XML *body* as the archive's Markdown, every word of the tree kept."""
    return "\n\n".join(block.source() for block in to_blocks(body)) + "\n"
