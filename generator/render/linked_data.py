"""Structured data for other programs: the schema.org ``NewsArticle`` of an article page, and an
article's notes as a W3C Web Annotation collection (JSON-LD)."""

from __future__ import annotations

import json
from collections.abc import Sequence

from generator import paths
from generator.inputs.notes_file import NoteKind
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


def news_article_ld(article: Article, notes: Sequence[AnchoredNote]) -> dict[str, object]:
    """schema.org ``NewsArticle`` data for the page, with its corrections as ``CorrectionComment``."""
    meta = article.meta
    data: dict[str, object] = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": meta.title}
    if meta.date:
        data["datePublished"] = meta.date.isoformat()
    if meta.author:
        data["author"] = {"@type": "Person", "name": meta.author}
    if meta.publisher:
        data["publisher"] = {"@type": "Organization", "name": meta.publisher}
    if meta.url and safe_url(meta.url):
        data["url"] = meta.url
    data["inLanguage"] = meta.language
    corrections = [
        {
            "@type": "CorrectionComment",
            "url": f"#note-{item.note.id}",
            "text": item.note.body_text,
            "datePublished": item.note.date.isoformat(),
            "author": {"@type": "Organization", "name": item.note.author},
        }
        for item in notes
        if item.note.kind == "correction"
    ]
    if corrections:
        data["correction"] = corrections
    return data


def annotations(article: Article, notes: Sequence[AnchoredNote]) -> str:
    """*article*'s notes as a W3C Web Annotation collection (JSON-LD), addressed relative to itself."""
    page = "../" + paths.article(article.slug)
    items = []
    for item in notes:
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
        body += [
            {"id": s.url, "type": "Text", "format": "text/html", "purpose": "linking", "label": s.title}
            for s in note.sources
        ]
        items.append(
            {
                "id": f"{page}#note-{note.id}",
                "type": "Annotation",
                "motivation": MOTIVATION[note.kind],
                "created": note.date.isoformat(),
                "creator": {"type": "Organization", "name": note.author},
                "body": body,
                "target": {
                    "source": page,
                    "selector": [
                        {"type": "TextQuoteSelector", "exact": item.anchor.exact, "prefix": prefix, "suffix": suffix},
                        {"type": "TextPositionSelector", "start": item.anchor.start, "end": item.anchor.end},
                    ],
                },
            }
        )
    collection = {
        "@context": "http://www.w3.org/ns/anno.jsonld",
        "id": paths.annotations(article.slug).removeprefix(paths.ANNOTATIONS),
        "type": "AnnotationCollection",
        "label": f"Editorial notes on “{article.meta.title}”",
        "total": len(items),
        "first": {"type": "AnnotationPage", "startIndex": 0, "items": items},
    }
    return json.dumps(collection, ensure_ascii=False, indent=2) + "\n"
