"""What needs an editor's attention, as the studio's panel and page list it, and the unknown
names it marks on the article pages.

- every note that does not anchor: an **orphan** (its words are gone), or an **ambiguous** quote
  (its words occur more than once: each place is listed so that the editor can pick one);
- every note anchored only approximately (the article's words changed): the old and the new
  wording, so that the editor can take the new one;
- every other error of the last run, and every warning.

Notes are read with :func:`generator.commands.notes_edit.list_notes`, which anchors them with the
build's own code; the messages are the build's, shown as given.
"""

from __future__ import annotations

from typing import Any

from generator import paths
from generator.commands.notes_edit import list_notes, locate
from generator.commands.studio.state import Item, Run, relative
from generator.errors import ArchiveError
from generator.inputs.articles import NOTES_SUFFIX
from generator.inputs.registry import NER_LABELS
from generator.model import Article
from generator.pipeline import Loaded
from generator.settings import Settings
from generator.stages.anchor import line_at, normalise
from generator.util.text import shorten

CONTEXT = 40
"""Characters shown either side of each place of an ambiguous quote."""


def places(article: Article, quote: str) -> list[dict[str, Any]]:
    """Every place where *quote* occurs in *article* (as the build matches: quotes and white
    space folded), with its line and the words around it."""
    norm = normalise(article.text)
    wanted = normalise(quote).text.strip()
    found, at = [], norm.text.find(wanted) if wanted else -1
    text = article.text
    while at != -1:
        start, end = norm.span(at, at + len(wanted))
        found.append(
            {
                "start": start,
                "end": end,
                "line": line_at(article, start),
                "before": _around(text[max(0, start - CONTEXT) : start], before=True),
                "words": text[start:end],
                "after": _around(text[end : end + CONTEXT], before=False),
            }
        )
        at = norm.text.find(wanted, at + 1)
    return found


def _around(words: str, before: bool) -> str:
    """The words *before* (or after) a place, on one line, keeping the space that parts them from it."""
    short = shorten(words, CONTEXT + 1, one_line=True)
    if before:
        return short + " " if words[-1:].isspace() and short else short
    return " " + short if words[:1].isspace() and short else short


def attention(settings: Settings, run: Run) -> list[dict[str, Any]]:
    """Every item needing attention, notes first (in file order), then errors and warnings."""
    root = settings.root
    found: list[dict[str, Any]] = []
    covered: set[tuple[str, int | None]] = set()
    for path in sorted(settings.articles.glob(f"*{NOTES_SUFFIX}")):
        slug = path.name.removesuffix(NOTES_SUFFIX)
        try:
            listed = list_notes(settings, slug)
            article = locate(settings, slug).article if any(i.state != "anchored" for i in listed) else None
        except ArchiveError:
            continue  # the notes file or its article cannot be read: the run's errors say why
        for item in listed:
            if item.state == "anchored" or article is None:
                continue
            note = item.note
            where = Item(item.message, relative(note.path, root), note.quote_line, note.quote_column)
            covered.add((where.path, where.line))
            entry: dict[str, Any] = {
                "article": slug,
                "title": article.meta.title,
                "url": "/" + paths.article(slug),
                "id": note.id,
                "quote": note.quote,
                **where.as_json(),
            }
            if item.state == "approximate":
                entry.update(kind="fuzzy", new=item.exact, url=entry["url"] + f"#anchor-{note.id}")
            else:
                where_all = places(article, note.quote)
                entry.update(kind="ambiguous", places=where_all) if len(where_all) > 1 else entry.update(kind="orphan")
            found.append(entry)
    for kind, problems in (("error", run.errors), ("warning", run.warnings)):
        for problem in problems:
            if (problem.path, problem.line) not in covered:
                found.append({"kind": kind, **problem.as_json()})
    return found


def unknown_names(loaded: Loaded, slug: str) -> list[dict[str, Any]]:
    """The names the model found in the article *slug* that the registry does not know (nor
    ignores), each with its block and offsets in the block's text."""
    article = next((a for a in loaded.articles if a.slug == slug), None)
    if article is None:
        return []
    registry = loaded.entities.registry
    names = []
    for index, found in enumerate(loaded.entities.mentions.get(slug, ())):
        for mention in found:
            if mention.entity or mention.label not in NER_LABELS or registry.is_ignored(mention.text, mention.label):
                continue
            names.append(
                {
                    "block": index,
                    "start": mention.start,
                    "end": mention.end,
                    "text": mention.text,
                    "label": mention.label,
                }
            )
    return names
