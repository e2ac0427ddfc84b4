"""``archive rules suggest``: chrome that repeats across an archive, proposed as rules.

A line that stands, word for word, in three or more articles of the same publisher is almost
always the publisher's: a masthead, a footer, a newsletter box. Numbers and dates are set aside
when lines are compared ("© 2023 …" and "© 2024 …" are the same line). Each such line is listed
with the number of articles it is in and an example (file and line), and with what the cleaner
does with it today: already removed (by which rule), or kept — for those a rule is proposed, in
the rules files' own format, to paste into a rules file named after the publisher. Nothing is
removed until an editor adds the rule.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import regex

from generator.errors import ArchiveError
from generator.inputs.articles import find_sources, read_source
from generator.inputs.blocks import split_blocks
from generator.inputs.inline import parse_inline
from generator.inputs.rules import load_rules
from generator.inputs.tables import is_table
from generator.model import Article
from generator.settings import Settings
from generator.stages.clean import clean_source
from generator.stages.dates import find_dates

MIN_ARTICLES = 3
"""A line in this many articles of one publisher is proposed."""
MAX_LINE = 300
"""Longer lines are compared whole but proposed as a rule on their first words."""
DATE_PATTERN = (
    r"(?:\p{L}{3,9}\.? \d{1,2}(?:st|nd|rd|th)?,? \d{4}|\d{1,2}(?:st|nd|rd|th)? \p{L}{3,9}\.?,? \d{4}"
    r"|\d{4}-\d{1,2}-\d{1,2}|\d{1,2}/\d{1,2}/\d{4})"
)
"""What a date placeholder stands for in a proposed pattern."""
_DATE = "\x00DATE\x00"
_NUMBER = "\x00N\x00"


@dataclass
class Occurrence:
    path: Path
    line: int
    text: str
    """The line's plain text, as the cleaner reads it."""
    removed_by: str | None
    """The rule (or the cleaner's reason) that removes it, or None if it is kept."""


@dataclass
class Repeated:
    """One line found in several articles of a publisher."""

    publisher: str | None
    key: str
    """The line with its numbers and dates set aside."""
    occurrences: list[Occurrence] = field(default_factory=list)

    @property
    def articles(self) -> int:
        return len({o.path for o in self.occurrences})

    @property
    def kept(self) -> list[Occurrence]:
        return [o for o in self.occurrences if o.removed_by is None]


def normal(text: str) -> str:
    """*text* with its dates and numbers set aside and its spacing made plain."""
    text = " ".join(text.split())
    for date in reversed(find_dates(text)):
        text = text[: date.start] + _DATE + text[date.end :]
    return re.sub(r"\d+", _NUMBER, text)


def suggest(settings: Settings, min_articles: int = MIN_ARTICLES) -> tuple[list[Repeated], list[ArchiveError]]:
    """Every line in *min_articles* or more articles of one publisher, most frequent first, and
    the problems of the files that could not be read."""
    rules = load_rules(settings.rules)
    paths, errors = find_sources(settings.articles)
    found: dict[tuple[str | None, str], Repeated] = {}
    for path in paths:
        try:
            source = read_source(path)
            article = clean_source(source, rules).article
        except ArchiveError as exc:
            errors.append(exc)
            continue
        publisher = article.meta.publisher
        for occurrence in _lines(source.body, source.body_line, article):
            key = normal(occurrence.text)
            if len(key) < 3 or not re.search(r"[^\W\d_]", key):
                continue
            entry = found.setdefault(((publisher or "").casefold() or None, key), Repeated(publisher, key))
            if all(o.path != path for o in entry.occurrences):
                entry.occurrences.append(occurrence)
    repeated = [r for r in found.values() if r.articles >= min_articles]
    repeated.sort(key=lambda r: (-r.articles, (r.publisher or "").casefold(), r.key))
    return repeated, errors


def _lines(body: str, first_line: int, article: Article) -> list[Occurrence]:
    """Each line of the body with what the cleaner does with it."""
    removals = {removal.line: removal.rule for removal in article.removals if not removal.kept_words}
    kept = {block.line: block.text for block in article.blocks}
    out = []
    for start, text in split_blocks(body, first_line):
        if is_table(text):
            continue  # a table is kept or removed whole, never line by line: its rows are no chrome lines
        lines = text.split("\n")
        block_removal = removals.get(start) if start not in kept else None
        for offset, raw in enumerate(lines):
            plain = " ".join(parse_inline(raw.strip())[0].split())
            if not plain:
                continue
            number = start + offset
            removed_by = removals.get(number)
            if removed_by is None and len(lines) > 1 and block_removal and number not in kept:
                # A paragraph removed whole (its first line names the rule): its other lines go with it.
                if not any(plain in " ".join(k.split()) for line, k in kept.items() if start <= line <= number):
                    removed_by = block_removal
            out.append(Occurrence(article.path, number, plain, removed_by))
    return out


def proposed_pattern(key: str) -> str:
    """A pattern matching the line *key* (numbers and dates set aside) whatever its numbers and
    dates; a long line by its first words."""
    long = len(key) > MAX_LINE
    if long:
        key = key[:100].rsplit(" ", 1)[0]
    pattern = regex.escape(key, special_only=True).replace("\\ ", " ")
    pattern = pattern.replace(regex.escape(_DATE, special_only=True), DATE_PATTERN)
    pattern = pattern.replace(regex.escape(_NUMBER, special_only=True), r"\d+")
    return "^" + pattern + (r"\b" if long else "$")


def rule_id(publisher: str | None, index: int) -> str:
    stem = re.sub(r"[^a-z0-9]+", "-", (publisher or "repeated").casefold()).strip("-") or "repeated"
    return f"{stem}-repeated-{index}"


def _yaml(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def report(repeated: list[Repeated], errors: list[ArchiveError], root: Path, min_articles: int) -> None:
    import click

    from generator.commands.report import relative

    for error in errors:
        click.secho(f"warning: {error.format_message()} (this file was left out)", fg="yellow", err=True)
    if not repeated:
        click.echo(f"No line stands in {min_articles} or more articles of one publisher: nothing to propose.")
        return
    click.echo(f"Lines in {min_articles} or more articles of one publisher (numbers and dates set aside):")
    proposals: dict[str | None, list[Repeated]] = defaultdict(list)
    for entry in repeated:
        example = entry.kept[0] if entry.kept else entry.occurrences[0]
        where = f"{relative(example.path, root)}:{example.line}"
        if entry.kept:
            state = f"kept in {len(entry.kept)} of them: a rule is proposed below"
            proposals[entry.publisher].append(entry)
        else:
            rules = sorted({o.removed_by for o in entry.occurrences if o.removed_by})
            state = "already removed by " + ", ".join(repr(r) for r in rules)
        click.echo(f"  {entry.publisher or '(no publisher)'}: {example.text[:100]!r}")
        click.echo(f"      in {entry.articles} articles, e.g. {where}; {state}")
    if not proposals:
        click.echo("Every one of them is removed already; no rule to propose.")
        return
    click.echo(
        "\nProposed rules (nothing is removed until you add them to a rules file; check each is chrome, "
        "then paste it into the file named):"
    )
    for publisher, entries in proposals.items():
        name = rule_id(publisher, 0).removesuffix("-repeated-0")
        click.echo(f"\n# for a rules file of rules/ named after the publisher, e.g. {name}.yml\nblocks:")
        for index, entry in enumerate(entries, 1):
            examples = sorted({o.text for o in entry.kept})[:3]
            click.echo(f"  - id: {rule_id(publisher, index)}")
            description = f"Line repeated in {entry.articles} articles of {publisher or 'the archive'}"
            click.echo(f"    description: {_yaml(description)}")
            click.echo(f"    match: {_yaml(proposed_pattern(entry.key))}")
            click.echo(f"    examples: [{', '.join(_yaml(e) for e in examples)}]")
