"""Reading an article's Markdown into blocks: paragraphs, headings and tables, each of plain text
with emphasis and link spans (:mod:`generator.inputs.inline`), and the line where it starts.

A block is a run of non-blank lines; its lines are joined by spaces, as Markdown joins the lines
of a paragraph. A one-line block starting with ``#`` … ``######`` and a space is a heading, read
as CommonMark reads it: a closing run of ``#`` is dropped only after a space, so "Learning C#"
keeps its ``#``. A block whose second line is a table's delimiter row (``|---|---|``) is a GFM
pipe table (:mod:`generator.inputs.tables`); any other line with pipes is a paragraph's text.
"""

from __future__ import annotations

import re
from pathlib import Path

from generator.inputs.inline import parse_inline
from generator.inputs.tables import is_table, parse_table
from generator.model import Block

HEADING = re.compile(r"^(#{1,6})[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$", re.DOTALL)


def split_blocks(body: str, first_line: int) -> list[tuple[int, str]]:
    """Split *body* at blank lines into (1-based line, source text) pairs."""
    blocks: list[tuple[int, str]] = []
    current: list[str] = []
    start = first_line
    for offset, line in enumerate(body.split("\n")):
        if line.strip():
            if not current:
                start = first_line + offset
            current.append(line)
        elif current:
            blocks.append((start, "\n".join(current)))
            current = []
    if current:
        blocks.append((start, "\n".join(current)))
    return blocks


def parse_block(line: int, source: str, path: Path | None = None) -> Block:
    """One source block as a :class:`Block` of plain text with emphasis and link spans; raises
    :class:`generator.errors.SourceError` naming *path* and the line for a malformed table."""
    if "|" in source and is_table(source):
        return parse_table(line, source, path)
    heading = HEADING.match(source.strip())
    if heading and "\n" not in source.strip():
        text, spans = parse_inline(heading.group(2))
        return Block(text, spans, "heading", max(2, len(heading.group(1))), line)
    text, spans = parse_inline(source.strip())
    return Block(text, spans, "paragraph", 0, line)


def read_blocks(body: str, first_line: int = 1, path: Path | None = None) -> list[Block]:
    """Every block of *body* (of the file *path*), in order."""
    return [parse_block(line, source, path) for line, source in split_blocks(body, first_line)]
