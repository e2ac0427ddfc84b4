"""An article's page: heading, metadata, provenance, reading time, the text, its entities, the
neighbouring articles, and what the cleaner removed.

Pages are Markdown files made of HTML blocks (see :mod:`generator.render.markup`). Every function
here is pure: it takes the model and returns the text of a page; nothing is written to disk here
(that is :mod:`generator.output.docs`).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from urllib.parse import urlsplit

from generator import paths
from generator.inputs.registry import Entity
from generator.inputs.urls import safe_url
from generator.model import Article
from generator.render import notes as note_parts
from generator.render.citation import Citation, cite_box, highwire
from generator.render.markup import Links, attr, date_text, element, esc, front_matter, join_lines, render_block
from generator.stages.entities import Occurrence
from generator.stages.staged import Staged
from generator.util.text import plural, shorten


def meta_line(article: Article) -> str:
    """Publisher · author · date · link to the original, as one escaped line of HTML."""
    meta = article.meta
    parts = []
    if meta.publisher:
        parts.append(element("span", esc(meta.publisher), class_="archive-publisher"))
    if meta.author:
        parts.append(element("span", "By " + esc(meta.author), class_="archive-author"))
    if meta.date:
        parts.append(element("time", date_text(meta.date), datetime=meta.date.isoformat()))
    url = safe_url(meta.url or "")
    if url:
        parts.append(element("a", "Original article", href=url, rel="nofollow noopener"))
        if meta.archived:
            parts.append(
                element(
                    "a",
                    f"Wayback Machine, {date_text(meta.archived)}",
                    href=wayback(url, meta.archived),
                    rel="nofollow noopener",
                    title="The Internet Archive's copy of the original nearest to the day the archive took its own, "
                    "if it holds one",
                    class_="archive-wayback",
                )
            )
    line = element("p", " · ".join(parts), class_="archive-meta") if parts else ""
    if meta.original_publisher or meta.original_url:
        first = "First published"
        if meta.original_publisher:
            first += " by " + esc(meta.original_publisher)
        if meta.original_date:
            first += ", " + date_text(meta.original_date)
        original = safe_url(meta.original_url or "")
        if original:
            first += " · " + element("a", "original", href=original, rel="nofollow noopener")
        line += "\n" + element("p", first, class_="archive-meta archive-origin")
    return line


def wayback(url: str, day: dt.date) -> str:
    """The Wayback Machine's address for *url* as it was on *day*: the Internet Archive answers with
    its capture nearest that day, if it has any. Only a link: the archive fetches nothing."""
    return f"https://web.archive.org/web/{day:%Y%m%d}/{url}"


def provenance_line(article: Article, original: str | None = None) -> str:
    """Where the archive's copy came from, folded so that it does not fill a phone's first screen:
    "Archived on …, from <host>" as the summary, and the whole address, the file's sha256 and a
    link to the file as received (*original*, published as plain text) when opened."""
    meta = article.meta
    url = safe_url(meta.url or "")
    summary = "Archived"
    if meta.archived:
        summary += " on " + element("time", date_text(meta.archived), datetime=meta.archived.isoformat())
    if url:
        host = urlsplit(url).hostname or url
        summary += (", from " if meta.archived else " from ") + esc(host)
    details = []
    if url:
        details.append(element("li", "Address: " + element("a", esc(url), href=url, rel="nofollow noopener")))
    if meta.sha256:
        details.append(
            element(
                "li",
                "sha256 " + element("code", esc(meta.sha256), class_="archive-sha256") + " (of the file as received)",
            )
        )
    if original:
        details.append(
            element("li", element("a", "the original as received (plain text)", href=original, type="text/plain"))
        )
    if not details and summary == "Archived":
        return ""
    if not details:
        return element("p", summary, class_="archive-meta archive-provenance")
    return (
        '<details class="archive-meta archive-provenance">\n'
        + element("summary", summary + " · provenance")
        + "\n"
        + element("ul", "\n" + "\n".join(details) + "\n")
        + "\n</details>"
    )


def about_box(article: Article) -> str:
    """The collapsed "About this text" box: what the cleaner removed, by which rule."""
    if not article.removals:
        return ""
    items = []
    for removal in article.removals:
        what = "link removed, words kept" if removal.kept_words else "removed"
        items.append(
            element(
                "li",
                f"Line {removal.line}, {what} ({esc(removal.description)}, rule <code>{esc(removal.rule)}</code>): "
                + element("q", esc(shorten(removal.text, 160))),
            )
        )
    removed = sum(1 for r in article.removals if not r.kept_words)
    unlinked = len(article.removals) - removed
    summary = (
        f"<p>This page shows the article as received, with every word of it kept. The archive removed "
        f"{plural(removed, 'passage')} of publisher material and made {plural(unlinked, 'dead link')} plain text:</p>"
    )
    source = element("p", f"Source file: <code>articles/{esc(article.path.name)}</code>")
    return (
        '<details class="info archive-about">\n<summary>About this text</summary>\n'
        + summary
        + "\n"
        + element("ul", "\n" + "\n".join(items) + "\n")
        + "\n"
        + source
        + "\n</details>"
    )


def article_page(
    article: Article,
    links: Links,
    extra_top: Sequence[str] = (),
    extra_bottom: Sequence[str] = (),
    original: str | None = None,
    cite: Citation | None = None,
) -> str:
    """The page of one article: heading, metadata, provenance, how to cite it, the text, then the
    about box.

    *original* is the relative address of the file as received, when the archive publishes it;
    *cite* what a citation of the article says (the ``<head>`` then carries its Highwire tags).

    The text's container holds the blocks and nothing else, with no white space before the first
    one: its text is exactly :attr:`Article.text`, which the Web Annotations' positions count."""
    lead = article.blocks[0]
    fields: dict[str, object] = {
        "title": article.meta.title,
        "description": shorten(lead.text, 150, one_line=lead.kind == "table"),
    }
    if cite is not None:
        fields["citation"] = highwire(cite)
    body = [render_block(block, links, index) for index, block in enumerate(article.blocks)]
    text = '<div class="archive-text" lang="' + attr(article.meta.language) + '">' + "\n\n".join(body) + "</div>"
    return front_matter(**fields) + join_lines(
        [
            element("h1", esc(article.meta.title), id="title"),
            meta_line(article),
            provenance_line(article, original),
            cite_box(cite) if cite is not None else "",
            *extra_top,
            text,
            *extra_bottom,
            about_box(article),
        ]
    )


WORDS_PER_MINUTE = 230
"""Reading speed for the reading time of an article (adult silent reading of non-fiction)."""


def reading_minutes(article: Article) -> int:
    """Minutes to read *article*: its words divided by :data:`WORDS_PER_MINUTE`, rounded up."""
    return max(1, math.ceil(article.words / WORDS_PER_MINUTE))


def reading_line(article: Article) -> str:
    """ "3 min read · 612 words", as one line of HTML."""
    return element(
        "p",
        f"{reading_minutes(article)} min read · {plural(article.words, 'word')}",
        class_="archive-meta archive-reading",
    )


def entity_panel(occurrences: Sequence[Occurrence], entities: Sequence[Entity], root: str = "../../") -> str:
    """The people, organisations and places of *occurrences* (an article's mentions), each linking
    to its page; *entities*: their registry entries."""
    counts: dict[str, int] = {}
    for occurrence in occurrences:
        counts[occurrence.entity] = counts.get(occurrence.entity, 0) + 1
    known = {entity.id: entity for entity in entities}
    found = [e for e in (known.get(i) for i in counts) if e is not None]
    if not found:
        return ""
    found.sort(key=lambda e: (-counts[e.id], e.name.casefold(), e.id))
    items = [
        element(
            "li",
            element("a", esc(entity.name), href=root + paths.entity(entity.id), title=entity.description)
            + " "
            + element("span", "× " + str(counts[entity.id]), class_="archive-list-meta"),
        )
        for entity in found
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


Neighbour = tuple[str, str]
"""An article next to another by date: (slug, title)."""


def pager(older: Neighbour | None, newer: Neighbour | None, root: str = "../../") -> str:
    """Links to the older and the newer neighbour of an article (by date, see
    :func:`generator.model.sort_articles`)."""
    links = []
    if older is not None:
        links.append(
            element(
                "a",
                element("span", "Older", class_="archive-pager-label") + " " + esc(older[1]),
                href=root + paths.article(older[0]),
                rel="prev",
                class_="archive-pager-older",
            )
        )
    if newer is not None:
        links.append(
            element(
                "a",
                element("span", "Newer", class_="archive-pager-label") + " " + esc(newer[1]),
                href=root + paths.article(newer[0]),
                rel="next",
                class_="archive-pager-newer",
            )
        )
    if not links:
        return ""
    return element("nav", "\n" + "\n".join(links) + "\n", class_="archive-pager", aria_label="Articles by date")


def site_page(
    staged: Staged,
    older: Neighbour | None,
    newer: Neighbour | None,
    entities: Sequence[Entity],
    original: str | None,
    site_url: str | None = None,
    cite: Citation | None = None,
) -> str:
    """The page of *staged* as the site shows it: its notes, its entities (*entities*: the registry
    entries of those it mentions), its neighbours by date, a link to the file as received
    (*original*: that file's name under ``articles/originals/``, when there is one), and how to
    cite it (*cite*; *site_url* makes the JSON-LD's addresses absolute)."""
    article = staged.article
    root = paths.root_of(paths.article(article.slug))
    notes = note_parts.article_note_parts(article, staged.notes, root, site_url)
    links = Links(
        root=root,
        entity_title={entity.id: entity.description for entity in entities},
        note_number=notes.numbers,
        note_kind=notes.kinds,
        mention_ids={(o.block, o.start): o.anchor for o in staged.occurrences},
    )
    return article_page(
        article,
        links,
        extra_top=(reading_line(article), *notes.top),
        extra_bottom=(
            entity_panel(staged.occurrences, entities, root),
            *notes.bottom,
            pager(older, newer, root),
        ),
        original=root + paths.original(original) if original else None,
        cite=cite,
    )
