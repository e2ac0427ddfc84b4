"""Ways into the archive for a reader: the home page, the browse pages (by year, publisher and
tag), and the reader's parts of an article page (reading time, the entities it mentions, the
neighbouring articles by date).

The browse pages are generated here rather than by Material's tags plugin: the Zensical engine
ignores MkDocs plugins, and generated pages work the same with either engine.

Pure functions from the model to page text, like :mod:`generator.render.article`; every value from an
article or the registry goes through the renderer's escaping helpers.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from generator.model import Article
from generator.render import paging
from generator.render.article import HOME_LATEST, article_list, front_matter
from generator.render.markup import date_text, element, esc, join_lines
from generator.render.notes import kind_title, one_line
from generator.stages.anchor import AnchoredNote
from generator.stages.entities import EntityIndex

WORDS_PER_MINUTE = 230
"""Reading speed for the reading time of an article (adult silent reading of non-fiction)."""
HOME_NOTES = 5
"""How many of the newest notes the home page lists."""
# At the site root: Material reads every <link rel="alternate"> as another language of the site
# and fetches "sitemap.xml" beside it, which exists only at the root.
FEEDS = (("feed-articles.xml", "New articles"), ("feed-corrections.xml", "New corrections and notes"))
"""The Atom feeds (written by :mod:`generator.render.feeds` into the built site), relative to its root."""


def _plural(number: int, noun: str, plural: str | None = None) -> str:
    return f"{number} {noun if number == 1 else plural or noun + 's'}"


def reading_minutes(article: Article) -> int:
    """Minutes to read *article*: its words divided by :data:`WORDS_PER_MINUTE`, rounded up."""
    return max(1, math.ceil(article.words / WORDS_PER_MINUTE))


def reading_line(article: Article) -> str:
    """ "3 min read · 612 words", as one line of HTML."""
    return element(
        "p",
        f"{reading_minutes(article)} min read · {_plural(article.words, 'word')}",
        class_="archive-meta archive-reading",
    )


def entity_panel(article: Article, index: EntityIndex, root: str = "../../") -> str:
    """The people, organisations and places *article* mentions, each linking to its page."""
    counts: dict[str, int] = {}
    for occurrence in index.occurrences.get(article.slug, ()):
        counts[occurrence.entity] = counts.get(occurrence.entity, 0) + 1
    entities = [e for e in (index.registry.get(i) for i in counts) if e is not None]
    if not entities:
        return ""
    entities.sort(key=lambda e: (-counts[e.id], e.name.casefold(), e.id))
    items = [
        element(
            "li",
            element("a", esc(entity.name), href=f"{root}entities/{entity.id}/", title=entity.description)
            + " "
            + element("span", "× " + str(counts[entity.id]), class_="archive-list-meta"),
        )
        for entity in entities
    ]
    return element(
        "aside",
        "\n"
        + element("h2", "In this article", id="in-this-article")
        + "\n"
        + element("ul", "\n" + "\n".join(items) + "\n", class_="archive-entity-panel-list")
        + "\n",
        class_="archive-entity-panel",
        aria_labelledby="in-this-article",
    )


def pager(articles: Sequence[Article], position: int, root: str = "../../") -> str:
    """Links to the older and the newer neighbour of ``articles[position]`` (*articles* newest
    first, as :func:`generator.render.article.sort_articles` orders them)."""
    links = []
    if position + 1 < len(articles):
        older = articles[position + 1]
        links.append(
            element(
                "a",
                element("span", "Older", class_="archive-pager-label") + " " + esc(older.meta.title),
                href=f"{root}articles/{older.slug}/",
                rel="prev",
                class_="archive-pager-older",
            )
        )
    if position > 0:
        newer = articles[position - 1]
        links.append(
            element(
                "a",
                element("span", "Newer", class_="archive-pager-label") + " " + esc(newer.meta.title),
                href=f"{root}articles/{newer.slug}/",
                rel="next",
                class_="archive-pager-newer",
            )
        )
    if not links:
        return ""
    return element("nav", "\n" + "\n".join(links) + "\n", class_="archive-pager", aria_label="Articles by date")


# ---------------------------------------------------------------------------------------------
# Browse pages


@dataclass(frozen=True)
class Group:
    """A set of articles a reader can browse: one year, one publisher or one tag."""

    key: str
    """The URL segment of the group's page."""
    label: str
    """What the reader sees."""
    articles: tuple[Article, ...]
    """Newest first."""


def slugify(text: str) -> str:
    """A URL segment for *text*: lowercase letters, digits and hyphens (``other`` if none)."""
    return re.sub(r"[^a-z0-9]+", "-", text.casefold()).strip("-") or "other"


def _groups(articles: Sequence[Article], labels_of) -> list[Group]:  # type: ignore[no-untyped-def]
    by_label: dict[str, list[Article]] = {}
    for article in articles:
        for label in labels_of(article):
            by_label.setdefault(label, []).append(article)
    groups, used = [], set()
    for label in sorted(by_label, key=lambda s: (s.casefold(), s)):
        key = base = slugify(label)
        number = 2
        while key in used:  # two labels with one slug ("AP" and "A.P."): keep both pages
            key, number = f"{base}-{number}", number + 1
        used.add(key)
        groups.append(Group(key, label, tuple(by_label[label])))
    return groups


def years(articles: Sequence[Article]) -> list[Group]:
    """Articles by year of publication, newest year first; undated ones last."""
    groups = _groups(articles, lambda a: [str(a.meta.date.year) if a.meta.date else "Undated"])
    return sorted(groups, key=lambda g: (g.label == "Undated", -int(g.label) if g.label.isdigit() else 0))


def publishers(articles: Sequence[Article]) -> list[Group]:
    """Articles by publisher, alphabetically; articles without one under "Unknown publisher"."""
    return _groups(articles, lambda a: [a.meta.publisher or "Unknown publisher"])


def tags(articles: Sequence[Article]) -> list[Group]:
    """Articles by front-matter tag, alphabetically."""
    return _groups(articles, lambda a: sorted(set(a.meta.tags)))


BROWSE_KINDS = (("year", "By year", years), ("publisher", "By publisher", publishers), ("tag", "By tag", tags))


def _group_links(kind: str, groups: Sequence[Group], root: str) -> str:
    items = [
        element(
            "li",
            element("a", esc(g.label), href=f"{root}browse/{kind}/{g.key}/")
            + " "
            + element("span", _plural(len(g.articles), "article"), class_="archive-list-meta"),
        )
        for g in groups
    ]
    return element("ul", "\n" + "\n".join(items) + "\n", class_="archive-browse-list")


def browse_index(articles: Sequence[Article]) -> str:
    """The page listing every year, publisher and tag, and a link to the entities."""
    parts = [
        element("h1", "Browse the archive"),
        element(
            "p",
            f"{_plural(len(articles), 'article')} by year of publication, by publisher and by tag; "
            + "or by the "
            + element("a", "people, organisations and places", href="../entities/")
            + " they mention.",
        ),
    ]
    for kind, heading, group_of in BROWSE_KINDS:
        groups = group_of(articles)
        parts.append(element("h2", heading, id=f"by-{kind}"))
        parts.append(_group_links(kind, groups, "../") if groups else element("p", "None yet."))
    return front_matter(title="Browse") + join_lines(parts)


def group_page(kind: str, group: Group, listing: paging.Listing[Article] | None = None) -> str:
    """A page of one year, publisher or tag: its articles, newest first (*listing*: which of its
    numbered pages; without it, all the articles on one page)."""
    listing = listing or paging.Listing(f"browse/{kind}/{group.key}/", group.label, tuple(group.articles))
    title = {"year": "Articles of {}", "publisher": "Articles published by {}", "tag": "Articles tagged {}"}[kind]
    label = group.label if kind != "tag" else f"“{group.label}”"
    if group.label == "Undated":
        title, label = "Undated articles", ""
    heading = title.format(label).strip()
    if listing.number > 1:
        heading += f", page {listing.number}"
    parts = [
        element("h1", esc(heading)),
        element(
            "p",
            _plural(len(group.articles), "article")
            + ", newest first. "
            + element("a", "Browse by year, publisher or tag", href=listing.href("browse/")),
        ),
        article_list(listing.items, listing.root),
    ]
    if listing.pages > 1:
        parts.append(paging.pager(listing, "First page"))  # type: ignore[arg-type]
    return front_matter(title=heading) + join_lines(parts)


def browse_pages(articles: Sequence[Article]) -> dict[str, str]:
    """Every browse page, as relative path under the docs folder → page text."""
    out = {"browse/index.md": browse_index(articles)}
    for kind, _heading, group_of in BROWSE_KINDS:
        for group in group_of(articles):
            # Long groups continue on numbered pages: no page lists every article of an archive.
            for listing in paging.numbered(
                f"browse/{kind}/{group.key}/", group.label, group.articles, paging.page_size()
            ):
                out[f"{listing.path}index.md"] = group_page(kind, group, listing)
    return out


# ---------------------------------------------------------------------------------------------
# Home page


def newest_notes(articles: Sequence[Article], notes: Mapping[str, Sequence[AnchoredNote]], limit: int) -> list:  # type: ignore[type-arg]
    """The *limit* newest notes as (article, note), newest first; ties in the archive's order."""
    found = [(article, item) for article in articles for item in notes.get(article.slug, ())]
    order = {a.slug: i for i, a in enumerate(articles)}
    found.sort(key=lambda p: (-p[1].note.date.toordinal(), order[p[0].slug], p[1].number))
    return found[:limit]


def home_page(
    articles: Sequence[Article],
    index: EntityIndex,
    notes: Mapping[str, Sequence[AnchoredNote]],
    site_name: str,
    intro: str,
    feeds: bool = True,
) -> str:
    """The home page: what the archive holds, ways into it, the latest articles and notes."""
    note_count = sum(len(n) for n in notes.values())
    mentioned = {o.entity for occurrences in index.occurrences.values() for o in occurrences}
    counts = element(
        "p",
        " · ".join(
            [
                element("a", _plural(len(articles), "article"), href="articles/"),
                element("a", _plural(len(mentioned), "entity", "entities") + " mentioned", href="entities/"),
                element("a", _plural(note_count, "editorial note"), href="corrections/"),
            ]
        ),
        class_="archive-counts",
    )
    ways = [
        element("li", element("a", "By year", href="browse/#by-year") + " " + _inline_groups("year", years(articles))),
        element("li", element("a", "By publisher", href="browse/#by-publisher") + " "
                + _inline_groups("publisher", publishers(articles))),
        element("li", element("a", "By tag", href="browse/#by-tag") + " " + _inline_groups("tag", tags(articles))),
        element("li", element("a", "By person, organisation or place", href="entities/")),
    ]  # fmt: skip
    parts = [
        element("h1", esc(site_name)),
        element("p", esc(intro)),
        counts,
        element("h2", "Ways in", id="ways-in"),
        element("ul", "\n" + "\n".join(ways) + "\n", class_="archive-ways"),
        element("h2", "Latest articles", id="latest"),
        article_list(articles[: min(HOME_LATEST, paging.page_size())], ""),
    ]
    if len(articles) > min(HOME_LATEST, paging.page_size()):
        parts.append(element("p", element("a", f"All {len(articles)} articles", href="articles/")))
    # Corrections first: they change what a reader should take from an article; other notes
    # stand in only when the archive has no correction yet.
    corrections = {slug: [i for i in items if i.note.kind == "correction"] for slug, items in notes.items()}
    newest = newest_notes(articles, corrections, HOME_NOTES)
    heading = "Newest corrections"
    if not newest:
        newest, heading = newest_notes(articles, notes, HOME_NOTES), "Newest notes"
    parts.append(element("h2", heading, id="newest-notes"))
    if newest:
        items = []
        for article, item in newest:
            note = item.note
            quote = "“" + esc(one_line(item.anchor.exact)) + "”"
            items.append(
                element(
                    "li",
                    element("span", kind_title(note.kind), class_="note-kind")
                    + " on "
                    + element("a", quote, href=f"articles/{article.slug}/#anchor-{note.id}")
                    + " in "
                    + element("cite", esc(article.meta.title))
                    + " "
                    + element("span", date_text(note.date), class_="archive-list-meta"),
                    class_=f"note--{note.kind}",
                )
            )
        parts.append(element("ul", "\n" + "\n".join(items) + "\n", class_="archive-home-notes"))
        parts.append(element("p", element("a", f"Every correction and note ({note_count})", href="corrections/")))
    else:
        parts.append(element("p", "No article has notes yet."))
    if feeds:
        links = " · ".join(element("a", label, href=href, type="application/atom+xml") for href, label in FEEDS)
        parts.append(element("p", "Follow the archive in a feed reader: " + links + " (Atom).", class_="archive-feeds"))
    return front_matter(title="Home") + join_lines(parts)


def _inline_groups(kind: str, groups: Sequence[Group], limit: int = 8) -> str:
    """A short run of links to the first *limit* groups, for the home page."""
    if not groups:
        return ""
    links = [element("a", esc(g.label), href=f"browse/{kind}/{g.key}/") for g in groups[:limit]]
    more = " …" if len(groups) > limit else ""
    return element("span", "(" + ", ".join(links) + more + ")", class_="archive-list-meta")
