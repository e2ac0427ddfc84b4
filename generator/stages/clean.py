"""Cleaning: from an article file as received to the article's own text.

The cleaner removes what is not the article (publisher chrome described by the rules file),
makes dead links plain text, reads metadata from the header lines it removes, and reports every
removal. It never changes a word it keeps.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import regex

from generator.errors import SourceError
from generator.inputs.articles import Source
from generator.inputs.blocks import parse_block, split_blocks
from generator.inputs.rules import Rule, Rules
from generator.model import Article, Block, Meta, Removal

DATE_FORMATS = ("%B %d, %Y", "%d %B %Y", "%b %d, %Y", "%d %b %Y", "%Y-%m-%d", "%B %d %Y")


def parse_date(value: str) -> dt.date | None:
    """A date written as in a news header ("July 12, 2017", "10 July 2017"), or None."""
    value = " ".join(value.split())
    for fmt in DATE_FORMATS:
        try:
            return dt.datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    return None


def _normal(text: str) -> str:
    return " ".join(text.casefold().split())


def _first_match(rules: tuple[Rule, ...], block: Block, source: Source) -> tuple[Rule, regex.Match[str]] | None:
    for rule in rules:
        found = rule.search(block.text, source.path, block.line)
        if found:
            return rule, found
    return None


def clean(source: Source, rules: Rules) -> Article:
    """Clean one article; raise :class:`SourceError` if it ends up with no title or no text."""
    blocks = [parse_block(line, text) for line, text in split_blocks(source.body, source.body_line)]
    removals: list[Removal] = []

    front = source.front
    found: dict[str, str] = {}
    provenance: dict[str, str] = {}
    header_end = next(
        (i for i, block in enumerate(blocks) if len(block.text.split()) > rules.header_max_words), len(blocks)
    )
    kept: list[Block] = []
    for index, block in enumerate(blocks):
        if index < header_end:
            if index == 0 and front.title and _normal(block.text) == _normal(front.title):
                removals.append(Removal("title", "The title, shown as the page heading", block.line, block.text))
                continue
            hit = _first_match(rules.header, block, source)
            if hit:
                rule, match = hit
                removals.append(Removal(rule.id, rule.description, block.line, block.text))
                for name, value in match.groupdict().items():
                    if value and name not in found:
                        found[name] = value.strip()
                        provenance[name] = rule.id
                continue
            if index == 0 and not front.title and block.kind == "paragraph":
                removals.append(Removal("title", "The title, shown as the page heading", block.line, block.text))
                found["title"], provenance["title"] = block.text, "first-line"
                continue
        hit = _first_match(rules.blocks, block, source)
        if hit:
            rule, _ = hit
            removals.append(Removal(rule.id, rule.description, block.line, block.text))
            continue
        block = _drop_dead_links(_apply_inline_rules(block, rules, removals, source), rules, removals)
        if block.text.strip():
            kept.append(block)

    meta = _meta(source, found, provenance)
    if not kept:
        raise SourceError(
            "nothing is left of the article after cleaning; check the rules or the text", source.path, source.body_line
        )
    return Article(source.slug, source.path, meta, tuple(kept), tuple(removals), source.body_line)


def _drop_dead_links(block: Block, rules: Rules, removals: list[Removal]) -> Block:
    spans = []
    for span in block.spans:
        if span.kind == "link" and span.target.strip() in rules.dead_link_targets:
            removals.append(
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


def _apply_inline_rules(block: Block, rules: Rules, removals: list[Removal], source: Source) -> Block:
    for rule in rules.inline:
        while (found := rule.search(block.text, source.path, block.line)) and found.end() > found.start():
            removals.append(Removal(rule.id, rule.description, block.line, found.group(0).strip()))
            block = block.delete(found.start(), found.end())
    return block


def _meta(source: Source, found: dict[str, str], provenance: dict[str, str]) -> Meta:
    front = source.front
    title = front.title or found.get("title")
    if not title:
        raise SourceError("the article has no title; add 'title:' to its front matter", source.path, 1)
    dates: dict[str, dt.date | None] = {}
    for name in ("date", "original_date"):
        dates[name] = getattr(front, name)
        if dates[name] is None and name in found:
            dates[name] = parse_date(found[name])
        if dates[name] is None or getattr(front, name) is not None:
            provenance.pop(name, None)

    def pick(name: str) -> str | None:
        value = getattr(front, name)
        if value is None and name in found:
            return found[name]
        provenance.pop(name, None)
        return value

    return Meta(
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
