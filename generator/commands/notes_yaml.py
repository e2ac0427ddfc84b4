"""The YAML text of one note in a notes file: written in the files' own style, found, replaced
or removed without touching any other line."""

from __future__ import annotations

import io
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import DoubleQuotedScalarString

from generator.errors import NoteError

FIELD_ORDER = ("id", "kind", "quote", "prefix", "suffix", "body", "sources", "author", "date")
"""The order of a note's fields, as the notes files write them."""


QUOTED = ("quote", "prefix", "suffix", "body")
"""Fields always written in double quotes (they hold the article's words and free text)."""


def yaml() -> YAML:
    yaml = YAML(typ="rt")
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = 4096
    yaml.preserve_quotes = True
    yaml.representer.ignore_aliases = lambda data: True  # the same date twice stays written out twice
    return yaml


def set(item: CommentedMap, key: str, value: Any) -> None:
    """Set *key* of the note *item*, in its place in :data:`FIELD_ORDER` if it is new."""
    if key in QUOTED and isinstance(value, str):
        value = DoubleQuotedScalarString(value)
    elif key == "sources":
        value = sources_seq(value)
    if key in item:
        item[key] = value
        return
    position = sum(1 for k in item if k in FIELD_ORDER and FIELD_ORDER.index(k) < FIELD_ORDER.index(key))
    item.insert(position, key, value)


def sources_seq(sources: list[dict[str, Any]]) -> CommentedSeq:
    seq = CommentedSeq()
    for source in sources:
        entry = CommentedMap()
        entry["title"] = DoubleQuotedScalarString(source["title"])
        entry["url"] = DoubleQuotedScalarString(source["url"])
        entry["accessed"] = source["accessed"]
        seq.append(entry)
    return seq


def note_map(fields: Mapping[str, Any]) -> CommentedMap:
    item = CommentedMap()
    for key, value in fields.items():
        set(item, key, value)
    return item


def item_text(item: CommentedMap) -> str:
    """One note as a list item, in the notes files' style (``- id: …``, nested lists indented),
    without the blank lines or comments that follow it in the file."""
    out = io.StringIO()
    yaml().dump(CommentedSeq([item]), out)
    lines = [line[2:] if line.startswith("  ") else line for line in out.getvalue().split("\n")]
    while lines and (not lines[-1].strip() or lines[-1].startswith("#")):
        lines.pop()
    return "\n".join(lines) + "\n"


def item_of(text: str, path: Path, note_id: str) -> tuple[CommentedSeq, int]:
    data = yaml().load(text)
    for index, item in enumerate(data):
        if isinstance(item, CommentedMap) and item.get("id") == note_id:
            return data, index
    raise NoteError(f"no note has the id {note_id!r} in this file", path)


def replace_item(text: str, data: CommentedSeq, index: int, replacement: str | None) -> str:
    """*text* with the lines of note *index* replaced by *replacement* (None: removed, with the
    comment lines directly above it and the blank lines that separated it from the note before)."""
    lines = text.split("\n")
    start = data.lc.item(index)[0]
    following = data.lc.item(index + 1)[0] if index + 1 < len(data) else len(lines)
    end = start
    for number in range(start, following):
        line = lines[number]
        if line.strip() and not line.startswith("#"):
            end = number
    if replacement is not None:
        return "\n".join([*lines[:start], replacement.rstrip("\n"), *lines[end + 1 :]])
    while start > 0 and lines[start - 1].startswith("#"):
        start -= 1
    while start > 0 and not lines[start - 1].strip():
        start -= 1
    kept = [*lines[:start], *lines[end + 1 :]]
    result = "\n".join(kept)
    return result.rstrip("\n") + "\n" if result.strip() else ""
