"""The document model: articles as blocks of plain text with spans by character offset.

Offsets count Unicode code points, as Python ``str`` indexing does (and as the W3C text
selectors do). Nothing here holds markup: only :mod:`generator.render.markup` writes HTML.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Literal

SpanKind = Literal["em", "strong", "link", "entity", "mention", "note"]


@dataclass(frozen=True, order=True, slots=True)
class Span:
    """A stretch of a block's text that carries meaning beyond the words."""

    start: int
    """Offset of the first character (code points, inclusive)."""
    end: int
    """Offset after the last character (exclusive)."""
    kind: SpanKind
    """What the stretch is: emphasis, strong emphasis, a link, an entity mention (``entity``: the
    one that links to the entity's page; ``mention``: a later one, not a link), a note anchor."""
    target: str = ""
    """The link URL, the entity id or the note id; empty for emphasis."""

    def __reduce__(self) -> tuple[type[Span], tuple[int, int, SpanKind, str]]:
        # Pickled (into the spill, through the workers' pipes) as a call with the fields: the
        # state that slotted dataclasses pickle by default is read and set through fields() for
        # each object, three times as slow.
        return (self.__class__, (self.start, self.end, self.kind, self.target))


Cell = tuple[int, int]
"""A table cell: (start, end) offsets of its text in the table block's :attr:`Block.text`."""

CELL_SEPARATOR = "\t"
"""Between the cells of a table row in a table block's text (never inside a cell: a cell's own tabs
are read as spaces)."""
ROW_SEPARATOR = "\n"
"""Between the rows of a table block's text (never inside a cell)."""


@dataclass(frozen=True)
class Block:
    """One paragraph, heading or table of an article."""

    text: str
    """The plain text, with no markup. A table's: its cells joined by :data:`CELL_SEPARATOR`, its
    rows by :data:`ROW_SEPARATOR`."""
    spans: tuple[Span, ...] = ()
    """Spans over :attr:`text`, sorted by start (in a table, each within one cell)."""
    kind: Literal["paragraph", "heading", "table"] = "paragraph"
    """The block kinds an article has: paragraphs, headings and tables."""
    level: int = 0
    """Heading level (2–6) for headings, 0 for paragraphs and tables."""
    line: int = 0
    """1-based line of the source file where the block starts."""
    cells: tuple[tuple[Cell, ...], ...] = ()
    """A table's rows, each a tuple of its cells by offset, every row as wide as the widest; the
    first row is the header row. Empty for paragraphs and headings."""
    row_lines: tuple[int, ...] = ()
    """A table's source line of each of its rows (see :meth:`row_line`)."""

    def with_spans(self, spans: list[Span] | tuple[Span, ...]) -> Block:
        """A copy with *spans* added to the existing ones."""
        return replace(self, spans=tuple(sorted((*self.spans, *spans))))

    def delete(self, start: int, end: int) -> Block:
        """A copy with ``text[start:end]`` removed; spans (and a table's cells, which must hold
        the whole stretch) are shifted, clipped or dropped."""
        if self.cells and self.cell_of(start, end) is None:
            raise ValueError(f"a deletion from a table must lie within one cell: {start}..{end}")
        width = end - start
        spans = []
        for span in self.spans:
            s = span.start if span.start <= start else max(start, span.start - width)
            e = span.end if span.end <= start else max(start, span.end - width)
            if e > s:
                spans.append(replace(span, start=s, end=e))

        def shift(at: int) -> int:
            return at if at <= start else max(start, at - width)

        cells = tuple(tuple((shift(s), shift(e)) for s, e in row) for row in self.cells)
        text = self.text[:start] + self.text[end:]
        return replace(self, text=text, spans=tuple(sorted(spans)), cells=cells)

    def cell_of(self, start: int, end: int) -> tuple[int, int] | None:
        """(row, column) of the table cell holding ``text[start:end]`` whole, or None when the
        stretch runs across cells (or the block is no table)."""
        for r, row in enumerate(self.cells):
            for c, (s, e) in enumerate(row):
                if s <= start and end <= e:
                    return r, c
        return None

    def row_line(self, row: int) -> int:
        """The source line of a table's *row* (rows of empty cells are left out of the block, so
        a row's line is recorded when the table is read)."""
        if row < len(self.row_lines):
            return self.row_lines[row]
        return self.line + row + (1 if row > 0 else 0)


@dataclass(frozen=True)
class Removal:
    """Something the cleaner took out of an article, and why."""

    rule: str
    """Id of the cleaning rule (or ``title``, ``dead-link``, …)."""
    description: str
    """What the rule removes, for the reader of the report."""
    line: int
    """1-based line in the source file."""
    text: str
    """The plain text removed (for a dead link: the link's words, which stay in the article)."""
    kept_words: bool = False
    """True when only markup went (a dead link made plain text); the words stay in the article."""


@dataclass(frozen=True)
class Meta:
    """What is known about an article: from its front matter, or read from its header."""

    title: str
    date: dt.date | None = None
    """Date of publication by the publisher the text was taken from."""
    author: str | None = None
    publisher: str | None = None
    url: str | None = None
    """Address of the article as published."""
    language: str = "en"
    original_publisher: str | None = None
    """Where the text first appeared, when the publisher republished it."""
    original_date: dt.date | None = None
    original_url: str | None = None
    archived: dt.date | None = None
    """When the archive took a copy."""
    sha256: str | None = None
    """SHA-256 of the file as received (kept under ``articles/originals/``), when imported."""
    tags: tuple[str, ...] = ()
    sources: dict[str, str] = field(default_factory=dict)
    """For each field read from the article header instead of the front matter: the rule id."""


@dataclass(frozen=True)
class Article:
    """A cleaned article, ready for entities, notes and rendering."""

    slug: str
    """File name without extension; also the page's URL path segment."""
    path: Path
    """The source file."""
    meta: Meta
    blocks: tuple[Block, ...]
    removals: tuple[Removal, ...] = ()
    body_line: int = 1
    """1-based line of the source file where the body (after front matter) starts."""

    @property
    def text(self) -> str:
        """The whole cleaned text, blocks separated by blank lines (what notes quote)."""
        return "\n\n".join(block.text for block in self.blocks)

    @property
    def words(self) -> int:
        return sum(len(block.text.split()) for block in self.blocks)


ANCHORS_VERSION = 1
"""The format of the anchors lock file (``articles/<slug>.anchors.yml``) this code reads and writes."""


@dataclass(frozen=True)
class AnchorRecord:
    """Where a note was anchored at the last successful build: one entry of the article's anchors
    lock file, written by ``archive generate``, committed with the notes, read by the next build.

    Every field but :attr:`line` follows from the article text and the anchor's offsets, so an
    entry that claims the same text (:attr:`text_sha256`) can be checked against it."""

    quote: str
    """The note's quote at that build."""
    exact: str
    """The article's words at the anchor (the quote's, typography aside, unless approximate)."""
    prefix: str
    """Up to 32 characters of the article text just before :attr:`exact`, as they were."""
    suffix: str
    """Up to 32 characters just after it."""
    block: int
    """Index of the block (paragraph) where the anchor starts, from 0."""
    line: int
    """Source line of that block in the article file (for messages)."""
    position: int
    """Offset of :attr:`exact` in :attr:`Article.text` (code points)."""
    text_sha256: str
    """SHA-256 of :attr:`Article.text` at that build."""
    copies: int = 1
    """How many times :attr:`exact` stood in the text then (typography folded, whole words): with
    more than one, the note was on one copy, and the others are not its place."""
    given_prefix: str = ""
    """The note's own ``prefix`` at that build ("" if it had none)."""
    given_suffix: str = ""
    """The note's own ``suffix`` at that build."""
    path: Path | None = field(default=None, compare=False)
    """The lock file the entry was read from (None: made by this run)."""
    entry_line: int | None = field(default=None, compare=False)
    """1-based line of the entry in :attr:`path`."""


def sort_articles(articles: Iterable[Article]) -> list[Article]:
    """Newest first; undated articles last; ties broken by slug so the order never varies."""
    return sorted(
        articles, key=lambda a: (a.meta.date is None, -(a.meta.date.toordinal() if a.meta.date else 0), a.slug)
    )
