"""The document model's values as they travel between processes (the spill, the workers' pipes)."""

from __future__ import annotations

import dataclasses
import pickle

import pytest

from generator.model import Span
from generator.stages.entities import Mention, Occurrence

VALUES = [
    Span(3, 9, "link", "https://example.org/"),
    Mention(4, 10, "Haftar", "PERSON", "khalifa-haftar", (0, 42)),
    Occurrence("khalifa-haftar", 2, 4, 10, "Haftar", (0, 42), "m-khalifa-haftar-1", True),
]


@pytest.mark.parametrize("value", VALUES, ids=lambda v: type(v).__name__)
def test_a_slotted_value_is_pickled_as_its_fields_in_order(value: object) -> None:
    # Each of these writes its own __reduce__ (the default of a slotted dataclass is three times
    # as slow); a field added to the class but not to __reduce__ would be lost on the way.
    names = [f.name for f in dataclasses.fields(value)]  # type: ignore[arg-type]
    assert value.__reduce__()[1] == tuple(getattr(value, name) for name in names)
    for protocol in range(2, pickle.HIGHEST_PROTOCOL + 1):
        again = pickle.loads(pickle.dumps(value, protocol=protocol))  # noqa: S301 (made here)
        assert again == value and type(again) is type(value)
