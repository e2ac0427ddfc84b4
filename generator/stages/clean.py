"""Cleaning: from an article file as received to the article's own text.

The cleaner removes what is not the article and reports every removal (:class:`Removal`: the
line, the rule or the cleaner's own reason, the words): publisher chrome described by the rules
(:mod:`generator.inputs.rules`), the header lines it reads the metadata from, and the lines
above the headline. It makes dead links plain text. It never changes a word it keeps.

The header is the run of lines before the first long paragraph. Its lines are read one by one,
also inside a paragraph of short lines (a byline above a dateline, a masthead above a navigation
bar), with :mod:`generator.stages.header`: the headline is the title, the lines above it are the
site's chrome, bylines and datelines give the author, the outlet and the date. What the front
matter says wins over all of it. Below the header, a block of short lines is matched line by
line too (a newsletter box, a related-stories list with its items); a paragraph of running text
(hard-wrapped or not) is matched whole.

A table is kept or removed whole, never in part: a block rule removes it only when every cell
with words matches one (a share bar laid out as a table); inline rules apply to each cell, as
to a paragraph. A table ends the header, and no header rule reads it.

Guards that do not depend on the rules being right (:mod:`generator.stages.guards`) warn when a
rule cuts into a word or a sentence or takes a large share of an article.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import regex

from generator.errors import Problem, SourceError
from generator.inputs.articles import Source
from generator.inputs.blocks import parse_block, split_blocks
from generator.inputs.rules import Rule, Rules
from generator.inputs.tables import is_table
from generator.model import Article, Block, Removal
from generator.stages import header as reader
from generator.stages.guards import check_shares, inline_problem, nothing_left
from generator.stages.metadata import Found, meta_of

BUILT_IN = {
    "title": "The title, shown as the page heading",
    "above-headline": "Above the headline: the site's masthead, navigation or labels",
    "byline": "Byline, read as the author",
    "dateline": "Dateline, read as the date (and the outlet, where it names one)",
    "byline-role": "The author's role, beside the byline",
    "byline-outlet": "The outlet's name beside the byline or date, read as the publisher",
    "source-line": 'Where the text comes from ("via …", "News provided by …")',
}
"""Ids and descriptions of the removals the cleaner makes itself (no rule may use these ids)."""
WRAPPED_LINE = 60
"""A paragraph whose lines (but the last) are all at least this long is running text, hard-wrapped."""


@dataclass(frozen=True)
class Cleaned:
    """An article as cleaned, with the warnings about it."""

    article: Article
    problems: tuple[Problem, ...] = ()


@dataclass
class _Unit:
    """A line of a block of short lines, or a whole paragraph: what the rules match."""

    block: Block
    source: str
    """Its Markdown, as in the file."""
    group: int
    """Index of the paragraph of the file it belongs to."""
    whole: bool
    """The whole paragraph (running text), not one of its lines."""
    removal: Removal | None = None
    header: reader.HeaderLine | None = None
    candidate: bool = False


@dataclass
class _State:
    source: Source
    rules: Rules
    removals: list[Removal] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    found: Found = field(default_factory=Found)


def clean(source: Source, rules: Rules) -> Article:
    """The cleaned article (see :func:`clean_source` for its warnings)."""
    return clean_source(source, rules).article


def clean_source(source: Source, rules: Rules) -> Cleaned:
    """Clean one article; raise :class:`SourceError` if nothing of its text is left."""
    state = _State(source, rules)
    units = _units(source)
    end = next((i for i, u in enumerate(units) if _body_starts(u, rules)), len(units))
    _read_header(units[:end], state)
    kept: list[_Unit] = []
    index = 0
    while index < len(units):
        unit = units[index]
        if unit.removal is None and unit.block.kind == "table":
            _table_rules(unit, state)
        elif unit.removal is None and index >= end:
            hit = _first_match(rules.blocks, unit, state)
            if hit:
                index = _remove_with_items(units, index, hit, state)
                continue
        if unit.removal is None:
            kept.append(unit)
        index += 1
    blocks = [_inline(block, state) for block in _join(kept)]
    blocks = [block for block in blocks if block.text.strip()]
    removals = sorted(state.removals, key=lambda r: r.line)
    if not blocks:
        raise SourceError(nothing_left(removals), source.path, source.body_line)
    meta, problems = meta_of(source, state.found, blocks)
    state.problems += problems
    state.problems += check_shares(source, removals, blocks, rules)
    article = Article(source.slug, source.path, meta, tuple(blocks), tuple(removals), source.body_line)
    return Cleaned(article, tuple(sorted(state.problems, key=lambda p: p.line or 0)))


# --- units: paragraphs of running text whole, blocks of short lines line by line ----------------


def _units(source: Source) -> list[_Unit]:
    units: list[_Unit] = []
    for group, (line, text) in enumerate(split_blocks(source.body, source.body_line)):
        lines = text.split("\n")
        if len(lines) == 1 or _running_text(lines) or is_table(text):
            units.append(_Unit(parse_block(line, text, source.path), text, group, True))
        else:
            for offset, one in enumerate(lines):
                if one.strip():
                    units.append(_Unit(parse_block(line + offset, one), one, group, False))
    return units


def _body_starts(unit: _Unit, rules: Rules) -> bool:
    """Whether the body starts at *unit*: a long paragraph, or a table."""
    return unit.block.kind == "table" or (unit.whole and len(unit.block.text.split()) > rules.header_max_words)


def _running_text(lines: list[str]) -> bool:
    """Whether the lines of a paragraph are running text wrapped at a width (a press release sent
    by email), not a stack of short lines (a byline over a dateline, a newsletter box): every
    line but the last is long, about as long as the longest, and not all of them end a sentence."""
    widths = [len(line.strip()) for line in lines[:-1]]
    ends = [line.rstrip().endswith((".", "!", "?", ":", '"', "”")) for line in lines[:-1]]
    return min(widths) >= WRAPPED_LINE and min(widths) >= 0.75 * max(widths) and not all(ends)


def _join(kept: list[_Unit]) -> list[Block]:
    """Kept units as blocks: the lines kept of one paragraph, where they follow each other, stay
    one paragraph."""
    blocks: list[Block] = []
    run: list[_Unit] = []
    for unit in [*kept, None]:
        if run and (unit is None or unit.whole or unit.group != run[-1].group or run[-1].whole):
            if len(run) == 1:
                blocks.append(run[0].block)
            else:
                blocks.append(parse_block(run[0].block.line, "\n".join(u.source for u in run)))
            run = []
        if unit is not None:
            run.append(unit)
    return blocks


# --- matching ----------------------------------------------------------------------------------


def _first_match(rules: tuple[Rule, ...], unit: _Unit, state: _State) -> tuple[Rule, regex.Match[str]] | None:
    return state.rules.first(rules, unit.block.text, state.source.path, unit.block.line)


def _remove(unit: _Unit, rule: str, description: str, state: _State) -> None:
    unit.removal = Removal(rule, description, unit.block.line, unit.block.text)
    state.removals.append(unit.removal)


def _remove_with_items(units: list[_Unit], index: int, hit: tuple[Rule, regex.Match[str]], state: _State) -> int:
    """Remove the unit at *index* by the rule of *hit* and, for a list's heading, the lines after
    it in the same paragraph (its items); the index of the next unit."""
    rule = hit[0]
    unit = units[index]
    _remove(unit, rule.id, rule.description, state)
    index += 1
    while rule.with_items and not unit.whole and index < len(units):
        item = units[index]
        if item.whole or item.group != unit.group or item.removal is not None:
            break
        _remove(item, rule.id, rule.description + " (an item of its list)", state)
        index += 1
    return index


def _table_rules(unit: _Unit, state: _State) -> None:
    """Remove the table of *unit* whole if every cell with words is chrome by a block rule."""
    block = unit.block
    hits = []
    for r, row in enumerate(block.cells):
        for s, e in row:
            if block.text[s:e].strip():
                hit = state.rules.first(state.rules.blocks, block.text[s:e], state.source.path, block.row_line(r))
                if hit is None:
                    return
                hits.append(hit[0])
    if hits:
        rules = sorted({rule.id for rule in hits})
        _remove(unit, hits[0].id, f"A table whose every cell is chrome ({', '.join(rules)})", state)


def _inline(block: Block, state: _State) -> Block:
    if block.kind == "table":
        return _drop_dead_links(_inline_cells(block, state), state)
    for rule in state.rules.inline:
        while (found := rule.search(block.text, state.source.path, block.line)) and found.end() > found.start():
            problem = inline_problem(rule, block, found, state.source)
            if problem:
                state.problems.append(problem)
            state.removals.append(Removal(rule.id, rule.description, block.line, found.group(0).strip()))
            block = block.delete(found.start(), found.end())
    return _drop_dead_links(block, state)


def _inline_cells(block: Block, state: _State) -> Block:
    """Inline rules over each cell of a table, as over a paragraph (the rule sees the cell alone)."""
    for r in range(len(block.cells)):
        for c in range(len(block.cells[r])):
            for rule in state.rules.inline:
                while True:
                    s, e = block.cells[r][c]
                    cell = Block(block.text[s:e], line=block.row_line(r))
                    found = rule.search(cell.text, state.source.path, cell.line)
                    if not found or found.end() <= found.start():
                        break
                    problem = inline_problem(rule, cell, found, state.source)
                    if problem:
                        state.problems.append(problem)
                    state.removals.append(Removal(rule.id, rule.description, cell.line, found.group(0).strip()))
                    block = block.delete(s + found.start(), s + found.end())
    return block


def _drop_dead_links(block: Block, state: _State) -> Block:
    spans = []
    for span in block.spans:
        if span.kind == "link" and span.target.strip() in state.rules.dead_link_targets:
            state.removals.append(
                Removal(
                    "dead-link",
                    "A link that leads nowhere, made plain text",
                    block.line,
                    block.text[span.start : span.end],
                    kept_words=True,
                )
            )
        else:
            spans.append(span)
    return replace(block, spans=tuple(spans))


# --- the header ----------------------------------------------------------------------------------


def _read_header(zone: list[_Unit], state: _State) -> None:
    """Classify the header's lines: the title, header rules, bylines and datelines, chrome, the
    lines above the headline; fill in what they say."""
    front = state.source.front
    title_at = None
    for index, unit in enumerate(zone):
        text = unit.block.text
        if unit.removal is not None or unit.block.kind == "table":
            continue
        if title_at is None and front.title and _normal(text) == _normal(front.title):
            _remove(unit, "title", BUILT_IN["title"], state)
            title_at, state.found.title_line = index, unit.block.line
            continue
        hit = _first_match(state.rules.header, unit, state)
        if hit:
            rule, match = hit
            _remove(unit, rule.id, rule.description, state)
            state.found.from_rule(rule, match, unit.block.line)
            state.found.navigation(text, unit.block.line)
            if match.groupdict().get("title") and title_at is None:
                title_at, state.found.title_line = index, unit.block.line
            continue
        unit.header = reader.read_line(text)
        if unit.header and unit.header.kind in ("byline", "dateline", "source"):
            continue
        hit = _first_match(state.rules.blocks, unit, state)
        if hit:
            _remove_with_items(zone, index, hit, state)
            state.found.navigation(text, unit.block.line)
            continue
        unit.candidate = reader.title_like(text) and unit.block.kind in ("paragraph", "heading")
    _beside_bylines(zone)
    if title_at is None and not front.title and not state.found.has("title"):
        title_at = _headline(zone, state)
    for index, unit in enumerate(zone):
        if unit.removal is not None or unit.block.kind == "table":
            continue
        if unit.header is not None:
            _take_header_line(unit, index, title_at, state)
        elif title_at is not None and index < title_at:
            state.found.above_headline(unit.block.text, unit.block.line)
            _remove(unit, "above-headline", BUILT_IN["above-headline"], state)


def _beside_bylines(zone: list[_Unit]) -> None:
    """A role, an outlet's name or a person's name alone on a line is a header line only next to a
    byline or a dateline ("By Callum Price" / "Sports Reporter", "Ben Carter" / "March 4, 2024");
    elsewhere it may be the article's text."""
    anchors = {i for i, u in enumerate(zone) if u.header and u.header.kind in ("byline", "dateline")}
    changed = True
    while changed:
        changed = False
        for index, unit in enumerate(zone):
            if unit.header and unit.header.kind in ("role", "outlet", "name") and index not in anchors:
                if index - 1 in anchors or index + 1 in anchors:
                    anchors.add(index)
                    changed = True
    for index, unit in enumerate(zone):
        if unit.header and index not in anchors and unit.header.kind in ("role", "outlet", "name"):
            unit.header = None
            unit.candidate = reader.title_like(unit.block.text)


def _headline(zone: list[_Unit], state: _State) -> int | None:
    """Which line is the headline: a title-like line before the byline (or anywhere in the
    header when the byline comes first), the first of five words or more, else the first."""
    first_byline = next((i for i, u in enumerate(zone) if u.header and u.header.kind != "source"), len(zone))
    candidates = [i for i, u in enumerate(zone) if u.candidate and u.removal is None and i < first_byline]
    if not candidates:
        candidates = [i for i, u in enumerate(zone) if u.candidate and u.removal is None]
    outlets = {_normal(o) for u in zone if u.header for o in u.header.outlets}
    candidates = [i for i in candidates if _normal(zone[i].block.text) not in outlets]
    long = [i for i in candidates if len(zone[i].block.text.split()) >= 5]
    chosen = (long or candidates or [None])[0]
    if chosen is not None:
        unit = zone[chosen]
        _remove(unit, "title", BUILT_IN["title"], state)
        state.found.set("title", unit.block.text, "headline", unit.block.line)
        state.found.title_line = unit.block.line
    return chosen


def _take_header_line(unit: _Unit, index: int, title_at: int | None, state: _State) -> None:
    line = unit.header
    assert line is not None
    if title_at is not None and index < title_at and line.kind not in ("byline", "dateline"):
        state.found.above_headline(unit.block.text, unit.block.line)
        _remove(unit, "above-headline", BUILT_IN["above-headline"], state)
        return
    rule = {"byline": "byline", "name": "byline", "dateline": "dateline", "role": "byline-role"}.get(line.kind)
    rule = rule or ("byline-outlet" if line.kind == "outlet" else "source-line")
    _remove(unit, rule, BUILT_IN[rule], state)
    state.found.from_header(line, rule, unit.block.line)


def _normal(text: str) -> str:
    return " ".join(text.casefold().split())
