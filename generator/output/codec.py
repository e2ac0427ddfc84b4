"""The stage values kept between runs, as plain JSON (no pickles): summaries, notes, passages,
warnings.

A record copied from elsewhere can therefore do no more than describe pages wrongly: it never
runs code. Every value is rebuilt as the dataclass it was (dates as ISO strings, paths relative
to the archive's root), and :func:`dumps` writes keys in a fixed order, so the text of a value,
and so its digest, depends on the value alone.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path
from typing import Any

from generator.errors import Problem
from generator.inputs.notes_file import Note, NoteSource
from generator.model import Meta, Span
from generator.stages.anchor import Anchor, AnchoredNote
from generator.stages.summary import Correction, Listed, Mentioned, NoteHead, Passage, Summary


def dumps(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True)


def digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _day(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _relative(path: Path | str | None, root: Path) -> str | None:
    if path is None:
        return None
    try:
        return Path(path).relative_to(root).as_posix()
    except ValueError:
        return str(path)


def meta_data(meta: Meta) -> dict[str, Any]:
    return {
        "title": meta.title,
        "date": _day(meta.date),
        "author": meta.author,
        "publisher": meta.publisher,
        "url": meta.url,
        "language": meta.language,
        "original_publisher": meta.original_publisher,
        "original_date": _day(meta.original_date),
        "original_url": meta.original_url,
        "archived": _day(meta.archived),
        "sha256": meta.sha256,
        "tags": list(meta.tags),
        "sources": dict(meta.sources),
    }


def meta_value(data: dict[str, Any]) -> Meta:
    return Meta(
        title=data["title"],
        date=_date(data["date"]),
        author=data["author"],
        publisher=data["publisher"],
        url=data["url"],
        language=data["language"],
        original_publisher=data["original_publisher"],
        original_date=_date(data["original_date"]),
        original_url=data["original_url"],
        archived=_date(data["archived"]),
        sha256=data["sha256"],
        tags=tuple(data["tags"]),
        sources=dict(data["sources"]),
    )


def summary_text(summary: Summary) -> str:
    """The summary as JSON Lines: a line of everything but its mentions, then a line a mention
    (:func:`dumps` writes no line break, so each line is one value). A mention is decoded by
    the text of its line alone, see :func:`summary_value`."""
    head = dumps(
        {
            "slug": summary.slug,
            "meta": meta_data(summary.meta),
            "lead": summary.lead,
            "notes": [[n.id, n.kind, n.date.isoformat(), n.number, n.exact, n.link] for n in summary.notes],
        }
    )
    return "\n".join([head, *map(mention_text, summary.entities)])


def mention_text(mentioned: Mentioned) -> str:
    return dumps([mentioned.entity, mentioned.count, [list(f) for f in mentioned.forms]])


def mention_value(text: str) -> Mentioned:
    entity, count, forms = json.loads(text)
    if not (isinstance(entity, str) and type(count) is int and isinstance(forms, list)):
        raise ValueError(f"not a mention: {text[:80]}")
    return Mentioned(entity, count, tuple((form, n) for form, n in forms))


def summary_value(text: str, mentions: dict[str, Mentioned] | None = None) -> Summary:
    """The summary stored as *text* (:func:`summary_text`). *mentions*, when given, holds the
    :class:`Mentioned` values decoded so far by their line, and equal ones are shared: 10,000
    summaries name an entity some 260,000 times in a few hundred distinct ways, so nearly every
    mention costs one lookup and no decoding."""
    head, *lines = text.split("\n")
    data = json.loads(head)
    meta = meta_value(data["meta"])
    shared = {} if mentions is None else mentions
    entities = []
    for line in lines:
        found = shared.get(line)
        if found is None:
            found = shared[line] = mention_value(line)
        entities.append(found)
    return Summary(
        Listed(data["slug"], meta.title, meta.date, meta.publisher, meta.tags),
        meta,
        data["lead"],
        tuple(NoteHead(i, k, dt.date.fromisoformat(d), n, e, ln) for i, k, d, n, e, ln in data["notes"]),
        tuple(entities),
        fingerprint=digest(text),
    )


def notes_text(notes: tuple[AnchoredNote, ...], root: Path) -> str:
    rows = []
    for item in notes:
        note, anchor = item.note, item.anchor
        rows.append(
            {
                "id": note.id,
                "kind": note.kind,
                "quote": note.quote,
                "prefix": note.prefix,
                "suffix": note.suffix,
                "body": note.body,
                "body_text": note.body_text,
                "body_spans": [[s.start, s.end, s.kind, s.target] for s in note.body_spans],
                "sources": [[s.title, s.url, s.accessed.isoformat()] for s in note.sources],
                "author": note.author,
                "date": note.date.isoformat(),
                "path": _relative(note.path, root),
                "line": note.line,
                "quote_line": note.quote_line,
                "quote_column": note.quote_column,
                "anchor": [anchor.start, anchor.end, anchor.exact, anchor.score],
                "number": item.number,
            }
        )
    return dumps(rows)


def notes_value(text: str, root: Path) -> tuple[AnchoredNote, ...]:
    found = []
    for row in json.loads(text):
        note = Note(
            id=row["id"],
            kind=row["kind"],
            quote=row["quote"],
            prefix=row["prefix"],
            suffix=row["suffix"],
            body=row["body"],
            body_text=row["body_text"],
            body_spans=tuple(Span(s, e, k, t) for s, e, k, t in row["body_spans"]),
            sources=tuple(NoteSource(t, u, dt.date.fromisoformat(a)) for t, u, a in row["sources"]),
            author=row["author"],
            date=dt.date.fromisoformat(row["date"]),
            path=root / row["path"],
            line=row["line"],
            quote_line=row["quote_line"],
            quote_column=row["quote_column"],
        )
        start, end, exact, score = row["anchor"]
        found.append(AnchoredNote(note, Anchor(start, end, exact, score), row["number"]))
    return tuple(found)


def passages_text(passages: tuple[Passage, ...]) -> str:
    def corrections(p: Passage) -> list[object]:
        return [[c.id, c.exact, c.body_text, [[s.start, s.end, s.kind, s.target] for s in c.body_spans]]
                for c in p.corrections]  # fmt: skip

    return dumps([[p.text, p.start, p.end, p.anchor, corrections(p)] for p in passages])


def passages_value(text: str) -> tuple[Passage, ...]:
    def corrections(rows: list[Any]) -> tuple[Correction, ...]:
        return tuple(Correction(i, x, b, tuple(Span(s, e, k, t) for s, e, k, t in spans)) for i, x, b, spans in rows)

    return tuple(Passage(t, s, e, a, corrections(c)) for t, s, e, a, c in json.loads(text))


def warnings_text(warnings: tuple[Problem, ...] | list[Problem], root: Path) -> str:
    return dumps([[w.message, _relative(w.path, root), w.line, w.column] for w in warnings])


def warnings_value(text: str, root: Path) -> list[Problem]:
    found = []
    for message, path, line, column in json.loads(text):
        where = None if path is None else (root / path if not Path(path).is_absolute() else Path(path))
        found.append(Problem(message, where, line, column))
    return found
