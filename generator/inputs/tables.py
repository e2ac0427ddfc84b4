"""Tables in an article's Markdown: GFM pipe tables, read into table blocks and written back.

A table is a block (lines between blank lines) whose first line is a header row and whose second
line is a delimiter row (``|---|---|``, colons for alignment allowed and ignored), the rest body
rows, one per line. The outer pipes may be left out; ``\\|`` is a pipe inside a cell. Every cell
is read as inline Markdown (:mod:`generator.inputs.inline`).

Nothing of a table is dropped: a row with fewer cells than the widest is padded with empty cells,
and a row wider than the header row gets empty header cells over its extra cells (GitHub would
drop them; the archive keeps every word). A body row whose cells are all empty is left out (it
holds no words). Errors name the line: a delimiter row of another width than the header row, and
a line without any ``|`` in a table (a paragraph after a table needs a blank line before it).
"""

from __future__ import annotations

import re
from pathlib import Path

from generator.errors import SourceError
from generator.inputs.inline import parse_inline
from generator.model import CELL_SEPARATOR, ROW_SEPARATOR, Block, Cell, Span

DELIMITER_CELL = re.compile(r"^[ \t]*:?-+:?[ \t]*$")


def split_row(line: str) -> list[str]:
    """The cells of one row line, as Markdown (``\\|`` kept: inline Markdown reads it as ``|``);
    a backslash escapes the character after it, so ``\\\\|`` is a backslash, then a separator.
    A pipe opening or closing the line is the row's edge, not a separator."""
    cells: list[str] = []
    current: list[str] = []
    index, last_pipe = 0, -1
    line = line.strip()
    while index < len(line):
        char = line[index]
        if char == "\\" and index + 1 < len(line):
            current.append(line[index : index + 2])
            index += 2
            continue
        if char == "|":
            cells.append("".join(current))
            current, last_pipe = [], index
        else:
            current.append(char)
        index += 1
    cells.append("".join(current))
    if line.startswith("|"):
        cells = cells[1:]
    if last_pipe == len(line) - 1 and last_pipe > 0 and cells:
        cells = cells[:-1]
    return [cell.strip() for cell in cells]


def _has_pipe(line: str) -> bool:
    """Whether *line* holds a ``|`` that is not escaped."""
    return "|" in re.sub(r"\\.", "", line)


def is_delimiter(line: str) -> bool:
    """Whether *line* is a table's delimiter row: cells of dashes (colons at their ends allowed),
    with at least one ``|``."""
    if not _has_pipe(line):
        return False
    cells = split_row(line)
    return bool(cells) and all(DELIMITER_CELL.match(cell) for cell in cells)


def is_table(source: str) -> bool:
    """Whether the block *source* is a pipe table: a header row with a ``|``, then a delimiter row."""
    lines = source.strip("\n").split("\n")
    return len(lines) >= 2 and _has_pipe(lines[0]) and is_delimiter(lines[1])


def parse_table(line: int, source: str, path: Path | None = None) -> Block:
    """The pipe table *source* (starting at *line* of the file *path*) as a table block; raises
    :class:`SourceError` naming the line for a malformed one."""
    lines = source.strip("\n").split("\n")
    header, delimiter = split_row(lines[0]), split_row(lines[1])
    if len(delimiter) != len(header):
        raise SourceError(
            f"the table's header row (line {line}) has {len(header)} cells but the line under it has "
            f"{len(delimiter)}; write one '---' per header cell, as in '|{'---|' * len(header)}'",
            path,
            line + 1,
        )
    rows: list[tuple[int, list[str]]] = [(line, header)]
    for offset, row in enumerate(lines[2:], 2):
        if not _has_pipe(row):
            raise SourceError(
                f"this line has no '|' but stands in the table that starts at line {line}; a table row "
                "reads '| cell | cell |'. If it is a paragraph after the table, leave a blank line before it",
                path,
                line + offset,
            )
        rows.append((line + offset, split_row(row)))
    read = [(n, [parse_inline(cell) for cell in cells]) for n, cells in rows]
    read = [read[0], *((n, cells) for n, cells in read[1:] if any(text for text, _ in cells))]
    width = max(len(cells) for _, cells in read)
    text: list[str] = []
    spans: list[Span] = []
    cells_at: list[tuple[Cell, ...]] = []
    at = 0
    for r, (_, cells) in enumerate(read):
        if r:
            text.append(ROW_SEPARATOR)
            at += 1
        row: list[Cell] = []
        for c, (cell, cell_spans) in enumerate([*cells, *([("", ())] * (width - len(cells)))]):
            if c:
                text.append(CELL_SEPARATOR)
                at += 1
            # a cell never holds the separators (a "&#10;" in a cell would read as a new row);
            # one character for one, so the cell's spans keep their offsets
            cell = cell.replace(CELL_SEPARATOR, " ").replace(ROW_SEPARATOR, " ").replace("\r", " ")
            text.append(cell)
            spans += [Span(s.start + at, s.end + at, s.kind, s.target) for s in cell_spans]
            row.append((at, at + len(cell)))
            at += len(cell)
        cells_at.append(tuple(row))
    lines_at = tuple(n for n, _ in read)
    return Block("".join(text), tuple(sorted(spans)), "table", 0, line, tuple(cells_at), lines_at)


def escape_cell(markdown: str) -> str:
    """A cell's inline Markdown with its pipes escaped, to stand in a row."""
    out: list[str] = []
    index = 0
    while index < len(markdown):
        char = markdown[index]
        if char == "\\" and index + 1 < len(markdown):
            out.append(markdown[index : index + 2])  # an escape (\\| included) stays as it is
            index += 2
            continue
        out.append("\\|" if char == "|" else char)
        index += 1
    return "".join(out)


def table_source(rows: list[list[str]]) -> str:
    """A pipe table of *rows* (each a list of cells' inline Markdown, the first the header row),
    every row as wide as the widest."""
    width = max(len(row) for row in rows)
    padded = [[escape_cell(cell) for cell in row] + [""] * (width - len(row)) for row in rows]
    lines = ["| " + " | ".join(row) + " |" for row in padded]
    lines.insert(1, "|" + "---|" * width)
    return "\n".join(lines)
