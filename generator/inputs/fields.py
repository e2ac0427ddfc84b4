"""Checks shared by the input files' schemas: dates written as dates, texts that say something.

YAML and pydantic are lenient where an editor's slip should be caught: ``date: 0`` is read as
the Unix epoch (published as 1 January 1970), and ``title: ' '`` is a title of one space (an
empty heading). These validators refuse both, in words that say what to write instead.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from pydantic_core import PydanticCustomError

ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
MAX_TAG = 100
"""Longest tag: a tag is a short label, and it names a page of the site (a file name)."""


def plain_date(value: Any) -> Any:
    """A ``mode="before"`` validator for a date field: a YAML date, or a ``YYYY-MM-DD`` string
    (a date-time keeps its date); numbers and other strings are refused."""
    if value is None or (isinstance(value, dt.date) and not isinstance(value, dt.datetime)):
        return value
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, bool) or isinstance(value, (int, float)):
        raise PydanticCustomError(
            "date_number",
            "{value} is a number, not a date; write the date as YYYY-MM-DD, e.g. 2017-07-12",
            {"value": repr(value)},
        )
    if isinstance(value, str) and ISO_DATE.match(value.strip()):
        return value.strip()
    raise PydanticCustomError(
        "date_format", "{value} is not a date written as YYYY-MM-DD (e.g. 2017-07-12)", {"value": repr(value)}
    )


def has_words(value: str) -> bool:
    """Whether *value* holds at least one letter or digit (spaces, no-break spaces and
    zero-width characters alone are blank)."""
    return any(char.isalnum() for char in value)


def words(what: str, one_line: bool = True) -> Any:
    """A validator for a text field described as *what* ("the article's title"): it must hold a
    letter or digit and, with *one_line*, no line break."""

    def check(value: Any) -> Any:
        if isinstance(value, str):
            if not has_words(value):
                raise PydanticCustomError(
                    "blank", "{value} is blank (no letter or digit); write {what}", {"value": repr(value), "what": what}
                )
            if one_line and ("\n" in value.strip() or "\r" in value):
                raise PydanticCustomError("lines", "is on more than one line; write {what} on one line", {"what": what})
        return value

    return check


def tag(value: Any) -> Any:
    """A validator for one tag: a short label with a letter or digit, on one line."""
    if isinstance(value, str):
        words("a word or two")(value)
        if len(value) > MAX_TAG:
            raise PydanticCustomError(
                "tag_length",
                "a tag of {length} characters; a tag is a short label (at most {limit})",
                {"length": f"{len(value):,}", "limit": MAX_TAG},
            )
    return value
