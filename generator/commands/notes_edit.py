"""Changing an article's notes file: add, edit, remove a note, or accept the article's new wording.

The command line (``archive note …``) and the editing studio call these functions; each change

1. takes the notes file's lock (``articles/.<slug>.notes.lock``, ``fcntl.flock``), so two
   editors saving at once never lose a note;
2. reads the file and checks it with the build's own reader (a file the build would refuse is
   not changed: its problems are named first);
3. changes the text of one note only — a new note is appended, an edited note is written again in
   place, a removed note's lines go — so every other line (comments, order, quoting) stays as it
   was;
4. reads the result back with the build's reader and anchors the changed note in the cleaned
   article with the build's own anchoring; a note that would not anchor is refused and nothing
   is written;
5. writes the file atomically.

Every problem is a :class:`NoteError` naming the file (and line) in the editor's words.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import pydantic

from generator.commands import notes_yaml
from generator.commands.notes_place import anchor_note as _anchor
from generator.commands.notes_place import anchor_note_exactly as _anchor_exactly
from generator.commands.notes_place import anchor_with_warning as _anchor_with_warning
from generator.commands.notes_place import recorded_entries as _entries
from generator.commands.notes_yaml import FIELD_ORDER
from generator.errors import ArchiveError, ErrorList, NoteAnchorError, NoteError, SourceError
from generator.inputs.articles import ARTICLE_SUFFIXES, NOTES_SUFFIX, SLUG, read_source
from generator.inputs.notes_file import KINDS, MAX_BODY, NOTE_ID, Note, NoteEntry, parse_body, parse_notes
from generator.inputs.rules import load_rules
from generator.model import Article
from generator.output.locks import update_lock
from generator.settings import Settings
from generator.stages.anchor import Anchor, anchor_quote, selectors
from generator.stages.clean import clean
from generator.util.files import atomic_write, locked

HEADER = (
    "# Editorial notes on {title!r}.\n"
    "# Each note quotes the article's exact words; see site_src/guide/adding-notes.md.\n"
)
"""The first lines of a notes file this module creates."""
DEFAULT_AUTHOR = "Archive editors"

Action = Literal["added", "edited", "removed", "accepted"]


@dataclass(frozen=True)
class Source:
    """A source as an editor gives it."""

    url: str
    title: str = ""
    """Shown as the link's text; the address when empty."""
    accessed: dt.date | None = None
    """When the editor read it; today when empty."""


@dataclass(frozen=True)
class Change:
    """What one call did to a notes file."""

    action: Action
    path: Path
    """The notes file."""
    note_id: str
    anchor: Anchor | None
    """Where the note is anchored now (None once removed)."""
    line: int | None
    """The note's first line in the file (None once removed)."""
    exact: str = ""
    """The article's words the note now quotes (for ``accepted``: the new wording)."""
    lock: Path | None = None
    """The article's anchors file, when the change rewrote it (where each note is now)."""


@dataclass(frozen=True)
class Located:
    """An article and its notes file, as the editing functions need them."""

    article: Article
    """The cleaned article (what notes quote)."""
    notes: Path
    """Its notes file (it may not exist yet)."""


# ---------------------------------------------------------------------------------------------
# Finding the article and the note


def locate(settings: Settings, ref: str) -> Located:
    """The article named by *ref* (its slug, file name or path) and its notes file.

    Only an article file directly in the archive's ``articles/`` folder qualifies: a notes file
    anywhere else (outside the archive, beside an original as received) would never be read."""
    folder = settings.articles.resolve()
    candidates = [settings.articles / f"{ref}{suffix}" for suffix in ARTICLE_SUFFIXES] + [
        Path(ref),
        settings.root / ref,
    ]
    for path in candidates:
        if not (path.suffix in ARTICLE_SUFFIXES and path.is_file() and not path.is_symlink()):
            continue
        if path.resolve().parent != folder:
            raise SourceError(
                "this file is not an article of the archive (articles are the files directly in articles/); "
                "give the slug of an article there",
                path,
            )
        if not SLUG.match(path.stem):
            raise SourceError("the file name is not a valid slug, so the build does not read it", path)
        notes = settings.articles / (path.stem + NOTES_SUFFIX)
        if notes.is_symlink() or (notes.exists() and not notes.is_file()):
            kind = "a symbolic link" if notes.is_symlink() else "a folder" if notes.is_dir() else "not a regular file"
            raise NoteError(
                f"this is {kind}; the article's notes file is a plain file of that name: "
                "move it out of the way and add the note again",
                notes,
            )
        article = clean(read_source(path), load_rules(settings.rules))
        return Located(article, notes)
    raise SourceError(f"no article {ref!r}; give its slug (the file name without .md)", settings.articles)


def find_note(settings: Settings, note_id: str, article: str | None = None) -> Located:
    """The article whose notes file holds *note_id* (searched in every notes file unless
    *article* names it)."""
    if article:
        return locate(settings, article)
    found = []
    for path in sorted(settings.articles.glob(f"*{NOTES_SUFFIX}")):
        notes, _ = parse_notes(_read(path), path)
        if any(note.id == note_id for note in notes):
            found.append(path)
    if not found:
        raise NoteError(f"no note has the id {note_id!r}; 'archive note list' shows every note", settings.articles)
    if len(found) > 1:
        names = ", ".join(p.name for p in found)
        raise NoteError(f"the id {note_id!r} is used in {names}; say which article with --article", settings.articles)
    return locate(settings, found[0].name.removesuffix(NOTES_SUFFIX))


def make_id(words: str, taken: set[str]) -> str:
    """A readable id made of the first words of *words*, unique among *taken*."""
    parts = re.findall(r"[a-z0-9]+", words.casefold())[:5] or ["note"]
    base = "-".join(parts)[:60].strip("-") or "note"
    ident, n = base, 2
    while ident in taken:
        ident, n = f"{base}-{n}", n + 1
    return ident


# ---------------------------------------------------------------------------------------------
# The changes


def add(
    settings: Settings,
    article: str,
    *,
    quote: str,
    kind: str,
    body: str,
    sources: list[Source],
    author: str = DEFAULT_AUTHOR,
    note_id: str | None = None,
    prefix: str | None = None,
    suffix: str | None = None,
    date: dt.date | None = None,
    today: dt.date | None = None,
    at: tuple[int, int] | None = None,
) -> Change:
    """Append a note to *article*'s notes file, after checking that its quote anchors exactly.

    The note is written with the article's words around the quote (``prefix``/``suffix``, the
    32 characters the Web Annotations publish), so the build can tell its place from a copy of
    the same words elsewhere; *prefix*/*suffix* given by the editor pick one of several
    occurrences first. With *at* (offsets in the cleaned text), the quote and its context are the
    article's words there, and the note must anchor exactly there (:mod:`.notes_place`)."""
    today = today or dt.date.today()
    where = locate(settings, article)
    chosen = _chosen(where.article, at)
    if chosen:
        quote, prefix, suffix = chosen.quote, chosen.prefix, chosen.suffix
    with locked(where.notes):
        old = _read(where.notes) if where.notes.is_file() else ""
        existing = _checked(old, where.notes)
        taken = {note.id for note in existing}
        if note_id is not None:
            _check_id(note_id, taken, where.notes)
        ident = note_id or make_id(quote, taken)
        fields: dict[str, Any] = {"id": ident, "kind": kind, "quote": quote}
        if prefix:
            fields["prefix"] = prefix
        if suffix:
            fields["suffix"] = suffix
        fields.update(body=body, sources=_sources(sources, today, where.notes), author=author, date=date or today)
        note = _validated(fields, where.notes, "add")
        anchor = _anchor_exactly(where.article, note, where.notes)
        _check_chosen(where.article, chosen, anchor, where.notes)
        fields["prefix"], fields["suffix"] = selectors(where.article, anchor)
        fields = {key: fields[key] for key in FIELD_ORDER if fields.get(key) not in (None, "")}
        item = notes_yaml.item_text(notes_yaml.note_map(fields))
        if old.strip():
            new = old.rstrip("\n") + "\n\n" + item
        else:
            new = HEADER.format(title=where.article.meta.title) + "\n" + item
        notes = _read_back(new, where.notes, len(existing) + 1)
        entries = _entries(where.article)
        atomic_write(where.notes, new)
        lock = update_lock(where.article, notes, entries, {ident: anchor})
    return Change("added", where.notes, ident, anchor, notes[-1].line, anchor.exact, lock)


def edit(
    settings: Settings,
    note_id: str,
    changes: Mapping[str, Any],
    article: str | None = None,
    today: dt.date | None = None,
    at: tuple[int, int] | None = None,
) -> Change:
    """Change some fields of the note *note_id* (``quote``, ``prefix``, ``suffix``, ``kind``,
    ``body``, ``sources`` as :class:`Source` values, ``author``, ``date``); the note is written
    again in place. A changed quote must anchor exactly; otherwise the note must still anchor.
    With *at*, the note quotes the article's words at those offsets, and must anchor there."""
    unknown = set(changes) - set(FIELD_ORDER[1:])
    if unknown:
        raise NoteError(f"a note has no field {sorted(unknown)[0]!r}; fields are {', '.join(FIELD_ORDER[1:])}")
    where = find_note(settings, note_id, article)
    chosen = _chosen(where.article, at)
    if chosen:
        changes = {**changes, "quote": chosen.quote, "prefix": chosen.prefix, "suffix": chosen.suffix}
    with locked(where.notes):
        old = _read(where.notes)
        existing = _checked(old, where.notes)
        data, index = notes_yaml.item_of(old, where.notes, note_id)
        item = data[index]
        for key, value in changes.items():
            if key == "sources":
                value = _sources(value, today or dt.date.today(), where.notes)
            if value in (None, "") and key in ("prefix", "suffix"):
                item.pop(key, None)
            else:
                notes_yaml.set(item, key, value)
        note = _validated(dict(item), where.notes, "edit")
        entries = _entries(where.article)
        recorded = None if "quote" in changes else entries.get(note_id)  # new words: no old place
        anchoring = _anchor_exactly if {"quote", "prefix", "suffix"} & set(changes) else _anchor
        anchor = anchoring(where.article, note, where.notes, recorded)
        _check_chosen(where.article, chosen, anchor, where.notes)
        new = notes_yaml.replace_item(old, data, index, notes_yaml.item_text(item))
        notes = _read_back(new, where.notes, len(existing))
        atomic_write(where.notes, new)
        lock = update_lock(where.article, notes, entries, {note_id: anchor})
    line = next(n.line for n in notes if n.id == note_id)
    return Change("edited", where.notes, note_id, anchor, line, anchor.exact, lock)


def remove(settings: Settings, note_id: str, article: str | None = None) -> Change:
    """Take the note *note_id* out of its notes file, with the comment lines directly above it.

    A notes file left with only the header this module wrote is deleted: adding a note and
    removing it again leaves the archive as it was."""
    where = find_note(settings, note_id, article)
    with locked(where.notes):
        old = _read(where.notes)
        existing = _checked(old, where.notes)
        data, index = notes_yaml.item_of(old, where.notes, note_id)
        new = notes_yaml.replace_item(old, data, index, None)
        entries = _entries(where.article)
        if new == HEADER.format(title=where.article.meta.title):
            where.notes.unlink()
            notes = []
        else:
            notes = _read_back(new, where.notes, len(existing) - 1)
            atomic_write(where.notes, new)
        lock = update_lock(where.article, notes, entries, {})
    return Change("removed", where.notes, note_id, None, None, lock=lock)


def accept(settings: Settings, note_id: str, article: str | None = None) -> Change:
    """Take the article's new wording for a note the build anchored approximately: the quote
    becomes the words it was anchored to, with their context as ``prefix``/``suffix``."""
    where = find_note(settings, note_id, article)
    with locked(where.notes):
        old = _read(where.notes)
        existing = _checked(old, where.notes)
        note = next(n for n in existing if n.id == note_id)
        entries = _entries(where.article)
        # Where the build marks the note (with its recorded place), not where its quote alone would go.
        anchor, warning = _anchor_with_warning(where.article, note, where.notes, entries.get(note_id))
        if warning is None:
            raise NoteError(
                f"note {note_id!r}: its quote is found in the article as written; there is no new wording to accept",
                note.path,
                note.line,
            )
        data, index = notes_yaml.item_of(old, where.notes, note_id)
        prefix, suffix = selectors(where.article, anchor)
        for key, value in (("quote", anchor.exact), ("prefix", prefix), ("suffix", suffix)):
            notes_yaml.set(data[index], key, value)
        new = notes_yaml.replace_item(old, data, index, notes_yaml.item_text(data[index]))
        notes = _read_back(new, where.notes, len(existing))
        accepted = next(n for n in notes if n.id == note_id)
        anchor = _anchor_exactly(where.article, accepted, where.notes, entries.get(note_id))
        atomic_write(where.notes, new)
        lock = update_lock(where.article, notes, entries, {note_id: anchor})
    return Change("accepted", where.notes, note_id, anchor, accepted.line, anchor.exact, lock)


@dataclass(frozen=True)
class Listed:
    """One note as ``archive note list`` shows it."""

    article: str
    """The article's slug."""
    note: Note
    state: Literal["anchored", "approximate", "unanchored"]
    """``anchored`` as written; ``approximate``: the article's words changed (see :attr:`message`);
    ``unanchored``: the build stops on it (orphan or ambiguous)."""
    exact: str
    """The article's words at the anchor ("" when unanchored)."""
    message: str = ""
    """The warning or error the build gives about the note."""


def list_notes(settings: Settings, article: str | None = None) -> list[Listed]:
    """Every note of *article* (or of every article), in file order, with how it anchors."""
    if article:
        located = [locate(settings, article)]
    else:
        located = [
            locate(settings, path.name.removesuffix(NOTES_SUFFIX))
            for path in sorted(settings.articles.glob(f"*{NOTES_SUFFIX}"))
        ]
    listed = []
    for where in located:
        if not where.notes.is_file():
            continue
        notes, errors = parse_notes(_read(where.notes), where.notes)
        if errors:
            raise ErrorList(errors)
        entries = _entries(where.article)
        for note in notes:
            try:
                anchor, warning = anchor_quote(where.article, note, entries.get(note.id))
            except NoteAnchorError as exc:
                listed.append(Listed(where.article.slug, note, "unanchored", "", exc.reason))
                continue
            state = "approximate" if warning else "anchored"
            listed.append(Listed(where.article.slug, note, state, anchor.exact, warning.message if warning else ""))
    return listed


# ---------------------------------------------------------------------------------------------
# Reading, checking, writing


def _read(path: Path) -> str:
    try:
        return path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        raise NoteError(f"invalid UTF-8 at byte {exc.start}; save the notes file as UTF-8", path) from None
    except OSError as exc:
        raise NoteError(f"cannot read the notes file: {exc.strerror}", path) from None


def _checked(text: str, path: Path) -> list[Note]:
    """The notes of *text*, which the build must read without a problem before it is changed."""
    notes, errors = parse_notes(text, path)
    if errors:
        raise ErrorList([*errors, NoteError("fix the notes file as said above first; nothing was changed", path)])
    return notes


def _check_id(note_id: str, taken: set[str], path: Path) -> None:
    if not re.match(NOTE_ID, note_id) or len(note_id) > 80:
        raise NoteError(f"id {note_id!r}: use lowercase letters, digits and hyphens (at most 80)", path)
    if note_id in taken:
        raise NoteError(f"id {note_id!r} is already used in this notes file; choose another id", path)


def _sources(sources: list[Source], today: dt.date, path: Path) -> list[dict[str, Any]]:
    if not sources:
        raise NoteError("give at least one source (its http:// or https:// address)", path)
    return [{"title": s.title.strip() or s.url, "url": s.url.strip(), "accessed": s.accessed or today} for s in sources]


def _validated(fields: Mapping[str, Any], path: Path, action: str) -> Note:
    """*fields* checked with the notes file's schema, as a :class:`Note` (its line is not known yet)."""
    try:
        entry = NoteEntry.model_validate(_plain(fields))
    except pydantic.ValidationError as exc:
        raise NoteError(_field_problem(exc.errors()[0], fields), path) from None
    text, spans, problem = parse_body(entry.body)
    if problem:
        raise NoteError(f"body: {problem}", path)
    return Note(
        id=entry.id,
        kind=entry.kind,
        quote=entry.quote,
        prefix=entry.prefix,
        suffix=entry.suffix,
        body=entry.body,
        body_text=text,
        body_spans=spans,
        sources=(),
        author=entry.author,
        date=entry.date,
        path=path,
        line=0,
        quote_line=0,
        quote_column=0,
    )


def _field_problem(error: Mapping[str, Any], fields: Mapping[str, Any]) -> str:
    """A schema error in an editor's words: which field, what is wrong, what to do."""
    loc = [str(part) for part in error["loc"]]
    field, kind = loc[0], error["type"]
    if field == "sources" and len(loc) >= 3:
        number, part = int(loc[1]) + 1, loc[2]
        value = fields["sources"][int(loc[1])].get(part)
        if part == "url":
            return f"source {number}: {value!r} is not a web address; a source is an http:// or https:// address"
        return f"source {number}: {part}: {error['msg']}"
    if kind in ("string_too_short", "missing") or (kind == "value_error" and field == "quote"):
        what = {
            "quote": "the article's words the note concerns",
            "body": "the note itself",
            "author": "who wrote the note",
            "sources": "at least one source",
        }.get(field, "a value")
        return f"{field} is empty; give {what}"
    if kind == "string_too_long":
        limit = error.get("ctx", {}).get("max_length", MAX_BODY)
        return f"{field} is {len(str(fields.get(field, ''))):,} characters long; the limit is {limit:,}"
    if field == "kind":
        return f"kind {fields.get('kind')!r} is not a kind of note; use one of: {', '.join(KINDS)}"
    if field == "date":
        return f"date {fields.get('date')!r} is not a date; write it as YYYY-MM-DD"
    return f"{field}: {error['msg']}"


def _plain(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return str(value) if isinstance(value, str) else value


def _chosen(article: Article, at: tuple[int, int] | None) -> Any:
    from generator.commands.notes_place import place

    return place(article, *at) if at is not None else None


def _check_chosen(article: Article, chosen: Any, anchor: Anchor, path: Path) -> None:
    from generator.commands.notes_place import check_place

    if chosen is not None:
        check_place(article, chosen, anchor, path)


def _read_back(text: str, path: Path, count: int) -> list[Note]:
    notes, errors = parse_notes(text, path)
    if errors or len(notes) != count:
        raise ArchiveError("internal error: the notes file would not read back; it was left unchanged", path)
    return notes


# ---------------------------------------------------------------------------------------------
# The YAML text of one note
