"""Dates as news headers write them: "March 4, 2024", "Mon 4 Mar 2024 09.12 GMT", "Sept. 12,
2023", "June 5th, 2022", "2022-11-30", "18/01/2024", "Posted: 3 May 2021 | Last updated: 4 May
2021", "Updated 2 days ago".

:func:`find_dates` finds every date in a line, each with what it dates (``published``,
``updated`` or neither, from the word before it in its part of the line) and, when it cannot be
a date of the calendar ("February 30, 2017") or reads two ways ("03/04/2024"), the reason.
:func:`date_line` says whether a line holds nothing but dates, times, time zones and their
labels, so that the header reader can take the whole line as the article's dateline.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Literal

MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9,
    "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
_MONTH = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>\d{4})"
_FORMS = (
    re.compile(rf"\b{_MONTH}\s+{_DAY},?\s+{_YEAR}\b", re.IGNORECASE),  # March 4, 2024 · Sept. 12, 2023
    re.compile(rf"\b{_DAY}\s+(?:of\s+)?{_MONTH},?\s+{_YEAR}\b", re.IGNORECASE),  # 4 March 2024 · 06 Nov 2023
    re.compile(r"\b(?P<year>\d{4})-(?P<month>\d{1,2})-(?P<day>\d{1,2})\b"),  # 2022-11-30
    re.compile(r"\b(?P<first>\d{1,2})/(?P<second>\d{1,2})/(?P<year>\d{4})\b"),  # 18/01/2024
)
WEEKDAYS = r"(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(?:day|sday|nesday|urday|rsday)?\.?"
_UPDATED = re.compile(r"\b(?:updated|last\s+updated|last\s+modified|modified|edited|revised)\b", re.IGNORECASE)
_PUBLISHED = re.compile(r"\b(?:published|first\s+published|posted|date|filed|released)\b", re.IGNORECASE)
_PARTS = re.compile(r"\s+[|·•—–]\s+|\s+-\s+|\s*\|\s*")
_RELATIVE = re.compile(
    r"\b(?:\d+|an?|one|two|few)\s+(?:second|minute|min|hour|hr|day|week|month|year)s?\s+ago\b"
    r"|\b(?:yesterday|today|just now)\b",
    re.IGNORECASE,
)
_TIME = re.compile(r"\b\d{1,2}(?:[:.]\d{2}){1,2}(?:\s*[ap]\.?\s?m\.?)?|\b\d{1,2}\s*[ap]\.?m\.?(?=\W|$)", re.IGNORECASE)
_ZONES = (
    r"GMT|BST|UTC|CET|CEST|EET|EEST|WET|WEST|EST|EDT|CST|CDT|MST|MDT|PST|PDT|ET|CT|MT|PT|IST|JST|AEST|AEDT|"
    r"SAST|UK|Z|local\s+time"
)
_NOISE = re.compile(
    rf"\b(?:{WEEKDAYS}|{_ZONES}|updated|last|modified|published|first|posted|edited|revised|date|filed|"
    r"released|on|at|am|pm|a\.m\.|p\.m\.|\d+\s*(?:-?\s*)?(?:min(?:ute)?s?)\s+read)\b|\d+\s*min\s+read",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class FoundDate:
    """One date written in a line."""

    start: int
    end: int
    raw: str
    """The date as written."""
    date: dt.date | None
    """The date, or None when it cannot be read as one (see :attr:`problem`)."""
    kind: Literal["published", "updated", "plain"]
    """What it dates, from the word before it in its part of the line."""
    problem: str = ""
    """Why it is not a date: "not a date of the calendar", "it reads as … or as …"."""


def _number(value: str) -> int:
    return MONTHS[value.lower().rstrip(".")] if not value.isdigit() else int(value)


def _make(year: int, month: int, day: int) -> tuple[dt.date | None, str]:
    try:
        return dt.date(year, month, day), ""
    except ValueError:
        return None, "not a date of the calendar"


def find_dates(text: str) -> list[FoundDate]:
    """Every date in *text*, in order (overlapping forms give the first, longest one)."""
    found: list[FoundDate] = []
    taken: list[tuple[int, int]] = []
    for form in _FORMS:
        for match in form.finditer(text):
            if any(match.start() < end and start < match.end() for start, end in taken):
                continue
            groups = match.groupdict()
            year = int(groups["year"])
            if "first" in groups:
                date, problem = _numeric(year, int(groups["first"]), int(groups["second"]))
            else:
                date, problem = _make(year, _number(groups["month"]), int(groups["day"]))
            taken.append((match.start(), match.end()))
            found.append(
                FoundDate(match.start(), match.end(), match.group(0), date, _kind(text, match.start()), problem)
            )
    return sorted(found, key=lambda d: d.start)


def _numeric(year: int, first: int, second: int) -> tuple[dt.date | None, str]:
    """``18/01/2024`` (day first) or ``01/18/2024`` (month first); ``03/04/2024`` reads both ways."""
    if first > 12 or first == second:
        return _make(year, second, first)
    if second > 12:
        return _make(year, first, second)
    day_first, month_first = _make(year, second, first)[0], _make(year, first, second)[0]
    if day_first and month_first:
        return None, f"it reads as {_long(day_first)} or as {_long(month_first)}"
    return day_first or month_first, "" if (day_first or month_first) else "not a date of the calendar"


def _long(date: dt.date) -> str:
    return f"{date.day} {date.strftime('%B')} {date.year}"


def _kind(text: str, start: int) -> Literal["published", "updated", "plain"]:
    """Whether the part of *text* before *start* (back to the last separator) says "updated" or
    "published"."""
    before = _PARTS.split(text[:start])[-1]
    if _UPDATED.search(before):
        return "updated"
    if _PUBLISHED.search(before):
        return "published"
    return "plain"


def parse_date(value: str) -> dt.date | None:
    """The one date *value* holds ("July 12, 2017", "10 July 2017"), or None."""
    dates = find_dates(value)
    return dates[0].date if len(dates) == 1 else None


def date_line(text: str) -> tuple[list[FoundDate], bool]:
    """The dates of *text*, and whether the line is a dateline: nothing but dates (or a relative
    date such as "2 hours ago"), times, time zones, weekdays, their labels and separators."""
    dates = find_dates(text)
    rest = text
    for date in reversed(dates):
        rest = rest[: date.start] + " " + rest[date.end :]
    relative = bool(_RELATIVE.search(rest))
    rest = _RELATIVE.sub(" ", rest)
    rest = _TIME.sub(" ", rest)
    rest = _NOISE.sub(" ", rest)
    return dates, bool(dates or relative) and not re.search(r"[^\W_]", rest)


def choose(dates: list[FoundDate]) -> FoundDate | None:
    """The date of first publication among *dates*: the first one labelled published, else the
    first unlabelled one, else (when it is the only kind given) the first "updated" one."""
    for kind in ("published", "plain", "updated"):
        for date in dates:
            if date.kind == kind:
                return date
    return None
