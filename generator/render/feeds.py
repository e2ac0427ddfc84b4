"""Atom feeds of new articles and of new corrections and notes.

The documents are built with :mod:`xml.etree.ElementTree`, which escapes every text and
attribute value, so nothing from an article or a note can become markup. They are written into
the built site after the engine has run (see :func:`write_feeds`): the docs folder refuses
``.xml`` files, because a browser runs scripts found in XML documents, and MkDocs would publish
them as they are.

Feeds hold plain-text summaries only, never HTML content, and absolute addresses made from the
``site_url`` of ``mkdocs.yml``.
"""

from __future__ import annotations

import datetime as dt
import heapq
import xml.etree.ElementTree as ET
from collections.abc import Callable, Sequence
from pathlib import Path

from generator import paths
from generator.inputs.urls import safe_url
from generator.render.notes import kind_title, one_line
from generator.stages.anchor import AnchoredNote
from generator.stages.summary import Summary
from generator.util.files import atomic_write
from generator.util.text import shorten

ATOM = "http://www.w3.org/2005/Atom"
FEED_SIZE = 50
"""Entries per feed: the newest ones (a feed reader keeps what it has already seen)."""
SUMMARY_LIMIT = 400


def _stamp(day: dt.date | None, fallback: dt.datetime) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC) if day else fallback


def _iso(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _shorten(text: str) -> str:
    return shorten(text, SUMMARY_LIMIT, one_line=True)


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    child = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attrs)
    if text is not None:
        child.text = text
    return child


def _feed(
    title: str, author: str, self_url: str, site_url: str, entries: list[dict[str, object]], fallback: dt.datetime
) -> bytes:
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed")
    _sub(feed, "title", title)
    _sub(feed, "id", self_url)
    _sub(feed, "link", rel="self", href=self_url, type="application/atom+xml")
    _sub(feed, "link", rel="alternate", href=site_url, type="text/html")
    updated = max((e["updated"] for e in entries), default=fallback)  # type: ignore[type-var]
    _sub(feed, "updated", _iso(updated))  # type: ignore[arg-type]
    _sub(_sub(feed, "author"), "name", author)
    for data in entries:
        entry = _sub(feed, "entry")
        _sub(entry, "title", str(data["title"]))
        _sub(entry, "id", str(data["id"]))
        _sub(entry, "link", rel="alternate", href=str(data["link"]), type="text/html")
        _sub(entry, "updated", _iso(data["updated"]))  # type: ignore[arg-type]
        if data.get("published"):
            _sub(entry, "published", _iso(data["published"]))  # type: ignore[arg-type]
        if data.get("author"):
            _sub(_sub(entry, "author"), "name", str(data["author"]))
        if data.get("related"):
            _sub(entry, "link", rel="related", href=str(data["related"]))
        _sub(entry, "summary", str(data["summary"]), type="text")
    ET.indent(feed)
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True) + b"\n"


def articles_feed(articles: Sequence[Summary], site_name: str, site_url: str, fallback: dt.datetime) -> bytes:
    """The newest articles, by the day the archive took them (else their publication date)."""

    def newest_first(article: Summary) -> tuple[float, str]:
        return (-_stamp(article.meta.archived or article.meta.date, fallback).timestamp(), article.slug)

    entries = []
    for article in heapq.nsmallest(FEED_SIZE, articles, key=newest_first):  # sorted(...)[:FEED_SIZE]
        meta = article.meta
        url = site_url + paths.article(article.slug)
        entries.append(
            {
                "title": meta.title,
                "id": url,
                "link": url,
                "updated": _stamp(meta.archived or meta.date, fallback),
                "published": _stamp(meta.date, fallback) if meta.date else None,
                "author": meta.author or meta.publisher,
                "related": safe_url(meta.url or ""),
                "summary": _shorten(article.lead),
                "slug": article.slug,
            }
        )
    return _feed(f"{site_name}: new articles", site_name, site_url + paths.FEEDS[0][0], site_url, entries, fallback)


def newest_noted(articles: Sequence[Summary]) -> list[Summary]:
    """The articles holding the :data:`FEED_SIZE` newest notes (the only ones the notes feed reads)."""
    heads = sorted(
        (
            (-note.date.toordinal(), f"{article.slug}#{note.id}", article)
            for article in articles
            for note in article.notes
        ),
        key=lambda h: (h[0], h[1]),
    )
    seen: dict[str, Summary] = {}
    for _, _, article in heads[:FEED_SIZE]:
        seen.setdefault(article.slug, article)
    return [article for article in articles if article.slug in seen]


def notes_feed(
    articles: Sequence[Summary],
    notes_of: Callable[[str], Sequence[AnchoredNote]],
    site_name: str,
    site_url: str,
    fallback: dt.datetime,
) -> bytes:
    """The newest corrections and other editorial notes, each linking to the words it concerns (by
    the mark's id and a Text Fragment, see :mod:`generator.render.fragments`; *notes_of*: an
    article's notes, read only for the articles holding the newest)."""
    entries = []
    for article in newest_noted(articles):
        links = {head.id: head.link for head in article.notes}
        for item in notes_of(article.slug):
            note = item.note
            page = site_url + paths.article(article.slug)
            entries.append(
                {
                    "title": f"{kind_title(note.kind)} on “{one_line(item.anchor.exact)}” in {article.meta.title}",
                    "id": f"{page}#note-{note.id}",
                    "link": f"{page}#{links.get(note.id) or 'anchor-' + note.id}",
                    "updated": _stamp(note.date, fallback),
                    "author": note.author,
                    "summary": _shorten(note.body_text),
                    "slug": f"{article.slug}#{note.id}",
                }
            )
    entries.sort(key=lambda e: (-e["updated"].timestamp(), e["slug"]))  # type: ignore[union-attr]
    return _feed(
        f"{site_name}: corrections and notes",
        site_name,
        site_url + paths.FEEDS[1][0],
        site_url,
        entries[:FEED_SIZE],
        fallback,
    )


def write_feeds(
    site: Path,
    articles: Sequence[Summary],
    notes_of: Callable[[str], Sequence[AnchoredNote]],
    site_name: str,
    site_url: str,
    epoch: str,
) -> list[str]:
    """Write both feeds into the built site *site*; return their relative paths.

    *site_name* names the feeds and their author; *site_url* makes their addresses absolute;
    *epoch* (``SOURCE_DATE_EPOCH``) dates the entries that carry no date, so output stays the same.
    Each file is replaced whole (a new file renamed into place): the site being built may share
    its files with the one being served (see :mod:`generator.output.generations`)."""
    fallback = dt.datetime.fromtimestamp(int(epoch), dt.UTC)
    documents = {
        paths.FEEDS[0][0]: articles_feed(articles, site_name, site_url, fallback),
        paths.FEEDS[1][0]: notes_feed(articles, notes_of, site_name, site_url, fallback),
    }
    for rel, data in documents.items():
        path = site / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(path, data)
    return sorted(documents)
