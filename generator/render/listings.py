"""The articles index and its pages by year, and the list of articles every listing shows.

Pure functions from what lists show of each article (:class:`generator.stages.summary.Listed`) to
page text;
every value from an article goes through the renderer's escaping helpers
(:mod:`generator.render.markup`).
"""

from __future__ import annotations

from collections.abc import Sequence

from generator import paths
from generator.render import paging
from generator.render.markup import date_text, element, esc, front_matter, join_lines
from generator.stages.summary import Listed
from generator.util.text import plural


def article_list(articles: Sequence[Listed], root: str) -> str:
    """A list of articles, each with its date and publisher, linking to its page."""
    items = []
    for article in articles:
        link = element("a", esc(article.title), href=root + paths.article(article.slug))
        details = " · ".join(
            x for x in (esc(article.publisher or ""), date_text(article.date) if article.date else "") if x
        )
        items.append(element("li", link + (f' <span class="archive-list-meta">{details}</span>' if details else "")))
    return element("ul", "\n" + "\n".join(items) + "\n", class_="archive-list")


def articles_pages(articles: Sequence[Listed], size: int) -> dict[str, str]:
    """The articles index and, when the archive is longer than a page (*size* articles), a page
    per year (:mod:`generator.render.paging`), as path under the docs folder → page text."""
    index = paths.page_file(paths.ARTICLES)
    if len(articles) <= size:
        return {index: articles_index(articles)}
    periods, listings = paging.split(paths.ARTICLES, articles, lambda a: a.date, size)
    out = {index: articles_by_year(len(articles), tuple(periods))}
    for listing in listings:
        out[paths.page_file(listing.path)] = articles_listing(listing)
    return out


def articles_by_year(total: int, periods: Sequence[paging.Period]) -> str:
    """The first page of the articles index of a large archive: a link to each year's page."""
    return front_matter(title="Articles") + join_lines(
        [
            element("h1", "Articles"),
            element("p", f"{plural(total, 'article')}, newest first, by year of publication."),
            paging.period_list(periods, "../", "article"),
        ]
    )


def articles_listing(listing: paging.Listing[Listed]) -> str:
    """One page of the articles of a year."""
    title = paging.heading("Articles", listing)
    parts = [element("h1", esc(title)), paging.pager(listing, "All years")]  # type: ignore[arg-type]
    parts.append(article_list(listing.items, listing.root))
    return front_matter(title=title, search=paging.NOT_SEARCHED) + join_lines(parts)


def articles_index(articles: Sequence[Listed]) -> str:
    """The index of every article, newest first, grouped by year (an archive that fits on one page)."""
    parts = [
        element("h1", "Articles"),
        element("p", f"{plural(len(articles), 'article')}, newest first."),
    ]
    by_year: dict[str, list[Listed]] = {}
    for article in articles:
        by_year.setdefault(str(article.date.year) if article.date else "Undated", []).append(article)
    for year, group in by_year.items():
        parts += [element("h2", esc(year), id=f"year-{year.lower()}"), article_list(group, "../")]
    return front_matter(title="Articles") + join_lines(parts)
