"""Structured data for other programs: the schema.org ``NewsArticle`` of an article page, and an
article's notes as a W3C Web Annotation collection (JSON-LD).

The annotations follow the Web Annotation Data Model and pass the MUST assertions of the W3C test
suite (``tests/render/test_linked_data.py`` runs its schemas): every object carries its own
``@context``, addresses are absolute (from ``site_url``), dates are date-times, and a note's sources
are ``SpecificResource`` bodies with the purpose ``linking``. Without a ``site_url`` the addresses
stay relative to the file, which readers of the site can follow but linked-data clients cannot
(the command line says so).

Each note's target names its words two ways, so that a program reading the article's page finds
them (the Hypothesis client, a browser extension) as well as one reading the archive's text:

- a ``TextQuoteSelector``: the exact words and up to 32 characters either side;
- a ``CssSelector`` of the article's text container (``div.archive-text``) refined by a
  ``TextPositionSelector``: offsets in code points into that element's text, which is exactly the
  article's cleaned text (:mod:`generator.render.article` writes nothing else there, and note
  markers and permalinks carry no text).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence

from generator import paths
from generator.inputs.notes_file import Note, NoteKind
from generator.inputs.urls import safe_url
from generator.model import Article
from generator.stages.anchor import AnchoredNote, selectors

MOTIVATION: dict[NoteKind, str] = {
    "correction": "editing",
    "spelling": "editing",
    "clarification": "describing",
    "context": "commenting",
}
"""The W3C Web Annotation motivation of each kind."""

JSONLD_TYPE = "application/ld+json"
ANNOTATION_CONTEXT = "http://www.w3.org/ns/anno.jsonld"
TEXT_CONTAINER = "div.archive-text"
"""The CSS selector of the element holding an article's text on its page."""
GENERATOR = {"type": "Software", "name": "annotated-archive"}
"""The program that wrote the annotations (the Web Annotation ``generator``)."""


def date_time(day: dt.date) -> str:
    """A date as the date-time the models ask for: midnight UTC (the notes file gives days only)."""
    return f"{day.isoformat()}T00:00:00Z"


def agent(note: Note, vocabulary: str) -> dict[str, str]:
    """A note's author as the notes file describes it: a Person or an Organization, in the
    vocabulary of the Web Annotation model (``type``/``id``) or of schema.org (``@type``)."""
    kind = "Person" if note.author_type == "person" else "Organization"
    url = safe_url(note.author_url or "")
    if vocabulary == "schema":
        return {"@type": kind, "name": note.author, **({"url": url} if url else {})}
    return {**({"id": url} if url else {}), "type": kind, "name": note.author}


def news_article_ld(article: Article, notes: Sequence[AnchoredNote], site_url: str | None = None) -> dict[str, object]:
    """schema.org ``NewsArticle`` data for the page, with its corrections as ``CorrectionComment``.

    With *site_url*, the archive page is the article's ``@id``, ``url`` and ``mainEntityOfPage``;
    the publisher's address is what the copy ``isBasedOn``; ``dateModified`` is the newest note's day."""
    meta = article.meta
    page = site_url + paths.article(article.slug) if site_url else None
    data: dict[str, object] = {"@context": "https://schema.org", "@type": "NewsArticle"}
    if page:
        data.update({"@id": page, "url": page, "mainEntityOfPage": page})
    data["headline"] = meta.title
    if meta.date:
        data["datePublished"] = meta.date.isoformat()
    if notes:
        data["dateModified"] = max(item.note.date for item in notes).isoformat()
    if meta.author:
        data["author"] = {"@type": "Person", "name": meta.author}
    if meta.publisher:
        data["publisher"] = {"@type": "Organization", "name": meta.publisher}
    original = safe_url(meta.url or "")
    if original:
        data["isBasedOn"] = original
    data["inLanguage"] = meta.language
    corrections = [
        {
            "@type": "CorrectionComment",
            "url": f"{page or ''}#note-{item.note.id}",
            "text": item.note.body_text,
            "datePublished": item.note.date.isoformat(),
            "author": agent(item.note, "schema"),
        }
        for item in notes
        if item.note.kind == "correction"
    ]
    if corrections:
        data["correction"] = corrections
    return data


def _source_body(url: str, title: str, accessed: dt.date) -> dict[str, object]:
    # A source is a SpecificResource with the purpose "linking": the model forbids a purpose on an
    # External Web Resource itself. Its state says when an editor read it.
    return {
        "type": "SpecificResource",
        "purpose": "linking",
        "source": {"id": url, "type": "Text", "format": "text/html", "label": title},
        "state": {"type": "TimeState", "sourceDate": date_time(accessed)},
    }


def annotation(article: Article, item: AnchoredNote, collection: str, page: str) -> dict[str, object]:
    """One note as a Web Annotation; *collection* and *page* are the addresses of the annotations
    file and of the article page (absolute, or relative to the file)."""
    note = item.note
    prefix, suffix = selectors(article, item.anchor)
    body: list[dict[str, object]] = [
        {
            "type": "TextualBody",
            "value": note.body,
            "format": "text/markdown",
            "language": "en",
            "purpose": MOTIVATION[note.kind],
        },
        {"type": "TextualBody", "value": note.kind, "purpose": "tagging"},
    ]
    body += [_source_body(s.url, s.title, s.accessed) for s in note.sources if safe_url(s.url)]
    return {
        "@context": ANNOTATION_CONTEXT,
        "id": f"{collection}#note-{note.id}",
        "type": "Annotation",
        "motivation": MOTIVATION[note.kind],
        "created": date_time(note.date),
        "creator": agent(note, "annotation"),
        "generator": GENERATOR,
        "body": body,
        "target": {
            "type": "SpecificResource",
            "source": {"id": page, "type": "Text", "format": "text/html", "language": article.meta.language},
            "selector": [
                {"type": "TextQuoteSelector", "exact": item.anchor.exact, "prefix": prefix, "suffix": suffix},
                {
                    "type": "CssSelector",
                    "value": TEXT_CONTAINER,
                    "refinedBy": {"type": "TextPositionSelector", "start": item.anchor.start, "end": item.anchor.end},
                },
            ],
        },
    }


def annotations(article: Article, notes: Sequence[AnchoredNote], site_url: str | None = None) -> str:
    """*article*'s notes as a W3C Web Annotation collection (JSON-LD) holding one page.

    With *site_url* every address is absolute (the collection's is the file's own address, each
    annotation's that address and ``#note-<id>``); without, they are relative to the file."""
    if site_url:
        collection = site_url + paths.annotations(article.slug)
        page = site_url + paths.article(article.slug)
    else:
        collection = paths.annotations(article.slug).removeprefix(paths.ANNOTATIONS)
        page = "../" + paths.article(article.slug)
    first = f"{collection}#page-1"
    items = [annotation(article, item, collection, page) for item in notes]
    document = {
        "@context": ANNOTATION_CONTEXT,
        "id": collection,
        "type": "AnnotationCollection",
        "label": f"Editorial notes on “{article.meta.title}”",
        "total": len(items),
        "first": {
            "@context": ANNOTATION_CONTEXT,
            "id": first,
            "type": "AnnotationPage",
            # An object, not a string: the test suite's page schemas read partOf as one.
            "partOf": {"id": collection},
            "startIndex": 0,
            "items": items,
        },
        "last": first,
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"
