"""The entity pages: one per registry entity, and the index of entities grouped by type.

Pure functions from the model to page text, like :mod:`generator.render.article`; every value from the
registry or an article goes through the renderer's escaping helpers.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence

from generator import paths
from generator.inputs.registry import ENTITY_TYPES, Entity
from generator.inputs.urls import safe_url
from generator.model import Article
from generator.render import paging
from generator.render.markup import Links, date_text, element, esc, front_matter, join_lines, render_text
from generator.stages.anchor import AnchoredNote
from generator.stages.entities import EntityIndex, Occurrence
from generator.util.text import plural

LATEST = 20
"""An entity page shows the passages of this many articles (the latest); the others are on a
page per year."""
PASSAGE_LIMIT = 320
"""Longest passage shown; a longer sentence is cut around the mention."""
Notes = Mapping[str, Sequence[AnchoredNote]]
"""Article slug → its anchored notes (what :func:`entity_site_pages` is given)."""
TYPE_NAMES = {
    "person": "Person",
    "organisation": "Organisation",
    "place": "Place",
    "event": "Event",
    "group": "Group",
    "office": "Office",
    "work": "Work",
}


def passage(text: str, occurrence: Occurrence) -> str:
    """The sentence around *occurrence*, escaped, with the mention in a ``<mark>``."""
    s, e = occurrence.sentence
    if not (s <= occurrence.start and occurrence.end <= e):
        s, e = 0, len(text)
    before, words, after = text[s : occurrence.start], text[occurrence.start : occurrence.end], text[occurrence.end : e]
    room = max(40, (PASSAGE_LIMIT - len(words)) // 2)
    before = before.lstrip()
    after = after.rstrip()
    if len(before) > room:
        before = "…" + before[-room:].split(" ", 1)[-1]
    if len(after) > room:
        after = after[:room].rsplit(" ", 1)[0] + "…"
    return esc(before) + element("mark", esc(words)) + esc(after)


def mentioning(articles: Sequence[Article], index: EntityIndex) -> dict[str, list[tuple[Article, list[Occurrence]]]]:
    """Entity id → the articles that mention it (in the order given), each with its mentions."""
    result: dict[str, list[tuple[Article, list[Occurrence]]]] = {}
    for article in articles:
        per_entity: dict[str, list[Occurrence]] = {}
        for occurrence in index.occurrences.get(article.slug, ()):
            per_entity.setdefault(occurrence.entity, []).append(occurrence)
        for entity_id, found in per_entity.items():
            result.setdefault(entity_id, []).append((article, found))
    return result


def entity_page(
    entity: Entity,
    found: Sequence[tuple[Article, Sequence[Occurrence]]],
    size: int,
    years: Sequence[paging.Period] = (),
    notes: Notes | None = None,
) -> str:
    """The page of one entity: what it is, its identifiers, its names, and the passages naming
    it — all of them, or the latest :data:`LATEST` articles' (at most *size*) and a link to each
    of *years*."""
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
    total = sum(len(o) for _, o in found)
    if not found:
        parts.append(element("p", "No article in the archive mentions it yet.", class_="entity-none"))
        return front_matter(title=entity.name, description=entity.description) + join_lines(parts)
    forms = Counter(o.text for _, occurrences in found for o in occurrences)
    names = []
    for form, count in sorted(forms.items(), key=lambda kv: (-kv[1], kv[0])):
        note = " (misspelling)" if form in entity.misspellings else ""
        names.append(element("li", element("q", esc(form)) + f" × {count}{note}"))
    parts += [
        element("h2", "Names used in the articles", id="names"),
        element("ul", "\n" + "\n".join(names) + "\n", class_="entity-names"),
        element(
            "h2",
            f"Mentioned {plural(total, 'time')} in {plural(len(found), 'article')}",
            id="mentions",
        ),
    ]
    latest = min(LATEST, size)
    if years:
        parts.append(element("p", f"The latest {plural(latest, 'article')}, newest first; the others by year below."))
    parts += passages(found[:latest] if years else found, root, notes)
    if years:
        parts += [
            element("h2", "Every mention, by year", id="by-year"),
            paging.period_list(years, root, "article"),
        ]
    return front_matter(title=entity.name, description=entity.description) + join_lines(parts)


def passages(found: Sequence[tuple[Article, Sequence[Occurrence]]], root: str, notes: Notes | None = None) -> list[str]:
    """For each article, its title and every passage naming the entity, linking back to it; a
    passage whose sentence carries a correction says so, with the correction (from *notes*)."""
    parts = []
    for article, occurrences in found:
        href = root + paths.article(article.slug)
        heading = element("a", esc(article.meta.title), href=href)
        details = " · ".join(
            x
            for x in (esc(article.meta.publisher or ""), date_text(article.meta.date) if article.meta.date else "")
            if x
        )
        parts.append(element("h3", heading, id=f"in-{article.slug}", class_="entity-article"))
        if details:
            parts.append(element("p", details, class_="archive-meta"))
        corrections = {
            item.note.id: item for item in (notes or {}).get(article.slug, ()) if item.note.kind == "correction"
        }
        items = []
        for occurrence in occurrences:
            text = article.blocks[occurrence.block].text
            link = element("a", "in context", href=f"{href}#{occurrence.anchor}", class_="entity-backlink")
            shown = element("span", passage(text, occurrence), class_="entity-passage") + " " + link
            corrected = _corrections_in(article, occurrence, corrections)
            if corrected:
                shown += "\n" + "\n".join(_correction(item, href) for item in corrected)
            items.append(element("li", shown, class_="entity-passage--corrected" if corrected else None))
        parts.append(element("ul", "\n" + "\n".join(items) + "\n", class_="entity-passages"))
    return parts


def _corrections_in(
    article: Article, occurrence: Occurrence, corrections: Mapping[str, AnchoredNote]
) -> list[AnchoredNote]:
    """The corrections whose words lie (in part) in the sentence of *occurrence*."""
    if not corrections:
        return []
    s, e = occurrence.sentence
    block = article.blocks[occurrence.block]
    if not (s <= occurrence.start and occurrence.end <= e):
        s, e = 0, len(block.text)
    ids = [span.target for span in block.spans if span.kind == "note" and span.start < e and span.end > s]
    return [corrections[i] for i in dict.fromkeys(ids) if i in corrections]


def _correction(item: AnchoredNote, href: str) -> str:
    """ "Correction on “…”: the note's body. Read the note." under a passage."""
    quote = element("span", "“" + esc(" ".join(item.anchor.exact.split())) + "”", class_="note-quote")
    body = render_text(item.note.body_text, item.note.body_spans, Links(root=""))
    read = element("a", "Read the correction", href=f"{href}#note-{item.note.id}")
    return element(
        "p",
        element("span", "Correction", class_="note-kind") + " on " + quote + ": " + body + " " + read + ".",
        class_="entity-correction",
    )


def entity_pages(
    entity: Entity, found: Sequence[tuple[Article, Sequence[Occurrence]]], size: int, notes: Notes | None = None
) -> dict[str, str]:
    """The entity's page and, when more than :data:`LATEST` articles mention it (or more than a
    listing page's *size*), a page of passages per year (:mod:`generator.render.paging`)."""
    base = paths.entity(entity.id)
    if len(found) <= min(LATEST, size):
        return {paths.page_file(base): entity_page(entity, found, size, notes=notes)}
    years, listings = paging.split(base, found, lambda pair: pair[0].meta.date, size)
    out = {paths.page_file(base): entity_page(entity, found, size, years, notes)}
    for listing in listings:
        title = paging.heading(entity.name, listing)
        parts = [element("h1", esc(title)), paging.pager(listing, f"All about {entity.name}")]
        parts += passages(listing.items, listing.root, notes)
        page = front_matter(title=title, description=entity.description, search=paging.NOT_SEARCHED)
        out[paths.page_file(listing.path)] = page + join_lines(parts)
    return out


def _wiki_title(url: str) -> str:
    from urllib.parse import unquote

    return unquote(url.rsplit("/wiki/", 1)[-1]).replace("_", " ")


def entities_index(index: EntityIndex, found: dict[str, list[tuple[Article, list[Occurrence]]]]) -> str:
    """The index of entities, grouped by type, each with its number of mentions and articles."""
    registry = index.registry
    mentioned = sum(1 for entity in registry if found.get(entity.id))
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
            articles = found.get(entity.id, [])
            count = sum(len(o) for _, o in articles)
            counts = (
                f"{plural(count, 'mention')} in {plural(len(articles), 'article')}" if count else "not mentioned yet"
            )
            link = element("a", esc(entity.name), href=f"{entity.id}/", title=entity.description)
            items.append(element("li", link + " " + element("span", counts, class_="archive-list-meta")))
        parts += [
            element("h2", esc(heading), id=f"type-{entity_type}"),
            element("ul", "\n" + "\n".join(items) + "\n", class_="archive-list"),
        ]
    return front_matter(title="Entities") + join_lines(parts)


def entity_site_pages(
    articles: Sequence[Article], index: EntityIndex, size: int, notes: Notes | None = None
) -> dict[str, str]:
    """Every entity page and the index, as relative path under the docs folder → page text
    (*size*: the most articles a page lists; *notes*: each article's notes, whose corrections the
    passages mention)."""
    found = mentioning(articles, index)
    out = {paths.page_file(paths.ENTITIES): entities_index(index, found)}
    for entity in index.registry:
        out.update(entity_pages(entity, found.get(entity.id, []), size, notes))
    return out
