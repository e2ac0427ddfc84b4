"""The site's plan: every page as the function that renders it and the values it is given.

A page is a pure function of its arguments (and of the code and settings, which are the same
for a whole run). So the fingerprint of the function's name and of its arguments
(:class:`generator.util.fingerprint.Fingerprints`) says whether the page can differ from the
one made last time: a run renders only the pages whose fingerprint changed. Nothing has to be
declared by hand: what a page depends on is what it is given, and a page cannot read what it
is not given, because the listing pages are made from :mod:`generator.stages.summary` values,
never from articles.

Values too large to hold for every article (an article ready to render, its notes, its
passages naming an entity) are given as a :class:`Ref`: the fingerprint of a reference is the
digest of what the value was made from (for an article, its own files, the rules, the
registry's names, the model, the code), and the value is looked up only when the page is
rendered (:func:`resolve`).

Most pages come in groups (:class:`Group`) made from a few values: an article's own pages (the page, its
citation files, its Web Annotations, its original) and an entity's pages. A group's key is the
fingerprint of those values, cheap to compute from digests the run already holds; when it is as
the last run recorded, none of the group's pages is planned again. (At 10,000 articles the plan
has some 56,000 pages, and fingerprinting each one's arguments took longer than the rest of a run
after one edit.) The key may say a group changed when none of its pages did (those are then
planned, and each page's own fingerprint decides); it must never miss a value a page is made from.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any, Literal

from generator import paths
from generator.inputs.registry import Entity, Registry
from generator.render import article as article_parts
from generator.render import browse, citation, entity_pages, home, listings, notes, paging
from generator.render.citation import Citation
from generator.stages.summary import Summary
from generator.util.fingerprint import Fingerprints

RefKind = Literal["staged", "notes", "passages"]


@dataclass(frozen=True)
class Ref:
    """A value kept aside, named by what it was made from."""

    kind: RefKind
    """``staged``: the article ready to render (:class:`generator.stages.staged.Staged`);
    ``notes``: its anchored notes; ``passages``: its passages naming :attr:`entity`."""
    slug: str
    digest: str
    """What the value was made from (see :class:`Digests`)."""
    entity: str = ""

    @property
    def fingerprint(self) -> str:
        return f"{self.kind}:{self.slug}:{self.entity}:{self.digest}"


@dataclass(frozen=True)
class Digests:
    """What an article's values were made from, one digest each."""

    staged: str
    """The article's own files, the rules, the registry's names, the model and the code."""
    notes: str
    """Its anchored notes (their content)."""
    passages: Mapping[str, str] = field(default_factory=dict)
    """Entity id → its passages naming the entity (their content)."""
    every_passage: str = ""
    """One digest of all of :attr:`passages`, when known."""


@dataclass(frozen=True)
class Original:
    """An article's file as received, published as plain text."""

    path: str
    """Its path."""
    sha256: str
    """The hash of its bytes (so the page changes when they do)."""


@dataclass(frozen=True)
class PageSpec:
    """One file of the docs folder: where it goes, what renders it, and from what."""

    path: str
    """Relative to the docs folder."""
    make: Callable[..., str | bytes]
    args: tuple[Any, ...]

    def render(self, lookup: Callable[[Ref], object]) -> str | bytes:
        """The page, with each :class:`Ref` among its arguments looked up."""
        return self.make(*resolve(self.args, lookup))


@dataclass(frozen=True)
class Group:
    """Pages planned together: *key* is the fingerprint of every value their plan is made from."""

    name: str
    """``article:<slug>`` or ``entity:<id>``."""
    key: str
    specs: Callable[[], Iterator[PageSpec]]
    """The pages, planned when asked."""


def flatten(plan: Iterator[PageSpec | Group]) -> Iterator[PageSpec]:
    """Every page of *plan*, the pages of each group in its place."""
    for item in plan:
        if isinstance(item, Group):
            yield from item.specs()
        else:
            yield item


def resolve(value: Any, lookup: Callable[[Ref], object]) -> Any:
    """*value* with every :class:`Ref` in it (in tuples, lists and dataclasses) replaced by its
    value."""
    if isinstance(value, Ref):
        return lookup(value)
    if isinstance(value, tuple | list):
        return type(value)(resolve(item, lookup) for item in value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type) and isinstance(value, paging.Listing):
        return dataclasses.replace(value, items=resolve(value.items, lookup))
    return value


def read_original(path: str, sha256: str) -> bytes:
    """The bytes of an original as received (*sha256* is in the fingerprint, not checked here:
    the record that gave it hashed these bytes in this run or a run that saw this very file)."""
    from pathlib import Path

    return Path(path).read_bytes()


@dataclass(frozen=True)
class Site:
    """What the plan is made from."""

    articles: Sequence[Summary]
    """Every article, in the archive's order (newest first, :func:`generator.model.sort_articles`)."""
    digests: Mapping[str, Digests]
    """Slug → the digests of its values."""
    registry: Registry
    originals: Mapping[str, Original]
    """Slug → its file as received, for the articles that have one."""
    site_name: str
    page_size: int
    feeds: bool
    """Whether the built site has feeds (the home page links them)."""
    site_url: str | None = None
    """The site's address: the notes' JSON-LD and the citations give absolute addresses with it."""


def site_plan(site: Site) -> Iterator[PageSpec | Group]:
    """Every page of the site, in a fixed order, most of them in groups (:func:`flatten` gives
    the pages alone)."""
    articles, size = site.articles, site.page_size
    listed = tuple(article.listed for article in articles)
    yield PageSpec(paths.page_file(paths.HOME), home.home_page, (tuple(articles), site.site_name, size, site.feeds))
    yield from _articles_index(listed, size)
    keys = Fingerprints()
    entity_keys = {entity.id: keys.of(entity) for entity in site.registry}  # each entry, encoded once
    yield from _article_pages(site, keys, entity_keys)
    yield from _entity_pages(site, keys, entity_keys)
    yield PageSpec(paths.page_file(paths.BROWSE), browse.browse_index, (listed,))
    for kind, group, listing in browse.group_listings(listed, size):
        yield PageSpec(
            paths.page_file(listing.path), browse.group_page, (kind, group.label, len(group.articles), listing)
        )
    yield from _corrections(site)


def _articles_index(listed: tuple[Any, ...], size: int) -> Iterator[PageSpec]:
    index = paths.page_file(paths.ARTICLES)
    if len(listed) <= size:
        yield PageSpec(index, listings.articles_index, (listed,))
        return
    periods, pages = paging.split(paths.ARTICLES, listed, lambda a: a.date, size)
    yield PageSpec(index, listings.articles_by_year, (len(listed), tuple(periods)))
    for listing in pages:
        yield PageSpec(paths.page_file(listing.path), listings.articles_listing, (listing,))


def _article_pages(site: Site, keys: Fingerprints, entity_keys: Mapping[str, str]) -> Iterator[PageSpec | Group]:
    articles = site.articles
    for position, summary in enumerate(articles):
        older = articles[position + 1] if position + 1 < len(articles) else None
        newer = articles[position - 1] if position > 0 else None
        specs = partial(_article_group, site, summary, older, newer)
        if summary.fingerprint is None:  # a summary of unknown digest: its pages are planned one by one
            yield from specs()
            continue
        original = site.originals.get(summary.slug)
        key = keys.of(
            summary.fingerprint,
            site.digests[summary.slug].staged,
            (older.slug, older.meta.title) if older else None,
            (newer.slug, newer.meta.title) if newer else None,
            " ".join(entity_keys.get(m.entity, "-") for m in summary.entities),  # hexadecimal digests
            (original.path, original.sha256) if original else None,
            site.site_url,
            site.site_name,
        )
        yield Group(f"article:{summary.slug}", key, specs)


def _article_group(site: Site, summary: Summary, older: Summary | None, newer: Summary | None) -> Iterator[PageSpec]:
    slug = summary.slug
    staged = Ref("staged", slug, site.digests[slug].staged)
    entities = tuple(e for e in (site.registry.get(m.entity) for m in summary.entities) if e is not None)
    original = site.originals.get(slug)
    if original is not None:
        yield PageSpec(paths.original(_name(original)), read_original, (original.path, original.sha256))
    cite = Citation.of(summary, site.site_url, site.site_name)  # type: ignore[arg-type]
    for extension, _, _ in paths.CITATION_FORMATS:
        yield PageSpec(paths.citation(slug, extension), citation.citation_file, (cite, extension))
    yield PageSpec(
        paths.page_file(paths.article(slug)),
        article_parts.site_page,
        (
            staged,
            (older.slug, older.meta.title) if older else None,
            (newer.slug, newer.meta.title) if newer else None,
            entities,
            _name(original) if original else None,
            site.site_url,
            cite,
        ),
    )
    if summary.notes:
        yield PageSpec(paths.annotations(slug), notes.annotations_file, (staged, site.site_url))


def _name(original: Original) -> str:
    return original.path.replace("\\", "/").rsplit("/", 1)[-1]


def _entity_pages(site: Site, keys: Fingerprints, entity_keys: Mapping[str, str]) -> Iterator[PageSpec | Group]:
    found = entity_pages.mentioning(site.articles)
    counts = entity_pages.entity_counts(found)
    yield PageSpec(paths.page_file(paths.ENTITIES), entity_pages.entities_index, (site.registry, counts))
    # What an entity's pages show of an article: its listing and how it names the entity (both in
    # its summary), and the passages naming it. One digest of each article stands for all three
    # (see _shown).
    of = {s.slug: _shown(s.fingerprint, site.digests[s.slug].every_passage) for s in site.articles}
    for entity in site.registry:
        pairs = found.get(entity.id, [])
        specs = partial(_entity_group, site, entity, pairs)
        shown = [of[listed.slug] for listed, _ in pairs]
        if None in shown:
            yield from specs()
            continue
        digests = "\n".join(shown)  # type: ignore[arg-type]  # hexadecimal, none None
        yield Group(f"entity:{entity.id}", keys.of(entity_keys[entity.id], site.page_size, digests), specs)


def _shown(fingerprint: str | None, passages: str) -> str | None:
    """One digest of what any entity's pages show of an article: its summary and the passages
    naming each entity it mentions (*passages*: :attr:`Digests.every_passage`); None when either
    digest is unknown. An entity's pages are planned again when this changes, also for another
    entity's passages: those change with the article's text, and so, nearly always, does its
    summary. One digest an article, not one an entity it names, is what keeps planning cheap
    (260,000 names in 10,000 articles)."""
    if fingerprint is None or not passages:
        return None
    return hashlib.sha256(f"{fingerprint}\n{passages}".encode()).hexdigest()


def _entity_group(site: Site, entity: Entity, pairs: list[entity_pages.Found]) -> Iterator[PageSpec]:
    def quoted(chosen: Sequence[entity_pages.Found]) -> tuple[tuple[Any, Ref], ...]:
        return tuple(
            (listed, Ref("passages", listed.slug, site.digests[listed.slug].passages[entity.id], entity.id))
            for listed, _ in chosen
        )

    latest, years, pages = entity_pages.split_entity(entity, pairs, site.page_size)
    args = (entity, entity_pages.names_used(pairs), len(pairs), quoted(latest), site.page_size, tuple(years))
    yield PageSpec(paths.page_file(paths.entity(entity.id)), entity_pages.entity_page, args)
    for listing in pages:
        listing = paging.replace_items(listing, quoted(listing.items))
        yield PageSpec(paths.page_file(listing.path), entity_pages.entity_year_page, (entity, listing))


def _corrections(site: Site) -> Iterator[PageSpec]:
    groups = notes.correction_groups(site.articles)
    total = sum(len(g.notes) for g in groups)
    shown, years, pages = notes.split_corrections(groups, site.page_size)

    def noted(items: Sequence[Summary]) -> tuple[tuple[Any, Ref, tuple[tuple[str, str], ...]], ...]:
        return tuple(
            (g.listed, Ref("notes", g.slug, site.digests[g.slug].notes), tuple((n.id, n.link) for n in g.notes))
            for g in items
        )

    args = (total, len(groups), noted(shown), site.page_size, tuple(years))
    yield PageSpec(paths.page_file(paths.CORRECTIONS), notes.corrections_page, args)
    for listing in pages:
        listing = paging.replace_items(listing, noted(listing.items))
        yield PageSpec(paths.page_file(listing.path), notes.corrections_year_page, (listing,))
