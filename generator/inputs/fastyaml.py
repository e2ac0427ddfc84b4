"""A fast path for the simple YAML an archive is made of (front matter, notes files).

ruamel.yaml's round-trip loader is pure Python: about 10 ms for a short notes file, which at
10,000 articles costs more than the language model. libyaml (through PyYAML's C parser) reads
the same text in a fraction of that. This module builds, from libyaml's events, exactly what
:func:`generator.inputs.yamlio.parse` returns — ruamel's ``CommentedMap``/``CommentedSeq`` with the
line and column of every key, value and item — and resolves plain scalars as ruamel does under
YAML 1.2.

It only handles what it can resolve without doubt: one document; no tags, anchors or aliases;
string keys, each once; plain scalars that are text, ``null``, ``true``/``false``, a decimal
integer or a ``YYYY-MM-DD`` date. For anything else (a plain scalar starting with a digit or
a sign that is not one of those, a syntax error, a duplicate key …) :func:`load` returns
:data:`FALLBACK` and the caller uses ruamel, which also gives the exact error message.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq

try:
    import yaml
    from yaml import CBaseLoader  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - PyYAML without libyaml: always use ruamel
    CBaseLoader = None

FALLBACK = object()
"""Returned when the text needs ruamel's loader."""

_NULL = frozenset({"~", "null", "Null", "NULL"})
_TRUE = frozenset({"true", "True", "TRUE"})
_FALSE = frozenset({"false", "False", "FALSE"})
_INT = re.compile(r"(?:0|[1-9][0-9]*)\Z")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")
_DOUBTFUL_START = frozenset("0123456789+-.")
"""Plain scalars starting with these may be numbers, dates or times: left to ruamel."""


class _Fallback(Exception):
    pass


def load(text: str) -> Any:
    """The YAML document *text* as ruamel's round-trip loader builds it, or :data:`FALLBACK`."""
    if CBaseLoader is None:
        return FALLBACK
    try:
        events = list(yaml.parse(text, Loader=CBaseLoader))
    except (yaml.YAMLError, ValueError):
        return FALLBACK
    try:
        return _Builder(events).document()
    except _Fallback:
        return FALLBACK


def _scalar(event: Any) -> Any:
    if event.anchor is not None or event.tag not in (None, "!"):
        raise _Fallback
    value = event.value
    if event.style:  # quoted or block scalar (plain is ''): always text
        return value
    if not value:
        raise _Fallback  # ruamel places an empty value at the next token: leave it to ruamel
    if value in _NULL:
        return None
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    if value[0] in _DOUBTFUL_START:
        if _INT.match(value):
            return int(value)
        if _DATE.match(value):
            try:
                return dt.date.fromisoformat(value)
            except ValueError:
                raise _Fallback from None
        raise _Fallback
    return value


MAX_DEPTH = 32
"""Nesting the fast path builds; deeper documents take the careful path."""


class _Builder:
    def __init__(self, events: list[Any]) -> None:
        self.events = events
        self.index = 0
        self.depth = 0

    def next(self) -> Any:
        event = self.events[self.index]
        self.index += 1
        return event

    def document(self) -> Any:
        kinds = [type(e).__name__ for e in self.events]
        if kinds.count("DocumentStartEvent") != 1:
            # An empty stream is None for ruamel too; several documents are an error there.
            if kinds == ["StreamStartEvent", "StreamEndEvent"]:
                return None
            raise _Fallback
        self.index = 2  # StreamStart, DocumentStart
        value = self.node()
        if type(self.next()).__name__ != "DocumentEndEvent":
            raise _Fallback
        return value

    def node(self) -> Any:
        # Deep nesting goes to the careful loader, which refuses it with a message (and the
        # recursion here stays far from Python's limit).
        if self.depth >= MAX_DEPTH:
            raise _Fallback
        self.depth += 1
        try:
            return self._node()
        finally:
            self.depth -= 1

    def _node(self) -> Any:
        event = self.next()
        kind = type(event).__name__
        if kind == "ScalarEvent":
            return _scalar(event)
        if getattr(event, "anchor", None) is not None or getattr(event, "tag", None) not in (None, "!"):
            raise _Fallback
        if kind == "MappingStartEvent":
            mapping = CommentedMap()
            mapping._yaml_set_line_col(event.start_mark.line, event.start_mark.column)
            while type(self.events[self.index]).__name__ != "MappingEndEvent":
                key_event = self.next()
                if type(key_event).__name__ != "ScalarEvent":
                    raise _Fallback
                key = _scalar(key_event)
                if not isinstance(key, str) or isinstance(key, bool) or key in mapping:
                    raise _Fallback
                value_event = self.events[self.index]
                mapping[key] = self.node()
                mapping._yaml_set_kv_line_col(
                    key,
                    [
                        key_event.start_mark.line,
                        key_event.start_mark.column,
                        value_event.start_mark.line,
                        value_event.start_mark.column,
                    ],
                )
            self.index += 1
            return mapping
        if kind == "SequenceStartEvent":
            sequence = CommentedSeq()
            sequence._yaml_set_line_col(event.start_mark.line, event.start_mark.column)
            while type(self.events[self.index]).__name__ != "SequenceEndEvent":
                item_event = self.events[self.index]
                sequence.append(self.node())
                sequence._yaml_set_idx_line_col(
                    len(sequence) - 1, [item_event.start_mark.line, item_event.start_mark.column]
                )
            self.index += 1
            return sequence
        raise _Fallback  # an alias
