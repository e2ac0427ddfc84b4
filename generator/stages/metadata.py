"""An article's metadata from its front matter and, where that is silent, from its header.

:class:`Found` collects what the header's lines say as the cleaner reads them (header rules'
named groups, bylines, datelines, the masthead, the first part of a navigation bar);
:func:`meta_of` makes the :class:`Meta`: the front matter wins over all of it, a header rule's
group over the built-in reading, and among dates the first publication over an "Updated" date.
A date that is not one ("February 30, 2017") and an article without any title are said, as
warnings, never passed over.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import regex

from generator.errors import Problem
from generator.inputs.articles import Source
from generator.inputs.rules import Rule
from generator.model import Block, Meta
from generator.stages import dates as dating
from generator.stages import header as reader

FALLBACK_TITLE_WORDS = 10
"""An article without a title is shown under its first words, this many at most."""


@dataclass
class Found:
    """What the header says, field by field, with where each value was read."""

    values: dict[str, tuple[str, str, int]] = field(default_factory=dict)
    """Field → (value, rule id or the cleaner's reason, line), first one wins."""
    dates: list[tuple[dating.FoundDate, str, int]] = field(default_factory=list)
    """Dates of bylines and datelines, in order, with the rule id and line."""
    outlets: list[tuple[str, str, int]] = field(default_factory=list)
    """Outlets named on datelines and outlet lines (the publisher)."""
    byline_outlets: list[tuple[str, int]] = field(default_factory=list)
    """Outlets named on bylines (the publisher, or where a republished text first appeared)."""
    mastheads: list[tuple[str, str, int]] = field(default_factory=list)
    """Names above the headline (a masthead, the first part of the navigation bar)."""
    rule_dates: dict[str, tuple[str, str, int]] = field(default_factory=dict)
    """``date``/``original_date`` as a header rule read them, not yet parsed."""
    title_line: int | None = None
    """The line of the headline, once known: names above it may be the site's."""

    def has(self, name: str) -> bool:
        return name in self.values

    def set(self, name: str, value: str, how: str, line: int) -> None:
        value = " ".join(value.split())
        if value and name not in self.values:
            self.values[name] = (value, how, line)

    def from_rule(self, rule: Rule, match: regex.Match[str], line: int) -> None:
        for name, value in match.groupdict().items():
            if not value or not value.strip():
                continue
            if name in ("date", "original_date"):
                self.rule_dates.setdefault(name, (value.strip(), rule.id, line))
            else:
                self.set(name, value, rule.id, line)

    def from_header(self, line: reader.HeaderLine, how: str, at: int) -> None:
        if line.authors and not self.has("author"):
            names = line.authors
            self.set("author", names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1], how, at)
        self.dates += [(date, how, at) for date in line.dates]
        if line.kind == "byline":
            self.byline_outlets += [(outlet, at) for outlet in line.outlets]
        else:
            self.outlets += [(outlet, how, at) for outlet in line.outlets]
        if line.original:
            self.set("original_publisher", line.original, how, at)

    def navigation(self, text: str, line: int) -> None:
        """A line of chrome in the header: the first part of a navigation bar may be the site's name."""
        if reader.navigation(text):
            name = reader.first_part(text)
            camel = len(name.split()) == 1 and "-" not in name and sum(c.isupper() for c in name) >= 2
            if reader.masthead(name) and (len(name.split()) > 1 or camel):
                self.mastheads.append((reader.publisher_name(name), "navigation", line))

    def above_headline(self, text: str, line: int) -> None:
        if reader.masthead(text):
            self.mastheads.append((reader.publisher_name(text), "masthead", line))


def meta_of(source: Source, found: Found, blocks: list[Block]) -> tuple[Meta, list[Problem]]:
    """The article's metadata (front matter first, then the header), and the warnings about it."""
    front = source.front
    problems: list[Problem] = []
    values = dict(found.values)
    title_line = found.title_line
    above = [(n, how, at) for n, how, at in found.mastheads if title_line is None or at < title_line]
    masthead = next((m for m in above if m[1] == "masthead"), None)
    if found.outlets:
        values.setdefault("publisher", found.outlets[0])
    for outlet, at in found.byline_outlets[:1]:
        # A byline naming another outlet than the site's masthead: the site republished the text.
        if masthead and _norm(masthead[0]) != _norm(outlet) and "publisher" not in values:
            values.setdefault("original_publisher", (outlet, "byline", at))
        else:
            values.setdefault("publisher", (outlet, "byline", at))
    if above:
        values.setdefault("publisher", masthead or above[0])
    dates: dict[str, dt.date | None] = {}
    provenance: dict[str, str] = {}
    for name in ("date", "original_date"):
        dates[name] = getattr(front, name)
        if dates[name] is not None:
            continue
        if name in found.rule_dates:
            raw, rule, line = found.rule_dates[name]
            dates[name] = dating.parse_date(raw)
            if dates[name] is None:
                problems.append(_bad_date(source, line, f"rule {rule!r} read the {_label(name)} {raw!r}", name))
            else:
                provenance[name] = rule
        elif name == "date" and found.dates:
            chosen = dating.choose([d for d, _, _ in found.dates])
            at = next((how, line) for d, how, line in found.dates if d is chosen)
            if chosen is not None and chosen.date is None:
                problems.append(_bad_date(source, at[1], f"the header gives the date {chosen.raw!r}", name, chosen))
            elif chosen is not None:
                dates[name], provenance[name] = chosen.date, at[0]
    title = front.title
    if title is None and "title" in values:
        title, provenance["title"] = values["title"][0], values["title"][1]
    if title is None:
        title = _fallback_title(blocks)
        problems.append(
            Problem(
                f"the article has no title: its front matter gives none and no line of its header reads as a headline; "
                f"it is shown as {title!r} until you add 'title: …' to its front matter (or a headline line on top)",
                source.path,
                1,
            )
        )

    def pick(name: str) -> str | None:
        value = getattr(front, name)
        if value is None and name in values:
            provenance[name] = values[name][1]
            return values[name][0]
        return value

    meta = Meta(
        title=title,
        date=dates["date"],
        author=pick("author"),
        publisher=pick("publisher"),
        url=front.url,
        language=front.language,
        original_publisher=pick("original_publisher"),
        original_date=dates["original_date"],
        original_url=front.original_url,
        archived=front.archived,
        sha256=front.sha256,
        tags=tuple(front.tags),
        sources=dict(sorted(provenance.items())),
    )
    return meta, problems


def _label(name: str) -> str:
    return "date of first publication" if name == "original_date" else "date"


def _bad_date(source: Source, line: int, what: str, name: str, found: dating.FoundDate | None = None) -> Problem:
    """The warning for a date read from the header that cannot be used; *what* says who read
    which text, *found* is the date as read (None when nothing in it reads as a date)."""
    if found is None:
        dates = dating.find_dates(what)
        found = dates[0] if dates else None
    if found is not None and found.problem.startswith("it "):
        why = f"but {found.problem}"
    elif found is not None:
        why = "which is not a date of the calendar"
    else:
        why = "which does not read as a date"
    return Problem(
        f"{what}, {why}; the article is published without a {_label(name)}. Add {name}: YYYY-MM-DD to its front matter",
        source.path,
        line,
    )


def _fallback_title(blocks: list[Block]) -> str:
    words = blocks[0].text.split() if blocks else []
    head = " ".join(words[:FALLBACK_TITLE_WORDS])
    return head + ("…" if len(words) > FALLBACK_TITLE_WORDS else "") or "Untitled"


def _norm(text: str) -> str:
    return " ".join(text.casefold().replace("the ", "").split())
