"""The pages of the site, as Markdown files made of HTML blocks (see :mod:`generator.render.markup`).

Every function here is pure: it takes the model and returns the text of a page. Nothing is
written to disk here (that is :mod:`generator.output.docs`).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence

from generator.errors import SourceError
from generator.model import Article
from generator.render import paging
from generator.render.markup import Links, attr, date_text, element, esc, join_lines, render_block, safe_url

HOME_LATEST = 20
"""How many articles the home page lists (at most a listing page's worth, :func:`paging.page_size`)."""


def front_matter(**fields: object) -> str:
    """A YAML front matter block. Values are JSON strings (valid YAML), HTML-escaped because the
    theme prints some of them (the title) without escaping."""
    lines = ["---"]
    for key, value in fields.items():
        if isinstance(value, str):
            value = attr(value)
        lines.append(f"{key}: {json.dumps(value, ensure_ascii=False)}")
    lines.append("---")
    return "\n".join(lines) + "\n\n"


def sort_articles(articles: Iterable[Article]) -> list[Article]:
    """Newest first; undated articles last; ties broken by slug so the order never varies."""
    return sorted(
        articles, key=lambda a: (a.meta.date is None, -(a.meta.date.toordinal() if a.meta.date else 0), a.slug)
    )


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


def provenance_line(article: Article, original: str | None = None) -> str:
    """Where the archive's copy came from: "Archived on …, from <url>, sha256 …", and a link to
    the file as received (*original*, published as plain text), as one escaped line of HTML."""
    meta = article.meta
    text = "Archived"
    if meta.archived:
        text += " on " + element("time", date_text(meta.archived), datetime=meta.archived.isoformat())
    url = safe_url(meta.url or "")
    if url:
        text += (", from " if meta.archived else " from ") + element("a", esc(url), href=url, rel="nofollow noopener")
    if meta.sha256:
        text += ", sha256 " + element("code", esc(meta.sha256), class_="archive-sha256")
    if original:
        text += " · " + element("a", "the original as received (plain text)", href=original, type="text/plain")
    if text == "Archived":
        return ""
    return element("p", text, class_="archive-meta archive-provenance")


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
                + element("q", esc(_shorten(removal.text))),
            )
        )
    removed = sum(1 for r in article.removals if not r.kept_words)
    unlinked = len(article.removals) - removed
    summary = (
        f"<p>This page shows the article as received, with every word of it kept. The archive removed "
        f"{removed} passage{'s' if removed != 1 else ''} of publisher material and made "
        f"{unlinked} dead link{'s' if unlinked != 1 else ''} plain text:</p>"
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


def _shorten(text: str, limit: int = 160) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def article_page(
    article: Article,
    links: Links,
    extra_top: Sequence[str] = (),
    extra_bottom: Sequence[str] = (),
    original: str | None = None,
) -> str:
    """The page of one article: heading, metadata, provenance, the text, then the about box.

    *original* is the relative address of the file as received, when the archive publishes it."""
    head = front_matter(title=article.meta.title, description=_shorten(article.blocks[0].text, 150))
    body = [render_block(block, links, index) for index, block in enumerate(article.blocks)]
    return head + join_lines(
        [
            element("h1", esc(article.meta.title), id="title"),
            meta_line(article),
            provenance_line(article, original),
            *extra_top,
            '<div class="archive-text" lang="' + attr(article.meta.language) + '">',
            *body,
            "</div>",
            *extra_bottom,
            about_box(article),
        ]
    )


def article_list(articles: Sequence[Article], root: str) -> str:
    """A list of articles, each with its date and publisher, linking to its page."""
    items = []
    for article in articles:
        link = element("a", esc(article.meta.title), href=f"{root}articles/{article.slug}/")
        details = " · ".join(
            x
            for x in (esc(article.meta.publisher or ""), date_text(article.meta.date) if article.meta.date else "")
            if x
        )
        items.append(element("li", link + (f' <span class="archive-list-meta">{details}</span>' if details else "")))
    return element("ul", "\n" + "\n".join(items) + "\n", class_="archive-list")


def articles_pages(articles: Sequence[Article]) -> dict[str, str]:
    """The articles index and, when the archive is longer than a page, a page per year (or
    month, :mod:`generator.render.paging`), as path under the docs folder → page text."""
    size = paging.page_size()
    for article in articles:
        if paging.RESERVED.match(article.slug):
            raise SourceError(
                f"the name {article.slug!r} is reserved for the pages listing the articles by year; rename the file",
                article.path,
            )
    if len(articles) <= size:
        return {"articles/index.md": articles_index(articles)}
    periods, listings = paging.split("articles/", articles, lambda a: a.meta.date, size)
    count = f"{len(articles):,} articles"
    out = {
        "articles/index.md": front_matter(title="Articles")
        + join_lines(
            [
                element("h1", "Articles"),
                element("p", f"{count}, newest first, by year of publication."),
                paging.period_list(periods, "../", "article"),
            ]
        )
    }
    for listing in listings:
        title = paging.heading("Articles", listing)
        parts = [element("h1", esc(title)), paging.pager(listing, "All years")]
        parts.append(article_list(listing.items, listing.root))
        out[listing.path + "index.md"] = front_matter(title=title, search=paging.NOT_SEARCHED) + join_lines(parts)
    return out


def articles_index(articles: Sequence[Article]) -> str:
    """The index of every article, newest first, grouped by year (an archive that fits on one page)."""
    parts = [
        element("h1", "Articles"),
        element("p", f"{len(articles)} article{'s' if len(articles) != 1 else ''}, newest first."),
    ]
    by_year: dict[str, list[Article]] = {}
    for article in articles:
        by_year.setdefault(str(article.meta.date.year) if article.meta.date else "Undated", []).append(article)
    for year, group in by_year.items():
        parts += [element("h2", esc(year), id=f"year-{year.lower()}"), article_list(group, "../")]
    return front_matter(title="Articles") + join_lines(parts)


def home_page(articles: Sequence[Article], site_name: str, intro: str) -> str:
    """The home page: what the archive is, then the latest articles."""
    latest = articles[: min(HOME_LATEST, paging.page_size())]
    parts = [
        element("h1", esc(site_name)),
        element("p", esc(intro)),
        element("h2", "Latest articles", id="latest"),
        article_list(latest, ""),
    ]
    if len(articles) > len(latest):
        parts.append(element("p", element("a", f"All {len(articles)} articles", href="articles/")))
    return front_matter(title="Home") + join_lines(parts)
