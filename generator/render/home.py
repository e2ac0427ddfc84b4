"""The home page: what the archive holds, ways into it, the latest articles and notes.

Pure functions from article summaries to page text; every value from an article, a note or the registry
goes through the renderer's escaping helpers (:mod:`generator.render.markup`).
"""

from __future__ import annotations

from collections.abc import Sequence

from generator import paths
from generator.render.browse import Group, publishers, tags, years
from generator.render.listings import article_list
from generator.render.markup import date_text, element, esc, front_matter, join_lines
from generator.render.notes import kind_title, one_line
from generator.stages.summary import NoteHead, Summary, mentioned_entities
from generator.util.text import plural

INTRO = (
    "News articles kept as published, with the publisher's chrome removed, people, organisations "
    "and places linked, and editorial notes at the exact words they concern."
)
"""What the home page says the archive is, under its name."""
LATEST = 20
"""How many articles the home page lists (at most a listing page's worth)."""

HOME_NOTES = 5
"""How many of the newest notes the home page lists."""


def newest_notes(articles: Sequence[Summary], limit: int, kind: str | None = None) -> list[tuple[Summary, NoteHead]]:
    """The *limit* newest notes (of *kind*, or of any kind) as (article, note), newest first; ties
    in the archive's order."""
    found = [
        (position, article, note)
        for position, article in enumerate(articles)
        for note in article.notes
        if kind is None or note.kind == kind
    ]
    found.sort(key=lambda p: (-p[2].date.toordinal(), p[0], p[2].number))
    return [(article, note) for _, article, note in found[:limit]]


def home_page(articles: Sequence[Summary], site_name: str, size: int, feeds: bool = True) -> str:
    """The home page: what the archive holds, ways into it, the latest articles and notes.

    *site_name* is its heading; it lists at most *size* articles (a listing page's worth); with
    *feeds*, it links the Atom feeds (the built site has them only with a ``site_url``)."""
    latest = min(LATEST, size)
    note_count = sum(len(article.notes) for article in articles)
    mentioned = mentioned_entities(list(articles))
    listed = [article.listed for article in articles]
    counts = element(
        "p",
        " · ".join(
            [
                element("a", plural(len(articles), "article"), href=paths.ARTICLES),
                element("a", plural(len(mentioned), "entity", "entities") + " mentioned", href=paths.ENTITIES),
                element("a", plural(note_count, "editorial note"), href=paths.CORRECTIONS),
            ]
        ),
        class_="archive-counts",
    )
    ways = [
        _way("By year", "#by-year", "year", years(listed)),
        _way("By publisher", "#by-publisher", "publisher", publishers(listed)),
        _way("By tag", "#by-tag", "tag", tags(listed)),
        element("li", element("a", "By person, organisation or place", href=paths.ENTITIES)),
    ]
    parts = [
        element("h1", esc(site_name)),
        element("p", esc(INTRO)),
        counts,
        element("h2", "Ways in", id="ways-in"),
        element("ul", "\n" + "\n".join(ways) + "\n", class_="archive-ways"),
        element("h2", "Latest articles", id="latest"),
        article_list(listed[:latest], ""),
    ]
    if len(articles) > latest:
        parts.append(element("p", element("a", f"All {len(articles):,} articles", href=paths.ARTICLES)))
    # Corrections first: they change what a reader should take from an article; other notes
    # stand in only when the archive has no correction yet.
    newest = newest_notes(articles, HOME_NOTES, "correction")
    heading = "Newest corrections"
    if not newest:
        newest, heading = newest_notes(articles, HOME_NOTES), "Newest notes"
    parts.append(element("h2", heading, id="newest-notes"))
    if newest:
        items = []
        for article, note in newest:
            quote = "“" + esc(one_line(note.exact)) + "”"
            items.append(
                element(
                    "li",
                    element("span", kind_title(note.kind), class_="note-kind")
                    + " on "
                    + element("a", quote, href=f"{paths.article(article.slug)}#anchor-{note.id}")
                    + " in "
                    + element("cite", esc(article.meta.title))
                    + " "
                    + element("span", date_text(note.date), class_="archive-list-meta"),
                    class_=f"note--{note.kind}",
                )
            )
        parts.append(element("ul", "\n" + "\n".join(items) + "\n", class_="archive-home-notes"))
        parts.append(element("p", element("a", f"Every correction and note ({note_count})", href=paths.CORRECTIONS)))
    else:
        parts.append(element("p", "No article has notes yet."))
    if feeds:
        links = " · ".join(element("a", label, href=href, type="application/atom+xml") for href, label in paths.FEEDS)
        parts.append(element("p", "Follow the archive in a feed reader: " + links + " (Atom).", class_="archive-feeds"))
    return front_matter(title="Home") + join_lines(parts)


def _way(label: str, anchor: str, kind: str, groups: Sequence[Group]) -> str:
    """One way into the archive: a link to its part of the browse page and its first groups."""
    return element("li", element("a", label, href=paths.BROWSE + anchor) + " " + _inline_groups(kind, groups))


def _inline_groups(kind: str, groups: Sequence[Group], limit: int = 8) -> str:
    """A short run of links to the first *limit* groups, for the home page."""
    if not groups:
        return ""
    links = [element("a", esc(g.label), href=paths.browse(kind, g.key)) for g in groups[:limit]]
    more = " …" if len(groups) > limit else ""
    return element("span", "(" + ", ".join(links) + more + ")", class_="archive-list-meta")
