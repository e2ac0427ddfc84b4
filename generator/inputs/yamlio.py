"""Reading YAML safely, keeping line numbers for error messages.

ruamel.yaml's round-trip loader is used because it records where every key and item came from
and refuses duplicate keys. It builds only plain mappings, sequences and scalars: no tag can
construct a Python object.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pydantic
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq, TaggedScalar
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.events import AliasEvent, CollectionEndEvent, CollectionStartEvent, ScalarEvent

from generator.errors import ArchiveError
from generator.inputs import fastyaml, yaml_errors

MAX_YAML_BYTES = 1_000_000
"""Largest YAML file or front matter block accepted (1 MB)."""
MAX_YAML_DEPTH = 32
"""Deepest nesting of mappings and sequences accepted (the archive's files need four levels)."""


def _yaml() -> YAML:
    yaml = YAML(typ="rt")
    yaml.allow_duplicate_keys = False
    return yaml


def parse(text: str, path: Path | str, error: type[ArchiveError], first_line: int = 1) -> Any:
    """Parse YAML *text*; *first_line* is the file line where *text* starts.

    Raises *error* naming ``path:line`` for a syntax error, a duplicate key, or a custom tag.
    """
    if len(text.encode("utf-8")) > MAX_YAML_BYTES:
        raise error(f"YAML is larger than {MAX_YAML_BYTES} bytes; split it or shorten it", path)
    data = fastyaml.load(text)
    if data is not fastyaml.FALLBACK:
        return data
    try:
        _check_events(text, path, error, first_line)
        data = _yaml().load(text)
    except RecursionError:
        raise error(f"YAML is nested more than {MAX_YAML_DEPTH} levels deep; flatten it", path) from None
    except MarkedYAMLError as exc:
        message, line, column = yaml_errors.syntax(exc, text, error)
        raise error(
            message,
            path,
            line + first_line if line is not None else None,
            column + 1 if column is not None and line is not None else None,
        ) from None
    except YAMLError as exc:
        raise error(f"YAML cannot read this file ({exc}); check its quotes and indentation", path) from None
    except ValueError as exc:  # ruamel's own failure on an escape such as "\U0011ffff" (beyond Unicode)
        raise error(
            f"YAML cannot read this file ({exc}); write the character itself, or a \\u escape of a real one", path
        ) from None
    _reject_tags(data, path, error, first_line)
    return data


def _check_events(text: str, path: Path | str, error: type[ArchiveError], first_line: int) -> None:
    """Refuse anchors and aliases (an alias "bomb" expands a small file into billions of items),
    explicit tags (``!!python/object``, ``!!binary``…) and deep nesting, naming the line.

    Events are read one by one and the check stops at the first problem, so a deeply nested
    file costs no more than its first levels."""
    depth = 0
    for event in _yaml().parse(text):
        line = event.start_mark.line + first_line
        if isinstance(event, AliasEvent) or getattr(event, "anchor", None):
            raise error(
                "YAML anchors and aliases (&name, *name, <<) are not allowed; write the value out "
                '(a value that starts with * or & must be in double quotes: "*emphasis* …")',
                path,
                line,
            )
        tag = getattr(event, "tag", None)
        if tag:
            raise error(f"YAML tags such as {tag!r} are not allowed; write a plain value", path, line)
        if isinstance(event, ScalarEvent) and event.style is None:
            _check_date(event.value, path, error, line)
        if isinstance(event, CollectionStartEvent):
            depth += 1
            if depth > MAX_YAML_DEPTH:
                raise error(f"YAML is nested more than {MAX_YAML_DEPTH} levels deep; flatten it", path, line)
        elif isinstance(event, CollectionEndEvent):
            depth -= 1


DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:$|[Tt ])")


def _check_date(value: str, path: Path | str, error: type[ArchiveError], line: int) -> None:
    """A plain value that YAML reads as a date must be a real one (ruamel would fail without a line)."""
    found = DATE.match(value)
    if found:
        try:
            dt.date(*(int(part) for part in found.groups()))
        except ValueError as exc:
            raise error(f"invalid date {value!r}: {exc}; write it as YYYY-MM-DD", path, line) from None


def _reject_tags(node: Any, path: Path | str, error: type[ArchiveError], first_line: int) -> None:
    if isinstance(node, TaggedScalar):
        raise error(f"YAML tags such as {node.tag.value!r} are not allowed", path)
    if isinstance(node, dict):
        for value in node.values():
            _reject_tags(value, path, error, first_line)
    elif isinstance(node, list):
        for value in node:
            _reject_tags(value, path, error, first_line)


def line_of(node: Any, loc: Sequence[str | int], first_line: int = 1) -> int | None:
    """The 1-based line of the item at *loc* inside *node* (as given by a pydantic error)."""
    line: int | None = None
    for key in loc:
        if isinstance(node, CommentedMap) and key in node:
            line = node.lc.key(key)[0] + first_line
            node = node[key]
        elif isinstance(node, CommentedSeq) and isinstance(key, int) and key < len(node):
            line = node.lc.item(key)[0] + first_line
            node = node[key]
        else:
            if isinstance(node, (CommentedMap, CommentedSeq)) and line is None:
                line = node.lc.line + first_line
            break
    return line


def plain(node: Any) -> Any:
    """Turn ruamel's commented containers into plain dicts, lists and scalars."""
    if isinstance(node, dict):
        return {str(k): plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return [plain(v) for v in node]
    if isinstance(node, dt.datetime):
        return node
    if isinstance(node, str):
        return str(node)
    return node


def validate(
    model: type[pydantic.BaseModel],
    node: Any,
    path: Path | str,
    error: type[ArchiveError],
    first_line: int = 1,
    what: str = "",
) -> Any:
    """Validate *node* with *model*; the first problem is raised as *error* naming file:line."""
    try:
        return model.model_validate(plain(node))
    except pydantic.ValidationError as exc:
        problem = exc.errors()[0]
        loc = problem["loc"]
        line = line_of(node, loc, first_line)
        label = f"{what}: " if what else ""
        fields = list(model.model_fields) if len(loc) == 1 else []
        words = yaml_errors.field(problem, fields)
        raise error(f"{label}{yaml_errors.location(loc) or 'value'}: {words}", path, line) from None


def dump(data: Any, stream: Any) -> None:
    """Write *data* (as loaded by :func:`parse`) back as YAML, comments and order kept."""
    _yaml().dump(data, stream)
