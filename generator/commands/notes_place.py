"""Where a note lands: placed by offsets in the cleaned text, as the editing studio places it, and
anchored as the build anchors it (with where it was at the last build).

The editor selects words on the page; the browser turns the selection into offsets in the
article's cleaned text (:attr:`generator.model.Article.text`, code points). The quote and its
32 characters of context are then taken from the server's own copy of that text, so what is
written is always what the build will find — and after anchoring, the note must sit exactly at
the selected words: if the build's anchoring would put it anywhere else, nothing is written and
both places are named.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.errors import ErrorList, NoteAnchorError, NoteError
from generator.inputs.anchors_file import read_anchors
from generator.inputs.notes_file import Note
from generator.model import AnchorRecord, Article
from generator.stages.anchor import Anchor, anchor_quote, line_at, lock_path, selectors
from generator.util.text import shorten


@dataclass(frozen=True)
class Place:
    """Words of an article chosen by offsets, with the context the notes file records."""

    start: int
    """Offset of the first chosen character in the cleaned text (code points)."""
    end: int
    """Offset after the last chosen character."""
    quote: str
    prefix: str
    suffix: str


def place(article: Article, start: int, end: int) -> Place:
    """The words of *article* at ``[start, end)``, without white space at either end.

    Raises :class:`NoteError` for offsets outside the text or a selection without words."""
    text = article.text
    if not (0 <= start < end <= len(text)):
        raise NoteError(
            f"the selection (characters {start}–{end}) is not inside the article's text "
            f"({len(text):,} characters); reload the page and select the words again",
            article.path,
        )
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start == end:
        raise NoteError("the selection holds no words of the article; select the words the note concerns")
    prefix, suffix = selectors(article, Anchor(start, end, text[start:end]))
    return Place(start, end, text[start:end], prefix, suffix)


def check_place(article: Article, wanted: Place, anchor: Anchor, path: Path) -> None:
    """Refuse, naming both places, when the build anchors the note away from the chosen words."""
    if (anchor.start, anchor.end) == (wanted.start, wanted.end):
        return
    raise NoteAnchorError(
        f'the build would anchor this note at "{shorten(anchor.exact, 80, one_line=True)}" '
        f"(line {line_at(article, anchor.start)}), not at the selected words "
        f'"{shorten(wanted.quote, 80, one_line=True)}" (line {line_at(article, wanted.start)}); '
        "select a longer passage so that it occurs only once; nothing was written",
        path,
    )


def suggest_id(kind: str, words: str, taken: set[str]) -> str:
    """A readable id made from the note's kind and the first words it quotes, e.g.
    ``correction-who-controls-the-western``; unique among *taken*."""
    from generator.commands.notes_edit import make_id

    return make_id(f"{kind} {words}", taken)


def recorded_entries(article: Article) -> dict[str, AnchorRecord]:
    """Where the article's notes were at the last build (its anchors file), which the build's
    anchoring takes into account; a damaged file is named first, and nothing is changed."""
    entries, errors = read_anchors(lock_path(article))
    if errors:
        raise ErrorList([*errors, NoteError("fix the anchors file as said above first; nothing was changed")])
    return entries


def anchor_with_warning(
    article: Article, note: Note, path: Path, entry: AnchorRecord | None = None
) -> tuple[Anchor, Any]:
    """Anchor *note* (its line in *path* is known once it is written: 0 until then)."""
    try:
        return anchor_quote(article, note, entry)
    except NoteAnchorError as exc:
        where = (path, exc.line) if note.line else (article.path, None)
        raise NoteAnchorError(f"{exc.reason}; nothing was written", *where) from None


def anchor_note(article: Article, note: Note, path: Path, entry: AnchorRecord | None = None) -> Anchor:
    return anchor_with_warning(article, note, path, entry)[0]


def anchor_note_exactly(article: Article, note: Note, path: Path, entry: AnchorRecord | None = None) -> Anchor:
    anchor, warning = anchor_with_warning(article, note, path, entry)
    if warning is not None:
        raise NoteAnchorError(
            f'note {note.id!r}: the quote is not in the article as written (closest: "{shorten(anchor.exact, 120)}"); '
            "quote the exact words; nothing was written",
            path if note.line else article.path,
        )
    return anchor
