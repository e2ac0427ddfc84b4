"""Links to the exact words of a passage: the element's id, and a Text Fragment directive.

A Text Fragment (``#anchor-ID:~:text=…``, WICG "URL Fragment Text Directives") makes a browser that
supports it scroll to the quoted words and highlight them, wherever the page's ids went; one that
does not reads the part before ``:~:`` as the id (the site's script scrolls to it). The directive
names the words with up to :data:`CONTEXT_WORDS` whole words either side, taken from the same
paragraph or table cell (a term is looked for within one block), so that the same words elsewhere on the page
(the summary of corrections quotes them) are not taken instead.
"""

from __future__ import annotations

from collections.abc import Sequence
from urllib.parse import quote

from generator.inputs.notes_file import Note
from generator.model import Article
from generator.stages.anchor import Anchor, AnchoredNote, block_offsets

CONTEXT_WORDS = 4
"""Words of the paragraph before and after the quote that the directive names."""
LONG_QUOTE = 8
"""A quote of more words is named by its first and last :data:`EDGE_WORDS` words."""
EDGE_WORDS = 4


def _term(text: str) -> str:
    # A term is percent-encoded; "-", "," and "&" are the directive's own syntax and must be too
    # (urllib.parse.quote leaves "-" alone: an unencoded hyphen makes Chromium ignore the directive).
    return quote(" ".join(text.split()), safe="").replace("-", "%2D")


def text_directive(article: Article, anchor: Anchor, quoted_above: bool = False) -> str | None:
    """The ``text=…`` directive that finds *anchor*'s words in *article*'s page.

    When the words fill their paragraph there is no context to name; the bare words then find the
    passage first, unless the page quotes them above the text (*quoted_above*: the summary box
    quotes every correction), and then there is no directive (None): the id alone leads there."""
    text = article.text
    starts = block_offsets(article)
    first = max((s for s in starts if s <= anchor.start), default=0)
    last = max((s for s in starts if s <= max(anchor.start, anchor.end - 1)), default=0)
    last_end = text.find("\n\n", last)
    last_end = len(text) if last_end == -1 else last_end
    table = article.blocks[starts.index(first)] if article.blocks else None
    if table is not None and table.kind == "table" and first == last:
        # A table's cell is a block of its own on the page: the context is the cell's words.
        cell = table.cell_of(anchor.start - first, anchor.end - first)
        if cell is not None:
            low, high = table.cells[cell[0]][cell[1]]
            first, last_end = first + low, first + high
    prefix = text[first : anchor.start].split()[-CONTEXT_WORDS:]
    suffix = text[anchor.end : last_end].split()[:CONTEXT_WORDS]
    if not prefix and not suffix and quoted_above:
        return None
    pieces = text[anchor.start : anchor.end].split("\n\n")
    words = text[anchor.start : anchor.end].split()
    if len(pieces) > 1 or len(words) > LONG_QUOTE:
        head = pieces[0].split()[:EDGE_WORDS]
        tail = pieces[-1].split()[-EDGE_WORDS:]
        quoted = _term(" ".join(head)) + "," + _term(" ".join(tail))
    else:
        quoted = _term(" ".join(words))
    directive = "text="
    if prefix:
        directive += _term(" ".join(prefix)) + "-,"
    directive += quoted
    if suffix:
        directive += ",-" + _term(" ".join(suffix))
    return directive


def passage_link(page: str, article: Article, note: Note, anchor: Anchor) -> str:
    """The address of *note*'s passage: *page* (the article page's address), the mark's id, and
    the Text Fragment directive when there is one."""
    directive = text_directive(article, anchor, quoted_above=note.kind == "correction")
    return f"{page}#anchor-{note.id}" + (f":~:{directive}" if directive else "")


def note_links(article: Article, notes: Sequence[AnchoredNote]) -> dict[str, str]:
    """Each note's id → the part of :func:`passage_link` after ``#`` (the listings that link to a
    note's words keep it in the article's summary, :class:`generator.stages.summary.NoteHead`)."""
    found = {}
    for item in notes:
        directive = text_directive(article, item.anchor, quoted_above=item.note.kind == "correction")
        found[item.note.id] = f"anchor-{item.note.id}" + (f":~:{directive}" if directive else "")
    return found
