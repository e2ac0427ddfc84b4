"""Splitting long listings into pages, so that no page grows with the archive.

A listing that fits on one page (``Settings.page_size`` items, 50 unless ``$ARCHIVE_PAGE_SIZE``
says otherwise) is one page. A longer one is split by
year (``<base>/2017/``), and a year with more items than a page holds continues on numbered
pages (``<base>/2017/2/``, newest first). Undated items go to ``<base>/undated/`` (numbered the
same way). Every page but a year's last holds exactly a page's worth, so pages weigh the same
whether the archive has a thousand articles or a million (months would make many small pages
in a small archive and large ones in a large archive).

The articles index, each entity's passages and the corrections use this; every page built here
links to at most a page's worth of articles, so building one costs the same at 100 articles as
at 100,000. The years' pages themselves are listed on the listing's first page.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Generic, TypeVar

from generator import paths
from generator.render.markup import element, esc
from generator.util.text import plural

T = TypeVar("T")
UNDATED = "undated"
NOT_SEARCHED = {"exclude": True}
"""Front matter ``search`` of the pages of a split listing: they only list what the index holds
already, so search leaves them out (Material's search reads ``search.exclude``; for Pagefind,
:mod:`generator.engines.mkdocs_plugin` marks every other page as searchable)."""


@dataclass(frozen=True)
class Period:
    """A link to the page of one period, with how many items it holds."""

    label: str
    """``2017`` or ``Undated``."""
    path: str
    """The page's folder under the docs folder, ending in ``/``."""
    count: int


@dataclass(frozen=True)
class Listing(Generic[T]):
    """One page of a split listing."""

    path: str
    """The page's folder under the docs folder, ending in ``/`` (the file is ``index.md`` in it)."""
    label: str
    """The period: ``2017`` or ``Undated``."""
    items: tuple[T, ...]
    """What the page lists."""
    number: int = 1
    """The page's number within its period."""
    pages: int = 1
    """How many pages the period has."""
    up: str = ""
    """The folder of the listing's first page."""
    previous: str = ""
    """The folder of the previous page of the same period, if any."""
    next: str = ""
    """The folder of the next page of the same period, if any."""

    @property
    def root(self) -> str:
        """Relative path from this page to the site root."""
        return paths.root_of(self.path)

    def href(self, folder: str) -> str:
        """Relative link from this page to another page's *folder*."""
        return self.root + folder


U = TypeVar("U")


def replace_items(listing: Listing[T], items: Sequence[U]) -> Listing[U]:
    """*listing* (the same page of the same split) holding *items* instead."""
    return replace(listing, items=tuple(items))  # type: ignore[return-value,arg-type]


def _chunks(path: str, label: str, items: Sequence[T], size: int, up: str) -> list[Listing[T]]:
    count = max(1, -(-len(items) // size))
    paths = [path if n == 1 else f"{path}{n}/" for n in range(1, count + 1)]
    return [
        Listing(
            paths[n],
            label,
            tuple(items[n * size : (n + 1) * size]),
            number=n + 1,
            pages=count,
            up=up,
            previous=paths[n - 1] if n > 0 else "",
            next=paths[n + 1] if n + 1 < count else "",
        )
        for n in range(count)
    ]


def numbered(path: str, label: str, items: Sequence[T], size: int) -> list[Listing[T]]:
    """*items* on pages of *size* at *path*, *path*``2/``, …; every page links back to *path*."""
    return _chunks(path, label, items, size, path)


def split(
    base: str, items: Sequence[T], date_of: Callable[[T], dt.date | None], size: int
) -> tuple[list[Period], list[Listing[T]]]:
    """The years of *items* (given newest first, undated last) and every page of the split.

    *base* is the folder of the listing's first page (``articles/``), which the caller renders
    with the years returned here.
    """
    years: dict[str, list[T]] = {}
    for item in items:
        day = date_of(item)
        years.setdefault(f"{day.year:04d}" if day else UNDATED, []).append(item)
    periods, listings = [], []
    for year, group in years.items():
        folder = f"{base}{year}/"
        label = "Undated" if year == UNDATED else year
        periods.append(Period(label, folder, len(group)))
        listings += _chunks(folder, label, group, size, base)
    return periods, listings


def period_list(periods: Sequence[Period], root: str, noun: str) -> str:
    """A list of links to the pages of *periods*, each with its count of *noun*s."""
    items = [
        element(
            "li",
            element("a", esc(p.label), href=root + p.path)
            + " "
            + element("span", plural(p.count, noun), class_="archive-list-meta"),
        )
        for p in periods
    ]
    return element("ul", "\n" + "\n".join(items) + "\n", class_="archive-list archive-periods")


def pager(listing: Listing[object], base_label: str) -> str:
    """Links to the listing's first page (named *base_label*) and to the previous and next pages
    of the same year."""
    links = [element("a", esc(base_label), href=listing.href(listing.up), class_="archive-up")]
    if listing.previous:
        links.append(element("a", "Newer", href=listing.href(listing.previous), rel="prev"))
    if listing.pages > 1:
        links.append(element("span", f"Page {listing.number} of {listing.pages}"))
    if listing.next:
        links.append(element("a", "Older", href=listing.href(listing.next), rel="next"))
    return element("nav", " · ".join(links), class_="archive-pager", aria_label="Pages")


def heading(label: str, listing: Listing[object]) -> str:
    """``label, 2017`` (with ``, page 2`` past the first page)."""
    text = f"{label}, {listing.label}"
    return text + (f", page {listing.number}" if listing.number > 1 else "")
