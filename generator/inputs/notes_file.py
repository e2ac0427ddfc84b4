"""Reading an article's notes file (``articles/<slug>.notes.yml``) into typed notes.

The file is a YAML list; each item is one editorial note. Every item is validated on its own, so
one run reports every malformed note with its file and line, not only the first.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from markdown_it import MarkdownIt
from pydantic import BaseModel, ConfigDict, Field, field_validator
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from generator.errors import ArchiveError, NoteError
from generator.inputs import yamlio
from generator.inputs.fields import plain_date, words
from generator.inputs.inline import parse_inline
from generator.inputs.urls import safe_url
from generator.model import Span

NoteKind = Literal["correction", "spelling", "clarification", "context"]
AuthorType = Literal["person", "organisation"]
KINDS: tuple[NoteKind, ...] = ("correction", "spelling", "clarification", "context")
"""Every kind of note, in the order the page summarises them."""
NOTE_ID = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
MAX_BODY = 2000
"""Longest note body, in characters: a note is a short paragraph, not an essay."""


class SourceEntry(BaseModel):
    """One source a note cites, as written in the notes file."""

    model_config = ConfigDict(extra="forbid")
    title: str = Field(min_length=1, max_length=300)
    url: str
    accessed: dt.date

    _accessed = field_validator("accessed", mode="before")(plain_date)
    _title = field_validator("title")(words("the source's title"))

    @field_validator("url")
    @classmethod
    def _http(cls, value: str) -> str:
        if not re.match(r"^https?://[^\s<>\"'`]+$", value):
            raise ValueError("must be an http:// or https:// address")
        return value


class NoteEntry(BaseModel):
    """One note, as written in the notes file."""

    model_config = ConfigDict(extra="forbid")
    id: str = Field(pattern=NOTE_ID, max_length=80)
    kind: NoteKind
    quote: str = Field(min_length=1, max_length=1000)
    prefix: str = Field(default="", max_length=200)
    suffix: str = Field(default="", max_length=200)
    body: str = Field(min_length=1, max_length=MAX_BODY)
    sources: list[SourceEntry] = Field(min_length=1)
    author: str = Field(min_length=1, max_length=200)
    author_type: AuthorType = "organisation"
    author_url: str | None = Field(default=None, max_length=500)
    date: dt.date

    @field_validator("author_url")
    @classmethod
    def _author_http(cls, value: str | None) -> str | None:
        if value is not None and not re.match(r"^https?://[^\s<>\"'`]+$", value):
            raise ValueError("must be an http:// or https:// address")
        return value

    @field_validator("quote")
    @classmethod
    def _words(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("must contain words of the article")
        return value

    _date = field_validator("date", mode="before")(plain_date)
    _author = field_validator("author")(words("who wrote the note"))
    _body = field_validator("body")(words("the note", one_line=False))


@dataclass(frozen=True)
class NoteSource:
    """A source a note cites."""

    title: str
    """What the reader sees as the link text."""
    url: str
    """An http(s) address."""
    accessed: dt.date
    """When an editor last read the source."""


@dataclass(frozen=True)
class Note:
    """An editorial note, read and checked, not yet anchored."""

    id: str
    """Unique within the article; used in element ids (``note-ID``, ``anchor-ID``)."""
    kind: NoteKind
    """correction, spelling, clarification or context."""
    quote: str
    """The exact words of the article the note concerns."""
    prefix: str
    """Text just before the quote, to tell repeated words apart (may be empty)."""
    suffix: str
    """Text just after the quote (may be empty)."""
    body: str
    """The note as written: short Markdown with emphasis and links only."""
    body_text: str
    """The body as plain text (Markdown read)."""
    body_spans: tuple[Span, ...]
    """Emphasis and link spans over :attr:`body_text`."""
    sources: tuple[NoteSource, ...]
    author: str
    date: dt.date
    path: Path
    """The notes file."""
    line: int
    """1-based line of the note's ``id`` in the notes file (its first line)."""
    quote_line: int
    """1-based line of the quote's value, for anchoring errors."""
    quote_column: int
    """1-based column of the quote's value."""
    author_type: AuthorType = "organisation"
    """Whether :attr:`author` is a person or an organisation (the notes file's ``author_type``;
    an organisation, such as the archive's editors, when it says nothing)."""
    author_url: str | None = None
    """An http(s) address that identifies the author (``author_url``), when the notes file gives one."""


def parse_body(body: str) -> tuple[str, tuple[Span, ...], str | None]:
    """The body as text and spans, and a problem (or None) if it uses more than emphasis and links."""
    if "\n\n" in body.strip():
        return "", (), "body must be one paragraph (no blank lines)"
    # markdown-it leaves a link to a refused scheme (javascript:, data:) as literal text; a
    # permissive reading finds such links so that the editor hears about them.
    for token in _permissive().parseInline(body.strip())[0].children or []:
        target = str(token.attrs.get("href", "")) if token.type == "link_open" else ""
        if target and safe_url(target) is None:
            return "", (), f"body links only to http(s) or mailto addresses, not {target!r}"
    text, spans = parse_inline(body.strip())
    return text, spans, None


@lru_cache(maxsize=1)
def _permissive() -> MarkdownIt:
    parser = MarkdownIt("zero").enable(["link"])
    parser.validateLink = lambda url: True  # type: ignore[method-assign]
    return parser


def _position(node: CommentedMap, key: str, first_line: int = 1) -> tuple[int, int]:
    """1-based (line, column) of the value of *key* in *node*."""
    try:
        line, column = node.lc.value(key)
    except (KeyError, TypeError):
        line, column = node.lc.line, node.lc.col
    return line + first_line, column + 1


def read_notes(path: Path) -> tuple[list[Note], list[ArchiveError]]:
    """Every valid note of *path*, and an error for each invalid one (naming file and line)."""
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        return [], [NoteError(f"invalid UTF-8 at byte {exc.start}; save the notes file as UTF-8", path)]
    return parse_notes(text, path)


def parse_notes(text: str, path: Path) -> tuple[list[Note], list[ArchiveError]]:
    """Every valid note of *text* (the content of the notes file *path*), and the errors."""
    try:
        data: Any = yamlio.parse(text.removeprefix("\ufeff"), path, NoteError)
    except ArchiveError as exc:
        return [], [exc]
    if data is None:
        return [], []
    if not isinstance(data, CommentedSeq):
        return [], [NoteError("a notes file is a list of notes, each starting with '- id: …'", path, 1)]
    notes: list[Note] = []
    errors: list[ArchiveError] = []
    seen: dict[str, int] = {}
    for index, item in enumerate(data):
        line = data.lc.item(index)[0] + 1
        if not isinstance(item, CommentedMap):
            errors.append(
                NoteError("each note is a mapping (id, kind, quote, body, sources, author, date)", path, line)
            )
            continue
        label = f"note {item.get('id')!r}" if isinstance(item.get("id"), str) else f"note {index + 1}"
        try:
            entry = yamlio.validate(NoteEntry, item, path, NoteError, what=label)
        except ArchiveError as exc:
            errors.append(exc)
            continue
        if entry.id in seen:
            errors.append(
                NoteError(
                    f"note {entry.id!r}: the id is already used on line {seen[entry.id]}; give each note its own id",
                    path,
                    line,
                )
            )
            continue
        seen[entry.id] = line
        body_text, body_spans, problem = parse_body(entry.body)
        if problem:
            errors.append(NoteError(f"{label}: {problem}", path, _position(item, "body")[0]))
            continue
        quote_line, quote_column = _position(item, "quote")
        notes.append(
            Note(
                id=entry.id,
                kind=entry.kind,
                quote=entry.quote,
                prefix=entry.prefix,
                suffix=entry.suffix,
                body=entry.body,
                body_text=body_text,
                body_spans=body_spans,
                sources=tuple(NoteSource(s.title, s.url, s.accessed) for s in entry.sources),
                author=entry.author,
                date=entry.date,
                path=path,
                line=line,
                quote_line=quote_line,
                quote_column=quote_column,
                author_type=entry.author_type,
                author_url=entry.author_url,
            )
        )
    return notes, errors
