"""The browse pages: the archive's articles by year, by publisher and by tag.

They are generated here rather than by Material's tags plugin: the Zensical engine ignores MkDocs
plugins, and generated pages work the same with either engine.

Pure functions from what lists show of each article (:class:`generator.stages.summary.Listed`) to
page text; every value from an article goes through the
renderer's escaping helpers (:mod:`generator.render.markup`).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from generator import paths
from generator.render import paging
from generator.render.listings import article_list
from generator.render.markup import element, esc, front_matter, join_lines
from generator.stages.summary import Listed
from generator.util.text import plural


@dataclass(frozen=True)
class Group:
    """A set of articles a reader can browse: one year, one publisher or one tag."""

    key: str
    """The URL segment of the group's page."""
    label: str
    """What the reader sees."""
    articles: tuple[Listed, ...]
    """Newest first."""


MAX_SLUG = 60
"""Longest URL segment made from a label (a folder name in the docs folder and the site)."""


def slugify(text: str) -> str:
    """A URL segment for *text*: lowercase letters, digits and hyphens, accents dropped
    ("Café" → ``cafe``). A label with nothing left (another script: "日本") or a long one gets a
    short hash of the label, so that it has a page of its own, whose name fits the file system."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.casefold()).strip("-")
    if slug and len(slug) <= MAX_SLUG:
        return slug
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:8]
    return f"{slug[: MAX_SLUG - 9].rstrip('-')}-{digest}" if slug else f"label-{digest}"


def _groups(articles: Sequence[Listed], labels_of) -> list[Group]:  # type: ignore[no-untyped-def]
    by_label: dict[str, list[Listed]] = {}
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


def years(articles: Sequence[Listed]) -> list[Group]:
    """Articles by year of publication, newest year first; undated ones last."""
    groups = _groups(articles, lambda a: [str(a.date.year) if a.date else "Undated"])
    return sorted(groups, key=lambda g: (g.label == "Undated", -int(g.label) if g.label.isdigit() else 0))


def publishers(articles: Sequence[Listed]) -> list[Group]:
    """Articles by publisher, alphabetically; articles without one under "Unknown publisher"."""
    return _groups(articles, lambda a: [a.publisher or "Unknown publisher"])


def tags(articles: Sequence[Listed]) -> list[Group]:
    """Articles by front-matter tag, alphabetically."""
    return _groups(articles, lambda a: sorted(set(a.tags)))


BROWSE_KINDS = (("year", "By year", years), ("publisher", "By publisher", publishers), ("tag", "By tag", tags))


def _group_links(kind: str, groups: Sequence[Group], root: str) -> str:
    items = [
        element(
            "li",
            element("a", esc(g.label), href=root + paths.browse(kind, g.key))
            + " "
            + element("span", plural(len(g.articles), "article"), class_="archive-list-meta"),
        )
        for g in groups
    ]
    return element("ul", "\n" + "\n".join(items) + "\n", class_="archive-browse-list")


def browse_index(articles: Sequence[Listed]) -> str:
    """The page listing every year, publisher and tag, and a link to the entities."""
    parts = [
        element("h1", "Browse the archive"),
        element(
            "p",
            f"{plural(len(articles), 'article')} by year of publication, by publisher and by tag; "
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


def group_page(kind: str, label: str, count: int, listing: paging.Listing[Listed]) -> str:
    """A page of one year, publisher or tag (*kind*) named *label*, of *count* articles: the
    articles of *listing* (which of its numbered pages), newest first. Search leaves out the pages
    of a year or a publisher: they only list what the articles' pages show already (as the pages
    of split listings, :mod:`paging`)."""
    title = {"year": "Articles of {}", "publisher": "Articles published by {}", "tag": "Articles tagged {}"}[kind]
    shown = label if kind != "tag" else f"“{label}”"
    if label == "Undated":
        title, shown = "Undated articles", ""
    heading = title.format(shown).strip()
    if listing.number > 1:
        heading += f", page {listing.number}"
    parts = [
        element("h1", esc(heading)),
        element(
            "p",
            plural(count, "article")
            + ", newest first. "
            + element("a", "Browse by year, publisher or tag", href=listing.href(paths.BROWSE)),
        ),
        article_list(listing.items, listing.root),
    ]
    if listing.pages > 1:
        parts.append(paging.pager(listing, "First page"))  # type: ignore[arg-type]
    # a tag's page stays searched: article pages do not show their tags, so it is where a tag's
    # name is found; a year's or a publisher's page only lists what the articles show
    if kind == "tag":
        return front_matter(title=heading) + join_lines(parts)
    return front_matter(title=heading, search=paging.NOT_SEARCHED) + join_lines(parts)


def group_listings(articles: Sequence[Listed], size: int) -> list[tuple[str, Group, paging.Listing[Listed]]]:
    """Every page of every group: (kind, group, which of its numbered pages)."""
    # Long groups continue on numbered pages: no page lists every article of an archive.
    return [
        (kind, group, listing)
        for kind, _heading, group_of in BROWSE_KINDS
        for group in group_of(articles)
        for listing in paging.numbered(paths.browse(kind, group.key), group.label, group.articles, size)
    ]


def browse_pages(articles: Sequence[Listed], size: int) -> dict[str, str]:
    """Every browse page, as relative path under the docs folder → page text."""
    out = {paths.page_file(paths.BROWSE): browse_index(articles)}
    for kind, group, listing in group_listings(articles, size):
        out[paths.page_file(listing.path)] = group_page(kind, group.label, len(group.articles), listing)
    return out


# ---------------------------------------------------------------------------------------------
# Home page
