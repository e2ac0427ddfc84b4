"""A note in a table quotes the words of one cell: a quote across cells stops the note.

A table block's text joins its cells with tabs and its rows with line breaks, which quote
matching reads as spaces (:mod:`generator.stages.typography`): "Paris 12" would match a row
"Paris | 12". The page marks words cell by cell, and what such a note concerns (a city, a figure,
the two together) only an editor can say, so a note whose words run from one cell into another
(or from a table into the text around it) is an error naming both cells, never anchored.
"""

from __future__ import annotations

from collections.abc import Callable

from generator.errors import NoteAnchorError
from generator.inputs.notes_file import Note
from generator.model import Article, Block
from generator.stages.typography import Normal
from generator.util.text import shorten


def _cell(block: Block, offset: int) -> str:
    for r, row in enumerate(block.cells):
        for c, (s, e) in enumerate(row):
            if s <= offset <= e:
                return f'row {r + 1} (line {block.row_line(r)}), column {c + 1}: "{shorten(block.text[s:e], 40)}"'
    return f"line {block.line}"


def _crossed(article: Article, start: int, end: int) -> tuple[Block, int, int] | None:
    """The first table that ``Article.text[start:end]`` reaches into without lying within one of
    its cells, with the span's offsets in the table's text; None if there is none."""
    at = 0
    for block in article.blocks:
        low, high = at, at + len(block.text)
        at = high + 2
        if block.kind != "table" or end <= low or start >= high:
            continue
        s, e = start - low, end - low
        if not (0 <= s and e <= len(block.text) and block.cell_of(s, e) is not None):
            return block, s, e
    return None


def cells_apart(article: Article, norm: Normal) -> Callable[[int, int], bool] | None:
    """Whether a passage at offsets of *norm* (the folded text of *article*) runs across a table's
    cells; None when the article has no table (nothing to ask)."""
    if not any(block.kind == "table" for block in article.blocks):
        return None
    return lambda start, end: _crossed(article, *norm.span(start, end)) is not None


def check_within_cell(article: Article, note: Note, start: int, end: int) -> None:
    """Raise :class:`NoteAnchorError` when ``Article.text[start:end]`` (a note's anchor) reaches
    into a table without lying within one of its cells."""
    crossed = _crossed(article, start, end)
    if crossed is None:
        return
    block, s, e = crossed
    first = _cell(block, max(s, 0)) if s >= 0 else "the text before the table"
    last = _cell(block, min(e, len(block.text))) if e <= len(block.text) else "the text after the table"
    error = NoteAnchorError(
        f"note {note.id!r}: the quote runs across the cells of the table at line {block.line}, from {first} "
        f"to {last}; a note on a table quotes the words of one cell: quote the words of the cell it "
        "concerns (or give each cell its own note)",
        note.path,
        note.quote_line,
        note.quote_column,
    )
    error.outcome = "orphan"
    raise error
