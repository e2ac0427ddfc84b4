"""Reading an article's anchors lock file (``articles/<slug>.anchors.yml``).

``archive generate`` writes the file after every successful run (:mod:`generator.output.locks`):
for every note, the words it was anchored to, 32 characters of context either side, the block,
line and offset, and the hash of the article text. Editors commit it with the notes file; the
next build reads it to know where each note was, like a package manager's lock file.

The file is checked before it is used, never trusted blindly: a file that does not read, an
entry with a field missing or out of range, a version this code does not know, each stop the
run naming the file and line. Whether an entry fits the article text is checked when the note
is anchored (:mod:`generator.stages.anchor`).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, StrictInt, StrictStr
from ruamel.yaml.comments import CommentedMap

from generator.errors import ArchiveError, LockError
from generator.inputs import yamlio
from generator.inputs.notes_file import NOTE_ID
from generator.model import ANCHORS_VERSION, AnchorRecord

CONTEXT = 32
"""Characters of context recorded either side of an anchor (as in the W3C TextQuoteSelector)."""
FIX = "the file is written by 'archive generate': restore it from git, or delete it and run 'archive generate' again"
"""What to do about a damaged lock file."""


class _Entry(BaseModel):
    """One note's entry, as written by :mod:`generator.output.locks`."""

    model_config = ConfigDict(extra="forbid")
    quote: StrictStr = Field(min_length=1, max_length=1000)
    given_prefix: StrictStr = Field(default="", max_length=200)
    given_suffix: StrictStr = Field(default="", max_length=200)
    exact: StrictStr = Field(min_length=1, max_length=4000)
    prefix: StrictStr = Field(max_length=CONTEXT)
    suffix: StrictStr = Field(max_length=CONTEXT)
    block: StrictInt = Field(ge=0)
    line: StrictInt = Field(ge=1)
    position: StrictInt = Field(ge=0)
    text_sha256: StrictStr = Field(pattern=r"^[0-9a-f]{64}$")
    copies: StrictInt = Field(ge=1)


def read_anchors(path: Path) -> tuple[dict[str, AnchorRecord], list[ArchiveError]]:
    """The entries of the lock file *path* by note id (none if there is no file), and an error for
    each problem, naming the file and line."""
    if path.is_symlink() or not path.is_file():
        return {}, []  # a link or a special file is reported by find_sources, and never read
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        return {}, [LockError(f"invalid UTF-8 at byte {exc.start}; {FIX}", path)]
    except OSError as exc:
        return {}, [LockError(f"cannot read the file: {exc.strerror}", path)]
    return parse_anchors(text, path)


def parse_anchors(text: str, path: Path, fast: bool = True) -> tuple[dict[str, AnchorRecord], list[ArchiveError]]:
    """The entries of the lock file text *text* (read from *path*), and the errors.

    A file exactly as :mod:`generator.output.locks` writes it is read line by line (a fifth of
    the time the YAML reader takes); anything else, with *fast* false too, by the YAML reader,
    which names the line of every problem."""
    text = text.removeprefix("\ufeff")
    canonical = _canonical(text) if fast else None
    if canonical is not None:
        records = {}
        for ident, line, fields in canonical:
            try:
                if not re.match(NOTE_ID, ident):
                    raise ValueError(ident)
                records[ident] = _record(_Entry.model_validate(fields), path, line)
            except ValueError:
                break  # the YAML reader names the problem and its line
        else:
            return records, []
    try:
        data: Any = yamlio.parse(text, path, LockError)
    except ArchiveError as exc:
        return {}, [LockError(f"{exc.reason}; {FIX}", exc.path, exc.line, exc.column)]
    if not isinstance(data, CommentedMap):
        return {}, [LockError(f"not an anchors file (a mapping with 'version' and 'notes'); {FIX}", path, 1)]
    unknown = sorted(str(key) for key in data if key not in ("version", "notes"))
    if unknown:
        line = data.lc.key(unknown[0])[0] + 1 if unknown[0] in data else 1
        return {}, [LockError(f"unknown key {unknown[0]!r}; {FIX}", path, line)]
    version = data.get("version")
    if version != ANCHORS_VERSION or isinstance(version, bool):
        line = data.lc.key("version")[0] + 1 if "version" in data else 1
        return {}, [
            LockError(
                f"version {version!r}: this archive reads anchors files of version {ANCHORS_VERSION}; {FIX}",
                path,
                line,
            )
        ]
    notes = data.get("notes")
    if notes is None:
        return {}, []
    if not isinstance(notes, CommentedMap):
        line = data.lc.key("notes")[0] + 1
        return {}, [LockError(f"'notes' must map each note's id to its entry; {FIX}", path, line)]
    records: dict[str, AnchorRecord] = {}
    errors: list[ArchiveError] = []
    for ident, entry in notes.items():
        line = notes.lc.key(ident)[0] + 1
        if not isinstance(ident, str) or not re.match(NOTE_ID, ident):
            errors.append(LockError(f"{ident!r} is not a note id; {FIX}", path, line))
            continue
        try:
            valid = yamlio.validate(_Entry, entry if entry is not None else {}, path, LockError, what=f"note {ident!r}")
        except ArchiveError as exc:
            errors.append(LockError(f"{exc.reason}; {FIX}", exc.path, exc.line or line, exc.column))
            continue
        records[ident] = _record(valid, path, line)
    return records, errors


def _record(valid: _Entry, path: Path, line: int) -> AnchorRecord:
    return AnchorRecord(
        quote=valid.quote,
        exact=valid.exact,
        prefix=valid.prefix,
        suffix=valid.suffix,
        block=valid.block,
        line=valid.line,
        position=valid.position,
        text_sha256=valid.text_sha256,
        copies=valid.copies,
        given_prefix=valid.given_prefix,
        given_suffix=valid.given_suffix,
        path=path,
        entry_line=line,
    )


_KEY = re.compile(r'  ([a-z][a-z0-9-]*|"[a-z0-9-]+"):')
_FIELD = re.compile(r'    ([a-z_0-9]+): (?:"((?:[^"\\]|\\["\\nt]|\\u[0-9a-f]{4}|\\U[0-9a-f]{8})*)"|(0|[1-9][0-9]*))')
_ESCAPE = re.compile(r'\\(["\\nt]|u[0-9a-f]{4}|U[0-9a-f]{8})')
_SURROGATE = re.compile("[\ud800-\udfff]")
_ESCAPED = {'"': '"', "\\": "\\", "n": "\n", "t": "\t"}


def _canonical(text: str) -> list[tuple[str, int, dict[str, str | int]]] | None:
    """The entries (id, line, fields) of a lock file exactly as the build writes it, or None."""
    lines = text.split("\n")
    if lines.pop() != "":
        return None
    start = 0
    while start < len(lines) and lines[start].startswith("#"):
        start += 1
    if lines[start : start + 2] != [f"version: {ANCHORS_VERSION}", "notes:"]:
        return None
    entries: list[tuple[str, int, dict[str, str | int]]] = []
    seen: set[str] = set()
    fields: dict[str, str | int] | None = None
    for number, line in enumerate(lines[start + 2 :], start + 3):
        if key := _KEY.fullmatch(line):
            ident = key.group(1)
            if ident in ("null", "true", "false") or ident.strip('"') in seen:
                return None  # YAML reads these otherwise: the YAML reader says what they are
            seen.add(ident.strip('"'))
            fields = {}
            entries.append((ident.strip('"'), number, fields))
        elif fields is not None and (field := _FIELD.fullmatch(line)) and field.group(1) not in fields:
            if field.group(3) is not None:
                fields[field.group(1)] = int(field.group(3))
                continue
            raw = field.group(2)
            if not _ESCAPE.sub("", raw).isprintable():
                return None
            try:
                value = _ESCAPE.sub(lambda m: _ESCAPED.get(m[1]) or chr(int(m[1][1:], 16)), raw)
            except ValueError:  # beyond U+10FFFF
                return None
            if "\\" in raw and _SURROGATE.search(value):
                return None
            fields[field.group(1)] = value
        else:
            return None
    return entries
