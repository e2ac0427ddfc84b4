"""Fingerprints of plain values: the same value gives the same hash in every run, on every machine.

A page's key is the fingerprint of the function that renders it and of its arguments (see
:mod:`generator.render.plan`), so the encoding must depend on the value only: strings, numbers,
dates, paths, tuples and lists, dicts (by sorted key), and frozen dataclasses (by class and
fields). Anything else (a set, whose order varies between runs; an open file) is refused with a
``TypeError``, so an argument that cannot be fingerprinted is a failing test, not a key that
changes by chance. An object may stand for itself with a ``fingerprint`` attribute (a string),
as a reference to a stored value does.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from pathlib import PurePath


class Fingerprints:
    """Computes fingerprints, remembering those of the frozen dataclasses it has seen (a run
    shows the same article summary to many pages; each is encoded once)."""

    def __init__(self) -> None:
        self._seen: dict[int, tuple[object, bytes]] = {}
        self._kinds: dict[type, tuple[bool, bytes, tuple[str, ...]]] = {}

    def of(self, *values: object) -> str:
        """The fingerprint of *values*, as 64 hexadecimal digits."""
        digest = hashlib.sha256()
        for value in values:
            digest.update(self._encode(value))
        return digest.hexdigest()

    def _encode(self, value: object) -> bytes:
        # The commonest kinds first, by exact type (a page's arguments are mostly tuples of
        # strings and of values seen before); then every kind by isinstance, in an order where
        # a subclass comes before its base (bool before int, datetime is a date).
        kind = type(value)
        if kind is str:
            data = value.encode("utf-8")  # type: ignore[attr-defined]
            return b"s%d:" % len(data) + data
        if kind is tuple:
            return b"(" + b"".join([self._encode(item) for item in value]) + b")"  # type: ignore[attr-defined]
        seen = self._seen.get(id(value))
        if seen is not None and seen[0] is value:
            return seen[1]
        if value is None:
            return b"N"
        if isinstance(value, bool):
            return b"T" if value else b"F"
        if isinstance(value, str):
            data = value.encode("utf-8")
            return b"s%d:" % len(data) + data
        if isinstance(value, int):
            return b"i%d;" % value
        if isinstance(value, float):
            return b"f" + value.hex().encode() + b";"
        if isinstance(value, bytes):
            return b"b%d:" % len(value) + value
        if isinstance(value, dt.date):  # datetime is a date too
            return b"d" + value.isoformat().encode() + b";"
        if isinstance(value, PurePath):
            return b"p" + self._encode(value.as_posix())
        if isinstance(value, tuple | list):
            return b"(" + b"".join([self._encode(item) for item in value]) + b")"
        if isinstance(value, dict):
            items = sorted(value.items(), key=lambda kv: str(kv[0]))
            return b"{" + b"".join(self._encode(k) + self._encode(v) for k, v in items) + b"}"
        own = getattr(value, "fingerprint", None)
        if isinstance(own, str):
            return b"r" + self._encode(own)
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            return self._dataclass(value)
        raise TypeError(f"cannot fingerprint a {type(value).__name__}: give a value made of plain data")

    def _dataclass(self, value: object) -> bytes:
        kind = self._kinds.get(type(value))
        if kind is None:
            kind = self._kinds[type(value)] = _kind(type(value))
        frozen, name, fields = kind
        parts = [self._encode(getattr(value, field)) for field in fields]
        encoded = b"D" + hashlib.sha256(name + b"".join(parts)).digest()
        if frozen:
            self._seen[id(value)] = (value, encoded)
        return encoded


def _kind(cls: type) -> tuple[bool, bytes, tuple[str, ...]]:
    """Whether instances of the dataclass *cls* are frozen, its name encoded, its fields' names."""
    name = f"{cls.__module__}.{cls.__qualname__}".encode()
    fields = tuple(field.name for field in dataclasses.fields(cls))
    return cls.__dataclass_params__.frozen, b"s%d:" % len(name) + name, fields  # type: ignore[attr-defined]
