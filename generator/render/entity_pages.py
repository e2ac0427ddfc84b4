"""The entity pages: one per registry entity, and the index of entities grouped by type.

Pure functions from the registry and article summaries (:mod:`generator.stages.summary`) to page
text; every value from the registry or an article goes through the renderer's escaping helpers.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence

from generator import paths
from generator.inputs.registry import ENTITY_TYPES, Entity, Registry
from generator.inputs.urls import safe_url
from generator.render import paging
from generator.render.markup import Links, date_text, element, esc, front_matter, join_lines, render_text
from generator.stages.summary import Correction, Listed, Mentioned, Passage, Summary
from generator.util.text import plural

LATEST = 20
"""An entity page shows the passages of this many articles (the latest); the others are on a
page per year."""
PASSAGE_LIMIT = 320
"""Longest passage shown; a longer sentence is cut around the mention."""
TYPE_NAMES = {
    "person": "Person",
    "organisation": "Organisation",
    "place": "Place",
    "event": "Event",
    "group": "Group",
    "office": "Office",
    "work": "Work",
}

Found = tuple[Listed, Mentioned]
"""An article mentioning an entity, and how."""
Quoted = tuple[Listed, Sequence[Passage]]
"""An article mentioning an entity, and the passages naming it."""


def passage(found: Passage) -> str:
    """The sentence around a mention, escaped, with the mention in a ``<mark>``."""
    text = found.text
    before, words, after = text[: found.start], text[found.start : found.end], text[found.end :]
    room = max(40, (PASSAGE_LIMIT - len(words)) // 2)
    before = before.lstrip()
    after = after.rstrip()
    if len(before) > room:
        before = "…" + before[-room:].split(" ", 1)[-1]
    if len(after) > room:
        after = after[:room].rsplit(" ", 1)[0] + "…"
    return esc(before) + element("mark", esc(words)) + esc(after)


def mentioning(articles: Sequence[Summary]) -> dict[str, list[Found]]:
    """Entity id → the articles that mention it (in the order given), each with how."""
    result: dict[str, list[Found]] = {}
    for article in articles:
        for mentioned in article.entities:
            result.setdefault(mentioned.entity, []).append((article.listed, mentioned))
    return result


def names_used(found: Sequence[Found]) -> tuple[tuple[str, int], ...]:
    """Every wording of the entity in *found*, with its count: most used first."""
    forms: Counter[str] = Counter()
    for _, mentioned in found:
        forms.update(dict(mentioned.forms))
    return tuple(sorted(forms.items(), key=lambda kv: (-kv[1], kv[0])))


def entity_page(
    entity: Entity,
    names: Sequence[tuple[str, int]],
    articles: int,
    latest: Sequence[Quoted],
    size: int,
    years: Sequence[paging.Period] = (),
) -> str:
    """The page of one entity: what it is, its identifiers, the *names* used for it (with their
    counts) in the *articles* mentioning it, and the passages naming it in *latest* (all of them,
    or the latest :data:`LATEST` articles' when the others are on the pages of *years*)."""
    root = "../../"
    parts = [
        element("h1", esc(entity.name), id="title"),
        element(
            "p",
            element("span", TYPE_NAMES[entity.type], class_="entity-type") + " · " + esc(entity.description),
            class_="entity-description",
        ),
    ]
    identifiers = []
    wikidata = safe_url(entity.wikidata_url or "")
    if wikidata:
        identifiers.append(
            element(
                "li", "Wikidata: " + element("a", esc(entity.wikidata or ""), href=wikidata, rel="nofollow noopener")
            )
        )
    wikipedia = safe_url(entity.wikipedia or "")
    if wikipedia:
        identifiers.append(
            element(
                "li", "Wikipedia: " + element("a", esc(_wiki_title(wikipedia)), href=wikipedia, rel="nofollow noopener")
            )
        )
    if identifiers:
        parts.append(element("ul", "\n" + "\n".join(identifiers) + "\n", class_="entity-identifiers"))
    total = sum(count for _, count in names)
    if not articles:
        parts.append(element("p", "No article in the archive mentions it yet.", class_="entity-none"))
        return front_matter(title=entity.name, description=entity.description) + join_lines(parts)
    items = []
    for form, count in names:
        note = " (misspelling)" if form in entity.misspellings else ""
        items.append(element("li", element("q", esc(form)) + f" × {count}{note}"))
    parts += [
        element("h2", "Names used in the articles", id="names"),
        element("ul", "\n" + "\n".join(items) + "\n", class_="entity-names"),
        element(
            "h2",
            f"Mentioned {plural(total, 'time')} in {plural(articles, 'article')}",
            id="mentions",
        ),
    ]
    if years:
        shown = min(LATEST, size)
        parts.append(element("p", f"The latest {plural(shown, 'article')}, newest first; the others by year below."))
    parts += passages(latest, root)
    if years:
        parts += [
            element("h2", "Every mention, by year", id="by-year"),
            paging.period_list(years, root, "article"),
        ]
    return front_matter(title=entity.name, description=entity.description) + join_lines(parts)


def passages(found: Sequence[Quoted], root: str) -> list[str]:
    """For each article, its title and every passage naming the entity, linking back to it; a
    passage whose sentence carries a correction says so, with the correction."""
    parts = []
    for article, quoted in found:
        href = root + paths.article(article.slug)
        heading = element("a", esc(article.title), href=href)
        details = " · ".join(
            x for x in (esc(article.publisher or ""), date_text(article.date) if article.date else "") if x
        )
        parts.append(element("h3", heading, id=f"in-{article.slug}", class_="entity-article"))
        if details:
            parts.append(element("p", details, class_="archive-meta"))
        items = []
        for one in quoted:
            link = element("a", "in context", href=f"{href}#{one.anchor}", class_="entity-backlink")
            shown = element("span", passage(one), class_="entity-passage") + " " + link
            if one.corrections:
                shown += "\n" + "\n".join(_correction(item, href) for item in one.corrections)
            items.append(element("li", shown, class_="entity-passage--corrected" if one.corrections else None))
        parts.append(element("ul", "\n" + "\n".join(items) + "\n", class_="entity-passages"))
    return parts


def _correction(item: Correction, href: str) -> str:
    """ "Correction on “…”: the note's body. Read the note." under a passage."""
    quote = element("span", "“" + esc(" ".join(item.exact.split())) + "”", class_="note-quote")
    body = render_text(item.body_text, item.body_spans, Links(root=""))
    read = element("a", "Read the correction", href=f"{href}#note-{item.id}")
    return element(
        "p",
        element("span", "Correction", class_="note-kind") + " on " + quote + ": " + body + " " + read + ".",
        class_="entity-correction",
    )


def entity_year_page(entity: Entity, listing: paging.Listing[Quoted]) -> str:
    """One page of an entity's passages by year."""
    title = paging.heading(entity.name, listing)  # type: ignore[arg-type]
    parts = [element("h1", esc(title)), paging.pager(listing, f"All about {entity.name}")]  # type: ignore[arg-type]
    parts += passages(listing.items, listing.root)
    return front_matter(title=title, description=entity.description, search=paging.NOT_SEARCHED) + join_lines(parts)


def split_entity(
    entity: Entity, found: Sequence[Found], size: int
) -> tuple[list[Found], list[paging.Period], list[paging.Listing[Found]]]:
    """Which articles the entity's page quotes, and (when more than :data:`LATEST` articles
    mention it, or more than a listing page's *size*) the years and pages of the others."""
    base = paths.entity(entity.id)
    if len(found) <= min(LATEST, size):
        return list(found), [], []
    years, listings = paging.split(base, found, lambda pair: pair[0].date, size)
    return list(found[: min(LATEST, size)]), years, listings


def _wiki_title(url: str) -> str:
    from urllib.parse import unquote

    return unquote(url.rsplit("/wiki/", 1)[-1]).replace("_", " ")


def entities_index(registry: Registry, counts: Sequence[tuple[str, int, int]]) -> str:
    """The index of entities, grouped by type, each with its number of mentions and articles
    (*counts*: entity id, mentions, articles, for those mentioned)."""
    known = {ident: (mentions, articles) for ident, mentions, articles in counts}
    mentioned = sum(1 for entity in registry if known.get(entity.id, (0, 0))[1])
    parts = [
        element("h1", "Entities"),
        element(
            "p",
            f"{plural(len(registry), 'entity', 'entities')} in the registry, "
            f"{mentioned} of them mentioned in the articles. Each page lists every passage that names it.",
        ),
    ]
    for entity_type, heading in ENTITY_TYPES.items():
        group = sorted((e for e in registry if e.type == entity_type), key=lambda e: (e.name.casefold(), e.id))
        if not group:
            continue
        items = []
        for entity in group:
            count, articles = known.get(entity.id, (0, 0))
            line = f"{plural(count, 'mention')} in {plural(articles, 'article')}" if count else "not mentioned yet"
            link = element("a", esc(entity.name), href=f"{entity.id}/", title=entity.description)
            items.append(element("li", link + " " + element("span", line, class_="archive-list-meta")))
        parts += [
            element("h2", esc(heading), id=f"type-{entity_type}"),
            element("ul", "\n" + "\n".join(items) + "\n", class_="archive-list"),
        ]
    return front_matter(title="Entities") + join_lines(parts)


def entity_counts(found: dict[str, list[Found]]) -> tuple[tuple[str, int, int], ...]:
    """For each entity mentioned: (id, mentions, articles), by id."""
    return tuple((ident, sum(m.count for _, m in pairs), len(pairs)) for ident, pairs in sorted(found.items()) if pairs)


def entity_site_pages(
    articles: Sequence[Summary], registry: Registry, passages_of: Callable[[str, str], Sequence[Passage]], size: int
) -> dict[str, str]:
    """Every entity page and the index, as relative path under the docs folder → page text
    (*passages_of*: slug and entity id → the article's passages naming it; *size*: the most
    articles a page lists)."""
    found = mentioning(articles)
    out = {paths.page_file(paths.ENTITIES): entities_index(registry, entity_counts(found))}

    def quoted(pairs: Sequence[Found], entity: str) -> tuple[Quoted, ...]:
        return tuple((listed, tuple(passages_of(listed.slug, entity))) for listed, _ in pairs)

    for entity in registry:
        pairs = found.get(entity.id, [])
        latest, years, listings = split_entity(entity, pairs, size)
        page = entity_page(entity, names_used(pairs), len(pairs), quoted(latest, entity.id), size, tuple(years))
        out[paths.page_file(paths.entity(entity.id))] = page
        for listing in listings:
            items = quoted(listing.items, entity.id)
            out[paths.page_file(listing.path)] = entity_year_page(entity, paging.replace_items(listing, items))
    return out
